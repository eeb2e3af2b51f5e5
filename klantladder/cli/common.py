r"""What every command shares: the error handler, safe output and the consoles.

Everything a command prints that came from a user — a file name, an
organisation, a question's text, a message quoting a value — goes through
`visible` (for plain output) or `markup` (for rich markup), so it cannot
steer the terminal: control characters (ESC, OSC, a newline that would forge
an ``ok:`` line, bidi overrides) are shown as escapes such as ``\x1b``, and
rich markup such as ``[/bold]`` is shown as text, never interpreted.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

P = ParamSpec("P")
R = TypeVar("R")

EXIT_CODES_HELP = "Exit codes: 0 ok, 1 bad input (message names file:line:col), 2 usage error."

# C0 and C1 controls, DEL, and the Unicode marks that reorder text on screen.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: object) -> str:
    r"""Text with every control character shown as an escape (``\x1b``, ``\n``)."""
    return _INVISIBLE.sub(_shown, str(text))


def markup(text: object) -> str:
    """User text for a rich markup string: control characters visible, markup shown as text."""
    from rich.markup import escape

    return escape(visible(text))


# Characters JSON leaves as they are that could still steer a terminal.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_text(data: object) -> str:
    r"""Data as indented JSON for the terminal: still valid JSON, but nothing in it steers it.

    JSON escapes the C0 controls itself; DEL, the C1 controls and the bidi
    marks become ``\uXXXX`` escapes, which JSON reads back as the same text.
    """
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def echo(text: object, *, err: bool = False) -> None:
    """Print one line of plain output with its control characters made visible."""
    typer.echo(visible(text), err=err)


def echo_problems(problems: Iterable[object]) -> int:
    """Print problems to stderr (at most `MAX_PROBLEMS_SHOWN`, then a count); return how many."""
    from klantladder.limits import MAX_PROBLEMS_SHOWN

    count = 0
    for count, problem in enumerate(problems, start=1):
        if count <= MAX_PROBLEMS_SHOWN:
            echo(problem, err=True)
    if count > MAX_PROBLEMS_SHOWN:
        echo(f"... and {count - MAX_PROBLEMS_SHOWN} more problems not shown.", err=True)
    return count


class PrivacyMode(StrEnum):
    """How an assessment knows its respondents (``privacy`` in assessment.yaml)."""

    anonymous = "anonymous"
    pseudonymous = "pseudonymous"
    named = "named"


class _Notes(logging.Handler):
    """Prints the library's notes (such as a recovered interrupted import) on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        echo(f"note: {record.getMessage()}", err=True)


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
            count = echo_problems(error.problems)
            if count > 1:
                echo(f"{count} problems found.", err=True)
            raise typer.Exit(error.exit_code) from None
        except KlantladderError as error:
            echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            echo("interrupted; everything saved so far is kept.", err=True)
            raise typer.Exit(130) from None
        except (RecursionError, MemoryError) as error:
            # Every input is checked against its limits first; this is the last line.
            what = "too deeply nested" if isinstance(error, RecursionError) else "too large"
            echo(f"error: the input is {what} to process; refused", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            echo(f"error: {where}{error.strerror or error}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


def _tidy(params: list[Any]) -> list[Any]:
    """Show each parameter in --help by its metavariable only, as a user expects.

    A flag shows no type (not ``<bool>``); an argument shows its metavariable
    (``FOLDER``) without the type next to it (not ``<path>``). Options name
    their own metavariable (``FILE``, ``LANG``) where they are declared.
    """
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif getattr(param, "param_type_name", "") == "argument" and param.metavar:
            object.__setattr__(param, "display_type_rich", _no_type)
    return params


def _no_type(ctx: object = None) -> None:
    return None


class TidyCommand(TyperCommand):
    """A command whose --help shows metavariables, not Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The command's parameters, tidied for help."""
        return _tidy(super().get_params(ctx))


class TidyGroup(TyperGroup):
    """A group of commands whose --help shows metavariables, not Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's parameters, tidied for help."""
        return _tidy(super().get_params(ctx))


def stdin_is_terminal() -> bool:
    """Whether a person can answer prompts (patched in tests)."""
    return sys.stdin.isatty()
