"""``klantladder handout ...``: printable material for a workshop."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from klantladder.cli.common import PrivacyMode, TidyCommand, TidyGroup, echo, handle_errors

app = typer.Typer(
    help="Printable handouts: questionnaire, ladder poster, phase cards, group result.",
    no_args_is_help=True,
    cls=TidyGroup,
)


class Size(StrEnum):
    """Paper sizes of the poster and the wall summary."""

    a4 = "a4"
    a3 = "a3"


Output = Annotated[
    Path | None, typer.Option("--output", "-o", metavar="FILE", help="Output PDF file.")
]
Language = Annotated[
    str | None, typer.Option("--lang", metavar="LANG", help="nl or en.", show_default="nl")
]
Brand = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Brand file: name, logo, colours, footer."),
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite the output file.")]
WallSize = Annotated[
    Size,
    typer.Option(
        metavar="a3|a4",
        help="Paper size, landscape: a3 for the wall (text read from three metres), "
        "a4 for a copy on the table.",
    ),
]


def _done(path: Path) -> None:
    echo(f"wrote {path}")


@app.command(cls=TidyCommand)
@handle_errors
def questionnaire(
    quick: Annotated[
        bool, typer.Option("--quick", help="The quick scan instead of the intake.")
    ] = False,
    language: Language = None,
    output: Output = None,
    brand: Brand = None,
    force: Force = False,
    return_to: Annotated[
        str | None,
        typer.Option(
            "--return-to",
            metavar="WHERE",
            help="Where to hand the form in, printed on every page, "
            "e.g. 'de doos bij de receptie'.",
            show_default="to the facilitator",
        ),
    ] = None,
    assessment: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="Assessment folder: print its questionnaire, in its language, with the "
            "promise its privacy mode keeps.",
        ),
    ] = None,
    privacy: Annotated[
        PrivacyMode | None,
        typer.Option(
            metavar="anonymous|pseudonymous|named",
            help="What the form promises and asks: anonymous (nothing), pseudonymous (a code) "
            "or named (a name).",
            show_default="the assessment's, else pseudonymous",
        ),
    ] = None,
) -> None:
    """A paper questionnaire with tick boxes; type it in later with 'klantladder interview'.

    Every page says which page it is and where to hand the form in.
    """
    from klantladder.handouts import render_handout

    _done(
        render_handout(
            "questionnaire",
            output=output,
            language=language,
            quick=quick,
            folder=assessment,
            brand_file=brand,
            force=force,
            return_to=return_to,
            privacy=privacy.value if privacy else None,
        )
    )


@app.command(cls=TidyCommand)
@handle_errors
def ladder(
    size: WallSize = Size.a3,
    language: Language = None,
    output: Output = None,
    brand: Brand = None,
    force: Force = False,
) -> None:
    """A landscape poster of the five phases and how to recognise each (A3 by default)."""
    from klantladder.handouts import render_handout

    _done(
        render_handout(
            "ladder",
            output=output,
            language=language,
            size=size.value,
            brand_file=brand,
            force=force,
        )
    )


@app.command(cls=TidyCommand)
@handle_errors
def cards(
    phase: Annotated[
        str | None, typer.Option(metavar="PHASE", help="Only this phase, e.g. analyseren.")
    ] = None,
    language: Language = None,
    output: Output = None,
    brand: Brand = None,
    force: Force = False,
) -> None:
    """Phase cards with building blocks, tips and pitfalls: four A6 cards per A4, with cut marks."""
    from klantladder.handouts import render_handout

    _done(
        render_handout(
            "cards", output=output, language=language, phase=phase, brand_file=brand, force=force
        )
    )


@app.command(cls=TidyCommand)
@handle_errors
def summary(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    size: WallSize = Size.a3,
    language: Annotated[
        str | None,
        typer.Option("--lang", metavar="LANG", help="nl or en.", show_default="the assessment's"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Output PDF.",
            show_default="FOLDER/summary-<date>.pdf",
        ),
    ] = None,
    brand: Brand = None,
    force: Force = False,
) -> None:
    """One page with the group's result for the wall: the ladder, the marks, where to start.

    A3 by default, with text large enough to read from three metres.
    """
    from klantladder.handouts import render_handout

    _done(
        render_handout(
            "summary",
            output=output,
            language=language,
            folder=folder,
            size=size.value,
            brand_file=brand,
            force=force,
        )
    )
