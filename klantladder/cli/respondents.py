"""``klantladder respondent show|forget``: a respondent's right to see and to erase their data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from klantladder.cli.common import (
    TidyCommand,
    TidyGroup,
    echo,
    handle_errors,
    json_text,
    markup,
    stdin_is_terminal,
)

app = typer.Typer(
    help="What is stored about one respondent: show it, or erase it on request.",
    no_args_is_help=True,
    cls=TidyGroup,
)

Folder = Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")]
Who = Annotated[
    str,
    typer.Argument(
        metavar="CODE|NAME",
        help="The respondent's code, or a name or contact detail from respondents.key.yaml.",
    ),
]


@app.command(cls=TidyCommand)
@handle_errors
def show(
    folder: Folder,
    who: Who,
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """Print everything stored about one respondent: answers, source, identity, key entry."""
    from klantladder.store.keys import identity
    from klantladder.store.respondents import show_respondent

    found = show_respondent(folder, who)
    response = found.response
    record: dict[str, Any] = {
        "respondent": found.code,
        "stored_in": found.stored.place if found.stored else None,
        "import_identity": identity(response.source) if response else None,
        "response": response.model_dump(mode="json", exclude_none=True) if response else None,
        "key_file": found.key.model_dump(mode="json", exclude_defaults=True) if found.key else None,
    }
    if as_json:
        typer.echo(json_text(record))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]Respondent {markup(found.code)}[/bold] in {markup(str(folder))}")
    console.print(f"stored in: {markup(record['stored_in'] or 'nowhere (no answers yet)')}")
    if record["key_file"]:
        console.print("in respondents.key.yaml:")
        for key, value in _flat(record["key_file"]):
            console.print(f"  {markup(key)}: {markup(value)}", markup=True)
    else:
        console.print("in respondents.key.yaml: nothing")
    if response is None:
        return
    if record["import_identity"]:
        console.print(f"import identity: {markup(record['import_identity'])}")
    details = record["response"]
    for key in ("questionnaire", "started", "completed", "source", "name"):
        if key in details:
            for name, value in _flat({key: details[key]}):
                console.print(f"{markup(name)}: {markup(value)}")
    table = Table("question", "answer", title="answers", title_justify="left")
    for question, answer in response.answers.items():
        shown = "; ".join(answer) if isinstance(answer, list) else str(answer)
        table.add_row(markup(question), markup(shown))
    console.print(table)
    if response.skipped:
        console.print(f"skipped: {markup(', '.join(response.skipped))}")


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            items += _flat(value, f"{name}.")
        else:
            items.append((name, str(value)))
    return items


@app.command(cls=TidyCommand)
@handle_errors
def forget(
    folder: Folder,
    who: Who,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase one respondent on request: answers, key entry and import identity, at once.

    Their code and a one-way hash of their import identity go into
    forgotten.yaml, so a re-import of the same export does not bring them back.
    """
    from klantladder.store.respondents import forget_respondent, show_respondent

    found = show_respondent(folder, who)
    if not yes:
        if not stdin_is_terminal():
            raise typer.BadParameter(
                "give --yes to confirm (there is no terminal to ask)", param_hint="'--yes'"
            )
        where = found.stored.place if found.stored else "no answers"
        typer.confirm(
            f"Erase respondent {found.code} ({where}"
            + (", key file entry" if found.key else "")
            + ")? This cannot be undone",
            abort=True,
        )
    done = forget_respondent(folder, found.code)
    echo(f"erased respondent {done.code}: " + "; ".join(done.removed))
    echo(
        "reports made before still hold their answers in the totals; make them again. "
        "Copies in git history or backups are not touched."
    )
