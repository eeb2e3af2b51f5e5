"""The interview: the engine directly, the command through CliRunner, resume after a stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from importhelpers import bilingual_folder, saved
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.folder import init_assessment
from klantladder.interview import Interview
from klantladder.store.keys import load_key_file

runner = CliRunner()

ALL_ANSWERS = "3\n4\n0\n2\n3\n1 3\nTe weinig tijd\n"


def interview(folder: Path, keys: str, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["interview", str(folder), "--respondent", "José de Vries", *extra], input=keys
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_whole_interview_saves_every_answer_and_shows_the_phase(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    code, out, _ = interview(folder, ALL_ANSWERS)
    assert code == 0
    assert "Vraag 1 van 7 · Leiderschap" in out
    assert "  0  Weet niet / n.v.t." in out
    assert "  5  Helemaal eens" in out
    assert "7 van 7 vragen beantwoord (1 weet niet, 0 overgeslagen)." in out
    assert "Fase van deze respondent: Verzamelen (score 2,25)." in out
    assert "Question" not in out and "Answered" not in out, "no English chrome"
    [response] = saved(folder)
    assert response["respondent"] == "r001"
    assert "name" not in response
    assert "José" not in (folder / "responses" / "r001.yaml").read_text(encoding="utf-8")
    assert load_key_file(folder).respondents["r001"].name == "José de Vries"
    assert response["source"] == {"tool": "interview"}
    assert response["completed"]
    assert response["answers"] == {
        "leiderschap.feedback": 3,
        "leiderschap.uitdragen": 4,
        "feedback.meten-en-delen_per-afdeling": "unknown",
        "feedback.opvolgen": 2,
        "afdeling": "staf",
        "kanalen": ["telefoon", "balie"],
        "belemmering": "Te weinig tijd",
    }


def test_stop_and_resume_at_the_first_open_question(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path, "en")
    code, out, _ = interview(folder, "3\n4\nq\n")
    assert code == 0
    assert (
        f"Stopped; every answer is saved. Resume with: klantladder interview {folder} "
        "--respondent r001"
    ) in " ".join(out.split())
    assert saved(folder)[0]["answers"] == {"leiderschap.feedback": 3, "leiderschap.uitdragen": 4}
    assert "completed" not in saved(folder)[0]
    code, out, _ = interview(folder, "0\n2\n3\n2\n\n")
    assert code == 0
    assert "Question 1 of 7" not in out
    assert "Question 3 of 7 · Customer feedback" in out
    assert "Answered 6 of 7 questions (1 don't know, 1 skipped)." in out
    assert saved(folder)[0]["skipped"] == ["belemmering"]


def test_end_of_input_keeps_what_was_answered(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    code, _, _ = interview(folder, "5\n")
    assert code == 0
    assert saved(folder)[0]["answers"] == {"leiderschap.feedback": 5}


def test_back_skip_and_a_wrong_key(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    code, out, _ = interview(folder, "b\n3\nb\n5\ns\n9\n1\nq\n")
    assert code == 0
    assert "dit is de eerste vraag" in out
    assert "'9' is geen van 1, 2, 3, 4, 5, 0, b, s of q" in out
    response = saved(folder)[0]
    assert response["answers"] == {
        "leiderschap.feedback": 5,
        "feedback.meten-en-delen_per-afdeling": 1,
    }
    assert response["skipped"] == ["leiderschap.uitdragen"]


def test_questionnaire_choice_must_match_the_assessment(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    init_assessment(folder, organisation="Acme", questionnaire_id="intake", language="nl")
    code, out, _ = interview(folder, "q\n", "--questionnaire", "full")
    assert code == 0
    assert "Vraag 1 van" in out
    code, _, err = interview(folder, "q\n", "--questionnaire", "quick")
    assert code == 1
    assert err == (
        "assessment.yaml: this assessment uses questionnaire 'intake' (--questionnaire full), "
        "not 'quickscan'; start another assessment for it with 'klantladder init DIR "
        "--questionnaire quickscan'\n"
    )


def test_without_respondent_each_interview_gets_a_new_code(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    for expected in ("r001", "r002"):
        result = runner.invoke(app, ["interview", str(folder)], input="3\nq\n")
        assert result.exit_code == 0
        assert f"Interview van {expected}" in result.stdout
    assert [r["respondent"] for r in saved(folder)] == ["r001", "r002"]
    assert not (folder / "respondents.key.yaml").exists()


def test_a_broken_respondent_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    path = folder / "responses" / "r001.yaml"
    path.write_text(
        "respondent: r001\nquestionnaire: {id: tweetalig, version: 1}\n"
        "answers: {leiderschap.feedback: 8}\n",
        encoding="utf-8",
    )
    code, _, err = interview(folder, "3\n")
    assert code == 1
    assert err.startswith(f"{path}:3:33: answer 8 is out of range")
    assert "answers: {leiderschap.feedback: 8}" in path.read_text(encoding="utf-8")


def test_engine_moves_back_skips_and_resumes(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    session = Interview.open(folder, "ann")
    assert (session.number, session.total) == (1, 7)
    session.answer(3)
    session.skip()
    assert (
        session.current is not None and session.current.id == "feedback.meten-en-delen_per-afdeling"
    )
    assert session.back()
    session.answer("unknown")
    with pytest.raises(ValueError, match="out of range"):
        session.answer(6)
    session.close()
    resumed = Interview.open(folder, "ann")
    assert resumed.response.respondent == "r001"
    assert resumed.current is not None
    assert resumed.current.id == "feedback.meten-en-delen_per-afdeling"
    assert resumed.response.answers == {
        "leiderschap.feedback": 3,
        "leiderschap.uitdragen": "unknown",
    }
    for value in (4, 5, "staf", ["chat"], "Niets"):
        resumed.answer(value)
    assert resumed.finished
    summary = resumed.summary()
    assert (summary.answered, summary.unknown, summary.skipped) == (7, 1, 0)
    assert summary.phase == "Samenwerken"
    resumed.close()


def test_long_lines_wrap_at_words_with_a_hanging_indent(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from klantladder.cli.interviewing import InterviewScreen
    from klantladder.cli.keys import Keyboard

    folder = bilingual_folder(tmp_path)
    session = Interview.open(folder, "r001")
    out = io.StringIO()
    console = Console(file=out, width=30, highlight=False, color_system=None)
    InterviewScreen(session, console, Keyboard(io.StringIO("3\nq\n"))).run()
    lines = out.getvalue().splitlines()
    echo = next(i for i, line in enumerate(lines) if line.startswith("✓"))
    statement = "3 De directie bespreekt feedback elk kwartaal."
    assert " ".join(" ".join(lines[echo : echo + 3]).split()).startswith(f"✓ {statement}")
    assert lines[echo + 1].startswith("  ") and lines[echo + 1].strip(), "hanging indent"
    words = set(" ".join(lines).split())
    for word in statement.split():
        assert word in words, f"{word!r} is never broken"
    assert all(len(line) <= 30 for line in lines)
    assert "Vraag 1 van 7 · Leiderschap" in out.getvalue()


def test_the_name_prompt_speaks_the_assessment_s_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = bilingual_folder(tmp_path)
    monkeypatch.setattr("klantladder.cli.collect.stdin_is_terminal", lambda: True)
    result = runner.invoke(app, ["interview", str(folder)], input="Ann\nq\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Naam of code van de respondent (leeg: een nieuwe code): ")
    assert "Vraag 1 van 7" in result.stdout
    # and an empty answer does what the prompt says: a new code
    result = runner.invoke(app, ["interview", str(folder)], input="\nq\n")
    assert result.exit_code == 0, result.stderr
    assert "Interview van r002" in result.stdout


def test_engine_goes_to_any_question_and_saves_through_the_given_writer(tmp_path: Path) -> None:
    from klantladder.interview import new_response
    from klantladder.models.assessment import Response

    folder = bilingual_folder(tmp_path)
    opened = Interview.open(folder, "ann")
    written: list[Response] = []
    response = new_response(opened.questionnaire, "r001", tool="workshop")
    assert response.source is not None and response.source.tool == "workshop"
    session = Interview(
        folder, opened.questionnaire, response, "nl", save=lambda _, r: written.append(r)
    )
    session.go_to("afdeling")
    assert session.asks(session.questions[session.number - 1])
    session.answer("staf")
    assert written[-1].answers == {"afdeling": "staf"}
    assert session.current is not None and session.current.id == "kanalen"
    with pytest.raises(KeyError):
        session.go_to("no.such.question")
    assert not (folder / "responses").exists() or not any((folder / "responses").iterdir())
    opened.close()
