"""Who a row is: real, test or partial; its identity key; and which edit it is.

The key is what the tool guarantees to be unique, made stable across the ways
one export can be spelled (CSV or XLSX, Dutch or English interface, the form's
own download or the linked sheet):

* Qualtrics, Typeform and SurveyMonkey number responses uniquely across all
  surveys: the key is that id (ResponseId, the ``#`` token, Respondent ID).
* Microsoft Forms and LimeSurvey number responses from 1 in every form or
  survey: the key is the id plus the moment the response was started, as a UTC
  instant (the completion time only where no start time is exported). The
  start stays the same when a response is edited later (Microsoft Forms) or a
  partial response is finished (LimeSurvey), where a completion time would not.
  LimeSurvey's random ``seed`` is added where exported.
* Google Forms has no response id: the key is the timestamp as the form shows
  it (its wall-clock time: the form's own CSV names the zone, the sheet does
  not) plus the answers mapped to question ids, so neither the spelling of a
  cell nor a column that is ignored or added later changes it.
* A plain CSV: its ``respondent`` column, else its dates and answers.

The revision is the time of the last edit where the tool records one
(Microsoft Forms "Last modified time", LimeSurvey "datestamp", Typeform's
stage or submit date, SurveyMonkey's end date): a newer revision of a known
key is an update.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from klantladder.importing.answers import Answer
from klantladder.importing.dates import Moment
from klantladder.importing.tools import (
    FALSE_WORDS,
    PARTIAL_WORDS,
    QUALTRICS_NOT_REAL_CHANNELS,
    QUALTRICS_NOT_REAL_STATUS,
    QUALTRICS_NOT_REAL_WORDS,
    Tool,
)

# LimeSurvey writes this submit date for a completed response of a survey without date stamps.
LIMESURVEY_NO_DATE = "1980-01-01 00:00:00"


class Kind(Enum):
    """What a row is, by what the tool says about it."""

    REAL = "real"
    TEST = "preview or test"
    PARTIAL = "partial"


@dataclass
class RowMeta:
    """The metadata cells of one row."""

    response_id: str | None = None
    respondent: str | None = None
    started: Moment | None = None
    completed: Moment | None = None
    revision: Moment | None = None
    staged: Moment | None = None
    status: str | None = None
    channel: str | None = None
    finished: str | None = None
    progress: str | None = None
    response_type: str | None = None
    seed: str | None = None
    submitted: bool = False
    label: str | None = None
    contact: dict[str, str] = field(default_factory=dict)
    legacy: str | None = None
    """What imports before identity keys stored for the row: its response id or respondent."""


def kind_of(tool: Tool, meta: RowMeta, has_submit_column: bool) -> Kind:
    """Whether a row is a real response, a preview or test, or a partial response."""
    status = (meta.status or "").strip().casefold()
    if tool == "qualtrics":
        channel = (meta.channel or "").strip().casefold()
        if channel in QUALTRICS_NOT_REAL_CHANNELS:
            return Kind.TEST
        if status in QUALTRICS_NOT_REAL_STATUS or any(
            word in status for word in QUALTRICS_NOT_REAL_WORDS
        ):
            return Kind.TEST
        finished = (meta.finished or "").strip().casefold()
        if finished in FALSE_WORDS:
            return Kind.PARTIAL
        progress = (meta.progress or "").strip()
        if not finished and progress.isdigit() and int(progress) < 100:
            return Kind.PARTIAL
        return Kind.REAL
    if status in PARTIAL_WORDS:
        return Kind.PARTIAL
    if tool == "limesurvey" and has_submit_column and not meta.submitted:
        return Kind.PARTIAL
    if tool == "typeform" and (meta.response_type or "").strip().casefold() == "partial":
        return Kind.PARTIAL
    return Kind.REAL


def answers_digest(answers: Mapping[str, Answer]) -> str:
    """A short hash of answers by question id, the same however the export spelled them."""
    canonical = json.dumps(dict(sorted(answers.items())), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _instant(moment: Moment | None) -> str:
    return moment.utc_text() if moment is not None else ""


def _wall_clock(moment: Moment | None) -> str:
    return moment.local.isoformat() if moment is not None else ""


def response_key(tool: Tool, meta: RowMeta, answers: Mapping[str, Answer]) -> str:
    """The identity key of a response (see the module's description)."""
    if tool in ("qualtrics", "typeform", "surveymonkey") and meta.response_id:
        return f"{tool}:{meta.response_id}"
    if tool in ("msforms", "limesurvey") and meta.response_id:
        parts = [tool, meta.response_id, _instant(meta.started)]
        if meta.started is None:
            parts.append(_instant(meta.completed))
        if tool == "limesurvey" and meta.seed:
            parts.append(meta.seed)
        return ":".join(parts)
    if tool == "csv" and meta.respondent:
        return f"csv:{meta.respondent}"
    when = _wall_clock(meta.completed or meta.started)
    return f"{tool}:{when}:{answers_digest(answers)}"


def legacy_key(meta: RowMeta, cells: Sequence[str]) -> str:
    """The key an import before identity keys stored for a row, so its response is recognised.

    Those imports kept the tool's response id (or the respondent column as
    written) in ``source.response_id``, and else a hash of the row's cells in
    ``source.row_hash``; this is the same value, computed the same way.
    """
    if meta.legacy:
        return meta.legacy
    joined = "\x1f".join(cell.strip() for cell in cells).rstrip("\x1f")
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def revision_of(tool: Tool, meta: RowMeta) -> str | None:
    """The ISO time of the row's last edit, where the tool records one."""
    if tool == "typeform":
        times = [m for m in (meta.staged, meta.completed) if m is not None]
        return max(m.utc_text() for m in times) if times else None
    if tool == "surveymonkey":
        return meta.completed.utc_text() if meta.completed else None
    return meta.revision.utc_text() if meta.revision else None
