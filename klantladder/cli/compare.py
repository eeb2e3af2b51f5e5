"""``klantladder compare``: assessments over time, like for like, in a table or as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klantladder.cli.common import handle_errors, markup, visible

if TYPE_CHECKING:
    from rich.console import Console

    from klantladder.models.comparison import (
        Comparison,
        DimensionChange,
        LeftOutQuestion,
        NotCompared,
        OverallChange,
        QuestionLink,
        Step,
    )
    from klantladder.models.result import PhaseRef

ARROWS = {"up": "[green]▲[/green]", "down": "[red]▼[/red]", "same": "="}
PARTIAL = "*"
WITHIN = "within the measurement uncertainty"


@handle_errors
def compare(
    folders: Annotated[
        list[Path],
        typer.Argument(metavar="FOLDER...", help="Two or more assessment folders, in any order."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language of names and phases.",
            show_default="each assessment's own",
        ),
    ] = None,
) -> None:
    """Compare assessments over time: per dimension and overall, score, phase and change.

    Changes are like for like: both assessments are scored on the questions that
    correspond between their questionnaires only (same id, or what a newer
    questionnaire version declares it replaces). Dimensions that cannot be
    compared are listed with the reason. A change is marked 'within the
    measurement uncertainty' unless it is larger than the margins of both
    measurements together.
    """
    if len(folders) < 2:
        raise typer.BadParameter("give two or more assessment folders", param_hint="'FOLDERS...'")
    resolved = [folder.resolve() for folder in folders]
    if len(set(resolved)) < len(resolved):
        raise typer.BadParameter("a folder is given twice", param_hint="'FOLDERS...'")
    from klantladder.overtime.compare import compare as compare_folders

    comparison = compare_folders(folders, language)
    if as_json:
        typer.echo(comparison.model_dump_json(indent=2))
        return
    from rich.console import Console

    show_comparison(Console(), comparison)


def show_comparison(console: Console, comparison: Comparison) -> None:
    """Print a comparison: the table, then what was compared and what was not."""
    from rich.table import Table

    texts = _Texts(comparison)
    assessments = comparison.assessments
    table = Table("dimension")
    for index, summary in enumerate(assessments):
        if index:
            table.add_column("change", justify="right")
        table.add_column(
            f"{summary.date}\n{markup(summary.questionnaire.id)} v{summary.questionnaire.version}"
        )
    long = len(assessments) > 2
    if long:
        table.add_column(f"{assessments[0].date} →\n{assessments[-1].date}", justify="right")
    for dimension in comparison.dimension_ids:
        row = [texts.dimension_title(dimension)]
        for index, summary in enumerate(assessments):
            if index:
                row.append(texts.change_cell(comparison.steps[index - 1], dimension))
            score = next((d for d in summary.dimensions if d.id == dimension), None)
            row.append(
                texts.score_cell(score.score if score else None, score.phase if score else None)
            )
        if long:
            row.append(texts.change_cell(comparison.span, dimension))
        table.add_row(*row)
    table.add_section()
    overall = ["[bold]overall[/bold]"]
    for index, summary in enumerate(assessments):
        if index:
            overall.append(texts.overall_cell(comparison.steps[index - 1].overall))
        overall.append(
            f"[bold]{texts.score_cell(summary.overall.score, summary.overall.phase)}[/bold]"
        )
    if long:
        overall.append(texts.overall_cell(comparison.span.overall))
    table.add_row(*overall)
    table.caption = (
        f"change: like for like; {PARTIAL} on part of the questions (see below); "
        f"a change not marked '{WITHIN}' is larger than the margins of both measurements"
    )
    console.print(table)
    for note in texts.notes():
        _plain(console, f"note: {note}")
    steps = [*comparison.steps, comparison.span] if long else comparison.steps
    for step in steps:
        _show_step(console, texts, step)


def _show_step(console: Console, texts: _Texts, step: Step) -> None:
    earlier = texts.date(step.earlier)
    later = texts.date(step.later)
    console.print(f"\n[bold]{earlier} → {later}[/bold]", highlight=False)
    for note in texts.step_notes(step):
        _plain(console, f"  note: {note}")
    for change in step.dimensions:
        console.print(texts.change_line(change), highlight=False)
        if change.complete and all(link.change == "same" for link in change.questions):
            continue
        for link in change.questions:
            if link.change != "same" or not change.complete:
                _plain(console, f"    {texts.link(link)}")
        for item in change.left_out:
            console.print(
                visible(f"    left out: {texts.left_out(step, item)}"),
                highlight=False,
                markup=False,
            )
    for missing in step.not_compared:
        _plain(console, f"  {texts.not_compared(step, missing)}")
        for item in missing.left_out:
            console.print(
                visible(f"    left out: {texts.left_out(step, item)}"),
                highlight=False,
                markup=False,
            )
    if step.overall is not None:
        console.print(texts.overall_line(step.overall), highlight=False)
    else:
        console.print("  overall: no dimension could be compared", highlight=False)


def _plain(console: Console, text: str) -> None:
    """A line of plain text: no markup, control characters visible."""
    console.print(visible(text), highlight=False, markup=False)


class _Texts:
    """The English words of the terminal view; the result itself holds only codes."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.language = comparison.language
        self.titles: dict[str, str] = {}
        for summary in comparison.assessments:
            self.titles.update({d.id: d.title for d in summary.dimensions})

    def number(self, value: float) -> str:
        from klantladder.formatting import format_score

        return format_score(value, self.language)

    def signed(self, value: float) -> str:
        return ("+" if value > 0 else "") + self.number(value)

    def date(self, index: int) -> str:
        return str(self.comparison.assessments[index].date)

    def dimension_title(self, dimension: str) -> str:
        return markup(self.titles.get(dimension, dimension))

    def score_cell(self, score: float | None, phase: PhaseRef | None) -> str:
        if score is None:
            return "-"
        return f"{self.number(score)} {markup(phase.name) if phase else ''}".strip()

    def change_cell(self, step: Step, dimension: str) -> str:
        change = step.change(dimension)
        if change is None:
            return "[dim]not compared[/dim]"
        mark = "" if change.complete else PARTIAL
        text = f"{ARROWS[change.direction]} {self.signed(change.change)}{mark}"
        return text if change.meaningful else f"{text} [dim]{WITHIN}[/dim]"

    def overall_cell(self, overall: OverallChange | None) -> str:
        if overall is None:
            return "[dim]not compared[/dim]"
        mark = "" if overall.complete else PARTIAL
        text = f"[bold]{ARROWS[overall.direction]} {self.signed(overall.change)}{mark}[/bold]"
        return text if overall.meaningful else f"{text} [dim]{WITHIN}[/dim]"

    def significance(self, change: DimensionChange | OverallChange) -> str:
        """Whether a change exceeds the measurement uncertainty, with its margin."""
        if change.margin is None:
            return f"{WITHIN} (too few respondents for a margin)"
        margin = f"margin ±{self.number(change.margin)}"
        return f"larger than the {margin}" if change.meaningful else f"{WITHIN} ({margin})"

    def change_line(self, change: DimensionChange) -> str:
        scope = "all questions" if change.complete else "part of the questions"
        return (
            f"  {markup(change.title)}: {self.number(change.earlier)} → "
            f"{self.number(change.later)} ({ARROWS[change.direction]} "
            f"{self.signed(change.change)}), on {scope}; "
            f"{self.significance(change)}"
        )

    def overall_line(self, overall: OverallChange) -> str:
        names = ", ".join(self.dimension_title(d) for d in overall.dimensions)
        return (
            f"  overall like for like over {names}: {self.number(overall.earlier)} → "
            f"{self.number(overall.later)} ({ARROWS[overall.direction]} "
            f"{self.signed(overall.change)}); {self.significance(overall)}"
        )

    @staticmethod
    def link(link: QuestionLink) -> str:
        earlier, later = ", ".join(link.earlier), ", ".join(link.later)
        if link.change == "same":
            return f"{earlier} = {later}"
        return f"{earlier} → {later} ({link.change})"

    def left_out(self, step: Step, item: LeftOutQuestion) -> str:
        if item.reason == "dropped":
            why = f"dropped: {item.note}" if item.note else "dropped"
        elif item.reason == "not_in_later":
            why = f"not asked in {self.date(step.later)}"
        elif item.reason == "not_in_earlier":
            why = f"not asked in {self.date(step.earlier)}"
        elif item.reason == "changed_scale":
            why = "same id, but another kind of question or level"
        else:
            why = "its counterpart measures another dimension"
        return f"{item.question} ({why})"

    def not_compared(self, step: Step, missing: NotCompared) -> str:
        reasons = {
            "not_in_earlier": f"not measured in {self.date(step.earlier)}",
            "not_in_later": f"not measured in {self.date(step.later)}",
            "scoring_differs": "answers turn into scores differently (agreement fractions)",
            "no_corresponding_questions": "no corresponding questions",
            "no_answers_earlier": f"nobody answered its questions in {self.date(step.earlier)}",
            "no_answers_later": f"nobody answered its questions in {self.date(step.later)}",
        }
        return f"{missing.title}: not compared, {reasons[missing.reason]}"

    def notes(self) -> list[str]:
        found = []
        if "different_organisations" in self.comparison.notes:
            names = sorted({a.organisation for a in self.comparison.assessments})
            found.append(f"the assessments are of different organisations: {', '.join(names)}")
        if "same_date" in self.comparison.notes:
            found.append("some assessments have the same date; they keep the order given")
        return found

    def step_notes(self, step: Step) -> list[str]:
        earlier = self.comparison.assessments[step.earlier].questionnaire
        later = self.comparison.assessments[step.later].questionnaire
        found = []
        if "different_questionnaires" in step.notes:
            found.append(
                f"{earlier.id} and {later.id} are different questionnaires on one method; "
                f"compared on the questions they share"
            )
        if "changes_not_applied" in step.notes:
            found.append(
                f"the changes that {later.id} v{max(earlier.version, later.version)} declares "
                f"refer to another version than v{min(earlier.version, later.version)}; "
                f"questions compared by id only"
            )
        return found
