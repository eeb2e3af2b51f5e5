"""The README stays true: its commands exist, its quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from klantladder.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```(?:sh|console)\n(.*?)```", text, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_test_command() -> None:
    blocks = [block.strip() for block in _shell_blocks(_section("Quick start"))]
    assert len(blocks) == 2
    install_and_run, tests = blocks
    assert "pip install -e" in install_and_run
    assert "klantladder report examples/koperwiek-keukens" in install_and_run
    ci_text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci = ci_text.strip().splitlines()
    assert ci[-1] == tests, "CI must run exactly the README's test command"
    extras = re.search(r'pip install -e "\.\[([a-z,]+)\]"', install_and_run)
    ci_extras = re.search(r'pip install -q -e "\.\[([a-z,]+)\]"', ci_text)
    assert extras and ci_extras, "both install the project with its extras"
    assert extras.group(1) == ci_extras.group(1), "CI installs what the README installs"
    assert "workshop" in extras.group(1).split(","), "the quick start installs the workshop"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "needed+=(chromium)" in ci_text and "install chromium" in readme, (
        "CI and the README both install Chromium for the workshop's browser tests"
    )
    assert (ROOT / "examples" / "koperwiek-keukens" / "assessment.yaml").is_file()


def _commands() -> set[str]:
    click_app = typer.main.get_command(app)
    names = set()
    for name, command in click_app.commands.items():  # type: ignore[attr-defined]
        names.add(name)
        names |= {f"{name} {sub}" for sub in getattr(command, "commands", {})}
    return names


def test_every_command_in_the_readme_exists() -> None:
    used = set()
    for block in _shell_blocks(README):
        for match in re.finditer(r"klantladder ([a-z-]+)(?: ([a-z-]+))?", block):
            command, sub = match.groups()
            used.add(f"{command} {sub}" if command == "handout" else command)
    assert used, "the README shows commands"
    assert used <= _commands(), used - _commands()


def test_every_command_is_in_the_readme() -> None:
    for name in _commands():
        assert f"`{name.split()[0]}" in README or f"klantladder {name}" in README, name


def test_option_help_keeps_every_word() -> None:
    # Rich reads "[...]" in help text as markup and drops it silently.
    click_app = typer.main.get_command(app)
    for name in sorted(_commands()):
        result = runner.invoke(app, [*name.split(), "--help"], terminal_width=200)
        assert result.exit_code == 0, name
        assert " .\n" not in result.output and " . " not in result.output, name
    assert click_app.help


def test_library_example_runs() -> None:
    code = re.search(r"## Using it as a library\n.*?```python\n(.*?)```", README, flags=re.S)
    assert code is not None
    import os

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        exec(compile(code.group(1), "README.md", "exec"), {})
    finally:
        os.chdir(here)
