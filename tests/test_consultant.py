"""The consultant's own voice: notes.md and actions.yaml, and 'klantladder actions'."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import make_folder, response, write_yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pdfhelpers import page_texts
from typer.testing import CliRunner

from klantladder.actions import ACTIONS_FILE, load_actions, propose_actions, write_proposals
from klantladder.cli import app
from klantladder.diagnosis import advice_chapter
from klantladder.errors import InputError, OutputExistsError
from klantladder.folder import load_assessment
from klantladder.loading import load_questionnaire
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.result import ScoreResult
from klantladder.notes import load_notes
from klantladder.report.brand import load_brand
from klantladder.report.render import render_report, report_html
from klantladder.scoring import score

runner = CliRunner()

PEOPLE = [
    {"lead.1": 4, "lead.2": 5, "listen.1": 2, "act.1": 3, "dept": "service", "role": "staff"},
    {"lead.1": 3, "lead.2": 4, "listen.1": 2, "act.1": 2, "dept": "service", "role": "staff"},
    {"lead.1": 3, "lead.2": 4, "listen.1": 3, "act.1": 3, "dept": "sales", "role": "staff"},
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path, PEOPLE, organisation="Acme")


def html_of(folder: Path) -> str:
    return report_html(load_assessment(folder), brand=load_brand(None)).html


def problems(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# --- notes.md ---------------------------------------------------------------------------------


def test_notes_become_a_chapter_and_injected_html_stays_text(folder: Path) -> None:
    (folder / "notes.md").write_text(
        "---\nconclusion: Start with the weakest rung.\n---\n\n"
        "## What stood out\n\nThe board *sees more* than the floor.\n\n"
        '<script>alert("x")</script>\n\n<img src="file:///etc/passwd">\n\n'
        "![logo](file:///etc/hostname)\n",
        encoding="utf-8",
    )
    html = html_of(folder)
    assert '<section class="chapter observations" id="observations">' in html
    assert "<h4>What stood out</h4>" in html, "note headings sit below the chapter's"
    assert "<em>sees more</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    path = render_report(folder)
    pages = page_texts(path)
    text = " ".join(pages)
    assert "Consultant's observations" in text
    assert '<script>alert("x")</script>' in text
    assert '<img src="file:///etc/passwd">' in text
    assert "Start with the weakest rung." in pages[1], "the conclusion is on the executive page"


def test_conclusie_or_conclusion_but_not_both(folder: Path) -> None:
    notes = folder / "notes.md"
    notes.write_text("---\nconclusie: Begin klein.\n---\nTekst.\n", encoding="utf-8")
    loaded = load_notes(folder)
    assert loaded is not None and loaded.conclusion == "Begin klein."
    notes.write_text("---\nconclusie: A\nconclusion: B\n---\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_notes(folder)
    assert problems(error) == [f"{notes}:2:1: give either conclusie or conclusion, not both"]


def test_front_matter_problems_point_at_lines_of_notes_md(folder: Path) -> None:
    notes = folder / "notes.md"
    notes.write_text("---\nconclusie: Goed.\nconclsion: typo\n---\nTekst.\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_notes(folder)
    assert problems(error) == [f"{notes}:3:1: unknown key 'conclsion' (did you mean 'conclusion'?)"]
    notes.write_text("---\nconclusie: [niet gesloten\n---\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_notes(folder)
    assert problems(error)[0].startswith(f"{notes}:3:1: YAML syntax error")
    notes.write_text("---\nconclusie: open\nTekst zonder einde.\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_notes(folder)
    assert problems(error) == [
        f"{notes}:1:1: front matter opened with '---' is never closed; end it with a '---' line"
    ]
    notes.write_text("---\nconclusie: " + "x" * 701 + "\n---\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_notes(folder)
    assert problems(error)[0].startswith(f"{notes}:2:12: conclusie: string should have at most 700")
    notes.write_bytes(b"caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_notes(folder)
    notes.write_text("   \n", encoding="utf-8")
    with pytest.raises(InputError, match="the notes are empty"):
        load_notes(folder)


def test_a_report_with_bad_notes_is_refused_with_the_place(folder: Path) -> None:
    (folder / "notes.md").write_text("---\nconclusie: [\n---\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{folder / 'notes.md'}:3:1: YAML syntax error")
    assert not list(folder.glob("report-*.pdf"))


# --- actions.yaml -----------------------------------------------------------------------------


def test_the_consultants_action_plan_is_the_report_s_plan(folder: Path) -> None:
    write_yaml(
        folder / ACTIONS_FILE,
        {
            "actions": [
                {
                    "dimension": "listen",
                    "action": "Weekly customer call review.",
                    "owner": "Head of service",
                    "deadline": dt.date(2026, 6, 30),
                    "kpi": "Share of calls reviewed.",
                    "first_step": "Pick ten calls on Monday.",
                },
                {"dimension": "act", "action": "Fix the top complaint."},
            ]
        },
    )
    html = html_of(folder)
    assert "Weekly customer call review." in html
    assert "Head of service" in html and "30 June 2026" in html
    assert "Pick ten calls on Monday." in html
    assert 'class="proposal-mark"' not in html, "the consultant's plan is not a proposal"
    assert "The consultant&#39;s action plan" in html


def test_action_plan_problems_have_file_line_and_column(folder: Path) -> None:
    method = load_assessment(folder).questionnaire.content
    path = folder / ACTIONS_FILE
    path.write_text(
        "actions:\n"
        "  - dimension: listen\n"
        "    action: Review calls.\n"
        "    deadline: next week\n"
        "  - dimension: sales\n"
        "    action: Sell more.\n"
        "    owners: Ann\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        load_actions(folder, method)
    found = problems(error)
    assert len(found) == 2
    assert found[0].startswith(f"{path}:4:15: deadline: input should be a valid date")
    assert found[1] == f"{path}:7:5: unknown key 'owners' (did you mean 'owner'?)"
    path.write_text("actions:\n  - dimension: sales\n    action: Sell more.\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_actions(folder, method)
    assert problems(error) == [
        f"{path}:2:16: unknown dimension 'sales'; dimensions: lead, listen, act"
    ]
    path.write_text("actions: []\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_actions(folder, method)
    assert "should have at least 1 item" in problems(error)[0]
    assert problems(error)[0].startswith(f"{path}:1:")


# --- proposals --------------------------------------------------------------------------------


def test_without_actions_yaml_the_report_proposes_actions_never_an_empty_grid(
    folder: Path,
) -> None:
    loaded = load_assessment(folder)
    result = loaded.score()
    plan = propose_actions(result, loaded.questionnaire.content)
    assert plan is not None
    method = loaded.questionnaire.content
    for point in result.focus:
        mine = [a for a in plan.actions if a.dimension == point.dimension]
        assert 1 <= len(mine) <= 3
        next_step = method.dimension(point.dimension).next_steps[point.phase.level]
        assert mine[0].action == next_step, "the dimension's own next step comes first"
    titles = [a.action for a in plan.actions if a.source]
    assert len(titles) == len(set(titles)), "no tip is proposed twice"
    html = html_of(folder)
    assert '<span class="proposal-mark">Proposal</span>' in html
    assert "There is no agreed action plan yet." in html
    assert html.count('<td class="what">') == len(plan.actions) > 0


def assert_proposals_follow_the_tags(result: ScoreResult, method: Method) -> None:
    """Each proposal is its dimension's next step or a tip the advice chapter gives it."""
    language = result.questionnaire.language
    plan = propose_actions(result, method)
    assert plan is not None
    tags: dict[str, list[str]] = {}
    for phase in method.phases:
        for tip in phase.tips:
            tags.setdefault(f"{localize(tip.title, language).rstrip('.')}.", []).extend(
                tip.dimensions
            )
    advised = {
        d.dimension: {f"{t.title.rstrip('.')}." for t in d.tips}
        for d in advice_chapter(method, result, language).dimensions
    }
    for action in plan.actions:
        steps = method.dimension(action.dimension).next_steps.values()
        if action.source is None:
            assert action.action in [localize(step, language) for step in steps]
            continue
        assert action.dimension in tags[action.action], (action.dimension, action.action)
        if action.dimension in advised:
            assert action.action in advised[action.dimension], "the advice chapter's tips"


def test_example_proposals_stand_under_the_dimensions_their_tips_are_tagged_for(
    example_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "koperwiek"
    shutil.copytree(example_folder, folder)
    (folder / ACTIONS_FILE).unlink()
    loaded = load_assessment(folder)
    method = loaded.questionnaire.content
    result = loaded.score()
    assert_proposals_follow_the_tags(result, method)
    plan = propose_actions(result, method)
    assert plan is not None
    sturing = [a.action for a in plan.actions if a.dimension == "sturing" and a.source]
    assert sturing[0] == "Klantcijfers naast omzet en kosten."
    runner.invoke(app, ["actions", str(folder)])
    written = load_actions(folder, method)
    assert written == plan


INTAKE = load_questionnaire("intake", "nl")
INTAKE_QUESTIONS = [(q.id, q.dimension) for q in INTAKE.scored_questions]


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([d.id for d in INTAKE.content.dimensions]), st.integers(1, 5), min_size=1
    ),
    st.integers(1, 5),
)
@example(levels={"kompas": 5}, rest=5)  # all in the top phase: no focus point
def test_proposals_follow_the_tags_whatever_the_answers(levels: dict[str, int], rest: int) -> None:
    people = [
        response(
            f"r{n}",
            {question: levels.get(dimension, rest) for question, dimension in INTAKE_QUESTIONS},
            "intake",
        )
        for n in range(3)
    ]
    assert_proposals_follow_the_tags(score(INTAKE, people, language="nl"), INTAKE.content)


def test_actions_command_writes_proposals_and_never_overwrites_without_force(
    folder: Path,
) -> None:
    result = runner.invoke(app, ["actions", str(folder)])
    assert result.exit_code == 0, result.stderr
    target = folder / ACTIONS_FILE
    assert result.stdout.startswith(f"wrote {target}: ")
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# The action plan of this assessment")
    data = yaml.safe_load(written)
    assert all(
        set(action) == {"dimension", "action", "owner", "deadline", "kpi", "first_step", "source"}
        for action in data["actions"]
    )
    plan = load_actions(folder, load_assessment(folder).questionnaire.content)
    assert plan is not None and plan.actions[0].owner is None

    target.write_text(written.replace("owner: null", "owner: Ann", 1), encoding="utf-8")
    edited = target.read_bytes()
    result = runner.invoke(app, ["actions", str(folder)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {target}: file exists; use --force to overwrite it\n"
    assert target.read_bytes() == edited
    with pytest.raises(OutputExistsError):
        write_proposals(folder)
    result = runner.invoke(app, ["actions", str(folder), "--force"])
    assert result.exit_code == 0
    assert b"owner: Ann" not in target.read_bytes()
    assert not [p for p in folder.iterdir() if p.name.startswith(".actions.yaml")]

    result = runner.invoke(app, ["actions", str(folder / "nope")])
    assert result.exit_code == 1
    assert "no such assessment folder" in result.stderr
    result = runner.invoke(app, ["actions"])
    assert result.exit_code == 2


def test_validate_checks_notes_and_action_plans(folder: Path) -> None:
    (folder / "notes.md").write_text("---\nconclusie: Goed.\n---\nTekst.\n", encoding="utf-8")
    (folder / ACTIONS_FILE).write_text(
        "actions:\n  - dimension: nope\n    action: Iets.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(folder / "notes.md")])
    assert result.exit_code == 0 and "notes with a conclusion" in result.stdout
    for target in (folder, folder / ACTIONS_FILE):
        result = runner.invoke(app, ["validate", str(target)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"{folder / ACTIONS_FILE}:2:16: unknown dimension 'nope'")
    (folder / ACTIONS_FILE).write_text(
        "actions:\n  - dimension: lead\n    action: Iets.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("; notes.md, actions.yaml")


def test_an_unedited_actions_yaml_stays_a_proposal_until_an_owner_deadline_or_kpi(
    example_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "koperwiek"
    shutil.copytree(example_folder, folder)
    (folder / ACTIONS_FILE).unlink()
    labels = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "report_templates" / "labels.nl.yaml").read_text(
            encoding="utf-8"
        )
    )
    proposal = html_of(folder)
    assert labels["action_plan_proposed"] in proposal
    assert labels["exec_decide_proposed"] in proposal
    assert 'class="proposal-mark"' in proposal

    write_proposals(folder)
    unedited = html_of(folder)
    for text in (labels["action_plan_proposed"], labels["exec_decide_proposed"]):
        assert text in unedited, "a file nobody filled in is still the method's proposal"
    for text in (labels["action_plan_own"], labels["exec_decide_own"]):
        assert text not in unedited
    assert 'class="proposal-mark"' in unedited
    assert 'class="exec-who"' not in unedited, "no owner or deadline is shown as still open"

    target = folder / ACTIONS_FILE
    for field, value in (("owner", "Ann"), ("deadline", "2027-03-31"), ("kpi", "NPS")):
        target.unlink()
        write_proposals(folder)
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace(f"{field}: null", f"{field}: {value}", 1), encoding="utf-8")
        own = html_of(folder)
        assert labels["action_plan_own"] in own, field
        assert labels["exec_decide_own"] in own, field
        assert labels["action_plan_proposed"] not in own, field
        assert 'class="proposal-mark"' not in own, field
