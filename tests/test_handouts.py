"""Handouts: every kind renders, on the right paper, with the right text."""

from __future__ import annotations

import io
import math
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.errors import NotFoundError, OutputExistsError
from klantladder.folder import load_assessment
from klantladder.handouts import render_handout
from klantladder.loading import load_questionnaire
from klantladder.models.base import localize

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "koperwiek-keukens"
A4 = (595, 842)
A4_LANDSCAPE = (842, 595)
A3_LANDSCAPE = (1191, 842)


def read(path: Path) -> tuple[str, list[tuple[int, int]]]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # Words broken after a hyphen at the end of a line come back as "cross- departmental".
    return re.sub(r"(\w)- (\w)", r"\1-\2", text), sizes


@pytest.mark.parametrize(("language", "quick"), [("nl", False), ("en", True)])
def test_questionnaire_handout_has_every_question_and_the_interview_keys(
    tmp_path: Path, language: str, quick: bool
) -> None:
    path = render_handout(
        "questionnaire", output=tmp_path / "q.pdf", language=language, quick=quick
    )
    text, sizes = read(path)
    assert set(sizes) == {A4}
    questionnaire = load_questionnaire("quickscan" if quick else "intake", language)
    total = len(questionnaire.questions)
    for question in questionnaire.questions:
        assert localize(question.text, language) in text, question.id
    first_ladder = questionnaire.scored_questions[0]
    for statement in first_ladder.statements.values():  # type: ignore[union-attr]
        assert localize(statement, language) in text
    assert localize(questionnaire.content.answer_labels.unknown, language) in text
    numbering = {"nl": f"Vraag {total} van {total}", "en": f"Question {total} of {total}"}
    assert numbering[language].upper() in text
    assert "klantladder interview" in text
    # On paper the respondent routes: a routed question says when to skip it.
    gate = next(q for q in questionnaire.questions if q.when is not None).when
    assert gate is not None
    number = [q.id for q in questionnaire.questions].index(gate.question) + 1
    skip = {
        "nl": f"Overslaan als u bij vraag {number} koos",
        "en": f"Skip if you chose at question {number}",
    }
    assert skip[language] in " ".join(text.split())


@pytest.mark.parametrize(
    ("size", "language", "expected"),
    [("a4", "nl", A4_LANDSCAPE), ("a4", "en", A4_LANDSCAPE), ("a3", "en", A3_LANDSCAPE)],
)
def test_ladder_poster_is_one_landscape_page_with_every_phase_and_sign(
    tmp_path: Path, size: str, language: str, expected: tuple[int, int]
) -> None:
    path = render_handout("ladder", output=tmp_path / "p.pdf", language=language, size=size)  # type: ignore[arg-type]
    text, sizes = read(path)
    assert sizes == [expected]
    method = load_questionnaire("intake", language).content
    for phase in method.phases:
        assert localize(phase.name, language) in text
        for sign in phase.signs:
            assert localize(sign.text, language) in text, "nothing may be cut off the poster"


def test_cards_four_a6_per_a4_sheet(tmp_path: Path) -> None:
    path = render_handout("cards", output=tmp_path / "cards.pdf", language="nl")
    text, sizes = read(path)
    method = load_questionnaire("intake", "nl").content
    cards = sum(1 + len(p.building_blocks) + len(p.tips) + len(p.pitfalls) for p in method.phases)
    assert len(sizes) == math.ceil(cards / 4)
    assert set(sizes) == {A4}
    for phase in method.phases:
        for item in (*phase.building_blocks, *phase.tips, *phase.pitfalls):
            assert localize(item.title, "nl") in text


def test_cards_of_one_phase(tmp_path: Path) -> None:
    method = load_questionnaire("intake", "en").content
    phase = method.phases[2]
    path = render_handout("cards", output=tmp_path / "c.pdf", language="en", phase=phase.id)
    text, sizes = read(path)
    assert len(sizes) == math.ceil(
        (1 + len(phase.building_blocks) + len(phase.tips) + len(phase.pitfalls)) / 4
    )
    other = method.phases[0].tips[0]
    assert localize(other.title, "en") not in text
    with pytest.raises(NotFoundError, match="no phase 'nope'"):
        render_handout("cards", output=tmp_path / "x.pdf", phase="nope")


def test_summary_is_one_page_for_the_wall(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    path = render_handout("summary", folder=folder)
    assert path.parent == folder and path.name.startswith("summary-")
    text, sizes = read(path)
    assert sizes == [A4_LANDSCAPE]
    result = load_assessment(folder).score()
    assert f"Samen staan we in de fase {result.overall.phase.name}" in text
    assert "Koperwiek Keukens" in text
    for point in result.focus:
        assert point.title in text
    a3 = render_handout("summary", folder=folder, size="a3", output=tmp_path / "a3.pdf")
    assert read(a3)[1] == [A3_LANDSCAPE]


def test_handout_command_and_no_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "poster.pdf"
    result = runner.invoke(app, ["handout", "ladder", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.output == f"wrote {target}\n"
    result = runner.invoke(app, ["handout", "ladder", "-o", str(target)])
    assert result.exit_code == 1
    assert "use --force" in result.stderr
    with pytest.raises(OutputExistsError):
        render_handout("ladder", output=target)
    result = runner.invoke(app, ["handout", "summary", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such assessment folder" in result.stderr
