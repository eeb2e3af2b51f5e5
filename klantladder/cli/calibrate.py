"""``klantladder calibrate``: expected against placed phases, and fitted thresholds and rule."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klantladder.cli.common import handle_errors

if TYPE_CHECKING:
    from rich.console import Console

    from klantladder.models.calibrating import Agreement, CalibrationReport, Fit
    from klantladder.models.method import OverallRule


@handle_errors
def calibrate(
    folders: Annotated[
        list[Path],
        typer.Argument(
            metavar="FOLDER",
            help="Assessment folders; those whose assessment.yaml names 'expected:'.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    fit: Annotated[
        bool,
        typer.Option(
            "--fit",
            help="Fit thresholds and the cap of the weakest-rung rule on these folders (grid "
            "search) and run leave-one-out.",
        ),
    ] = False,
    step: Annotated[
        float,
        typer.Option(
            min=0.01,
            max=0.5,
            metavar="STEP",
            help="With --fit: grid step of the thresholds, which may lie anywhere in (1, 5] as "
            "long as they rise; must divide 1.",
        ),
    ] = 0.05,
    caps: Annotated[
        str,
        typer.Option(
            "--caps",
            metavar="N,N",
            help="With --fit: the caps to try, in phases above the weakest dimension (0-4; 0 is "
            "in effect the weakest rule, 4 the mean rule). Of equally good caps, the one closest "
            "to the method's wins.",
        ),
    ] = "1,2",
    write: Annotated[
        list[Path] | None,
        typer.Option(
            "--write",
            metavar="FILE",
            help="With --fit: put the fitted thresholds and rule (scoring:) and the calibration "
            "block into this questionnaire file (repeat for each language); needs --force.",
        ),
    ] = None,
    set_name: Annotated[
        str | None,
        typer.Option(
            "--set", metavar="WORDS", help="With --write: the calibration set, in a few words."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Allow --write to change the questionnaire file.")
    ] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language of phase names.",
            show_default="the first folder's",
        ),
    ] = None,
) -> None:
    """Check the instrument against practice: expected phase against placed phase.

    Every folder whose assessment.yaml names an expected phase (and, optionally,
    acceptable neighbours) is scored and placed. The table shows per folder
    whether the placement is exact, acceptable or a miss, and whether it lies too
    low or too high; then the exact agreement, the share within the acceptable
    phases, the confusion table (expected x placed) and the misses low and high.
    With --fit, the thresholds and the cap of the weakest-rung rule (at most N
    phases above the weakest dimension, N from --caps) are fitted together on
    the folders and checked by leave-one-out. The thresholds may lie anywhere
    between 1 and 5 as long as they rise from phase to phase: respondents use the
    scale compressed, so equal bands would leave the top phase hardly reachable.
    """
    from klantladder.calibration import calibrate as run
    from klantladder.calibration import write_calibration
    from klantladder.calibration.fit import caps_tried
    from klantladder.calibration.search import grid

    if write and not fit:
        raise typer.BadParameter("--write needs --fit", param_hint="'--write'")
    try:
        grid(step)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="'--step'") from None
    try:
        tried = caps_tried(_numbers(caps))
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="'--caps'") from None
    report = run(folders, fit=fit, step=step, caps=tried, language=language)
    for path in write or []:
        write_calibration(path, report, force=force, set_name=set_name)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False)
    show_report(console, report)
    for path in write or []:
        console.print(
            f"wrote the fitted thresholds and rule and the calibration block into {path}",
            markup=False,
        )


def _numbers(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise ValueError(f"{text!r} is not a list of whole numbers such as 1,2") from None


def rule_words(rule: OverallRule) -> str:
    """The overall rule in words, for the terminal."""
    if rule.rule == "mean":
        return "the phase of the mean"
    if rule.rule == "weakest":
        return "the phase of the weakest dimension"
    cap = rule.max_steps_above_weakest
    return f"capped by the weakest dimension, at most {cap} phase{'' if cap == 1 else 's'} above it"


def show_report(console: Console, report: CalibrationReport) -> None:
    """Print the agreement table, the figures and, after a fit, the fitted thresholds and rule."""
    current = report.current
    _placements(console, current, "Placed by each questionnaire's own thresholds and rule")
    if current.rule is not None:
        console.print(f"Rule: {rule_words(current.rule)}", markup=False)
    _figures(console, current)
    if report.without_expected:
        console.print(
            f"Left out (no expected phase): {', '.join(report.without_expected)}",
            markup=False,
        )
    if report.fit is not None:
        _fit(console, report.fit, current)


def _placements(console: Console, agreement: Agreement, title: str) -> None:
    from rich.table import Table

    table = Table(
        "folder",
        "organisation",
        "expected",
        "acceptable",
        "placed",
        "score",
        "weakest",
        "result",
        title=title,
        title_justify="left",
    )
    for item in agreement.placements:
        result = item.outcome + (f", too {item.direction}" if item.direction else "")
        table.add_row(
            Path(item.folder).name,
            item.organisation,
            item.expected.name,
            ", ".join(phase.name for phase in item.acceptable) or "-",
            item.placed.name,
            f"{item.score:.2f}",
            f"{item.weakest:.2f}",
            result,
        )
    console.print(table)


def _share(count: int, total: int) -> str:
    return f"{count} of {total} ({count / total:.0%})"


def _figures(console: Console, agreement: Agreement) -> None:
    from rich.table import Table

    total = agreement.organisations
    console.print(f"Exact agreement: {_share(agreement.exact, total)}")
    console.print(f"Within the acceptable phases: {_share(agreement.within_acceptable, total)}")
    console.print(
        f"Misses: {agreement.misses_low} too low, {agreement.misses_high} too high", markup=False
    )
    order = _phase_order(agreement)
    confusion = Table(
        "expected \\ placed", *order, title="Confusion (organisations)", title_justify="left"
    )
    for expected, row in agreement.confusion.items():
        confusion.add_row(
            expected, *(str(row[placed]) if placed in row else "" for placed in order)
        )
    console.print(confusion)


def _phase_order(agreement: Agreement) -> list[str]:
    levels: dict[str, int] = {}
    for item in agreement.placements:
        for phase in (item.expected, item.placed, *item.acceptable):
            levels[phase.id] = phase.level
    return sorted(levels, key=levels.__getitem__)


def _fit(console: Console, fit: Fit, current: Agreement) -> None:
    from rich.table import Column, Table

    fitted = fit.agreement
    assert fitted.thresholds is not None
    console.print()
    console.print(
        f"[bold]Fitted thresholds and rule[/bold] (rising, anywhere in (1, 5] on a grid of "
        f"{fit.step:g}; caps "
        f"{', '.join(str(c.max_steps_above_weakest) for c in fit.caps)}; {fit.searched} "
        f"combinations tried; {fit.equally_good} as good on agreement and balance, of which "
        f"the cap closest to the method's, then the thresholds closest to equal bands, are "
        f"chosen)"
    )
    caps = Table(
        Column("cap", no_wrap=True),
        *fitted.thresholds,
        "exact",
        "within",
        "low",
        "high",
        title="Best thresholds for each cap tried (misses too low, too high)",
        title_justify="left",
    )
    for cap in fit.caps:
        mark = (
            " (chosen)" if cap.max_steps_above_weakest == fit.rule.max_steps_above_weakest else ""
        )
        caps.add_row(
            f"{cap.max_steps_above_weakest}{mark}",
            *(f"{value:.2f}" for value in cap.thresholds.values()),
            str(cap.exact),
            str(cap.within_acceptable),
            str(cap.misses_low),
            str(cap.misses_high),
        )
    console.print(caps)
    console.print(f"fitted rule: {rule_words(fit.rule)}", markup=False)
    console.print(f"the method's rule: {rule_words(fit.declared)}", markup=False)
    table = Table("phase", "current", "fitted")
    for phase_id, value in fitted.thresholds.items():
        was = "-" if current.thresholds is None else f"{current.thresholds[phase_id]:.2f}"
        table.add_row(phase_id, was, f"{value:.2f}")
    console.print(table)
    changed = [
        (before, after)
        for before, after in zip(current.placements, fitted.placements, strict=True)
        if before.placed.id != after.placed.id
    ]
    for before, after in changed:
        console.print(
            f"  {Path(after.folder).name}: {before.placed.name} -> {after.placed.name} "
            f"(expected {after.expected.name})",
            markup=False,
        )
    _figures(console, fitted)
    loo = fit.leave_one_out
    if loo is None:
        console.print("Leave-one-out: needs three or more organisations.")
        return
    total = len(loo.organisations)
    console.print(
        f"Leave-one-out: exact {_share(loo.exact, total)}, within the acceptable phases "
        f"{_share(loo.within_acceptable, total)}; misses {loo.misses_low} too low, "
        f"{loo.misses_high} too high",
        markup=False,
    )
    chosen = ", ".join(f"cap {cap} in {count} of {total}" for cap, count in loo.caps.items())
    console.print(f"Leave-one-out refits chose {chosen}", markup=False)
