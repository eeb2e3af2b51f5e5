"""``klantladder score``: the result in the terminal, or as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klantladder.cli.common import echo, handle_errors, markup

if TYPE_CHECKING:
    from rich.console import Console

    from klantladder.models.result import ScoreResult


@handle_errors
def score(
    folder: Annotated[Path, typer.Argument(help="Assessment folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the JSON result to this file."),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of names and texts.", show_default="the assessment's"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output.")] = False,
) -> None:
    """Score an assessment: per dimension score, phase, spread and n; the phase and why."""
    from klantladder.fileio import write_atomic
    from klantladder.folder import load_assessment

    result = load_assessment(folder, language).score()
    text = result.model_dump_json(indent=2) + "\n"
    if output is not None:
        write_atomic(output, text, force=force)
    if as_json:
        typer.echo(text, nl=False)
        return
    from rich.console import Console

    show_result(Console(), result)
    if output is not None:
        echo(f"wrote {output}")


def show_result(console: Console, result: ScoreResult) -> None:
    """Print a scored result as tables and sentences."""
    from rich.table import Table

    from klantladder.formatting import format_score

    language = result.questionnaire.language

    def number(value: float | None) -> str:
        return "-" if value is None else format_score(value, language)

    info = result.assessment
    heading = f"{markup(info.organisation)} — " if info else ""
    questionnaire = result.questionnaire
    console.print(
        f"[bold]{heading}{markup(questionnaire.title)}[/bold] "
        f"({markup(questionnaire.id)} v{questionnaire.version}, {markup(language)}), "
        f"{result.respondents} respondents",
        highlight=False,
    )
    table = Table("dimension", "score", "phase", "spread", "n", "don't know")
    for dimension in result.dimensions:
        table.add_row(
            markup(dimension.title),
            number(dimension.mean),
            markup(dimension.phase.name) if dimension.phase else "-",
            number(dimension.sd),
            str(dimension.n),
            str(dimension.unknown),
        )
    table.add_section()
    table.add_row(
        "[bold]overall[/bold]",
        number(result.overall.score),
        f"[bold]{markup(result.overall.phase.name)}[/bold]",
    )
    console.print(table)
    console.print(f"\n[bold]Phase: {markup(result.overall.phase.name)}[/bold]", highlight=False)
    for sentence in result.explanation:
        console.print(f"  • {markup(sentence)}", highlight=False)
    _show_segments(console, result, number)


def _show_segments(console: Console, result: ScoreResult, number: object) -> None:
    from rich.table import Table

    assert callable(number)
    for group in result.segments:
        if not group.segments and not group.suppressed_groups:
            continue
        table = Table("segment", "n", "overall", title=markup(group.title), title_justify="left")
        for segment in group.segments:
            table.add_row(markup(segment.label), str(segment.n), number(segment.overall))
        if group.suppressed_groups:
            table.caption = (
                f"{group.suppressed_groups} group(s) under {result.scoring.min_group_size} "
                f"respondents not shown"
            )
        console.print(table)
    if result.gaps:
        gaps = Table(
            "dimension",
            "higher",
            "lower",
            "gap",
            title="Largest perception gaps",
            title_justify="left",
        )
        for gap in result.gaps[:5]:
            gaps.add_row(
                markup(gap.dimension_title),
                f"{markup(gap.high_label)} {number(gap.high_score)}",
                f"{markup(gap.low_label)} {number(gap.low_score)}",
                number(gap.difference),
            )
        console.print(gaps)
    if result.disagreement:
        spread = Table("question", "spread", "n", title="Most disagreement", title_justify="left")
        for item in result.disagreement:
            spread.add_row(markup(item.text), number(item.sd), str(item.n))
        console.print(spread)
