"""Writing the fitted thresholds and rule, and the calibration block, into a questionnaire file.

The file is edited as text so that its comments and layout survive: only the
top-level ``scoring:`` and ``calibration:`` blocks are replaced (with the
comment lines directly above them), or inserted before ``questions:``. The
``scoring:`` block holds the fitted ``thresholds`` and the fitted ``overall``
rule (which replaces any rule the file declared). The result is loaded and
checked before it replaces the file, atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from klantladder.errors import InputError, OutputExistsError
from klantladder.fileio import write_atomic
from klantladder.limits import MAX_YAML_BYTES, read_input_bytes
from klantladder.loading import load_questionnaire_file
from klantladder.models.calibrating import CalibrationReport, Fit
from klantladder.models.calibration import Calibration, CapTried, LeaveOneOut, RuleFit, declared_cap

_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*):")


def calibration_block(fit: Fit, *, set_name: str | None, date: dt.date) -> Calibration:
    """The ``calibration:`` block for a fit."""
    agreement = fit.agreement
    loo = fit.leave_one_out
    return Calibration(
        method=fit.method,
        step=fit.step,
        rule=RuleFit(
            rule="capped_by_weakest",
            max_steps_above_weakest=fit.rule.max_steps_above_weakest,
            declared=declared_cap(fit.declared),
            tried={
                cap.max_steps_above_weakest: CapTried(
                    exact=cap.exact,
                    within_acceptable=cap.within_acceptable,
                    misses_low=cap.misses_low,
                    misses_high=cap.misses_high,
                )
                for cap in fit.caps
            },
        ),
        date=date,
        fitted_on=fit.questionnaire,
        set=set_name,
        organisations=agreement.organisations,
        respondents=sum(placement.respondents for placement in agreement.placements),
        exact=agreement.exact,
        within_acceptable=agreement.within_acceptable,
        misses_low=agreement.misses_low,
        misses_high=agreement.misses_high,
        leave_one_out=(
            None
            if loo is None
            else LeaveOneOut(exact=loo.exact, within_acceptable=loo.within_acceptable)
        ),
        confusion=agreement.confusion,
    )


def write_calibration(
    path: Path,
    report: CalibrationReport,
    *,
    force: bool = False,
    set_name: str | None = None,
    date: dt.date | None = None,
) -> None:
    """Put the fitted thresholds and rule, and the calibration block, into a questionnaire file.

    The file exists, so it is only changed with ``force``. Raises `InputError`
    when the file is no questionnaire on the ladder the fit used.
    """
    fit = report.fit
    if fit is None or fit.agreement.thresholds is None:
        raise ValueError("write_calibration needs a report made with fit=True")
    if not force:
        raise OutputExistsError(path, "questionnaire file")
    questionnaire = load_questionnaire_file(path)
    method = questionnaire.content
    phase_ids = [phase.id for phase in method.phases[1:]]
    if list(fit.agreement.thresholds) != phase_ids:
        raise InputError.single(
            path,
            f"its method's phases ({', '.join(phase_ids)}) are not the phases of the fit "
            f"({', '.join(fit.agreement.thresholds)})",
        )
    scoring: dict[str, Any] = {
        "thresholds": dict(fit.agreement.thresholds),
        "overall": fit.rule.model_dump(mode="json"),
    }
    block = calibration_block(fit, set_name=set_name, date=date or dt.date.today())
    text = read_input_bytes(path, limit=MAX_YAML_BYTES, what="a questionnaire file").decode("utf-8")
    updated = replace_blocks(
        text,
        {
            "scoring": _scoring_text(scoring, block),
            "calibration": _calibration_text(block),
        },
        before="questions",
    )
    _check(path, updated)
    write_atomic(path, updated)


def _scoring_text(scoring: dict[str, Any], block: Calibration) -> str:
    lines = [
        # The command and date only, so the comment reads the same in any language's file.
        f"# klantladder calibrate --fit --write ({block.date.isoformat()})",
        "scoring:",
        f"  thresholds: {_flow(scoring['thresholds'])}",
        f"  overall: {_flow(scoring['overall'])}",
    ]
    return "\n".join(lines) + "\n"


def _calibration_text(block: Calibration) -> str:
    data = block.model_dump(exclude_none=True)  # a date stays a date: written unquoted
    lines = ["calibration:"]
    for key, value in data.items():
        if key == "confusion":
            lines.append("  confusion:  # expected phase -> placed phase -> organisations")
            lines += [f"    {expected}: {_flow(row)}" for expected, row in value.items()]
        elif key == "rule":
            lines.append("  rule:  # the weakest-rung rule, its cap fitted with the thresholds")
            lines += [f"    {name}: {_scalar(value[name])}" for name in value if name != "tried"]
            lines.append("    tried:  # cap -> agreement with the best thresholds for that cap")
            lines += [f"      {cap}: {_flow(figures)}" for cap, figures in value["tried"].items()]
        elif isinstance(value, dict):
            lines.append(f"  {key}: {_flow(value)}")
        else:
            lines.append(f"  {key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _flow(mapping: dict[str, Any]) -> str:
    return yaml.safe_dump(
        mapping, default_flow_style=True, sort_keys=False, allow_unicode=True, width=1000
    ).strip()


def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=1000).strip()
    return text.removesuffix("\n...").strip()


def replace_blocks(text: str, blocks: dict[str, str], *, before: str) -> str:
    """Replace each named top-level block of a YAML text, or insert it before ``before``.

    A block runs from its key line (with the comment lines directly above it)
    to the next top-level key (without the comments and blank lines above that).
    A new block goes right after the block named before it in ``blocks``.
    """
    lines = text.splitlines(keepends=True)
    previous: str | None = None
    for key, replacement in blocks.items():
        span = _span(lines, key)
        new = replacement.splitlines(keepends=True)
        if span is not None:
            start, end = span
            lines[start:end] = new
        else:
            # A new block follows the one written before it, else comes before `before`.
            after = _span(lines, previous) if previous is not None else None
            if after is not None:
                lines[after[1] : after[1]] = ["\n", *new]
            else:
                anchor = _span(lines, before)
                at = anchor[0] if anchor is not None else len(lines)
                lines[at:at] = [*new, "\n"]
        previous = key
    return "".join(lines)


def _span(lines: list[str], key: str) -> tuple[int, int] | None:
    starts = [i for i, line in enumerate(lines) if _key(line) is not None]
    for position, start in enumerate(starts):
        if _key(lines[start]) != key:
            continue
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        while start > 0 and lines[start - 1].startswith("#"):
            start -= 1
        return start, end
    return None


def _key(line: str) -> str | None:
    match = _TOP_LEVEL_KEY.match(line)
    return match[1] if match else None


def _check(path: Path, text: str) -> None:
    """Load the new text as the questionnaire it must be, next to the file (for its method)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        load_questionnaire_file(Path(temporary))
    except InputError as error:
        raise InputError.single(
            path, f"the updated file would not be valid, so it was not written: {error}"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
