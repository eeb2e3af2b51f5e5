"""Rehearse a workshop without phones: simulated participants answer while you watch.

Starts ``klantladder workshop`` (through the library's `run_workshop`) on an
assessment folder, and lets a number of simulated participants answer the
questionnaire over HTTP exactly as a phone without JavaScript does: join
through the QR code's link, read each question's form (with its CSRF token),
post an answer, follow the redirect. Open the facilitator's link that is
printed (or pass --open) and watch the ladder fill in.

    python examples/workshop_rehearsal.py                       # a fresh quick scan folder
    python examples/workshop_rehearsal.py DIR --participants 20 --open
    python examples/workshop_rehearsal.py --participants 4 --pace 0.05 --stop

Stop with Ctrl-C, or pass --stop to end once every participant is done.
Needs the workshop extra: pip install -e ".[workshop]".
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from klantladder.folder import init_assessment
from klantladder.workshop import Announcement, WorkshopSettings, run_workshop

CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="answer" id="[^"]+" value="([^"]*)"')


@dataclass(frozen=True)
class QuestionForm:
    """The parts of a question page's form a participant fills in."""

    csrf: str
    question: str
    choices: list[str]
    several: bool
    open: bool
    unknown: bool

    @classmethod
    def read(cls, html: str) -> QuestionForm:
        """Read the form of a question page."""

        def hidden(name: str) -> str:
            found = re.search(rf'name="{name}" value="([^"]*)"', html)
            assert found, f"no {name} on the page"
            return found.group(1)

        return cls(
            csrf=hidden("csrf"),
            question=hidden("question"),
            choices=CHOICE.findall(html),
            several='type="checkbox"' in html,
            open="<textarea" in html,
            unknown='value="unknown" class="secondary"' in html,
        )


class SimulatedPhone:
    """One participant: a cookie jar and the pages of the session."""

    def __init__(self, join_url: str, seed: int, pace: float) -> None:
        self.join_url = join_url
        self.base = join_url.split("/join/")[0]
        self.random = random.Random(seed)
        self.leaning = self.random.choice([2, 3, 3, 4])  # how this person sees the organisation
        self.pace = pace
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _open(self, url: str, data: bytes | None = None) -> tuple[str, str]:
        while True:
            try:
                with self.opener.open(url, data=data, timeout=30) as response:
                    return response.geturl(), response.read().decode("utf-8")
            except urllib.error.HTTPError as error:
                if error.code != 429:  # too many requests: wait as the server asks
                    raise
                time.sleep(float(error.headers.get("Retry-After", "1")))

    def answer_everything(self) -> None:
        """Join and answer until the thanks page."""
        self._open(self.join_url)
        url, html = self._open(self.base + "/p")
        while not url.endswith("/p/done"):
            form = QuestionForm.read(html)
            time.sleep(self.random.uniform(0.5, 1.5) * self.pace)
            fields = [("csrf", form.csrf), ("question", form.question)]
            if form.open:
                fields.append(("answer", "Meer tijd om klanten echt te spreken."))
            elif form.unknown and self.random.random() < 0.05:
                fields.append(("action", "unknown"))
            elif form.several:
                fields += [("answer", choice) for choice in self.random.sample(form.choices, 1)]
            elif form.choices[0].isdigit():
                level = min(5, max(1, round(self.random.gauss(self.leaning, 0.8))))
                fields.append(("answer", str(level)))
            else:
                fields.append(("answer", self.random.choice(form.choices)))
            if ("action", "unknown") not in fields:
                fields.append(("action", "answer"))
            data = urllib.parse.urlencode(fields).encode("utf-8")
            url, html = self._open(self.base + "/p/answer", data)  # 303: the next question


def rehearse(ready: Announcement, participants: int, pace: float, stop: bool) -> None:
    """Let the participants answer, a little apart, in threads of their own."""
    phones = [SimulatedPhone(ready.join_url, seed, pace) for seed in range(participants)]
    threads = []
    for phone in phones:
        thread = threading.Thread(target=phone.answer_everything, daemon=True)
        thread.start()
        threads.append(thread)
        time.sleep(0.3 * pace)
    for thread in threads:
        thread.join()
    print(f"All {participants} simulated participants are done.", flush=True)
    if stop:
        os.kill(os.getpid(), signal.SIGINT)  # the server shuts down as on Ctrl-C


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="assessment folder [a new one]")
    parser.add_argument("--participants", type=int, default=12)
    parser.add_argument("--pace", type=float, default=2.0, help="seconds per answer, about")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--open", action="store_true", help="open the facilitator screen")
    parser.add_argument("--stop", action="store_true", help="stop once everyone is done")
    args = parser.parse_args()
    folder = args.folder
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="klantladder-rehearsal-")) / "oefensessie"
        init_assessment(
            folder, organisation="Oefenbedrijf", questionnaire_id="quickscan", language="nl"
        )

    def on_ready(ready: Announcement) -> None:
        print(f"Facilitator screen: {ready.facilitator_url}", flush=True)
        print(f"Participants' link: {ready.join_url}", flush=True)
        threading.Thread(
            target=rehearse, args=(ready, args.participants, args.pace, args.stop), daemon=True
        ).start()

    settings = WorkshopSettings(port=args.port, open_browser=args.open)
    counts = run_workshop(folder, settings, on_ready=on_ready)
    print(f"{counts.finished} of {counts.started} participants finished; answers in {folder}")
    print(f"Next: klantladder score {folder}")


if __name__ == "__main__":
    main()
