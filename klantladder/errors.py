"""The one exception tree of klantladder.

Library code raises these and never prints or exits; the CLI catches
`KlantladderError` in one place, prints the message to stderr and exits with
`exit_code`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one input file, at a place when it is known."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.message}"


class KlantladderError(Exception):
    """Base class of every error klantladder reports to a user."""

    exit_code = EXIT_BAD_INPUT


class InputError(KlantladderError):
    """One or more input files are malformed or inconsistent.

    Every problem found in a file is reported at once, each as
    ``file:line:col: message``.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, file: str | Path, message: str, line: int | None = None, column: int | None = None
    ) -> InputError:
        """Build an error holding one problem."""
        return cls([Problem(str(file), line, column, message)])


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line or 0, problem.column or 0, problem.message)


class NotFoundError(KlantladderError):
    """A named thing (questionnaire, assessment folder, template) does not exist."""


class OutputExistsError(KlantladderError):
    """An output file or folder exists and ``--force`` was not given."""

    def __init__(self, path: Path, what: str = "file") -> None:
        self.path = path
        super().__init__(f"{path}: {what} exists; use --force to overwrite it")


class RenderError(KlantladderError):
    """The report or a handout could not be rendered."""


# --- the data layer (klantladder/store) ---------------------------------------


class BusyError(KlantladderError):
    """Another klantladder process or session is writing what this one wants to write."""


class WriteError(KlantladderError):
    """A file could not be written (a full disk, a read-only folder); nothing was changed."""

    def __init__(
        self, path: Path, reason: str, consequence: str = "the folder is as it was"
    ) -> None:
        self.path = path
        super().__init__(f"{path}: could not write it ({reason}); {consequence}")
