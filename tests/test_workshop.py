"""The workshop over HTTP: joining, answering, resuming, the facilitator's screen, the session.

The app runs in uvicorn in a thread; simulated phones speak the participants'
HTML-form protocol (CSRF token included) as a browser without JavaScript does.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner
from workshophelpers import (
    Phone,
    ThreadServer,
    expected_value,
    facilitator_client,
    parse_form,
    pick,
    responses,
    wait_for,
    workshop_folder,
)

from klantladder.cli import app
from klantladder.folder import load_assessment

pytest.importorskip("starlette", reason="the workshop extra is not installed")
runner = CliRunner()


def answer_all(phone: Phone, seed: int = 0) -> dict[str, Any]:
    """Answer every question on the phone; the answers the file should hold."""
    phone.join()
    expected: dict[str, Any] = {}
    for turn in range(200):
        response = phone.client.get("/p")
        if response.headers["location"] == "/p/done":
            return expected
        _, form = phone.current()
        fields = pick(form, seed + turn)
        posted = phone.post(form, fields)
        assert posted.status_code == 303, posted.text
        expected[form.question] = expected_value(form, fields)
    raise AssertionError("the questionnaire never ended")


def test_answers_land_in_the_folder_as_the_interview_writes_them(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        welcome = phone.join()
        assert "Klantladder quickscan" in welcome.text
        assert "Ongeveer 5 minuten, 14 vragen." in welcome.text
        cookie = welcome.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        path, form = phone.current()
        assert path == "/p/q/1"
        assert form.progress.strip() == "Vraag 1 van 14"
        assert form.buttons == ["answer", "unknown"]
        expected = answer_all(phone)
        done = phone.client.get("/p/done")
        assert "Dank u wel!" in done.text
        assert "U hebt 14 van de 14 vragen beantwoord" in done.text

    [saved] = (folder / "responses").glob("*.yaml")
    data = yaml.safe_load(saved.read_text())
    assert saved.name == "r001.yaml" and data["respondent"] == "r001"
    assert data["source"] == {"tool": "workshop"}
    assert data["questionnaire"] == {"id": "quickscan", "version": 1}
    assert data["started"] and data["completed"]
    assert data["answers"] == expected
    assert "name" not in data
    # After the session the folder is an ordinary assessment.
    loaded = load_assessment(folder)
    assert [r.respondent for r in loaded.responses] == ["r001"]
    assert runner.invoke(app, ["score", str(folder)]).exit_code == 0


def test_a_closed_phone_resumes_at_its_first_open_question(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        for turn in range(4):
            _, form = phone.current()
            phone.post(form, pick(form, turn))
        cookies = dict(phone.client.cookies)
        phone.close()

        again = Phone(server.join_url)
        again.client.cookies.update(cookies)
        back = again.client.get(again.join_path)
        assert back.status_code == 303 and back.headers["location"] == "/p/q/5"
        page = again.client.get("/p/q/2")
        assert re.search(r'value="[^"]+" checked', page.text), "the answer given is shown"
        assert 'href="/p/q/1"' in page.text  # back
        assert server.workshop.registry.counts().joined == 1


def test_back_and_dont_know_and_changing_an_answer(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        _, form = phone.current()
        assert phone.post(form, {"action": "unknown"}).headers["location"] == "/p/q/2"
        first = phone.client.get("/p/q/1")
        assert "Vraag 1 van 14" in first.text
        form = parse_form(first.text)
        phone.post(form, {"answer": "it", "action": "answer"})
        nothing = phone.post(form, {"action": "answer"})
        assert nothing.status_code == 400
        assert "Kies een antwoord, of kies \u2018Weet niet / niet van toepassing\u2019." in (
            nothing.text
        )
    data = yaml.safe_load((folder / "responses" / "r001.yaml").read_text())
    assert data["answers"] == {"afdeling": "it"}


def test_an_empty_open_answer_passes_over_the_question(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        page = phone.client.get("/p/q/14")
        form = parse_form(page.text)
        assert form.textarea and form.buttons == ["answer"]  # no don't know on an open question
        assert phone.post(form, {"answer": "  ", "action": "answer"}).status_code == 303
    data = yaml.safe_load((folder / "responses" / "r001.yaml").read_text())
    assert data["skipped"] == ["open.belemmering"] and data["answers"] == {}


def test_the_pages_speak_english_with_lang_en(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder, language="en") as server:
        phone = Phone(server.join_url)
        assert "About 5 minutes, 14 questions." in phone.join().text
        _, form = phone.current()
        assert form.progress.strip() == "Question 1 of 14"
        page = phone.client.get("/p/q/4")
        assert "Don&#39;t know / not applicable</button>" in page.text
        assert "Question 4 of 14 · Compass &amp; strategy" in page.text
        assert '<html lang="en">' in page.text


def test_the_brand_colours_come_from_the_assessment(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    (folder / "brand.yaml").write_text("name: Bureau Klantkracht\nprimary_colour: '#7a1f5c'\n")
    assessment = folder / "assessment.yaml"
    assessment.write_text(assessment.read_text() + "brand: brand.yaml\n")
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        assert "Bureau Klantkracht" in phone.join().text
        css = phone.client.get("/brand.css")
        assert css.headers["content-type"].startswith("text/css")
        assert "--primary:#7a1f5c;" in css.text


def test_the_facilitator_screen_and_its_data_match_the_scoring_engine(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        facilitator = facilitator_client(server.facilitator_url)
        page = facilitator.get("/facilitator")
        assert page.status_code == 200
        assert server.join_url in page.text
        assert "<svg" in page.text and 'class="qr"' in page.text
        empty = facilitator.get("/facilitator/data.json").json()
        assert empty["result"] is None and empty["participants"]["started"] == 0

        for seed in range(4):
            answer_all(Phone(server.join_url), seed * 5)

        def finished() -> dict[str, Any] | None:
            data: dict[str, Any] = facilitator.get("/facilitator/data.json").json()
            return data if data["participants"]["finished"] == 4 else None

        data = wait_for(finished, message="the board to count four finished participants")
        assert data["respondents"] == 4
        scored = runner.invoke(app, ["score", str(folder), "--json"])
        assert scored.exit_code == 0
        assert data["result"] == json.loads(scored.stdout)
        screen = facilitator.get("/facilitator").text
        phase = data["result"]["overall"]["phase"]["name"]
        assert f"Samen staan we in de fase <strong>{phase}</strong>" in screen

    # After the session the folder is an ordinary assessment: report and wall summary.
    html = tmp_path / "report.html"
    report = runner.invoke(app, ["report", str(folder), "--format", "html", "-o", str(html)])
    assert report.exit_code == 0, report.output
    assert phase in html.read_text(encoding="utf-8")
    wall = tmp_path / "summary.pdf"
    summary = runner.invoke(app, ["handout", "summary", str(folder), "-o", str(wall)])
    assert summary.exit_code == 0, summary.output
    assert wall.read_bytes().startswith(b"%PDF")


def test_the_screen_never_shows_a_group_below_the_minimum(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        # Four participants: three from customer service, one from IT.
        for index, department in enumerate(["klantenservice"] * 3 + ["it"]):
            phone = Phone(server.join_url)
            phone.join()
            _, form = phone.current()
            phone.post(form, {"answer": department, "action": "answer"})
            for turn in range(1, 14):
                _, form = phone.current()
                if form.question == "afdeling":
                    break
                fields = pick(form, index + turn)
                if form.choice_type == "radio" and not form.choices[0].isdigit():
                    fields = {"answer": form.choices[0], "action": "answer"}  # all alike
                phone.post(form, fields)
        facilitator = facilitator_client(server.facilitator_url)
        data = wait_for(
            lambda: (
                (d := facilitator.get("/facilitator/data.json").json())["participants"]["finished"]
                == 4
                and d
            ),
            message="four finished",
        )
        screen = facilitator.get("/facilitator").text
    [department] = [g for g in data["result"]["segments"] if g["question"] == "afdeling"]
    # IT (one person) is too small; customer service would give IT away as everyone minus
    # customer service, so it is left out too (complementary suppression).
    assert department["segments"] == []
    assert department["suppressed_groups"] == 2 and department["complementary"] == 1
    assert ">IT<" not in screen and "IT n" not in screen
    assert data["result"]["gaps"] == []
    assert "Verschillen tussen groepen verschijnen zodra groepen minstens 3" in screen


def test_closing_the_session_refuses_new_answers_politely(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        _, form = phone.current()
        phone.post(form, {"answer": "it", "action": "answer"})
        _, form = phone.current()
        facilitator = facilitator_client(server.facilitator_url)
        csrf = re.search(r'name="csrf" value="([^"]+)"', facilitator.get("/facilitator").text)
        assert csrf
        closed = facilitator.post("/facilitator/close", data={"csrf": csrf.group(1)})
        assert closed.status_code == 303
        before = responses(folder)
        refused = phone.post(form, {"answer": "management", "action": "answer"})
        assert refused.status_code == 409
        assert "De sessie is gesloten" in refused.text
        assert responses(folder) == before
        assert "De sessie is gesloten" in phone.client.get("/p/q/2").text
        newcomer = Phone(server.join_url).join()
        assert "De sessie is gesloten" in newcomer.text
        assert json.loads((folder / ".klantladder/workshop/session.json").read_text())["closed"]
        facilitator.post("/facilitator/reopen", data={"csrf": csrf.group(1)})
        assert phone.post(form, {"answer": "management", "action": "answer"}).status_code == 303


def test_the_session_file_keeps_hashes_not_tokens(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        _, form = phone.current()
        phone.post(form, {"answer": "it", "action": "answer"})
        token = phone.client.cookies["klantladder_participant"]
    directory = folder / ".klantladder" / "workshop"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    lines = (directory / "participants.jsonl").read_text().splitlines()
    assert token not in "".join(lines)
    events = [json.loads(line) for line in lines]
    assert [sorted(e) for e in events] == [["participant"], ["participant", "respondent"]]
    assert events[1]["respondent"] == "r001"
    assert re.fullmatch(r"[0-9a-f]{64}", events[0]["participant"])


def test_a_folder_with_responses_continues_the_assessment(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path)
    with ThreadServer(folder) as server:
        answer_all(Phone(server.join_url))
    with ThreadServer(folder, new_session=True) as server:
        answer_all(Phone(server.join_url), 3)
        assert server.workshop.state.continued is False
    assert sorted(p.name for p in (folder / "responses").iterdir()) == ["r001.yaml", "r002.yaml"]
    assert len(load_assessment(folder).responses) == 2


def test_a_multiple_choice_profile_question_takes_checkboxes(tmp_path: Path) -> None:
    from importhelpers import bilingual_folder

    folder = bilingual_folder(tmp_path)
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        number = next(
            n for n in range(1, 8) if 'type="checkbox"' in phone.client.get(f"/p/q/{n}").text
        )
        page = phone.client.get(f"/p/q/{number}")
        form = parse_form(page.text)
        assert form.choice_type == "checkbox" and form.buttons == ["answer"]
        assert "Meerdere antwoorden mogelijk." in page.text
        chosen = [form.choices[2], form.choices[0]]
        assert phone.post(form, {"answer": chosen, "action": "answer"}).status_code == 303
        saved = yaml.safe_load((folder / "responses" / "r001.yaml").read_text())
        assert saved["answers"] == {form.question: [form.choices[0], form.choices[2]]}
        again = parse_form(phone.client.get(f"/p/q/{number}").text)
        assert phone.post(again, {"action": "answer"}).status_code == 303  # none: passed over
    data = yaml.safe_load((folder / "responses" / "r001.yaml").read_text())
    assert data["answers"] == {}
    assert data["skipped"] == [form.question]


def test_routed_questions_are_passed_over_and_refused_on_a_phone(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path, version=None)  # quick scan 2: routing on its fact question
    routed = {"analyse.diepgang", "opvolging.acties"}
    seen: list[str] = []
    with ThreadServer(folder) as server:
        phone = Phone(server.join_url)
        phone.join()
        for turn in range(30):
            response = phone.client.get("/p")
            if response.headers["location"] == "/p/done":
                break
            path, form = phone.current()
            seen.append(form.question)
            number, total = (int(n) for n in re.findall(r"\d+", form.progress)[:2])
            assert path == f"/p/q/{number}", "the page's number is the one in its address"
            if form.question == "onderzoek.bestaat":
                assert total == 18
                phone.post(form, {"answer": "nee", "action": "answer"})
                continue
            if "onderzoek.bestaat" in seen:
                assert total == 16, "two questions are no longer asked"
            phone.post(form, pick(form, turn))
        refused = phone.post(
            form, {"question": "analyse.diepgang", "answer": "3", "action": "answer"}
        )
        assert refused.status_code == 400 and "is not asked" in refused.text
    assert not routed & set(seen)
    [saved] = (folder / "responses").iterdir()
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"]
    assert answers["onderzoek.bestaat"] == "nee" and not routed & set(answers)
    assert len(seen) == 16
