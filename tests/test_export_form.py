"""export-form and the round trip: form, the tool's export of it, import without a mapping."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from importhelpers import BILINGUAL, IMPORTS, bilingual_folder, saved
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.exporting import export_form, safe_cell
from klantladder.folder import init_assessment, load_assessment
from klantladder.importing import import_export
from klantladder.importing.codes import decode_id, limesurvey_code
from klantladder.loading import shipped_questionnaire_files
from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import OpenQuestion, ProfileQuestion, Question, Questionnaire
from klantladder.routing import without_routed_out

runner = CliRunner()


def shipped_folders(root: Path) -> list[Path]:
    """One assessment folder per shipped questionnaire, version and language."""
    folders = []
    for shipped in shipped_questionnaire_files():
        folder = root / f"{shipped.id}-v{shipped.version}-{shipped.language}"
        init_assessment(
            folder,
            organisation="Acme",
            questionnaire_id=shipped.id,
            questionnaire_version=shipped.version,
            language=shipped.language,
        )
        folders.append(folder)
    return folders


def pick(question: Question, respondent: int, count: int) -> list[int]:
    """Which choices (0-based) a simulated respondent ticks; two for a multi-select."""
    first = (respondent + len(question.id)) % count
    if isinstance(question, ProfileQuestion) and question.multiple and count > 1:
        return sorted({first, (first + 1) % count})
    return [first]


def expected(question: Question, chosen: list[int]) -> Any:
    """The answer klantladder should store for the chosen choices."""
    if isinstance(question, ProfileQuestion):
        if question.multiple:
            return [question.options[i].id for i in chosen]
        return UNKNOWN if chosen[0] == len(question.options) else question.options[chosen[0]].id
    return UNKNOWN if chosen[0] == 5 else chosen[0] + 1


def simulate(
    questionnaire: Questionnaire, forms: list[tuple[str, str, list[str]]], respondents: int = 3
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Cells (by form key) and expected answers for a few respondents of a form.

    ``forms`` lists (key, question id, choice texts) as the tool shows the questions.
    """
    rows, answers = [], []
    for respondent in range(respondents):
        cells: dict[str, str] = {}
        wanted: dict[str, Any] = {}
        for key, question_id, texts in forms:
            question = questionnaire.question(question_id)
            if isinstance(question, OpenQuestion):
                cells[key] = f"=antwoord {respondent}"
                wanted[question_id] = cells[key]
                continue
            chosen = pick(question, respondent, len(texts))
            cells[key] = ",".join(texts[i] for i in chosen)
            wanted[question_id] = expected(question, chosen)
        rows.append(cells)
        answers.append(wanted)
    return rows, answers


def qualtrics_export(form: str, questionnaire: Questionnaire, path: Path) -> list[dict[str, Any]]:
    """The CSV Qualtrics exports for a survey imported from ``form`` (choice text values)."""
    questions = []
    for block in form.split("[[Question:")[1:]:
        lines = [line for line in block.splitlines()[1:] if line and not line.startswith("[[Page")]
        tag = lines[0].removeprefix("[[ID:").removesuffix("]]")
        texts = lines[3:] if "[[Choices]]" in lines else []
        questions.append((tag, lines[1], texts))
    forms = [(tag, tag, texts) for tag, _, texts in questions]
    rows, answers = simulate(questionnaire, forms)
    ids = [
        f"QID{n}_TEXT" if not texts else f"QID{n}" for n, (_, _, texts) in enumerate(questions, 1)
    ]
    header = [
        ["StartDate", "EndDate", "ResponseId"] + [tag for tag, _, _ in questions],
        ["Start Date", "End Date", "Response ID"] + [text for _, text, _ in questions],
        [json.dumps({"ImportId": key}) for key in ("startDate", "endDate", "_recordId")]
        + [json.dumps({"ImportId": key}) for key in ids],
    ]
    body = [
        ["2026-03-05 10:00:00", "2026-03-05 10:05:00", f"R_{n}xYz"]
        + [row[tag] for tag, _, _ in questions]
        for n, row in enumerate(rows)
    ]
    _write_csv(path, header + body)
    return answers


def limesurvey_export(form: str, questionnaire: Questionnaire, path: Path) -> list[dict[str, Any]]:
    """The CSV LimeSurvey exports (question codes, answer codes) for the TSV survey ``form``."""
    records = list(csv.DictReader(io.StringIO(form), delimiter="\t"))
    questions: list[dict[str, Any]] = []
    for record in records:
        if record["class"] == "Q":
            questions.append(
                {"code": record["name"], "type": record["type/scale"], "subs": [], "answers": []}
            )
        elif record["class"] == "SQ":
            questions[-1]["subs"].append(record["name"])
        elif record["class"] == "A":
            questions[-1]["answers"].append(record["name"])
    codes = {limesurvey_code(q.id): q.id for q in questionnaire.questions}
    forms = [(q["code"], codes[q["code"]], q["answers"] or q["subs"] or []) for q in questions]
    rows, answers = simulate(questionnaire, forms)
    header = ["id", "submitdate", "lastpage", "startlanguage"]
    for q in questions:
        header += [f"{q['code']}[{sub}]" for sub in q["subs"]] if q["type"] == "M" else [q["code"]]
    body = []
    for n, row in enumerate(rows, start=1):
        cells = [str(n), "2026-03-05 10:05:00", "1", "nl"]
        for q in questions:
            if q["type"] == "M":
                ticked = row[q["code"]].split(",")
                cells += ["Y" if sub in ticked else "" for sub in q["subs"]]
            else:
                cells.append(row[q["code"]])
        body.append(cells)
    _write_csv(path, [header, *body])
    return answers


def google_export(sheet: str, questionnaire: Questionnaire, path: Path) -> list[dict[str, Any]]:
    """The CSV of Google Forms for a form typed in from the export-form sheet, titles verbatim."""
    records = list(csv.reader(io.StringIO(sheet.removeprefix("\ufeff"))))[1:]
    forms = [(record[3], record[0], [c for c in record[6:] if c]) for record in records]
    rows, answers = simulate(questionnaire, forms)
    for row in rows:  # Google joins checkbox answers with ", "
        for key in row:
            row[key] = row[key].replace(",", ", ") if key in _multiple_titles(records) else row[key]
    header = ["Tijdstempel"] + [title for title, _, _ in forms]
    body = [["5-3-2026 10:05:00"] + [row[title] for title, _, _ in forms] for row in rows]
    _write_csv(path, [header, *body])
    return answers


def _multiple_titles(records: list[list[str]]) -> set[str]:
    return {record[3] for record in records if record[2] == "checkboxes"}


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)


BUILDERS = {"qualtrics": qualtrics_export, "limesurvey": limesurvey_export, "csv": google_export}


def round_trip(folder: Path, to: str, tmp_path: Path) -> None:
    form = export_form(folder, to, tmp_path / f"{folder.name}.{to}.form")  # type: ignore[arg-type]
    questionnaire = load_assessment(folder).questionnaire
    export = tmp_path / f"{folder.name}-{to}-export.csv"
    answered = BUILDERS[to](form.read_text(encoding="utf-8-sig"), questionnaire, export)
    # The simulated respondents answer every question, as in a form built without its
    # routing: answers to questions they are not asked are left out and counted.
    wanted = [without_routed_out(questionnaire, answers) for answers in answered]
    report = import_export(folder, export)
    assert len(report.added) == len(wanted)
    assert [response["answers"] for response in saved(folder)] == [kept for kept, _ in wanted]
    assert report.not_asked == sum(len(dropped) for _, dropped in wanted)
    load_assessment(folder).score()


@pytest.mark.parametrize("to", ["qualtrics", "limesurvey", "csv"])
def test_round_trip_on_the_bilingual_questionnaire(tmp_path: Path, to: str) -> None:
    round_trip(bilingual_folder(tmp_path), to, tmp_path)


@pytest.mark.parametrize("to", ["qualtrics", "limesurvey", "csv"])
def test_round_trip_on_every_shipped_questionnaire(tmp_path: Path, to: str) -> None:
    folders = shipped_folders(tmp_path)
    assert folders
    for folder in folders:
        round_trip(folder, to, tmp_path)


def test_qualtrics_form_layout(tmp_path: Path) -> None:
    path = export_form(bilingual_folder(tmp_path, "en"), "qualtrics")
    assert path.name == "tweetalig.en.qualtrics.txt"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("[[AdvancedFormat]]\n\n[[Block:Bilingual questionnaire]]\n")
    assert (
        "[[Question:MC:SingleAnswer:Vertical]]\n[[ID:leiderschap.feedback]]\n"
        "How does the board treat customer feedback?\n[[Choices]]\n"
        "The board does not discuss customer feedback.\n"
    ) in text
    assert "Every decision weighs the customer.\nDon't know / not applicable\n" in text
    assert "[[Question:MC:MultipleAnswer:Vertical]]\n[[ID:kanalen]]\n" in text
    assert "[[Question:TE:Essay]]\n[[ID:belemmering]]\nWhat holds us back most?\n" in text


def test_limesurvey_form_layout(tmp_path: Path) -> None:
    path = export_form(bilingual_folder(tmp_path), "limesurvey")
    records = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"))
    classes = [record["class"] for record in records]
    assert classes[:4] == ["S", "S", "SL", "G"]
    questions = [record for record in records if record["class"] == "Q"]
    assert [q["type/scale"] for q in questions] == ["L", "L", "L", "L", "L", "M", "T"]
    assert all(q["name"].isalnum() and len(q["name"]) <= 20 for q in questions)
    assert [decode_id(q["name"]) for q in questions][:2] == ["leiderschap.feedback", None]
    answers = [r["name"] for r in records if r["class"] == "A" and r["id"] == questions[0]["id"]]
    assert answers == ["1", "2", "3", "4", "5", "DK"]


def test_limesurvey_codes_are_reversible_and_short() -> None:
    for identifier in [
        "lead.1",
        "a-b_c.d",
        "9lives",
        "x" * 64,
        "feedback.meten-en-delen_per-afdeling",
    ]:
        code = limesurvey_code(identifier)
        assert code.isalnum() and code[0].isalpha() and len(code) <= 20
        assert decode_id(code) in (identifier, None)
    assert decode_id("leiderschapDfeedback") == "leiderschap.feedback"
    assert decode_id("N9lives") == "9lives"
    assert decode_id("Q1") is None


def test_csv_sheet_is_safe_against_formula_injection(tmp_path: Path) -> None:
    text = BILINGUAL.read_text(encoding="utf-8").replace(
        '"We lossen klachten bij de bron op."', '"=HYPERLINK(\\"http://x\\")"'
    )
    (tmp_path / "questionnaire.yaml").write_text(text, encoding="utf-8")
    shutil.copy(IMPORTS / "method.yaml", tmp_path / "method.yaml")
    folder = bilingual_folder(tmp_path, questionnaire=tmp_path / "questionnaire.yaml")
    sheet = export_form(folder, "csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(sheet)) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("Plain") == "Plain"


def test_export_form_cli_never_overwrites_without_force(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    out = tmp_path / "form.txt"
    out.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["export-form", str(folder), "--to", "qualtrics", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {out}: file exists; use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "mine"
    result = runner.invoke(
        app, ["export-form", str(folder), "--to", "qualtrics", "-o", str(out), "--force"]
    )
    assert result.exit_code == 0
    assert result.stdout == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").startswith("[[AdvancedFormat]]")
    result = runner.invoke(app, ["export-form", str(folder), "--to", "word"])
    assert result.exit_code == 2
