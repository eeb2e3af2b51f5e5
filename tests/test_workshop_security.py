"""Hostile input: every refusal has its status code, a clear message, and writes nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from workshophelpers import (
    Phone,
    ThreadServer,
    facilitator_client,
    parse_form,
    responses,
    session_files,
    workshop_folder,
)

pytest.importorskip("starlette", reason="the workshop extra is not installed")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    folder = workshop_folder(tmp_path_factory.mktemp("hostile"))
    with ThreadServer(folder) as running:
        yield running


@pytest.fixture
def phone(server: ThreadServer) -> Iterator[Phone]:
    """A participant who already answered the first question (so has a response file)."""
    phone = Phone(server.join_url)
    phone.join()
    _, form = phone.current()
    assert phone.post(form, {"answer": "it", "action": "answer"}).status_code == 303
    yield phone
    phone.close()


def unchanged(server: ThreadServer) -> tuple[dict[str, bytes], dict[str, bytes]]:
    folder = server.workshop.folder
    return responses(folder), session_files(folder)


def question_form(phone: Phone, number: int) -> dict[str, str]:
    page = phone.client.get(f"/p/q/{number}")
    assert page.status_code == 200
    return parse_form(page.text).hidden


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"question": "no.such.question", "answer": "3"}, 400, "unknown question &#39;no.such"),
        ({"question": "kompas.klantvisie", "answer": "7"}, 400, "answer 7 is out of range"),
        ({"question": "kompas.klantvisie", "answer": "0"}, 400, "answer 0 is out of range"),
        ({"question": "kompas.klantvisie", "answer": "drie"}, 400, "is out of range"),
        ({"question": "kompas.klantvisie", "answer": ["2", "3"]}, 400, "takes one answer"),
        ({"question": "rol", "answer": "koning"}, 400, "&#39;koning&#39; is not an option"),
        (
            {"question": "open.belemmering", "action": "unknown"},
            400,
            "has no &#39;unknown&#39; answer",
        ),
        ({"question": "rol", "answer": "medewerker", "action": "delete"}, 400, "unknown action"),
        ({"question": "open.belemmering", "answer": "x" * 2001}, 400, "at most 2000 characters"),
        ({"question": "rol", "answer": "medewerker", "csrf": "forged"}, 403, "verlopen"),
        ({"question": "rol", "answer": "medewerker", "csrf": ""}, 403, "verlopen"),
    ],
)
def test_a_refused_answer_writes_nothing(
    server: ThreadServer, phone: Phone, fields: dict[str, object], status: int, message: str
) -> None:
    form = {**question_form(phone, 2), "action": "answer", **fields}
    before = unchanged(server)
    response = phone.client.post("/p/answer", data=form)
    assert response.status_code == status, response.text
    assert message in response.text
    assert unchanged(server) == before


def test_a_post_without_the_csrf_field_is_forged(server: ThreadServer, phone: Phone) -> None:
    before = unchanged(server)
    response = phone.client.post(
        "/p/answer", data={"question": "rol", "answer": "medewerker", "action": "answer"}
    )
    assert response.status_code == 403
    assert unchanged(server) == before


def test_another_participants_csrf_token_does_not_fit(server: ThreadServer, phone: Phone) -> None:
    other = Phone(server.join_url)
    other.join()
    stolen = question_form(other, 2)["csrf"]
    before = unchanged(server)
    form = {**question_form(phone, 2), "csrf": stolen, "answer": "medewerker", "action": "answer"}
    assert phone.client.post("/p/answer", data=form).status_code == 403
    assert unchanged(server) == before


def test_a_form_sent_from_another_site_is_refused(server: ThreadServer, phone: Phone) -> None:
    form = {**question_form(phone, 2), "answer": "medewerker", "action": "answer"}
    before = unchanged(server)
    response = phone.client.post("/p/answer", data=form, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert unchanged(server) == before


def test_oversized_bodies_are_refused_unread(server: ThreadServer, phone: Phone) -> None:
    before = unchanged(server)
    big = {**question_form(phone, 14), "answer": "x" * 20_000, "action": "answer"}
    assert phone.client.post("/p/answer", data=big).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        yield b"csrf=x&question=rol&answer="
        for _ in range(40):
            yield b"y" * 1024

    chunked = phone.client.post(
        "/p/answer",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert chunked.status_code == 413
    many = "&".join(f"f{i}=1" for i in range(100))
    crowded = phone.client.post(
        "/p/answer",
        content=many.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert crowded.status_code == 413
    assert unchanged(server) == before


def test_only_forms_are_accepted(server: ThreadServer, phone: Phone) -> None:
    before = unchanged(server)
    response = phone.client.post("/p/answer", json={"question": "rol", "answer": "medewerker"})
    assert response.status_code == 415
    undecodable = phone.client.post(
        "/p/answer",
        content=b"answer=\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert undecodable.status_code == 400
    assert unchanged(server) == before


def test_html_in_an_open_answer_stays_text(server: ThreadServer) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for _ in range(3):  # quotes are shown once three people answered the question
        phone = Phone(server.join_url)
        phone.join()
        form = {**question_form(phone, 14), "answer": hostile, "action": "answer"}
        assert phone.client.post("/p/answer", data=form).status_code == 303
    saved = [text for text in responses(server.workshop.folder).values() if b"<script>" in text]
    assert len(saved) == 3
    facilitator = facilitator_client(server.facilitator_url)
    server.workshop.board.mark_dirty()
    for _ in range(100):
        screen = facilitator.get("/facilitator").text
        if "&lt;script&gt;" in screen:
            break
        time.sleep(0.05)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x" in screen
    assert "<script>alert" not in screen and "<img src=x" not in screen


@pytest.mark.parametrize(
    "path",
    ["/facilitator", "/facilitator/data.json", "/facilitator/events", "/facilitator/wrong-token"],
)
def test_facilitator_pages_need_the_facilitator_token(server: ThreadServer, path: str) -> None:
    with httpx.Client(base_url=server.base, follow_redirects=False) as client:
        assert client.get(path).status_code == 403
        client.cookies.set("klantladder_facilitator", "guessed", path="/facilitator")
        assert client.get(path).status_code == 403


def test_a_participant_is_not_a_facilitator(server: ThreadServer, phone: Phone) -> None:
    token = phone.client.cookies["klantladder_participant"]
    phone.client.cookies.set("klantladder_facilitator", token, path="/facilitator")
    assert phone.client.get("/facilitator/data.json").status_code == 403


def test_closing_needs_the_facilitators_csrf_token(server: ThreadServer) -> None:
    facilitator = facilitator_client(server.facilitator_url)
    assert facilitator.post("/facilitator/close", data={"csrf": "guess"}).status_code == 403
    assert facilitator.post("/facilitator/close", data={"other": "x"}).status_code == 403
    assert not server.workshop.closed


def test_wrong_tokens_and_no_cookie(server: ThreadServer) -> None:
    before = unchanged(server)
    with httpx.Client(base_url=server.base, follow_redirects=False) as client:
        assert client.get("/join/not-the-token").status_code == 404
        assert client.get("/p/q/1").status_code == 403
        assert client.get("/p").status_code == 403
        client.cookies.set("klantladder_participant", "made-up")
        refused = client.post("/p/answer", data={"question": "rol", "answer": "medewerker"})
        assert refused.status_code == 403
        assert "Scan de QR-code" in refused.text
    assert unchanged(server) == before


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2f__init__.py",
        "/static/%2e%2e%2fapp.py",
        "/static/..%5capp.py",
        "/fonts/..%2f..%2f..%2fetc%2fpasswd",
        "/static/workshop.css%00.py",
        "/static/.%2e/templates/base.html",
        "/static/templates",
        "/brand/..%2fassessment.yaml",
    ],
)
def test_no_path_leads_out_of_the_packaged_files(server: ThreadServer, path: str) -> None:
    with httpx.Client(base_url=server.base) as client:
        response = client.get(httpx.URL(server.base + path))
    assert response.status_code == 404
    assert "import" not in response.text and "root:" not in response.text


def test_packaged_files_are_served(server: ThreadServer) -> None:
    with httpx.Client(base_url=server.base) as client:
        css = client.get("/static/workshop.css")
        script = client.get("/static/facilitator.js")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert script.headers["content-type"].startswith("text/javascript")
    assert css.headers["x-content-type-options"] == "nosniff"


def test_every_response_carries_the_security_headers(server: ThreadServer, phone: Phone) -> None:
    facilitator = facilitator_client(server.facilitator_url)
    pages = [
        phone.client.get("/p/q/1"),
        phone.client.get("/p/q/99"),
        phone.client.get("/static/workshop.css"),
        facilitator.get("/facilitator"),
        facilitator.get("/facilitator/data.json"),
        httpx.get(server.base + "/"),
    ]
    for page in pages:
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["x-frame-options"] == "DENY"
    for html in (pages[0].text, pages[3].text):
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script"
        assert "<style" not in html and " style=" not in html, "no inline style"
        assert not re.search(r"<[^>]*\son[a-z]+=", html), "no event handler attributes"
    assert pages[1].status_code == 404


def test_a_participant_is_rate_limited(tmp_path: Path) -> None:
    from klantladder.workshop.settings import Limits

    folder = workshop_folder(tmp_path)
    with ThreadServer(folder, limits=Limits(burst=5, per_second=1)) as server:
        phone = Phone(server.join_url)
        phone.join()
        statuses = [phone.client.get("/p/q/1").status_code for _ in range(8)]
        assert statuses[:4] == [200] * 4
        assert statuses[-1] == 429
        limited = phone.client.get("/p/q/1")
        assert int(limited.headers["retry-after"]) >= 1
        other = Phone(server.join_url)
        other.join()
        assert other.client.get("/p/q/1").status_code == 200  # the limit is per participant


def test_a_session_has_a_participant_limit(tmp_path: Path) -> None:
    from klantladder.workshop.settings import Limits

    folder = workshop_folder(tmp_path)
    with ThreadServer(folder, limits=Limits(max_participants=2)) as server:
        Phone(server.join_url).join()
        Phone(server.join_url).join()
        full = httpx.get(server.join_url)
        assert full.status_code == 503
        assert "hoogste aantal deelnemers" in full.text
