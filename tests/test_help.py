"""A newcomer's first minutes: help texts, the score table's language, a clean checkout."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from klantladder.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "koperwiek-keukens"

# What Typer prints for a parameter that names no metavariable of its own.
LEFTOVERS = re.compile(
    r"<(bool|str|int|float|path|file|datetime)>|list\[|\b(PATH|TEXT|BOOLEAN|INTEGER|FLOAT)\b"
    r"|<[a-z]+\|[a-z|]+>"
)


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the CLI, as argument lists."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(command: object, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "klantladder")
def test_help_shows_metavariables_as_users_expect(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    leftovers = LEFTOVERS.findall(result.output)
    assert not leftovers, (leftovers, result.output)


def test_commands_name_their_metavariables() -> None:
    report = runner.invoke(app, ["report", "--help"], terminal_width=200).output
    assert "FOLDER" in report and "FILE" in report and "pdf|html" in report
    validate = runner.invoke(app, ["validate", "--help"], terminal_width=200).output
    assert "FILE..." in validate
    actions = runner.invoke(app, ["actions", "--help"], terminal_width=200).output
    assert "FOLDER" in actions and "--force" in actions


@pytest.mark.parametrize(
    ("language", "headers"),
    [
        ("nl", ["dimensie", "score", "fase", "spreiding", "weet niet", "totaal", "Fase:"]),
        ("en", ["dimension", "score", "phase", "spread", "don't know", "overall", "Phase:"]),
    ],
)
def test_score_tables_speak_the_assessment_s_language(language: str, headers: list[str]) -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--lang", language], terminal_width=160)
    assert result.exit_code == 0, result.stderr
    for header in headers:
        assert header in result.stdout, header
    other = {"nl": "spread", "en": "spreiding"}[language]
    assert other not in result.stdout


def test_default_outputs_next_to_the_example_are_ignored_by_git() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / "examples" / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for name in (
        "report-2025-03-14.pdf",
        "report-2025-03-14-en.pdf",
        "report-2025-03-14.html",
        "summary-2025-03-14.pdf",
        "intake.nl.qualtrics.txt",
    ):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
    for kept in ("notes.md", "actions.yaml", "assessment.yaml"):
        assert not any(fnmatch.fnmatch(kept, pattern) for pattern in patterns), kept


def test_the_readme_shows_the_executive_page_of_the_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\((docs/[^)]+\.png)\)", readme)
    assert images, "the README shows a picture of the report"
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data.startswith(b"\x89PNG"), image
