"""One respondent, one response: rows with the same identity key, in the export and the folder.

* The same response twice in an export with the same answers (a double
  submit, or two downloads pasted together) is one respondent, counted.
* Edits of one response (the same key, a revision each) keep the newest.
* The same key with other answers and nothing that says which is newer is a
  conflict: klantladder never guesses. A `Resolver` (the CLI asks at a
  terminal) may choose; without one, or when it declines, the import stops
  with a message naming the rows.

The same holds against the folder: a row whose key is stored with other
answers is an update only when its revision is newer; with no revision to
tell, it is a conflict too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from klantladder.errors import Problem
from klantladder.importing.rows import ImportRow
from klantladder.models.assessment import Response
from klantladder.store.keys import identity, qualified


@dataclass(frozen=True)
class Conflict:
    """Rows that are one response by their key but answer differently.

    With ``stored``, the conflict is between one row and the folder's response;
    otherwise between the rows of the export.
    """

    key: str
    rows: tuple[ImportRow, ...]
    stored: Response | None = None

    @property
    def label(self) -> str:
        """The response as a person recognises it: the tool's id, else what the row shows."""
        return self.rows[0].label


# Returns the index of the row to keep (a conflict in the export), 0 to keep the
# folder's answers (a conflict with the folder), or None to stop the import.
Resolver = Callable[[Conflict], int | None]


@dataclass
class Settled:
    """The rows to hand to the store, and what was set aside."""

    rows: list[ImportRow] = field(default_factory=list)
    duplicates: int = 0
    superseded: int = 0
    kept_stored: int = 0
    problems: list[Problem] = field(default_factory=list)


def differences(first: Response, second: Response, limit: int = 3) -> str:
    """The answers two responses disagree on, for a person to judge."""
    ids = sorted(set(first.answers) | set(second.answers))
    differing = [i for i in ids if first.answers.get(i) != second.answers.get(i)]
    shown = [
        f"{i}: {_shown(first.answers.get(i))} / {_shown(second.answers.get(i))}"
        for i in differing[:limit]
    ]
    more = len(differing) - limit
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _shown(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return "+".join(str(item) for item in value) or "-"
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def settle(
    rows: Sequence[ImportRow],
    stored: Sequence[Response],
    resolver: Resolver | None,
    sheet_name: str,
    id_column: int,
) -> Settled:
    """Reduce the rows to one per respondent, checked against the folder."""
    settled = Settled()
    groups: dict[str, list[ImportRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    by_key: dict[str, Response] = {}
    for response in stored:
        found = identity(response.source)
        if found is not None:
            by_key.setdefault(found, response)
    claimed: set[str] = set()
    for key, group in groups.items():
        chosen = _one_of(key, group, resolver, settled, sheet_name, id_column)
        if chosen is None:
            continue
        known = _known(chosen, by_key, claimed)
        if known is None or known.answers == chosen.response.answers:
            settled.rows.append(chosen)
            continue
        before = known.source.revision if known.source else None
        if chosen.revision is not None and chosen.revision != before:
            settled.rows.append(chosen)  # newer: an update; older: the store leaves it
            continue
        conflict = Conflict(key, (chosen,), known)
        if resolver is not None and resolver(conflict) == 0:
            settled.kept_stored += 1
            continue
        settled.problems.append(
            Problem(
                sheet_name,
                chosen.row,
                id_column,
                f"{conflict.label} is already in the folder as {known.respondent} with "
                f"other answers ({differences(known, chosen.response)}), and the export says "
                f"nothing about which is newer; remove the row, or import at a terminal to choose",
            )
        )
    return settled


def _known(row: ImportRow, by_key: dict[str, Response], claimed: set[str]) -> Response | None:
    """The stored response a row is, by its key, else by what an older import stored.

    The same rule as the store's (`klantladder.store.commit`): the first row that
    claims an older import's response by its legacy key is that response.
    """
    tool = row.response.source.tool if row.response.source else "csv"
    known = by_key.get(qualified(tool, row.key))
    if known is None:
        candidates = (by_key.get(each) for each in row.legacy)
        known = next((r for r in candidates if r and r.respondent not in claimed), None)
    if known is not None:
        claimed.add(known.respondent)
    return known


def _one_of(
    key: str,
    group: list[ImportRow],
    resolver: Resolver | None,
    settled: Settled,
    sheet_name: str,
    id_column: int,
) -> ImportRow | None:
    if len(group) == 1:
        return group[0]
    newest = max(group, key=lambda row: row.revision or "")
    rivals = [
        row
        for row in group
        if row.revision == newest.revision and row.response.answers != newest.response.answers
    ]
    if not rivals:
        same = [row for row in group if row.revision == newest.revision]
        settled.duplicates += len(same) - 1
        settled.superseded += len(group) - len(same)
        return newest
    candidates = tuple(row for row in group if row.revision == newest.revision)
    conflict = Conflict(key, candidates)
    choice = resolver(conflict) if resolver is not None else None
    if choice is not None and 0 <= choice < len(candidates):
        settled.superseded += len(group) - 1
        return candidates[choice]
    numbers = [row.row for row in candidates]
    listed = ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
    settled.problems.append(
        Problem(
            sheet_name,
            numbers[-1],
            id_column,
            f"rows {listed} are the same response ({conflict.label}) with different answers "
            f"({differences(candidates[0].response, candidates[-1].response)}), and the export "
            f"says nothing about which is newer; remove the wrong row, or import at a terminal "
            f"to choose",
        )
    )
    return None
