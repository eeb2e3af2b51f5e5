"""``klantladder workshop``: a live session with participants on their phones."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klantladder.cli.common import echo, handle_errors

if TYPE_CHECKING:
    from klantladder.workshop.server import Announcement

EXTRA_MODULES = {"starlette", "uvicorn", "segno", "anyio"}


class PageLanguage(StrEnum):
    """The --lang choices of workshop."""

    nl = "nl"
    en = "en"


@handle_errors
def workshop(
    folder: Annotated[
        Path,
        typer.Argument(metavar="FOLDER", help="Assessment folder (made by 'klantladder init')."),
    ],
    host: Annotated[
        str,
        typer.Option(
            metavar="ADDRESS",
            help="Address to listen on. The default reaches this computer only; 0.0.0.0 (or "
            "an address of this computer) lets phones on the network join: use a network you "
            "trust.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", help="Port to listen on; 0 takes a free one.")
    ] = 8765,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="Questionnaire id (quickscan, intake; or quick, full) to confirm: it must be "
            "the assessment's own, which is the default.",
        ),
    ] = None,
    language: Annotated[
        PageLanguage | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language of the pages: nl or en.",
            show_default="the assessment's",
        ),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the facilitator screen in a browser.")
    ] = False,
    new_session: Annotated[
        bool,
        typer.Option(
            "--new-session",
            help="Start a new session with new links instead of continuing the last one; "
            "answers already given stay in the folder.",
        ),
    ] = False,
) -> None:
    """Run a live workshop: participants answer on their phones, the ladder fills in live.

    Prints the participants' link with its QR code, and the facilitator's link
    for the projector. Every answer is saved in the folder at once (as by
    'interview'); Ctrl-C stops the server, and starting it again continues the
    same session. Needs klantladder's optional 'workshop' extra.
    """
    try:
        from klantladder.workshop.server import run_workshop
        from klantladder.workshop.settings import WorkshopSettings
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in EXTRA_MODULES:
            raise
        from klantladder.errors import KlantladderError

        raise KlantladderError(
            f"the workshop needs the optional extra ({error.name} is missing); install it "
            f'with: pip install "klantladder[workshop]"'
        ) from None

    settings = WorkshopSettings(
        host=host,
        port=port,
        questionnaire=questionnaire,
        language=language.value if language else None,
        open_browser=open_browser,
        new_session=new_session,
    )
    counts = run_workshop(folder, settings, on_ready=lambda ready: _announce(folder, ready))
    echo(
        f"Session stopped: {counts.started} participants started, {counts.finished} finished; "
        f"their answers are in {folder / 'responses'}. Start again to continue the session."
    )


def _announce(folder: Path, ready: Announcement) -> None:
    if ready.continued:
        echo(
            f"Continuing the workshop session in {folder} (participants so far: "
            f"{ready.participants}); the links are the same."
        )
    else:
        echo(f"New workshop session in {folder}.")
    echo(f"{ready.organisation} · questionnaire {ready.questionnaire} · pages in {ready.language}")
    echo("")
    echo(f"Participants join at:  {ready.join_url}")
    typer.echo(ready.qr, nl=False)  # our own block characters, lines and all
    echo(f"Facilitator screen (keep this link to yourself):  {ready.facilitator_url}")
    echo("")
    if ready.lan:
        echo(
            f"Listening on {ready.listening}: every device on this network can reach the "
            f"server. Participants should use the address above."
        )
    else:
        echo(
            f"Listening on {ready.listening}: only this computer can reach it. For phones in "
            f"the room, start with --host 0.0.0.0 on a network you trust."
        )
    echo("Every answer is saved in the folder at once. Stop with Ctrl-C.")
