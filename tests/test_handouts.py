"""Handouts: every kind renders, on the right paper, with the right text."""

from __future__ import annotations

import io
import math
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from pdfhelpers import page_heights, page_texts, text_runs
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.errors import NotFoundError, OutputExistsError
from klantladder.folder import load_assessment
from klantladder.handouts import SIGNS_ON_POSTER, poster_signs, render_handout
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
        "nl": f"Overslaan als je bij vraag {number} koos",  # as the questionnaire speaks
        "en": f"Skip if you chose at question {number}",
    }
    assert skip[language] in " ".join(text.split())


@pytest.mark.parametrize(
    ("size", "language", "expected"),
    [("a3", "nl", A3_LANDSCAPE), ("a3", "en", A3_LANDSCAPE), ("a4", "en", A4_LANDSCAPE)],
)
def test_ladder_poster_is_one_landscape_page_with_every_phase_and_its_key_signs(
    tmp_path: Path, size: str, language: str, expected: tuple[int, int]
) -> None:
    path = render_handout("ladder", output=tmp_path / "p.pdf", language=language, size=size)  # type: ignore[arg-type]
    text, sizes = read(path)
    assert sizes == [expected]
    method = load_questionnaire("intake", language).content
    shown = poster_signs(method, language)
    assert 1 <= shown <= SIGNS_ON_POSTER
    for phase in method.phases:
        assert localize(phase.name, language) in text
        assert localize(phase.summary, language) in text
        for sign in phase.signs[:shown]:
            assert localize(sign.text, language) in text, "nothing may be cut off the poster"
        for sign in phase.signs[shown:]:
            assert localize(sign.text, language) not in text
    more = {"nl": "De fasekaarten geven", "en": "The phase cards give"}[language]
    assert more in text


def test_the_poster_is_a3_by_default(tmp_path: Path) -> None:
    assert read(render_handout("ladder", output=tmp_path / "p.pdf"))[1] == [A3_LANDSCAPE]


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
    assert sizes == [A3_LANDSCAPE], "A3 for the wall by default"
    result = load_assessment(folder).score()
    assert f"Samen staan we in de fase {result.overall.phase.name}" in text
    assert "Hier staan we" in text and "U staat hier" not in text, "the wall speaks as the group"
    assert "Koperwiek Keukens" in text
    for point in result.focus:
        assert point.title in text
    a4 = render_handout("summary", folder=folder, size="a4", output=tmp_path / "a4.pdf")
    assert read(a4)[1] == [A4_LANDSCAPE]


def test_handout_command_and_no_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "poster.pdf"
    result = runner.invoke(app, ["handout", "ladder", "--size", "a4", "-o", str(target)])
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


# --- handouts that work in the room -------------------------------------------------------------

PHASE_NAMES = {
    language: [
        localize(p.name, language) for p in load_questionnaire("intake", language).content.phases
    ]
    for language in ("nl", "en")
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", ["ladder", "summary"])
def test_wall_handouts_are_readable_from_three_metres(
    documents: dict[str, Path], kind: str, language: str
) -> None:
    """On A3: body text at least 18 pt, phase names at least 28 pt, sources at least 9 pt."""
    path = documents[f"{kind}-{language}"]
    runs = text_runs(path)
    assert runs
    source_lines = {round(run.y) for run in runs if run.text.startswith(("Bron:", "Source:"))}
    if kind == "ladder":
        assert source_lines, "the poster names its sources"
    for run in runs:
        if round(run.y) in source_lines:
            assert run.size >= 9 - 0.05, run
        else:
            assert run.size >= 18 - 0.05, run
    names = [run for run in runs if run.text in PHASE_NAMES[language]]
    assert {run.text for run in names} == set(PHASE_NAMES[language])
    assert min(run.size for run in names) >= 28 - 0.05
    # No empty third: text reaches into the bottom third of the page.
    height = page_heights(path)[0]
    assert min(run.y for run in runs) < height / 3


@pytest.mark.parametrize("quick", [False, True])
def test_every_form_page_says_which_page_and_where_to_hand_it_in(
    documents: dict[str, Path], tmp_path: Path, quick: bool
) -> None:
    name = f"questionnaire{'-quick' if quick else ''}-nl"
    pages = page_texts(documents[name])
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {total}" in page
        assert "Inleveren: bij de begeleider" in page
    questions = re.findall(r"VRAAG (\d+) VAN (\d+)", pages[-1])
    assert len(questions) >= 2, "the last page never holds a single question"
    path = render_handout(
        "questionnaire",
        quick=quick,
        output=tmp_path / "q.pdf",
        return_to='de doos "Formulieren" bij de receptie',
    )
    for page in page_texts(path):
        assert 'Inleveren: de doos "Formulieren" bij de receptie' in page


def test_the_last_page_keeps_company_for_any_number_of_questions(tmp_path: Path) -> None:
    """Rendered at several lengths: wherever the pages break, the last question is not alone."""
    for language in ("nl", "en"):
        path = render_handout(
            "questionnaire", quick=True, language=language, output=tmp_path / f"{language}.pdf"
        )
        last = page_texts(path)[-1]
        marker = {"nl": r"VRAAG (\d+) VAN", "en": r"QUESTION (\d+) OF"}[language]
        assert len(re.findall(marker, last)) >= 2


def test_return_to_option_on_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "form.pdf"
    result = runner.invoke(
        app,
        [
            "handout",
            "questionnaire",
            "--quick",
            "-o",
            str(target),
            "--return-to",
            "de doos bij de receptie",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert all("Inleveren: de doos bij de receptie" in page for page in page_texts(target))
