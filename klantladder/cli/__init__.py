"""The ``klantladder`` command line: thin commands over the library.

Each command imports what it needs when it runs, so ``klantladder --help``
stays fast (WeasyPrint and pydantic are not imported by it).
"""

from __future__ import annotations

import typer

from klantladder import __version__
from klantladder.cli import (
    answers,
    calibrate,
    collect,
    compare,
    handout,
    plan,
    report,
    respondents,
    scoring,
    setup,
    workshop,
)
from klantladder.cli.common import EXIT_CODES_HELP, TidyCommand, TidyGroup

app = typer.Typer(
    name="klantladder",
    cls=TidyGroup,
    help=(
        "Measure how customer-driven an organisation is on the five-rung klantladder "
        "and turn the answers into a report.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# In the order of the workflow: start, collect answers, score, report, then the helpers.
app.command(cls=TidyCommand)(setup.init)
app.command(cls=TidyCommand)(collect.interview)
app.command(name="import", cls=TidyCommand)(collect.import_)
app.command(name="export-form", cls=TidyCommand)(collect.export_form)
app.command(cls=TidyCommand)(workshop.workshop)
app.command(cls=TidyCommand)(scoring.score)
app.command(cls=TidyCommand)(report.report)
app.command(cls=TidyCommand)(plan.actions)
app.command(cls=TidyCommand)(answers.answers)
app.command(cls=TidyCommand)(compare.compare)
app.command(cls=TidyCommand)(calibrate.calibrate)
app.add_typer(handout.app, name="handout")
app.add_typer(respondents.app, name="respondent")
app.command(cls=TidyCommand)(setup.questionnaires)
app.command(cls=TidyCommand)(setup.validate)
app.command(cls=TidyCommand)(setup.schema)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"klantladder {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Measure how customer-driven an organisation is on the five-rung klantladder."""


def main() -> None:
    """Entry point of the console script."""
    app()
