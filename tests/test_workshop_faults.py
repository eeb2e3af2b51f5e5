"""Faults: kill -9 of the server, two tabs of one phone, a respondent held elsewhere."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from workshophelpers import (
    Phone,
    ServerProcess,
    ThreadServer,
    expected_value,
    parse_form,
    pick,
    workshop_folder,
)

from klantladder.errors import InputError
from klantladder.folder import load_assessment

pytest.importorskip("starlette", reason="the workshop extra is not installed")


def respondent_of(folder: Path, phone: Phone) -> str | None:
    """The respondent code the session file gives to a phone's cookie."""
    hashed = hashlib.sha256(phone.client.cookies["klantladder_participant"].encode()).hexdigest()
    lines = (folder / ".klantladder/workshop/participants.jsonl").read_text().splitlines()
    codes = [json.loads(line).get("respondent") for line in lines if hashed in line]
    return next((code for code in codes if code), None)


def keep_answering(phone: Phone, seed: int, saved: dict[str, Any], stop: threading.Event) -> None:
    """Answer like a quick participant until stopped or the server is gone.

    ``saved`` holds only the answers the server acknowledged (303).
    """
    try:
        location = phone.client.get("/p").headers["location"]
        turn = 0
        while not stop.is_set() and location != "/p/done":
            page = phone.client.get(location)
            if page.status_code == 429:
                time.sleep(float(page.headers["retry-after"]))
                continue
            form = parse_form(page.text)
            fields = pick(form, seed + turn)
            time.sleep(0.05)
            posted = phone.post(form, fields)
            if posted.status_code == 429:
                time.sleep(float(posted.headers["retry-after"]))
                continue
            assert posted.status_code == 303, posted.text
            saved[form.question] = expected_value(form, fields)
            location = posted.headers["location"]
            turn += 1
    except httpx.TransportError:
        return  # the server was killed


def moved_to(phone: Phone, join_url: str) -> Phone:
    """The same phone (same cookie) talking to the restarted server."""
    again = Phone(join_url)
    again.client.cookies.update(phone.client.cookies)
    phone.close()
    return again


def test_kill_9_loses_no_saved_answer_and_a_restart_continues_the_session(
    tmp_path: Path,
) -> None:
    folder = workshop_folder(tmp_path)
    count = 6
    saved: list[dict[str, Any]] = [{} for _ in range(count)]
    with ServerProcess(folder) as server:
        phones = [Phone(server.join_url) for _ in range(count)]
        for phone in phones:
            phone.join()
        stop = threading.Event()
        workers = [
            threading.Thread(target=keep_answering, args=(phone, i * 7, saved[i], stop))
            for i, phone in enumerate(phones)
        ]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 30
        while sum(len(answers) for answers in saved) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()  # mid-session, while answers are in flight
        stop.set()
        for worker in workers:
            worker.join(10)
        first = (server.join_url, server.facilitator_url)

    # Every acknowledged answer is on disk, in a whole, valid file.
    codes = [respondent_of(folder, phone) for phone in phones]
    assert len(set(codes)) == count and None not in codes
    for code, answers in zip(codes, saved, strict=True):
        data = yaml.safe_load((folder / "responses" / f"{code}.yaml").read_text())
        for question, value in answers.items():
            assert data["answers"][question] == value
    load_assessment(folder)

    with ServerProcess(folder) as again:
        assert "Continuing the workshop session" in again.output
        assert f"participants so far: {count}" in again.output
        # Same tokens: the same QR code path and facilitator link (on a new port).
        assert again.join_url.split("/join/")[1] == first[0].split("/join/")[1]
        assert again.facilitator_url.split("/facilitator/")[1] == first[1].split("/facilitator/")[1]
        phones = [moved_to(phone, again.join_url) for phone in phones]
        for phone in phones:
            resumed = phone.client.get(phone.join_path)
            assert resumed.status_code == 303  # straight back to their questions
        workers = [
            threading.Thread(target=keep_answering, args=(phone, i, saved[i], threading.Event()))
            for i, phone in enumerate(phones)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        for phone in phones:
            assert phone.client.get("/p").headers["location"] == "/p/done"
        out = again.stop()
        assert f"{count} participants started, {count} finished" in out

    loaded = load_assessment(folder)
    assert sorted(r.respondent for r in loaded.responses) == sorted(codes)
    for response, answers in zip(
        sorted(loaded.responses, key=lambda r: r.respondent),
        [a for _, a in sorted(zip(codes, saved, strict=True))],
        strict=True,
    ):
        assert response.completed is not None
        for question, value in answers.items():
            assert response.answers[question] == value
        # An answer saved in the moment of the kill, before its reply reached the phone,
        # is kept too (the phone then never asked it again): at most one per participant.
        assert len(set(response.answers) - set(answers)) <= 1


def test_two_tabs_of_one_participant_make_one_respondent(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        first = Phone(server.join_url)
        first.join()
        second = Phone(server.join_url)  # a second tab: the same browser, the same cookie
        second.client.cookies.update(first.client.cookies)
        assert second.join().status_code == 200
        assert server.workshop.registry.counts().joined == 1
        forms = [parse_form(tab.client.get("/p/q/1").text) for tab in (first, second)]
        results: list[int] = []
        start = threading.Barrier(2)

        def post(tab: Phone, form: Any, answer: str) -> None:
            start.wait()
            results.append(tab.post(form, {"answer": answer, "action": "answer"}).status_code)

        workers = [
            threading.Thread(target=post, args=(tab, form, answer))
            for tab, form, answer in zip((first, second), forms, ("it", "hr"), strict=True)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert results == [303, 303]
        for turn, tab in enumerate([first, second, first, second]):
            _, form = tab.current()
            tab.post(form, pick(form, turn))
        assert server.workshop.registry.counts().started == 1
    [saved] = (folder / "responses").iterdir()
    data = yaml.safe_load(saved.read_text())
    assert data["answers"]["afdeling"] in ("it", "hr")
    assert len(data["answers"]) == 5


@pytest.fixture
def held_r001(tmp_path: Path) -> Iterator[Path]:
    """A folder where another session (a terminal interview) holds respondent r001."""
    from klantladder.store import RespondentLock

    folder = workshop_folder(tmp_path)
    with RespondentLock(folder, "r001"):
        yield folder


def test_a_respondent_held_by_another_session_is_not_taken(held_r001: Path) -> None:
    with ThreadServer(held_r001) as server:
        phone = Phone(server.join_url)
        phone.join()
        _, form = phone.current()
        assert phone.post(form, {"answer": "it", "action": "answer"}).status_code == 303
    assert [p.name for p in (held_r001 / "responses").iterdir()] == ["r002.yaml"]


def test_a_participant_whose_respondent_is_busy_elsewhere_is_told_so(tmp_path: Path) -> None:
    from klantladder.store import RespondentLock

    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        _, form = phone.current()
        phone.post(form, {"answer": "it", "action": "answer"})
        cookies = dict(phone.client.cookies)
    with RespondentLock(folder, "r001"), ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.client.cookies.update(cookies)
        _, form = phone.current()
        before = (folder / "responses" / "r001.yaml").read_bytes()
        busy = phone.post(form, {"answer": "management", "action": "answer"})
        assert busy.status_code == 409
        assert "op een andere plek ingevuld" in busy.text
        assert (folder / "responses" / "r001.yaml").read_bytes() == before


def test_a_line_cut_short_by_a_crash_is_ignored(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        _, form = phone.current()
        phone.post(form, {"answer": "it", "action": "answer"})
        cookies = dict(phone.client.cookies)
    participants = folder / ".klantladder/workshop/participants.jsonl"
    with participants.open("a") as stream:
        stream.write('{"participant": "abc')
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.client.cookies.update(cookies)
        path, _ = phone.current()
        assert path == "/p/q/2"


def test_a_damaged_session_file_is_reported_with_the_way_out(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder):
        pass
    (folder / ".klantladder/workshop/session.json").write_text("{not json")
    from klantladder.workshop.app import open_workshop
    from klantladder.workshop.settings import WorkshopSettings

    with pytest.raises(
        InputError, match=r"session\.json: not a workshop session file.*--new-session"
    ):
        open_workshop(folder, WorkshopSettings())
    assert open_workshop(folder, WorkshopSettings(new_session=True)).state.continued is False
