"""``klantladder score``: the result in the terminal, or as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from klantladder.cli.common import handle_errors

if TYPE_CHECKING:
    from rich.console import Console

    from klantladder.models.result import ScoreResult


@handle_errors
def score(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Also write the JSON result to this file."
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language of names and texts.",
            show_default="the assessment's",
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
        typer.echo(f"wrote {output}")


def show_result(console: Console, result: ScoreResult) -> None:
    """Print a scored result as tables and sentences, in the result's language."""
    from rich.table import Table

    from klantladder.formatting import format_score
    from klantladder.report.environment import report_labels
    from klantladder.report.wording import counted

    language = result.questionnaire.language
    labels = report_labels(language)

    def number(value: float | None) -> str:
        return "-" if value is None else format_score(value, language)

    info = result.assessment
    heading = f"{info.organisation} — " if info else ""
    console.print(
        f"[bold]{heading}{result.questionnaire.title}[/bold] "
        f"({result.questionnaire.id} v{result.questionnaire.version}, {language}), "
        f"{counted(labels['score_respondents'], result.respondents, labels)}",
        highlight=False,
    )
    table = Table(
        labels["score_dimension"],
        labels["score_score"],
        labels["score_phase"],
        labels["score_spread"],
        labels["score_n"],
        labels["score_unknown"],
    )
    for dimension in result.dimensions:
        table.add_row(
            dimension.title,
            number(dimension.mean),
            dimension.phase.name if dimension.phase else "-",
            number(dimension.sd),
            str(dimension.n),
            str(dimension.unknown),
        )
    table.add_section()
    table.add_row(
        f"[bold]{labels['score_overall']}[/bold]",
        number(result.overall.score),
        f"[bold]{result.overall.phase.name}[/bold]",
    )
    console.print(table)
    phase_line = labels["score_phase_line"].replace("$phase", result.overall.phase.name)
    console.print(f"\n[bold]{phase_line}[/bold]", highlight=False)
    for sentence in result.explanation:
        console.print(f"  • {sentence}", highlight=False, markup=False)
    _show_segments(console, result, number, labels)


def _show_segments(
    console: Console, result: ScoreResult, number: object, labels: dict[str, Any]
) -> None:
    from rich.table import Table

    from klantladder.report.wording import counted

    assert callable(number)
    for group in result.segments:
        if not group.segments and not group.suppressed_groups:
            continue
        table = Table(
            labels["score_segment"],
            labels["score_n"],
            labels["score_overall"],
            title=group.title,
            title_justify="left",
        )
        for segment in group.segments:
            table.add_row(segment.label, str(segment.n), number(segment.overall))
        if group.suppressed_groups:
            table.caption = counted(
                labels["score_suppressed"],
                group.suppressed_groups,
                labels,
                minimum=result.scoring.min_group_size,
            )
        console.print(table)
    if result.gaps:
        gaps = Table(
            labels["score_dimension"],
            labels["score_higher"],
            labels["score_lower"],
            labels["score_gap"],
            title=labels["score_gaps"],
            title_justify="left",
        )
        for gap in result.gaps[:5]:
            gaps.add_row(
                gap.dimension_title,
                f"{gap.high_label} {number(gap.high_score)}",
                f"{gap.low_label} {number(gap.low_score)}",
                number(gap.difference),
            )
        console.print(gaps)
    if result.disagreement:
        spread = Table(
            labels["score_question"],
            labels["score_spread"],
            labels["score_n"],
            title=labels["score_disagreement"],
            title_justify="left",
        )
        for item in result.disagreement:
            spread.add_row(item.text, number(item.sd), str(item.n))
        console.print(spread)
