"""The import summary: where every row of the export went, in counts a person can check.

Every data row lands in exactly one category, so the counts add up to the rows
read: added, updated, already there, the same response twice in the export, an
older edit in the export, skipped as preview or test, skipped as partial,
skipped as empty, or erased before (a tombstone keeps an erased respondent out).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klantladder.importing.tools import TOOL_NAMES, Tool
from klantladder.report.wording import counted

# Counted forms (as the report's labels have them) for the nouns the summary counts.
_DATA_ROWS = {"one": "$count data row", "other": "$count data rows"}
_RESPONSES = {"one": "$count response", "other": "$count responses"}
_PARTIAL_INCLUDED = {
    "one": "$count of the rows added, updated or already there is a partial response",
    "other": "$count of the rows added, updated or already there are partial responses",
}


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, or under ``dry_run`` would do."""

    tool: Tool
    export: Path
    layout: str
    header_row: int
    rows: int
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    duplicates: int
    superseded: int
    test: int
    partial: int
    partial_included: int
    empty: int
    forgotten: int
    contact_columns: tuple[str, ...]
    contact_kept: bool
    dry_run: bool
    written: tuple[Path, ...]
    notes: tuple[str, ...]
    title: str | None = None
    not_asked: int = 0
    """Answers ignored: their question is routed around for that respondent."""

    @property
    def tool_name(self) -> str:
        """The tool's name as people know it."""
        return TOOL_NAMES[self.tool]

    @property
    def accounted(self) -> int:
        """The rows the categories account for; equal to `rows`."""
        return (
            len(self.added)
            + len(self.updated)
            + self.unchanged
            + self.duplicates
            + self.superseded
            + self.test
            + self.partial
            + self.empty
            + self.forgotten
        )

    def lines(self) -> list[str]:
        """The summary as printed by ``klantladder import``."""
        where = f", header on row {self.header_row}" if self.header_row > 1 else ""
        rows = counted(_DATA_ROWS, self.rows, {})
        head = f"{self.layout}: {self.export.name}, {rows}{where}"
        if self.title:
            head += f" (above the header: {self.title!r})"
        partial_hint = "" if self.partial == 0 else "import them with --include-partial"
        counts = [
            ("added", len(self.added), ""),
            ("updated", len(self.updated), "a newer edit of a response imported before"),
            ("already there", self.unchanged, ""),
            ("same response twice in this export", self.duplicates, "counted once"),
            ("older edit in this export", self.superseded, "the newest edit counts"),
            ("skipped: preview, test or spam", self.test, ""),
            ("skipped: partial response", self.partial, partial_hint),
            ("skipped: no answers", self.empty, ""),
            ("skipped: erased before", self.forgotten, ""),
        ]
        lines = [head]
        for label, count, hint in counts:
            lines.append(f"  {label:<36}{count:>6}" + (f"  {hint}" if hint and count else ""))
        if self.partial_included:
            lines.append(
                "  ("
                + counted(_PARTIAL_INCLUDED, self.partial_included, {})
                + ": --include-partial)"
            )
        if self.not_asked:
            lines.append(
                f"  {'answers to questions not asked':<36}{self.not_asked:>6}  ignored: the "
                f"questionnaire's conditions route around them"
            )
        contact = ", ".join(self.contact_columns)
        if self.contact_kept:
            lines.append(
                f"  {'contact columns kept in key file':<36}{len(self.contact_columns):>6}"
            )
        else:
            lines.append(f"  {'contact columns dropped':<36}{len(self.contact_columns):>6}")
        if contact:
            lines[-1] += f"  {contact}" + (
                "" if self.contact_kept else "; --keep-contact keeps them"
            )
        if self.dry_run:
            lines.append("dry run: nothing written")
        elif self.added or self.updated:
            written = counted(_RESPONSES, len(self.added) + len(self.updated), {})
            lines.append(f"written: {written}")
        else:
            lines.append("nothing new to write")
        return lines
