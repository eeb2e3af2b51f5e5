"""What every command shares: the error handler and the consoles."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import ParamSpec, TypeVar

import typer

P = ParamSpec("P")
R = TypeVar("R")

EXIT_CODES_HELP = "Exit codes: 0 ok, 1 bad input (message names file:line:col), 2 usage error."


class PrivacyMode(StrEnum):
    """How an assessment knows its respondents (``privacy`` in assessment.yaml)."""

    anonymous = "anonymous"
    pseudonymous = "pseudonymous"
    named = "named"


class _Notes(logging.Handler):
    """Prints the library's notes (such as a recovered interrupted import) on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"note: {record.getMessage()}", err=True)


def _show_notes() -> None:
    logger = logging.getLogger("klantladder")
    if not any(isinstance(handler, _Notes) for handler in logger.handlers):
        logger.addHandler(_Notes(logging.WARNING))
        logger.propagate = False


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn klantladder's errors into one message on stderr and an exit code.

    No traceback reaches the user for an error in their input.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from klantladder.cli.progress import terminal_progress
        from klantladder.errors import EXIT_BAD_INPUT, InputError, KlantladderError

        _show_notes()
        try:
            with terminal_progress():
                return command(*args, **kwargs)
        except InputError as error:
            for problem in error.problems:
                typer.echo(str(problem), err=True)
            count = len(error.problems)
            if count > 1:
                typer.echo(f"{count} problems found.", err=True)
            raise typer.Exit(error.exit_code) from None
        except KlantladderError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted; everything saved so far is kept.", err=True)
            raise typer.Exit(130) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            typer.echo(f"error: {where}{error.strerror or error}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


def stdin_is_terminal() -> bool:
    """Whether a person can answer prompts (patched in tests)."""
    return sys.stdin.isatty()
