"""Routing: `when` conditions, validated, and honoured wherever answers go in or out."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import FIXTURES, response, write_yaml
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.errors import InputError
from klantladder.exporting import render_form
from klantladder.folder import load_assessment
from klantladder.importing import import_export
from klantladder.interview import Interview
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import ResponseSource
from klantladder.models.questionnaire import Questionnaire
from klantladder.routing import not_asked, without_routed_out
from klantladder.scoring import score

ROUTED = FIXTURES / "routed.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def routed() -> Questionnaire:
    return load_questionnaire(ROUTED)


def variant(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(ROUTED.read_text(encoding="utf-8"))
    data["method"] = str((FIXTURES / "mini-method.yaml").resolve())
    change(data)
    return write_yaml(tmp_path / "routed.yaml", data)


def question(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == question_id)


# --- which questions are asked --------------------------------------------------------


def test_not_in_asks_unless_the_answer_is_listed(routed: Questionnaire) -> None:
    assert "listen.results" not in not_asked(routed, {"research": "score"})
    assert "listen.results" not in not_asked(routed, {"research": "words"})
    assert "listen.results" in not_asked(routed, {"research": "none"})
    # No answer and 'don't know' count as no answer: not_in then asks.
    assert "listen.results" not in not_asked(routed, {})
    assert "listen.results" not in not_asked(routed, {"research": "unknown"})


def test_in_asks_only_when_the_answer_is_listed(routed: Questionnaire) -> None:
    assert "act.score" not in not_asked(routed, {"research": "score"})
    assert "act.score" in not_asked(routed, {"research": "words"})
    assert "act.score" in not_asked(routed, {})
    assert "act.score" in not_asked(routed, {"research": "unknown"})
    assert not_asked(routed, {"contact": "without", "research": "score"}) >= {"act.self"}


def test_a_condition_on_a_routed_question_reads_it_as_unanswered(routed: Questionnaire) -> None:
    # act.deep hangs on a ladder answer of 4 or 5 to listen.results.
    assert "act.deep" not in not_asked(routed, {"research": "score", "listen.results": 4})
    assert "act.deep" in not_asked(routed, {"research": "score", "listen.results": 3})
    # listen.results is not asked without research, so its (stale) answer does not count.
    out = not_asked(routed, {"research": "none", "listen.results": 5})
    assert {"listen.results", "act.deep"} <= out
    kept, dropped = without_routed_out(
        routed, {"research": "none", "listen.results": 5, "lead.1": 2}
    )
    assert kept == {"research": "none", "lead.1": 2}
    assert dropped == ["listen.results"]


# --- validation with places -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "at", "message"),
    [
        (
            lambda d: question(d, "act.score").update(when={"question": "nope", "in": ["score"]}),
            "nope",
            "unknown question 'nope'",
        ),
        (
            lambda d: question(d, "lead.1").update(when={"question": "act.1", "in": [3]}),
            "act.1",
            "question 'act.1' does not come before 'lead.1'; a condition can only look back",
        ),
        (
            lambda d: question(d, "act.score").update(
                when={"question": "research", "in": ["score", "sometimes"]}
            ),
            "sometimes",
            "'sometimes' is not an option of 'research'; choose from score, words, none",
        ),
        (
            lambda d: question(d, "act.deep").update(
                when={"question": "listen.results", "in": [4, 6]}
            ),
            "6",
            "6 is not a level of 'listen.results'; choose from 1, 2, 3, 4, 5",
        ),
        (
            lambda d: question(d, "act.score").update(when={"question": "research"}),
            "when:",
            "give exactly one of 'in' and 'not_in'",
        ),
        (
            lambda d: question(d, "blocker").update(when={"question": "blocker", "in": ["x"]}),
            "blocker",
            "does not come before",
        ),
    ],
)
def test_bad_conditions_are_reported_at_their_place(
    tmp_path: Path, change: Any, at: str, message: str
) -> None:
    path = variant(tmp_path, change)
    with pytest.raises(InputError) as caught:
        load_questionnaire(path)
    [problem] = caught.value.problems
    assert message in problem.message
    assert problem.file == str(path) and problem.line and problem.column
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith(at), (line, problem)


def test_a_condition_needs_a_single_answer_question(tmp_path: Path) -> None:
    def multiple(data: dict[str, Any]) -> None:
        question(data, "research")["multiple"] = True

    with pytest.raises(InputError, match="takes several answers; a condition needs a question"):
        load_questionnaire(variant(tmp_path, multiple))

    def on_open(data: dict[str, Any]) -> None:
        data["questions"].append(
            {
                "id": "later",
                "kind": "open",
                "text": "Why?",
                "when": {"question": "blocker", "in": ["x"]},
            }
        )

    with pytest.raises(InputError, match="open question 'blocker' cannot decide a condition"):
        load_questionnaire(variant(tmp_path, on_open))


# --- scoring --------------------------------------------------------------------------


def test_routed_questions_are_not_asked_and_counted_apart_from_dont_know(
    routed: Questionnaire,
) -> None:
    responses = [
        # No research: listen.results and act.score not asked; an answer to it is ignored.
        response(
            "r1",
            {
                "contact": "with",
                "research": "none",
                "lead.1": 2,
                "listen.1": 2,
                "listen.results": 5,
                "act.1": 2,
                "act.self": 5,
            },
            "routed",
        ),
        # Research with a score; act.score answered 'don't know'.
        response(
            "r2",
            {
                "contact": "without",
                "research": "score",
                "lead.1": 4,
                "listen.1": 4,
                "listen.results": 2,
                "act.1": 4,
                "act.score": "unknown",
            },
            "routed",
        ),
    ]
    result = score(routed, responses)
    listen = result.dimension("listen")
    act = result.dimension("act")
    # r1: listen.1 only -> 2; r2: (4 + 2) / 2 = 3; mean 2.5 (r1's stale 5 is ignored).
    assert listen.mean == 2.5
    assert (listen.not_asked, listen.unknown) == (1, 0)
    # act: r1 (2 + act.self 5 -> 3.0) / 2 = 2.5; r2 act.1 4 (deep, score, self not asked).
    # act not asked: r1 deep + score; r2 deep (listen.results 2) + self -> 4.
    assert act.mean == 3.25
    assert (act.not_asked, act.unknown) == (4, 1)
    assert result.exclusions.not_asked == 5
    assert result.exclusions.unknown_answers == 1
    # A question of fact is no segment; the respondents' own profile question is.
    assert [group.question for group in result.segments] == ["contact"]


def test_a_response_file_answering_a_routed_question_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    write_yaml(
        folder / "assessment.yaml",
        {
            "organisation": "Acme",
            "date": "2026-03-01",
            "questionnaire": {"id": "routed", "version": 1, "file": str(ROUTED)},
            "language": "en",
        },
    )
    write_yaml(
        folder / "responses" / "r1.yaml",
        {
            "respondent": "r1",
            "questionnaire": {"id": "routed", "version": 1},
            "answers": {"research": "none", "lead.1": 3, "listen.results": 4},
        },
    )
    with pytest.raises(InputError) as caught:
        load_assessment(folder)
    assert str(caught.value) == (
        f"{folder / 'responses' / 'r1.yaml'}:8:3: question 'listen.results' is not asked with "
        "the answer given to 'research'; remove this answer"
    )
    result = runner.invoke(app, ["validate", str(folder / "responses" / "r1.yaml")])
    assert result.exit_code == 1
    assert "is not asked with the answer given to 'research'" in result.stderr


def test_an_import_batch_with_an_answer_not_asked_is_refused_at_its_cell(tmp_path: Path) -> None:
    from klantladder.store.batch import batch_bytes

    folder = routed_folder(tmp_path)
    questionnaire = load_assessment(folder).questionnaire
    stored = response("csv-0001", {"research": "score", "lead.1": 3, "listen.results": 4})
    stored = stored.model_copy(
        update={
            "questionnaire": stored.questionnaire.model_copy(update={"id": "routed"}),
            "source": ResponseSource(tool="csv", key="csv:a"),
        }
    )
    batch = folder / "responses" / "import-0001.csv"
    batch.write_bytes(batch_bytes(questionnaire, [stored]))
    assert len(load_assessment(folder).responses) == 1
    header = batch.read_text(encoding="utf-8").splitlines()[0].split(",")
    batch.write_text(batch.read_text(encoding="utf-8").replace(",score,", ",none,"), "utf-8")
    with pytest.raises(InputError) as caught:
        load_assessment(folder)
    assert str(caught.value) == (
        f"{batch}:2:{header.index('listen.results') + 1}: question 'listen.results' is not "
        "asked with the answer given to 'research'; remove this answer"
    )


def test_the_store_refuses_an_incoming_answer_not_asked(tmp_path: Path) -> None:
    from klantladder.store import IncomingResponse, commit_import

    folder = routed_folder(tmp_path)
    stored = response("pending", {"research": "none", "lead.1": 3, "listen.results": 4})
    stored = stored.model_copy(
        update={
            "questionnaire": stored.questionnaire.model_copy(update={"id": "routed"}),
            "source": ResponseSource(tool="csv", file="x.csv"),
        }
    )
    with pytest.raises(InputError, match=r"'listen\.results' is not asked"):
        commit_import(folder, [IncomingResponse("csv:a", None, stored)])
    assert list((folder / "responses").iterdir()) == []


# --- the interview ---------------------------------------------------------------------


def routed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    write_yaml(
        folder / "assessment.yaml",
        {
            "organisation": "Acme",
            "date": "2026-03-01",
            "questionnaire": {"id": "routed", "version": 1, "file": str(ROUTED)},
            "language": "en",
        },
    )
    (folder / "responses").mkdir()
    return folder


def test_the_interview_passes_over_routed_questions_and_back_re_evaluates(
    tmp_path: Path,
) -> None:
    folder = routed_folder(tmp_path)
    session = Interview.open(folder, "r001")
    assert session.total == 10  # nothing answered yet: every question may be asked
    session.answer("with")
    session.answer("score")  # research with a score: everything is asked
    assert session.total == 10
    for value in (3, 3, 4):  # lead.1, listen.1, listen.results
        session.answer(value)
    assert session.current is not None and session.current.id == "act.1"
    assert session.number == 6
    session.answer(3)
    assert session.current is not None and session.current.id == "act.deep"
    session.answer(4)
    session.answer(5)  # act.score
    assert session.current is not None and session.current.id == "act.self"
    # Back to the question of fact, past the answered ones, and change it to 'no research'.
    while session.current is not None and session.current.id != "research":
        assert session.back()
    session.answer("none")
    saved = session.response.answers
    assert "listen.results" not in saved and "act.deep" not in saved and "act.score" not in saved
    assert saved["lead.1"] == 3
    assert session.total == 7
    # Going on skips what is not asked: the next open question is act.self.
    assert session.current is not None and session.current.id == "act.self"
    session.answer(4)
    session.answer("Silos")
    assert session.finished
    summary = session.summary()
    assert (summary.answered, summary.total, summary.not_asked) == (7, 7, 3)
    on_disk = yaml.safe_load((folder / "responses" / "r001.yaml").read_text(encoding="utf-8"))
    assert on_disk["answers"] == {
        "contact": "with",
        "research": "none",
        "lead.1": 3,
        "listen.1": 3,
        "act.1": 3,
        "act.self": 4,
        "blocker": "Silos",
    }
    # Back from the end passes over the questions not asked.
    assert session.back() and session.current is not None and session.current.id == "blocker"
    assert session.back() and session.current is not None and session.current.id == "act.self"
    assert session.back() and session.current is not None and session.current.id == "act.1"


def test_the_terminal_interview_counts_only_the_questions_asked(tmp_path: Path) -> None:
    folder = routed_folder(tmp_path)
    keys = "2\n3\n2\n2\n1\nNothing\n"  # without contact, no research
    result = runner.invoke(app, ["interview", str(folder), "--respondent", "Ann"], input=keys)
    assert result.exit_code == 0, result.output
    assert "Question 1 of 10" in result.stdout
    assert "Question 6 of 6" in result.stdout
    said = " ".join(result.stdout.split())
    assert "Answered 6 of 6 questions (0 don't know, 0 skipped)." in said
    assert "4 questions not asked after earlier answers." in said


# --- forms and import -------------------------------------------------------------------


def test_limesurvey_gets_relevance_equations(routed: Questionnaire) -> None:
    rows = list(
        csv.DictReader(io.StringIO(render_form(routed, "en", "limesurvey")), delimiter="\t")
    )
    relevance = {row["name"]: row["relevance"] for row in rows if row["class"] == "Q"}
    assert relevance["contact"] == "1"
    assert relevance["listenDresults"] == '!(research.NAOK == "3")'
    assert relevance["actDscore"] == '(research.NAOK == "1")'
    assert relevance["actDdeep"] == '(listenDresults.NAOK == "4" or listenDresults.NAOK == "5")'


def test_qualtrics_gets_a_display_logic_note_and_the_sheet_a_shown_when_column(
    routed: Questionnaire,
) -> None:
    qualtrics = render_form(routed, "en", "qualtrics")
    assert (
        "[[ID:act.score]]\nWe talk more about customers than about the score. [Display logic; set "
        "it up after importing and delete this note: only if the answer to research is: "
        "'Yes with a score']\n"
    ) in qualtrics
    assert "[[ID:lead.1]]\nHow do leaders treat feedback?\n" in qualtrics
    rows = list(csv.DictReader(io.StringIO(render_form(routed, "en", "csv"))))
    shown = {row["id"]: row["shown when"] for row in rows}
    assert shown["lead.1"] == ""
    assert shown["listen.results"] == "not if the answer to research is: 'No'"
    assert shown["act.deep"] == "only if the answer to listen.results is: 4 or 5"


def test_import_ignores_and_counts_answers_to_questions_not_asked(tmp_path: Path) -> None:
    folder = routed_folder(tmp_path)
    export = tmp_path / "export.csv"
    export.write_text(
        "respondent,contact,research,lead.1,listen.1,listen.results,act.1,act.score,act.self\n"
        "a1,with,none,3,3,4,3,5,4\n"
        "a2,without,score,4,4,2,4,4,\n",
        encoding="utf-8",
    )
    report = import_export(folder, export)
    # a1: no research -> listen.results and act.score; a2: no contact -> (act.self empty).
    assert report.not_asked == 2
    # Imported respondents get codes in row order, never the export's own ids.
    first, second_row = (
        r.answers for r in sorted(load_assessment(folder).responses, key=lambda r: r.respondent)
    )
    assert "listen.results" not in first and "act.score" not in first
    assert second_row["listen.results"] == 2

    second = routed_folder(tmp_path / "second")
    result = runner.invoke(app, ["import", str(second), str(export)])
    assert result.exit_code == 0, result.output
    assert "written: 2 responses" in result.stdout
    assert "answers to questions not asked" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "answers to questions not asked" in x)
    assert line.split()[5] == "2"
