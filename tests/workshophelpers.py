"""Helpers for the workshop tests: servers (in a thread or a process) and simulated phones.

A simulated phone speaks the participants' HTML-form protocol as a browser
without JavaScript does: it reads the form on each page (the hidden CSRF token,
the question id, the choices) and posts it back.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from klantladder.folder import init_assessment

ROOT = Path(__file__).resolve().parent.parent


def workshop_folder(
    root: Path, questionnaire: str = "quickscan", language: str = "nl", version: int | None = 1
) -> Path:
    """An assessment folder for a session; version 1 by default (no routing: fixed counts)."""
    folder = root / "workshop"
    init_assessment(
        folder,
        organisation="Koperwiek Keukens",
        questionnaire_id=questionnaire,
        questionnaire_version=version,
        language=language,
    )
    return folder


def responses(folder: Path) -> dict[str, bytes]:
    """Every file under responses/, with its bytes: to prove that nothing was written."""
    return {path.name: path.read_bytes() for path in sorted((folder / "responses").iterdir())}


def session_files(folder: Path) -> dict[str, bytes]:
    directory = folder / ".klantladder" / "workshop"
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@dataclass
class Form:
    """The form of a question page, as a browser sees it."""

    action: str = ""
    hidden: dict[str, str] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)
    choice_type: str | None = None
    textarea: bool = False
    buttons: list[str] = field(default_factory=list)
    progress: str = ""

    @property
    def question(self) -> str:
        return self.hidden["question"]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = Form()
        self._in_progress = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("action", "").startswith("/p/"):
            self.form.action = found["action"]
        elif tag == "input" and found.get("type") == "hidden":
            self.form.hidden[found["name"]] = found.get("value", "")
        elif tag == "input" and found.get("name") == "answer":
            self.form.choices.append(found["value"])
            self.form.choice_type = found["type"]
        elif tag == "textarea" and found.get("name") == "answer":
            self.form.textarea = True
        elif tag == "button" and found.get("name") == "action":
            self.form.buttons.append(found["value"])
        elif tag == "p" and found.get("id") == "progress-text":
            self._in_progress = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_progress = False

    def handle_data(self, data: str) -> None:
        if self._in_progress:
            self.form.progress += data


def parse_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    return parser.form


def pick(form: Form, turn: int) -> dict[str, Any]:
    """A plausible answer to a form: varies with ``turn``, sometimes don't know."""
    if form.textarea:
        return {"answer": f"Antwoord {turn}: <b>meer</b> tijd voor klanten", "action": "answer"}
    if form.choice_type == "checkbox":
        return {"answer": form.choices[turn % len(form.choices) :][:2], "action": "answer"}
    if "unknown" in form.buttons and turn % 11 == 5:
        return {"action": "unknown"}
    return {"answer": form.choices[turn % len(form.choices)], "action": "answer"}


def expected_value(form: Form, fields: dict[str, Any]) -> Any:
    """What the response file should hold after posting ``fields`` to ``form``."""
    if fields.get("action") == "unknown":
        return "unknown"
    value = fields["answer"]
    if form.textarea:
        return value.strip()
    if isinstance(value, list):
        return [choice for choice in form.choices if choice in value]
    return int(value) if value.isdigit() else value


class Phone:
    """A participant's browser without JavaScript (cookies kept, redirects not followed)."""

    def __init__(self, join_url: str) -> None:
        parts = urlsplit(join_url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.join_path = parts.path
        self.client = httpx.Client(base_url=self.base, follow_redirects=False, timeout=30)

    def close(self) -> None:
        self.client.close()

    def join(self) -> httpx.Response:
        response = self.client.get(self.join_path)
        assert response.status_code in (200, 303), response.text
        return response

    def current(self) -> tuple[str, Form]:
        """Follow /p to the current question; its path and form."""
        response = self._patiently(self.client.get, "/p")
        assert response.status_code == 303
        path = response.headers["location"]
        page = self._patiently(self.client.get, path)
        assert page.status_code == 200, page.text
        return path, parse_form(page.text)

    def post(self, form: Form, fields: dict[str, Any]) -> httpx.Response:
        return self._patiently(self.client.post, "/p/answer", data={**form.hidden, **fields})

    @staticmethod
    def _patiently(send: Any, path: str, **options: Any) -> httpx.Response:
        """A request that waits as the server asks when the rate limit answers 429.

        A test taps far faster than a person; on a fast machine it meets the
        per-participant limit, as a browser would, and tries again after Retry-After.
        """
        for _ in range(20):
            response: httpx.Response = send(path, **options)
            if response.status_code != 429:
                return response
            time.sleep(float(response.headers.get("retry-after", "1")))
        return response


def facilitator_client(facilitator_url: str) -> httpx.Client:
    """A client holding the facilitator's cookie."""
    parts = urlsplit(facilitator_url)
    client = httpx.Client(
        base_url=f"{parts.scheme}://{parts.netloc}", follow_redirects=False, timeout=30
    )
    response = client.get(parts.path)
    assert response.status_code == 303, response.text
    return client


def wait_for(condition: Any, timeout: float = 30.0, message: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.05)


class ThreadServer:
    """The workshop app served by uvicorn in a thread of the test process, on a free port."""

    def __init__(self, folder: Path, **settings: Any) -> None:
        import uvicorn

        from klantladder.workshop.app import build_app, open_workshop
        from klantladder.workshop.server import bind
        from klantladder.workshop.settings import Limits, WorkshopSettings

        # Test clients answer at script speed: no rate limit unless a test asks for one.
        settings.setdefault("limits", Limits(burst=10_000, per_second=10_000))
        self.workshop = open_workshop(folder, WorkshopSettings(**settings))
        self.app = build_app(self.workshop)
        self.socket = bind("127.0.0.1", 0)
        self.base = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def join_url(self) -> str:
        return f"{self.base}/join/{self.workshop.state.record.join}"

    @property
    def facilitator_url(self) -> str:
        return f"{self.base}/facilitator/{self.workshop.state.record.facilitator}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        wait_for(lambda: self.server.started, message="the server to start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


class ServerProcess:
    """``klantladder workshop DIR --port 0`` in its own process, as a facilitator starts it."""

    def __init__(self, folder: Path, *args: str) -> None:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "klantladder", "workshop", str(folder), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
            cwd=ROOT,
        )
        self.output = ""
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        while "Stop with Ctrl-C" not in self.output:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the server did not start:\n{self.output}")
            self.output += line
            if time.monotonic() > deadline:
                raise AssertionError(f"the server took too long to start:\n{self.output}")
        join = re.search(r"Participants join at:\s+(\S+)", self.output)
        facilitator = re.search(r"Facilitator screen.*:\s+(\S+)", self.output)
        assert join and facilitator, self.output
        self.join_url = join.group(1)
        self.facilitator_url = facilitator.group(1)
        self.base = f"{urlsplit(self.join_url).scheme}://{urlsplit(self.join_url).netloc}"

    def kill(self) -> None:
        """kill -9: no chance to clean up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> str:
        """Ctrl-C; the rest of the output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=15)
        return rest

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
