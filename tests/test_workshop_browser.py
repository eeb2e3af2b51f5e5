"""The workshop in a real browser: Debian's Chromium driven by Playwright.

A participant answers the quick scan on a phone-sized screen, closes the page
halfway, scans again and finishes; the facilitator's screen counts and fills
in the ladder while answers arrive, without a reload. Screenshots go to the
test's folder, and to ``KLANTLADDER_SCREENSHOTS`` when it names one (that is
how docs/workshop-*.png are made).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from workshophelpers import Phone, ServerProcess, pick, workshop_folder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "nl-NL",
}
# How long a step may take to show: generous, because a loaded CI machine scores the
# board in a worker thread; these tests check what appears, not how fast.
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


def screenshot(page: Any, tmp_path: Path, name: str, *, full_page: bool = False) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=full_page)
    wanted = os.environ.get("KLANTLADDER_SCREENSHOTS")
    if wanted:
        shutil.copyfile(path, Path(wanted) / name)
    return path


def answer_on_screen(page: Any, number: int) -> None:
    """Answer the question on the page as a person does: tap a choice (or type), then Next."""
    expect = pytest.importorskip("playwright.sync_api").expect
    expect.set_options(timeout=TIMEOUT)  # expect() waits 5 s by default, whatever the context's
    expect(page.locator("#progress-text")).to_contain_text(f"Vraag {number} van 14")
    textarea = page.get_by_role("textbox")
    if textarea.count():
        textarea.fill("Afdelingen werken langs elkaar heen <script>alert(1)</script>")
    else:
        choices = page.get_by_role("radio")
        choices.nth(number % choices.count()).check()
    page.get_by_role("button", name="Volgende").click()


def test_a_participant_answers_on_a_phone_closes_the_page_halfway_and_finishes(
    tmp_path: Path, browser: Any
) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    expect.set_options(timeout=TIMEOUT)  # expect() waits 5 s by default, whatever the context's
    folder = workshop_folder(tmp_path)
    with ServerProcess(folder) as server:
        context = browser.new_context(**PHONE)
        context.set_default_timeout(TIMEOUT)
        page = context.new_page()
        page.goto(server.join_url)
        expect(page.get_by_role("heading", level=1)).to_have_text("Klantladder quickscan")
        page.get_by_role("link", name="Beginnen").click()
        for number in range(1, 8):
            if number == 5:
                page.get_by_role("radio").nth(2).check()
                screenshot(page, tmp_path, "workshop-participant.png", full_page=True)
            answer_on_screen(page, number)
        expect(page.locator("#progress-text")).to_contain_text("Vraag 8 van 14")
        [saved] = (folder / "responses").glob("*.yaml")
        assert len(yaml.safe_load(saved.read_text())["answers"]) == 7
        page.close()

        # The phone comes back later and scans the QR code again.
        page = context.new_page()
        page.goto(server.join_url)
        expect(page.locator("#progress-text")).to_contain_text("Vraag 8 van 14")
        page.get_by_role("link", name="Vorige").click()
        expect(page.locator("#progress-text")).to_contain_text("Vraag 7 van 14")
        assert page.get_by_role("radio", checked=True).count() == 1  # the answer given before
        page.get_by_role("button", name="Volgende").click()
        for number in range(8, 15):
            answer_on_screen(page, number)
        expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel!")
        context.close()

    [saved] = (folder / "responses").glob("*.yaml")
    response = yaml.safe_load(saved.read_text())
    assert saved.name == "r001.yaml"
    assert response["source"] == {"tool": "workshop"}
    assert response["completed"]
    assert len(response["answers"]) == 14
    assert response["answers"]["open.belemmering"].endswith("<script>alert(1)</script>")


def group_answer(form: Any, index: int, turn: int) -> dict[str, Any]:
    """Profile answers in two groups of at least three (4 and 3), so gaps can be shown."""
    if form.choice_type == "radio" and not form.choices[0].isdigit():
        return {"answer": form.choices[index % 2], "action": "answer"}
    return pick(form, index * 3 + turn)


def test_the_facilitator_screen_counts_and_fills_the_ladder_without_a_reload(
    tmp_path: Path, browser: Any
) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    expect.set_options(timeout=TIMEOUT)  # expect() waits 5 s by default, whatever the context's
    folder = workshop_folder(tmp_path)
    with ServerProcess(folder) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
        context.set_default_timeout(TIMEOUT)
        page = context.new_page()
        page.goto(server.facilitator_url)
        assert page.url.endswith("/facilitator"), "the token leaves the address bar"
        expect(page.locator("#count-started")).to_have_text("0")
        assert page.locator(".ladder svg circle").count() == 0
        page.evaluate("window.stillTheSamePage = true")

        phones = [Phone(server.join_url) for _ in range(7)]
        for phone in phones:
            phone.join()
        # Five questions each (three about the participant, then two scored ones):
        # the count moves and the ladder gets its first marks.
        for turn in range(5):
            for index, phone in enumerate(phones):
                _, form = phone.current()
                phone.post(form, group_answer(form, index, turn))
        expect(page.locator("#count-started")).to_have_text("7")
        expect(page.locator(".ladder svg circle")).not_to_have_count(0)
        marks_early = page.locator(".ladder svg circle").count()

        for index, phone in enumerate(phones):
            for turn in range(5, 14):
                _, form = phone.current()
                phone.post(form, group_answer(form, index, turn))
            phone.close()
        expect(page.locator("#count-finished")).to_have_text("7")
        expect(page.locator(".gaps li").first).to_be_visible()
        marks_late = page.locator(".ladder svg circle").count()
        assert marks_late > marks_early
        assert page.evaluate("window.stillTheSamePage") is True, "the page was not reloaded"
        quotes = page.locator(".quotes q")
        expect(quotes.first).to_contain_text("<b>meer</b>")  # shown as text, not as HTML
        assert page.locator(".quotes b").count() == 0
        screenshot(page, tmp_path, "workshop-facilitator.png")
        context.close()
