"""What every command shares: the error handler and the consoles."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

P = ParamSpec("P")
R = TypeVar("R")

EXIT_CODES_HELP = "Exit codes: 0 ok, 1 bad input (message names file:line:col), 2 usage error."


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn klantladder's errors into one message on stderr and an exit code.

    No traceback reaches the user for an error in their input.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from klantladder.errors import EXIT_BAD_INPUT, InputError, KlantladderError

        try:
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
