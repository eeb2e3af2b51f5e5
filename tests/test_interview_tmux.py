"""The interview as a person uses it: a real terminal (tmux), single keys, kill -9, resume."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from importhelpers import bilingual_folder, saved

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """One tmux server of our own, running one command in a 100x40 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True
        ).stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", "main", "-x", "100", "-y", "40", command)
        self.tmux("set-option", "-t", "main", "remain-on-exit", "on")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "main", key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main", "-S", "-200")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def wait_until_dead(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.tmux("display-message", "-p", "-t", "main", "#{pane_dead}").strip() == "1":
                return
            time.sleep(0.1)
        raise AssertionError("the interview did not die")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    session = Terminal(f"klantladder-test-{os.getpid()}-{time.monotonic_ns()}")
    yield session
    session.close()


def command(folder: Path, pid_file: Path) -> str:
    interview = [
        sys.executable,
        "-m",
        "klantladder",
        "interview",
        str(folder),
        "--respondent",
        "Ann",
    ]
    # The shell writes its pid and then becomes the interview, so the pid is the interview's.
    return f"sh -c 'echo $$ > {pid_file}; exec {shlex.join(interview)}'"


def test_single_keys_kill_minus_nine_and_resume(tmp_path: Path, terminal: Terminal) -> None:
    folder = bilingual_folder(tmp_path)
    pid_file = tmp_path / "pid"
    terminal.start(command(folder, pid_file))
    terminal.wait_for("Vraag 1 van 7 · Leiderschap")
    terminal.keys("3")  # one key, no Enter
    terminal.wait_for("Vraag 2 van 7")
    terminal.keys("4")
    terminal.wait_for("Vraag 3 van 7 · Klantfeedback")
    os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
    terminal.wait_until_dead()
    assert saved(folder)[0]["answers"] == {"leiderschap.feedback": 3, "leiderschap.uitdragen": 4}
    terminal.close()

    terminal.start(command(folder, pid_file))
    screen = terminal.wait_for("Vraag 3 van 7 · Klantfeedback")
    assert "Vraag 1 van 7" not in screen
    terminal.keys("0", "2", "3")
    terminal.wait_for("nummers met spaties ertussen")
    terminal.keys("1 3", "Enter")
    terminal.wait_for("typ het antwoord en Enter")
    terminal.keys("Te weinig tijd", "Enter")
    screen = terminal.wait_for("Fase van deze respondent")
    assert "7 van 7 vragen beantwoord (1 weet niet, 0 overgeslagen)." in screen
    # A Dutch interview shows no English chrome.
    for english in ("Question", "Answered", "key = answer", "skip", "Phase of", "Interview of"):
        assert english not in screen, english
    response = saved(folder)[0]
    assert response["answers"]["kanalen"] == ["telefoon", "balie"]
    assert response["answers"]["belemmering"] == "Te weinig tijd"
    assert len(response["answers"]) == 7
