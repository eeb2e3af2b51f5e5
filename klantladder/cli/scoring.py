"""``klantladder score``: the result in the terminal, or as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from klantladder.cli.common import echo, handle_errors, markup

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from klantladder.models.result import Border, Interval, PhaseRef, ScoreResult


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
    """Score an assessment: per dimension score, margin, phase, spread and n; the phase and why.

    A score whose margin (95% interval) straddles a threshold is shown on the
    border of two phases. Also the key findings (the bottleneck with the answers
    behind it, the largest perception gap, the strongest dimension), the
    segments (groups too small to show, or that would give a small one away by
    subtraction, are left out), the perception gaps, the questions with most
    disagreement and the reliability per dimension.
    """
    from klantladder.fileio import write_atomic
    from klantladder.folder import load_assessment
    from klantladder.report.diagnosis import result_with_findings

    result = result_with_findings(load_assessment(folder, language))
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
    heading = f"{markup(info.organisation)} — " if info else ""
    questionnaire = result.questionnaire
    console.print(
        f"[bold]{heading}{markup(questionnaire.title)}[/bold] "
        f"({markup(questionnaire.id)} v{questionnaire.version}, {markup(language)}), "
        f"{counted(labels['score_respondents'], result.respondents, labels)}",
        highlight=False,
    )
    confidence = round(result.scoring.confidence * 100)
    routed = result.exclusions.not_asked > 0  # a column only for questionnaires that route
    table = Table(
        labels["score_dimension"],
        labels["score_score"],
        _fill(labels["score_interval"], confidence=confidence),
        labels["score_phase"],
        labels["score_spread"],
        labels["score_n"],
        labels["score_unknown"],
    )
    if routed:
        table.add_column(labels["score_not_asked"])
    for dimension in result.dimensions:
        table.add_row(
            markup(dimension.title),
            number(dimension.mean),
            _interval(dimension.interval, number),
            markup(_phase(dimension.phase, dimension.border)),
            number(dimension.sd),
            str(dimension.n),
            str(dimension.unknown),
            *([str(dimension.not_asked)] if routed else []),
        )
    table.add_section()
    overall = result.overall
    table.add_row(
        f"[bold]{labels['score_overall']}[/bold]",
        number(overall.score),
        _interval(overall.interval, number),
        f"[bold]{markup(overall.phase.name)}[/bold]",
    )
    table.caption = _fill(
        labels["score_interval_caption"],
        confidence=confidence,
        minimum=result.scoring.interval_min_n,
    )
    console.print(table)
    phase = overall.phase.name
    if overall.border is not None:
        phase = f"{phase} ({overall.border.text})"
    console.print(
        f"\n[bold]{markup(_fill(labels['score_phase_line'], phase=phase))}[/bold]",
        highlight=False,
    )
    for sentence in result.explanation:
        console.print(f"  • {markup(sentence)}", highlight=False)
    if result.findings:
        console.print(f"\n[bold]{markup(labels['exec_findings'])}[/bold]", highlight=False)
        for index, finding in enumerate(result.findings, start=1):
            console.print(
                f"  {index}. [bold]{markup(finding.title)}.[/bold] {markup(finding.text)}",
                highlight=False,
            )
            if finding.quote:
                console.print(f"     “{markup(finding.quote)}”", highlight=False)
    _show_segments(console, result, number, labels)
    _show_reliability(console, result, number, labels)


def _fill(template: str, **values: object) -> str:
    import string

    return string.Template(template).safe_substitute({k: str(v) for k, v in values.items()})


def _interval(span: Interval | None, number: Callable[[float | None], str]) -> str:
    return "-" if span is None else f"{number(span.low)}\u2013{number(span.high)}"


def _phase(phase: PhaseRef | None, border: Border | None) -> str:
    if phase is None:
        return "-"
    return border.text if border is not None else phase.name


def _show_segments(
    console: Console,
    result: ScoreResult,
    number: Callable[[float | None], str],
    labels: dict[str, Any],
) -> None:
    from rich.table import Table

    from klantladder.report.wording import counted

    minimum = result.scoring.min_group_size
    for group in result.segments:
        if not group.segments and not group.suppressed_groups:
            continue
        table = Table(
            labels["score_segment"],
            labels["score_n"],
            labels["score_overall"],
            title=markup(group.title),
            title_justify="left",
        )
        for segment in group.segments:
            table.add_row(markup(segment.label), str(segment.n), number(segment.overall))
        if group.suppressed_groups:
            small = group.suppressed_groups - group.complementary
            caption = counted(labels["score_suppressed"], small, labels, minimum=minimum)
            if group.complementary:
                caption += " " + counted(
                    labels["score_suppressed_complementary"], group.complementary, labels
                )
            table.caption = caption
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
                markup(gap.dimension_title),
                f"{markup(gap.high_label)} {number(gap.high_score)}",
                f"{markup(gap.low_label)} {number(gap.low_score)}",
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
            spread.add_row(markup(item.text), number(item.sd), str(item.n))
        console.print(spread)


def _show_reliability(
    console: Console,
    result: ScoreResult,
    number: Callable[[float | None], str],
    labels: dict[str, Any],
) -> None:
    from rich.table import Table

    computed = [item for item in result.reliability if item.status == "computed"]
    if not computed:
        return
    table = Table(
        labels["score_dimension"],
        labels["reliability_alpha"],
        labels["score_n"],
        _fill(labels["reliability_low_items"], item_rest=number(result.scoring.item_rest_bar)),
        title=labels["score_reliability"],
        title_justify="left",
    )
    for item in computed:
        low = [f"{rest.question} {number(rest.correlation)}" for rest in item.item_rest if rest.low]
        alpha = number(item.alpha) + (f" ({labels['reliability_low']})" if item.alpha_low else "")
        table.add_row(markup(item.title), alpha, str(item.n), markup(", ".join(low)) or "-")
    table.caption = _fill(
        labels["score_reliability_caption"], alpha=number(result.scoring.alpha_bar)
    )
    console.print(table)
