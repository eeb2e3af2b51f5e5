"""``klantladder workshop`` on the command line: options, messages, exit codes."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from workshophelpers import workshop_folder

from klantladder.cli import app

pytest.importorskip("starlette", reason="the workshop extra is not installed")
runner = CliRunner()


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run the command up to the point of serving, and record what a browser would open."""
    import uvicorn

    opened: list[str] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url))
    monkeypatch.setattr(threading, "Timer", lambda delay, call, args: _Now(call, args))
    return opened


class _Now:
    def __init__(self, call: Any, args: list[str]) -> None:
        self.call, self.args = call, args

    def start(self) -> None:
        self.call(*self.args)


def test_help_names_every_option() -> None:
    result = runner.invoke(app, ["workshop", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in ("--host", "--port", "--questionnaire", "--lang", "--open", "--new-session"):
        assert option in result.output
    assert "127.0.0.1" in result.output


def test_klantladder_help_does_not_import_the_server() -> None:
    code = (
        "import sys, klantladder.cli; "
        "print(sorted({'starlette', 'uvicorn', 'segno'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_session_is_announced_with_its_links_and_qr_code(
    tmp_path: Path, no_serving: list[str]
) -> None:
    folder = workshop_folder(tmp_path)
    result = runner.invoke(app, ["workshop", str(folder), "--port", "0", "--open"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"New workshop session in {folder}." in out
    assert "Koperwiek Keukens · questionnaire quickscan · pages in nl" in out
    assert "Participants join at:  http://127.0.0.1:" in out
    assert "▄" in out  # the QR code
    assert "Facilitator screen (keep this link to yourself):  http://127.0.0.1:" in out
    assert "only this computer can reach it" in out
    assert "Session stopped: 0 participants started, 0 finished" in out
    [opened] = no_serving
    assert opened.startswith("http://127.0.0.1:") and "/facilitator/" in opened
    again = runner.invoke(app, ["workshop", str(folder), "--port", "0", "--lang", "en"])
    assert "Continuing the workshop session" in again.output
    assert "pages in en" in again.output


def test_on_the_network_the_participants_address_is_printed(
    tmp_path: Path, no_serving: list[str]
) -> None:
    folder = workshop_folder(tmp_path)
    result = runner.invoke(app, ["workshop", str(folder), "--port", "0", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "every device on this network can reach the server" in result.output
    assert "Participants join at:  http://0.0.0.0" not in result.output
    assert "Facilitator screen (keep this link to yourself):  http://127.0.0.1:" in result.output


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["workshop", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no such assessment folder" in result.stderr


def test_another_questionnaire_is_refused(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    result = runner.invoke(app, ["workshop", str(folder), "--questionnaire", "intake"])
    assert result.exit_code == 1
    assert "this assessment uses questionnaire 'quickscan', not 'intake'" in result.stderr
    confirmed = runner.invoke(app, ["workshop", str(folder), "--questionnaire", "full"])
    assert "not 'intake'" in confirmed.stderr


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["workshop", str(folder), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "choose another --port" in result.stderr


def test_without_the_extra_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(sys.modules):
        if name.startswith(("klantladder.workshop", "starlette.")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)  # as if it were not installed
    result = runner.invoke(app, ["workshop", str(workshop_folder(tmp_path))])
    assert result.exit_code == 1
    assert 'pip install "klantladder[workshop]"' in result.stderr


def test_address_helpers() -> None:
    from klantladder.workshop.server import format_host, is_loopback, lan_address

    assert format_host("::1") == "[::1]" and format_host("10.0.0.5") == "10.0.0.5"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    address = lan_address()
    assert address is None or not address.startswith("127.")


def test_the_rehearsal_example_runs(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    example = Path(__file__).resolve().parent.parent / "examples" / "workshop_rehearsal.py"
    options = ["--participants", "4", "--pace", "0.02", "--port", "0", "--stop"]
    run = subprocess.run(
        [sys.executable, str(example), str(folder), *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "4 of 4 participants finished" in run.stdout
    assert len(list((folder / "responses").glob("r*.yaml"))) == 4
    assert runner.invoke(app, ["score", str(folder)]).exit_code == 0
