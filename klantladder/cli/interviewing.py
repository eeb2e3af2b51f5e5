"""The terminal face of an interview: rich output, single-key answers, back and skip.

Every word of the interview's own chrome (progress, key help, the echo of an
answer, the closing lines) comes from the label files in the assessment's
language (``interview_*`` in ``report_templates/labels.<lang>.yaml``). Long
lines wrap at word boundaries; an echoed answer keeps a hanging indent.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table

from klantladder.cli.common import markup
from klantladder.cli.keys import Keyboard
from klantladder.formatting import format_score
from klantladder.interview import Answer, Interview
from klantladder.models.assessment import UNKNOWN
from klantladder.models.base import localize
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Question,
)

UNKNOWN_KEY = "0"
BACK, SKIP, QUIT = "b", "s", "q"
MAX_SINGLE_KEY_OPTIONS = 9


class Stop(Exception):
    """The person chose to stop; everything is saved."""


def interview_labels(language: str) -> dict[str, Any]:
    """The interview's chrome in ``language`` (the report's label file)."""
    from klantladder.report.environment import report_labels

    return report_labels(language)


def name_prompt(folder: Path) -> str | None:
    """The question for the respondent's name or code, in the assessment's language.

    None for an anonymous assessment: it takes no names, and a new code needs no question.
    """
    from klantladder.folder import load_assessment_file

    _, assessment = load_assessment_file(folder)
    if assessment.privacy == "anonymous":
        return None
    return str(interview_labels(assessment.language)["interview_name_prompt"])


def say(labels: dict[str, Any], key: str, **values: object) -> str:
    """A label filled with ``values``; every value escaped for rich markup, controls shown."""
    return string.Template(labels[key]).safe_substitute(
        {name: markup(value) for name, value in values.items()}
    )


def hanging(mark: str, text: str) -> Table:
    """``mark`` and then ``text``, wrapped at words with every further line under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, text)
    return grid


class InterviewScreen:
    """Asks the questions of an `Interview` in a terminal until it is over or stopped."""

    def __init__(self, interview: Interview, console: Console, keyboard: Keyboard) -> None:
        self.interview = interview
        self.console = console
        self.keyboard = keyboard
        self.labels = interview.questionnaire.content.answer_labels
        self.chrome = interview_labels(interview.language)

    def run(self) -> bool:
        """Ask until every question is answered or skipped; False if the person stopped."""
        try:
            while not self.interview.finished:
                question = self.interview.current
                assert question is not None
                self._show(question)
                self._ask(question)
        except (Stop, EOFError):
            return False
        return True

    def _text(self, text: str | dict[str, str]) -> str:
        return markup(localize(text, self.interview.language))

    def _show(self, question: Question) -> None:
        interview = self.interview
        heading = say(
            self.chrome, "interview_progress", number=interview.number, total=interview.total
        )
        dimension = interview.dimension_title(question)
        if dimension:
            heading += f" · {markup(dimension)}"
        self.console.print()
        self.console.print(f"[dim]{heading}[/dim]", highlight=False)
        self.console.print(f"[bold]{self._text(question.text)}[/bold]", highlight=False)
        if question.help:
            self.console.print(f"[italic]{self._text(question.help)}[/italic]", highlight=False)
        choices = Table.grid(padding=(0, 2))
        choices.add_column(justify="right", style="cyan", no_wrap=True)
        choices.add_column()
        for key, label in self._choices(question):
            choices.add_row(key, label)
        self.console.print(Padding(choices, (0, 0, 0, 2)), highlight=False)
        given = interview.given(question)
        hint = self._hint(question)
        if given is not None:
            hint += " · " + say(
                self.chrome, "interview_now", answer=self._describe(question, given)
            )
        self.console.print(f"[dim]{hint}[/dim]", highlight=False)

    def _choices(self, question: Question) -> list[tuple[str, str]]:
        if isinstance(question, LadderQuestion):
            items = [(str(level), self._text(text)) for level, text in question.statements.items()]
        elif isinstance(question, LikertQuestion):
            items = [
                (str(level), self._text(text)) for level, text in self.labels.agreement.items()
            ]
        elif isinstance(question, ProfileQuestion):
            items = [(str(i), self._text(o.label)) for i, o in enumerate(question.options, start=1)]
        else:
            return []
        if question.allow_unknown and not (
            isinstance(question, ProfileQuestion) and question.multiple
        ):
            items.append((UNKNOWN_KEY, self._text(self.labels.unknown)))
        return items

    def _hint(self, question: Question) -> str:
        if isinstance(question, OpenQuestion):
            return markup(self.chrome["interview_keys_open"])
        if isinstance(question, ProfileQuestion) and question.multiple:
            return markup(self.chrome["interview_keys_multiple"])
        return markup(self.chrome["interview_keys"])

    def _describe(self, question: Question, value: Answer) -> str:
        if value == UNKNOWN:
            return localize(self.labels.unknown, self.interview.language)
        choices = dict(self._choices(question))
        if isinstance(question, ProfileQuestion):
            chosen = value if isinstance(value, list) else [value]
            labels = {o.id: localize(o.label, self.interview.language) for o in question.options}
            return ", ".join(labels.get(str(option), str(option)) for option in chosen)
        if isinstance(value, int):
            return f"{value} {choices.get(str(value), '')}".strip()
        return str(value)

    def _ask(self, question: Question) -> None:
        while True:
            if isinstance(question, OpenQuestion):
                reply = self._read_line()
                command = reply.strip().lower() if reply.strip().startswith("/") else None
                if command in ("/b", "/s", "/q"):
                    self._command(command[1])
                    return
                if not reply.strip():
                    self.interview.skip()
                    return
                self._give(question, reply.strip())
                return
            multiple = isinstance(question, ProfileQuestion) and (
                question.multiple or len(question.options) > MAX_SINGLE_KEY_OPTIONS
            )
            reply = (self._read_line() if multiple else self._read_key()).strip().lower()
            if reply in (BACK, SKIP, QUIT):
                self._command(reply)
                return
            value = self._parse(question, reply)
            if value is None:
                keys = ", ".join(key for key, _ in self._choices(question))
                message = say(self.chrome, "interview_not_a_choice", reply=reply, keys=keys)
                self.console.print(f"[red]{message}[/red]")
                continue
            self._give(question, value)
            return

    def _read_key(self) -> str:
        self.console.print("> ", end="")
        key = self.keyboard.key()
        if key == "":
            raise EOFError
        # A terminal shows the key pressed; input from a pipe is not echoed, so
        # the prompt's line ends here, and what follows starts a line of its own.
        self.console.print(markup(key) if self.keyboard.single_keys else "", highlight=False)
        return key

    def _read_line(self) -> str:
        self.console.print("> ", end="")
        if self.keyboard.single_keys:
            return input()
        line = self.keyboard.line()
        self.console.print()
        return line

    def _parse(self, question: Question, reply: str) -> Answer | None:
        single = not (isinstance(question, ProfileQuestion) and question.multiple)
        if reply == UNKNOWN_KEY and getattr(question, "allow_unknown", False) and single:
            return UNKNOWN
        if isinstance(question, LadderQuestion | LikertQuestion):
            return int(reply) if reply in {"1", "2", "3", "4", "5"} else None
        if isinstance(question, ProfileQuestion):
            numbers = reply.replace(",", " ").split()
            if not numbers or not all(
                n.isdigit() and 1 <= int(n) <= len(question.options) for n in numbers
            ):
                return None
            chosen = [question.options[int(n) - 1].id for n in numbers]
            if question.multiple:
                return [o.id for o in question.options if o.id in chosen]
            return chosen[0] if len(chosen) == 1 else None
        return None

    def _give(self, question: Question, value: Answer) -> None:
        self.interview.answer(value)
        self.console.print(
            hanging("[green]✓[/green]", markup(self._describe(question, value))), highlight=False
        )

    def _command(self, command: str) -> None:
        if command == QUIT:
            raise Stop
        if command == SKIP:
            self.interview.skip()
            self.console.print(f"[yellow]{markup(self.chrome['interview_skipped'])}[/yellow]")
        elif not self.interview.back():
            self.console.print(f"[yellow]{markup(self.chrome['interview_first'])}[/yellow]")


def show_summary(console: Console, interview: Interview) -> None:
    """Counts of answers and the respondent's own phase."""
    summary = interview.summary()
    chrome = interview_labels(interview.language)
    console.print()
    console.print(
        say(
            chrome,
            "interview_answered",
            answered=summary.answered,
            total=summary.total,
            unknown=summary.unknown,
            skipped=summary.skipped,
        )
        + (
            " " + say(chrome, "interview_not_asked", not_asked=summary.not_asked)
            if summary.not_asked
            else ""
        ),
        highlight=False,
    )
    if summary.phase is not None and summary.score is not None:
        console.print(
            say(
                chrome,
                "interview_own_phase",
                phase=summary.phase,
                score=format_score(summary.score, interview.language),
            ),
            highlight=False,
        )
