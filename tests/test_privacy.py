"""Privacy: codes not names, the key file apart, the three modes, show and forget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from importhelpers import IMPORTS, bilingual_folder, saved
from pypdf import PdfReader
from storehelpers import incoming
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.folder import init_assessment
from klantladder.store import commit_import
from klantladder.store.keys import load_key_file

runner = CliRunner()
NAME = "Ann de Vries"
ALL = "3\n4\n0\n2\n3\n1 3\nTe weinig tijd\n"


def set_privacy(folder: Path, mode: str) -> None:
    data = yaml.safe_load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    data["privacy"] = mode
    (folder / "assessment.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def interview(folder: Path, *args: str, keys: str = ALL) -> tuple[int, str, str]:
    result = runner.invoke(app, ["interview", str(folder), *args], input=keys)
    return result.exit_code, result.stdout, result.stderr


def test_init_writes_privacy_and_a_gitignore(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    init_assessment(folder, organisation="Acme", questionnaire_id="intake", language="nl")
    assert "privacy: pseudonymous" in (folder / "assessment.yaml").read_text(encoding="utf-8")
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").split("\n")
    entries = ("/respondents.key.yaml", "/.klantladder/", "/report-*.pdf", "/answers-*.csv")
    for entry in entries:
        assert entry in ignored
    result = runner.invoke(
        app, ["init", str(tmp_path / "anon"), "--organisation", "A", "--privacy", "anonymous"]
    )
    assert result.exit_code == 0
    assert "privacy: anonymous" in (tmp_path / "anon" / "assessment.yaml").read_text("utf-8")


def test_a_name_finds_its_code_again_and_stays_in_the_key_file(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    code, out, _ = interview(folder, "--respondent", NAME, keys="3\nq\n")
    assert code == 0
    assert "Interview van r001" in out
    assert NAME not in out
    assert "onder een code" in out
    code, out, _ = interview(folder, "--respondent", "ann  DE vries", keys="q\n")
    assert "Interview van r001" in out
    assert load_key_file(folder).respondents["r001"].name == NAME
    assert NAME not in (folder / "responses" / "r001.yaml").read_text(encoding="utf-8")


def test_an_anonymous_assessment_takes_no_names(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    set_privacy(folder, "anonymous")
    code, _, err = interview(folder, "--respondent", NAME)
    assert code == 1
    assert "this assessment is anonymous: names are never stored" in err
    code, out, _ = interview(folder, keys="3\nq\n")
    assert code == 0
    # the questions say "je", and so does the promise: one register in the interview
    assert "Je antwoorden worden anoniem verwerkt" in " ".join(out.split())
    assert "Uw antwoorden" not in out
    code, out, _ = interview(folder, "--respondent", "r001", keys="q\n")
    assert "Interview van r001" in out
    assert not (folder / "respondents.key.yaml").exists()


def test_two_interviews_of_one_respondent_the_second_is_refused(tmp_path: Path) -> None:
    from klantladder.interview import Interview

    folder = bilingual_folder(tmp_path)
    with Interview.open(folder, NAME) as first:
        first.answer(3)
        code, _, err = interview(folder, "--respondent", NAME)
        assert code == 1
        assert "respondent r001 is being answered in another session right now" in err
        first.answer(4)
    assert saved(folder)[0]["answers"] == {"leiderschap.feedback": 3, "leiderschap.uitdragen": 4}


def test_an_imported_respondent_is_continued_only_when_asked(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1"), incoming("R_2")])
    before = saved(folder)
    code, _, err = interview(folder, "--respondent", "qualtrics-0002", keys="5\n")
    assert code == 1
    assert "respondent qualtrics-0002 already has answers imported from qualtrics" in err
    assert "give --continue" in err
    assert saved(folder) == before
    code, out, _ = interview(folder, "--respondent", "qualtrics-0002", "--continue", keys="2\n\n")
    assert code == 0, out
    after = {r["respondent"]: r for r in saved(folder)}
    assert after["qualtrics-0002"]["answers"]["feedback.opvolgen"] == 2
    assert after["qualtrics-0002"]["answers"]["leiderschap.feedback"] == 3
    assert (folder / "responses" / "qualtrics-0002.yaml").is_file()
    assert len(after) == 2
    again = commit_import(folder, [incoming("R_1"), incoming("R_2")])
    assert again.added == ()


def test_show_prints_everything_and_forget_erases_it_for_good(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    contact = {"Email": "ann@example.org"}
    commit_import(folder, [incoming("R_1", contact=contact), incoming("R_2")], keep_contact=True)
    result = runner.invoke(app, ["respondent", "show", str(folder), "ANN@example.org", "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["respondent"] == "qualtrics-0001"
    assert record["stored_in"] == "responses/import-0001.csv row 2"
    assert record["import_identity"] == "qualtrics:R_1"
    assert record["key_file"] == {"contact": contact}
    assert record["response"]["answers"]["afdeling"] == "staf"
    result = runner.invoke(app, ["respondent", "show", str(folder), "qualtrics-0001"])
    assert "ann@example.org" in result.stdout and "leiderschap.feedback" in result.stdout

    result = runner.invoke(app, ["respondent", "forget", str(folder), "ann@example.org"])
    assert result.exit_code == 2
    assert "give --yes" in result.output
    result = runner.invoke(app, ["respondent", "forget", str(folder), "ann@example.org", "--yes"])
    assert result.exit_code == 0, result.stderr
    assert "erased respondent qualtrics-0001" in result.stdout
    assert [r["respondent"] for r in saved(folder)] == ["qualtrics-0002"]
    assert "ann@example.org" not in (folder / "respondents.key.yaml").read_text("utf-8")
    forgotten = (folder / "forgotten.yaml").read_text(encoding="utf-8")
    assert "R_1" not in forgotten and "qualtrics-0001" in forgotten
    again = commit_import(folder, [incoming("R_1"), incoming("R_2")])
    assert (again.added, again.forgotten, again.unchanged) == ((), 1, 1)
    result = runner.invoke(app, ["respondent", "show", str(folder), "qualtrics-0001"])
    assert result.exit_code == 1
    assert "no respondent 'qualtrics-0001'" in result.stderr


def test_forget_then_reimport_of_a_real_export_leaves_them_gone(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "qualtrics/nl.csv"
    assert runner.invoke(app, ["import", str(folder), str(export)]).exit_code == 0
    code = saved(folder)[1]["respondent"]
    result = runner.invoke(app, ["respondent", "forget", str(folder), code, "--yes"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0
    assert "skipped: erased before" in result.stdout
    assert [line.split()[-1] for line in result.stdout.splitlines() if "erased before" in line] == [
        "1"
    ]
    assert len(saved(folder)) == 2
    assert code not in [r["respondent"] for r in saved(folder)]


@pytest.mark.parametrize("mode", ["anonymous", "pseudonymous", "named"])
def test_the_paper_questionnaire_promises_what_the_mode_keeps(tmp_path: Path, mode: str) -> None:
    out = tmp_path / "form.pdf"
    result = runner.invoke(
        app, ["handout", "questionnaire", "--privacy", mode, "--lang", "nl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    text = " ".join(text.split())
    assert "Naam of code" not in text
    if mode == "anonymous":
        assert "anoniem verwerkt" in text and "Code" not in text.split("Datum")[0][-40:]
    elif mode == "pseudonymous":
        assert "onder een code" in text and "Code (vult de begeleider in)" in text
    else:
        assert "niet anoniem" in text and "Naam" in text
    assert "anoniem verwerkt" not in text or mode == "anonymous"
    # The shipped form says "je", and so does its promise: one register on the page.
    assert "Je antwoorden" in text and "Uw antwoorden" not in text


def test_show_json_cannot_steer_the_terminal_and_reads_back_the_same(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    contact = {"Name": "Ann\u202e\x9b[2J de Vries"}
    commit_import(folder, [incoming("R_1", contact=contact)], keep_contact=True)
    result = runner.invoke(app, ["respondent", "show", str(folder), "qualtrics-0001", "--json"])
    assert result.exit_code == 0, result.stderr
    assert "\u202e" not in result.stdout and "\x9b" not in result.stdout
    assert "\\u202e" in result.stdout
    assert json.loads(result.stdout)["key_file"] == {"contact": contact}


def test_a_named_report_says_answers_are_not_anonymous(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path, "en")
    set_privacy(folder, "named")
    commit_import(folder, [incoming("R_1"), incoming("R_2"), incoming("R_3")])
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(folder), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "These answers were not given anonymously" in out.read_text(encoding="utf-8")


NAMES = ("Ann de Vries", "Bram Bakker", "Chantal Oduya", "dirk@example.org")


def test_no_name_from_the_key_file_reaches_any_output(tmp_path: Path) -> None:
    from klantladder.store.keys import KEY_HEADER

    folder = bilingual_folder(tmp_path)
    for name in NAMES[:3]:
        assert interview(folder, "--respondent", name)[0] == 0
    contact = {"Name": "Dirk", "Email": NAMES[3]}
    commit_import(folder, [incoming("R_1", contact=contact)], keep_contact=True)
    keys = (folder / "respondents.key.yaml").read_text(encoding="utf-8")
    assert keys.startswith(KEY_HEADER) and all(name in keys for name in NAMES)
    outputs: list[str] = []
    for language in ("nl", "en"):
        for arguments in (
            ["score", str(folder), "--lang", language],
            ["score", str(folder), "--lang", language, "--json"],
            ["validate", str(folder)],
            ["compare", str(folder), str(folder)],
        ):
            result = runner.invoke(app, arguments)
            outputs += [result.stdout, result.stderr]
        html = tmp_path / f"report-{language}.html"
        pdf = tmp_path / f"report-{language}.pdf"
        summary = tmp_path / f"summary-{language}.pdf"
        for arguments in (
            ["report", str(folder), "--lang", language, "--format", "html", "-o", str(html)],
            ["report", str(folder), "--lang", language, "-o", str(pdf)],
            ["handout", "summary", str(folder), "--lang", language, "-o", str(summary)],
        ):
            result = runner.invoke(app, arguments)
            assert result.exit_code == 0, result.output
            outputs += [result.stdout, result.stderr]
        outputs.append(html.read_text(encoding="utf-8"))
        for path in (pdf, summary):
            outputs += [page.extract_text() for page in PdfReader(path).pages]
    result = runner.invoke(app, ["interview", str(folder), "--respondent", NAMES[0]], input="q\n")
    outputs += [result.stdout, result.stderr]
    everything = "\n".join(outputs)
    for name in (*NAMES, "Dirk"):
        assert name not in everything
        assert name.split()[0] not in everything


def test_a_heatmap_of_40_departments_shows_the_largest_and_folds_the_rest(tmp_path: Path) -> None:
    from importhelpers import BILINGUAL

    data = yaml.safe_load(BILINGUAL.read_text(encoding="utf-8"))
    departments = [
        {"id": f"d{i:02d}", "label": {"nl": f"Afd {i}", "en": f"Dept {i}"}} for i in range(40)
    ]
    for question in data["questions"]:
        if question["id"] == "afdeling":
            question["options"] = departments
    data["method"] = str(BILINGUAL.parent / "method.yaml")
    custom = tmp_path / "many.yaml"
    custom.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    folder = bilingual_folder(tmp_path, "en", questionnaire=custom)
    sizes = {i: 12 - i if i < 9 else 1 for i in range(40)}  # d00..d08 large, the rest single
    rows = []
    for department, size in sizes.items():
        for copy in range(size):
            answers = {"leiderschap.feedback": 1 + (department + copy) % 5}
            answers["afdeling"] = f"d{department:02d}"
            rows.append(incoming(f"R_{department}_{copy}", answers))
    commit_import(folder, rows)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(folder), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    [heatmap] = [part.split("</figure>")[0] for part in html.split('class="chart heatmap"')[1:]]
    for shown in range(7):
        assert f">Dept {shown}<" in heatmap
    for folded in (7, 8, 20, 39):
        assert f">Dept {folded}<" not in heatmap
    folded_n = sum(size for i, size in sizes.items() if i >= 7)
    assert f"n = {folded_n}" in heatmap
    assert ">Other<" in heatmap
    assert "Only the seven largest groups are shown on their own; the other 33 groups" in heatmap
