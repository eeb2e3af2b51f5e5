"""The ``klantladder`` command line: thin commands over the library.

Each command imports what it needs when it runs, so ``klantladder --help``
stays fast (WeasyPrint and pydantic are not imported by it).
"""

from __future__ import annotations

import typer

from klantladder import __version__
from klantladder.cli import collect, compare, handout, report, scoring, setup, workshop
from klantladder.cli.common import EXIT_CODES_HELP

app = typer.Typer(
    name="klantladder",
    help=(
        "Measure how customer-driven an organisation is on the five-rung klantladder "
        "and turn the answers into a report.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# In the order of the workflow: start, collect answers, score, report, then the helpers.
app.command()(setup.init)
app.command()(collect.interview)
app.command(name="import")(collect.import_)
app.command(name="export-form")(collect.export_form)
app.command()(workshop.workshop)
app.command()(scoring.score)
app.command()(report.report)
app.command()(compare.compare)
app.add_typer(handout.app, name="handout")
app.command()(setup.questionnaires)
app.command()(setup.validate)
app.command()(setup.schema)


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
