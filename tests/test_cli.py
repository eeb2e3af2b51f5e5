"""The commands of issue 2 through CliRunner: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import make_folder, write_yaml
from typer.testing import CliRunner

from klantladder.cli import app

runner = CliRunner()

GOOD = {"lead.1": 3, "lead.2": 4, "listen.1": 2, "act.1": 3, "dept": "service", "role": "staff"}


def test_help_lists_every_command_with_help_text() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Exit codes: 0 ok, 1 bad input" in result.output
    for name, command in _commands().items():
        assert command.help, f"{name} has no help text"
        sub = runner.invoke(app, [*name.split(), "--help"])
        assert sub.exit_code == 0, name


def _commands() -> dict[str, object]:
    import typer.main

    click_app = typer.main.get_command(app)
    commands: dict[str, object] = {}
    for name, command in click_app.commands.items():  # type: ignore[attr-defined]
        commands[name] = command
        for sub_name, sub in getattr(command, "commands", {}).items():
            commands[f"{name} {sub_name}"] = sub
    return commands


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("klantladder ")


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["score"])
    assert result.exit_code == 2


def test_init_with_flags_writes_assessment_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    result = runner.invoke(
        app,
        [
            "init",
            str(folder),
            "--organisation",
            "Acme BV",
            "--sector",
            "ICT",
            "--date",
            "2026-02-01",
            "--lang",
            "en",
            "--assessor",
            "Ada",
        ],
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    assert data["organisation"] == "Acme BV"
    assert data["date"] == "2026-02-01"
    assert data["language"] == "en"
    assert data["questionnaire"]["id"] == "intake"
    assert (folder / "responses").is_dir()


def test_init_without_organisation_and_no_terminal_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "--organisation" in result.output


def test_init_prompts_for_missing_flags_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("klantladder.cli.setup.stdin_is_terminal", lambda: True)
    folder = tmp_path / "acme"
    result = runner.invoke(
        app, ["init", str(folder), "--lang", "nl"], input="Acme BV\nzorg\n\nBea\n2026-05-04\n"
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    assert (data["organisation"], data["sector"], data["assessor"]) == ("Acme BV", "zorg", "Bea")
    assert data["date"] == "2026-05-04"


def test_init_refuses_a_non_empty_folder_and_force_keeps_responses(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [GOOD])
    before = (folder / "responses" / "r000.yaml").read_bytes()
    result = runner.invoke(app, ["init", str(folder), "--organisation", "Other"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {folder}: folder is not empty and exists; use --force to overwrite it\n"
    )
    result = runner.invoke(app, ["init", str(folder), "--organisation", "Other", "--force"])
    assert result.exit_code == 0
    assert (folder / "responses" / "r000.yaml").read_bytes() == before


def test_init_bad_date_and_unknown_questionnaire(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["init", str(tmp_path / "a"), "--organisation", "A", "--date", "31-12-2026"]
    )
    assert result.exit_code == 2
    result = runner.invoke(
        app, ["init", str(tmp_path / "b"), "--organisation", "A", "--questionnaire", "nope"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no shipped questionnaire 'nope'")
    assert not (tmp_path / "b").exists()
    result = runner.invoke(
        app, ["init", str(tmp_path / "c"), "--organisation", "A", "--sector", ""]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "--sector: should not be empty"
    assert not (tmp_path / "c" / "assessment.yaml").exists()


def test_questionnaires_lists_the_shipped_ones() -> None:
    result = runner.invoke(app, ["questionnaires"])
    assert result.exit_code == 0
    assert "intake" in result.output


def test_validate_ok_for_shipped_files_and_a_folder(tmp_path: Path) -> None:
    from klantladder.resources import questionnaires_dir

    files = sorted(questionnaires_dir().rglob("*.yaml"))
    folder = make_folder(tmp_path, [GOOD])
    result = runner.invoke(
        app, ["validate", *map(str, files), str(folder), str(folder / "responses" / "r000.yaml")]
    )
    assert result.exit_code == 0, result.stderr
    assert result.output.count("ok: ") == len(files) + 2


def test_schema_prints_and_writes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "questionnaire"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "klantladder questionnaire file"
    assert "statements" in json.dumps(schema)
    assert schema["properties"]["method"]["description"]
    result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "assessment.schema.json",
        "brand.schema.json",
        "method.schema.json",
        "questionnaire.schema.json",
        "response.schema.json",
    ]
    result = runner.invoke(app, ["schema", "nope"])
    assert result.exit_code == 1


def test_every_schema_property_is_described() -> None:
    from klantladder.schemas import json_schemas

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert "description" in prop or "$ref" in prop or "allOf" in prop, f"{where}.{name}"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for kind, schema in json_schemas().items():
        walk(schema, kind)


def test_score_table_and_json(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [GOOD, GOOD, {**GOOD, "lead.1": 5}])
    result = runner.invoke(app, ["score", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert "Leadership" in result.output
    assert "Phase: " in result.output
    result = runner.invoke(app, ["score", str(folder), "--json"])
    data = json.loads(result.output)
    assert data["format"] == 2
    assert data["respondents"] == 3
    assert data["assessment"]["organisation"] == "Testbedrijf"
    for dimension in data["dimensions"]:
        assert set(dimension["interval"]) == {"low", "high", "margin"}
    assert data["overall"]["interval"]["low"] <= data["overall"]["score"]
    assert data["overall"]["road"]["target"]["id"]
    assert [item["dimension"] for item in data["reliability"]] == ["lead", "listen", "act"]


def test_score_shows_margins_borders_and_reliability() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "koperwiek-keukens"
    result = runner.invoke(app, ["score", str(example)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    lines: dict[str, str] = {}
    for line in result.output.splitlines():
        if "│" in line:
            lines.setdefault(line.split("│")[1].strip(), line)  # the first table: scores
    assert "2,25\u20132,93" in lines["Samenwerking over afdelingen"]
    assert "op de grens van Verzamelen en Analyseren" in lines["Samenwerking over afdelingen"]
    assert "2,52\u20132,88" in lines["totaal"]
    assert "Betrouwbaarheid (Cronbachs \u03b1" in result.output
    said = " ".join(result.output.split())
    assert "Eén groep met minder dan 3 respondenten niet getoond." in said
    assert "Eén groep daarnaast weggelaten, zodat een kleine groep niet uit de andere" in said


def test_score_output_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [GOOD])
    out = tmp_path / "result.json"
    out.write_text("precious", encoding="utf-8")
    result = runner.invoke(app, ["score", str(folder), "--json", "-o", str(out)])
    assert result.exit_code == 1
    assert "use --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "precious"
    result = runner.invoke(app, ["score", str(folder), "-o", str(out), "--force"])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["respondents"] == 1


def test_score_reports_every_bad_answer_with_its_place(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path, [GOOD, {**GOOD, "lead.1": 7, "nope": 1}, {**GOOD, "dept": "xyz"}]
    )
    result = runner.invoke(app, ["score", str(folder)])
    assert result.exit_code == 1
    r1 = folder / "responses" / "r001.yaml"
    r2 = folder / "responses" / "r002.yaml"
    assert result.stderr.splitlines() == [
        f"{r1}:6:11: answer 7 is out of range; expected 1-5 or 'unknown'",
        f"{r1}:12:3: unknown question 'nope'",
        f"{r2}:10:9: 'xyz' is not an option of 'dept'; options: service, sales, it",
        "3 problems found.",
    ]


def test_score_without_responses(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [])
    result = runner.invoke(app, ["score", str(folder)])
    assert result.exit_code == 1
    assert "no responses yet" in result.stderr


def test_score_of_a_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'nope'}: no such assessment folder\n"


def test_assessment_with_a_wrong_version(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [GOOD])
    data = yaml.safe_load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    data["questionnaire"]["version"] = 2
    write_yaml(folder / "assessment.yaml", data)
    result = runner.invoke(app, ["score", str(folder)])
    assert result.exit_code == 1
    assert (
        "assessment uses questionnaire 'mini' version 2, but found 'mini' version 1"
        in result.stderr
    )
    assert result.stderr.startswith(f"{folder / 'assessment.yaml'}:5:12:")


def test_lang_is_read_in_any_case_and_a_missing_one_is_blamed_on_the_option() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "koperwiek-keukens"
    upper = runner.invoke(app, ["score", str(example), "--lang", "EN", "--json"])
    assert upper.exit_code == 0, upper.stderr
    assert '"language": "en"' in upper.stdout
    missing = runner.invoke(app, ["score", str(example), "--lang", "de"])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        f"error: {example}: no 'de' version of questionnaire 'intake' version 1 (languages: en, nl)"
    )
