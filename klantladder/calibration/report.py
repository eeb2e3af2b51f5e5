"""`calibrate`: the agreement of scored folders with their expected phases, and the fit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from klantladder import __version__
from klantladder.calibration.agreement import agreement, outcome, phase_ref
from klantladder.calibration.cases import Case, load_calibration_set
from klantladder.calibration.fit import DEFAULT_CAPS, FitOutcome, caps_tried, fit_thresholds
from klantladder.calibration.search import MAX_ORGANISATIONS, Search, capped, grid
from klantladder.errors import InputError
from klantladder.folder import ASSESSMENT_FILE
from klantladder.models.calibrating import (
    CalibrationReport,
    CapFit,
    Fit,
    LeaveOneOutResult,
    LeftOut,
)
from klantladder.models.calibration import FittedOn, declared_cap

DEFAULT_STEP = 0.05


def calibrate(
    folders: Sequence[Path],
    *,
    fit: bool = False,
    step: float = DEFAULT_STEP,
    caps: Sequence[int] = DEFAULT_CAPS,
    language: str | None = None,
) -> CalibrationReport:
    """Place every folder that names an expected phase and compare; with ``fit``, fit the rule.

    Each folder is placed by its own questionnaire's thresholds and rule
    (``current``). With ``fit``, thresholds and the cap of the weakest-rung rule
    (one of ``caps``) are fitted together (see `klantladder.calibration.fit`).
    Fitting needs every folder to use the same questionnaire and version, since
    thresholds are fitted to one instrument's items. Raises `InputError` for
    unreadable folders, for a set without any expected phase, and for a fit over
    mixed questionnaires, and for a set whose scores at this step would need more
    combinations than `klantladder.calibration.search.MAX_COMBINATIONS`;
    `ValueError` for a step that does not divide 1 or a cap off 0-4.
    """
    if fit:  # a bad step or cap is told before any folder is scored
        grid(step)
        caps = caps_tried(caps)
    loaded = load_calibration_set(folders, language)
    cases = loaded.cases
    _check_one_ladder(cases)
    language = language or cases[0].folder.language
    report = CalibrationReport(
        generator=f"klantladder {__version__}",
        language=language,
        current=agreement(cases, language),
        without_expected=[str(path) for path in loaded.without_expected],
    )
    if not fit:
        return report
    _check_one_instrument(cases)
    return report.model_copy(update={"fit": _fit(cases, step, caps, language)})


def _check_one_ladder(cases: Sequence[Case]) -> None:
    first = [phase.id for phase in cases[0].method.phases]
    for case in cases[1:]:
        if [phase.id for phase in case.method.phases] != first:
            raise InputError.single(
                case.folder.path / ASSESSMENT_FILE,
                f"its method has other phases than {cases[0].folder.path}'s; placements on "
                f"different ladders do not add up",
            )
    if len(cases) > MAX_ORGANISATIONS:
        raise InputError.single(
            "calibrate", f"a calibration set holds at most {MAX_ORGANISATIONS} organisations"
        )


def _check_one_instrument(cases: Sequence[Case]) -> None:
    first = cases[0].folder.questionnaire
    for case in cases[1:]:
        other = case.folder.questionnaire
        if (other.id, other.version) != (first.id, first.version):
            raise InputError.single(
                case.folder.path / ASSESSMENT_FILE,
                f"uses questionnaire {other.id!r} version {other.version}, but "
                f"{cases[0].folder.path} uses {first.id!r} version {first.version}; thresholds "
                f"are fitted to one questionnaire, so fit each questionnaire's folders apart",
            )


def _fit(cases: Sequence[Case], step: float, caps: Sequence[int], language: str) -> Fit:
    declared = cases[0].declared_rule
    try:
        fitted = fit_thresholds(cases, step, caps, declared_cap(declared))
    except ValueError as error:  # the step and caps are checked: too many combinations
        raise InputError.single("calibrate", str(error)) from None
    chosen = fitted.search
    phase_ids = [phase.id for phase in cases[0].method.phases[1:]]
    questionnaire = cases[0].folder.questionnaire
    return Fit(
        method="rising_grid",
        questionnaire=FittedOn(id=questionnaire.id, version=questionnaire.version),
        rule=capped(chosen.cap),
        declared=declared,
        caps=[_cap_fit(search, phase_ids) for search in fitted.by_cap],
        step=step,
        searched=fitted.searched,
        equally_good=fitted.equally_good,
        agreement=agreement(cases, language, chosen.thresholds, capped(chosen.cap)),
        leave_one_out=_leave_one_out(fitted, phase_ids, language),
    )


def _cap_fit(search: Search, phase_ids: list[str]) -> CapFit:
    return CapFit(
        max_steps_above_weakest=search.cap,
        thresholds=dict(zip(phase_ids, search.thresholds, strict=True)),
        exact=search.exact,
        within_acceptable=search.within,
        misses_low=search.low,
        misses_high=search.high,
        searched=search.searched,
        equally_good=search.equally_good,
    )


def _leave_one_out(
    fitted: FitOutcome, phase_ids: list[str], language: str
) -> LeaveOneOutResult | None:
    if fitted.left_out is None:
        return None
    placements = []
    chosen: dict[int, int] = {}
    for item in fitted.left_out:
        result, direction = outcome(item.case, item.level)
        chosen[item.cap] = chosen.get(item.cap, 0) + 1
        placements.append(
            LeftOut(
                folder=item.case.label,
                thresholds=dict(zip(phase_ids, item.thresholds, strict=True)),
                max_steps_above_weakest=item.cap,
                placed=phase_ref(item.case.method, item.level, language),
                outcome=result,
                direction=direction,
            )
        )
    return LeaveOneOutResult(
        exact=sum(1 for p in placements if p.outcome == "exact"),
        within_acceptable=sum(1 for p in placements if p.outcome != "miss"),
        misses_low=sum(1 for p in placements if p.direction == "low"),
        misses_high=sum(1 for p in placements if p.direction == "high"),
        caps=dict(sorted(chosen.items())),
        organisations=placements,
    )
