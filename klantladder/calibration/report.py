"""`calibrate`: the agreement of scored folders with their expected phases, and the fit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from klantladder import __version__
from klantladder.calibration.agreement import agreement, outcome, phase_ref
from klantladder.calibration.cases import Case, load_calibration_set
from klantladder.calibration.fit import MAX_ORGANISATIONS, fit_thresholds
from klantladder.errors import InputError
from klantladder.folder import ASSESSMENT_FILE
from klantladder.models.calibrating import CalibrationReport, Fit, LeaveOneOutResult, LeftOut
from klantladder.models.calibration import FittedOn

DEFAULT_STEP = 0.05


def calibrate(
    folders: Sequence[Path],
    *,
    fit: bool = False,
    step: float = DEFAULT_STEP,
    language: str | None = None,
) -> CalibrationReport:
    """Place every folder that names an expected phase and compare; with ``fit``, fit thresholds.

    Each folder is placed by its own questionnaire's thresholds (``current``).
    Fitting needs every folder to use the same questionnaire and version, since
    thresholds are fitted to one instrument's items. Raises `InputError` for
    unreadable folders, for a set without any expected phase, and for a fit over
    mixed questionnaires; `ValueError` for a step that does not divide 1.
    """
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
    return report.model_copy(update={"fit": _fit(cases, step, language)})


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


def _fit(cases: Sequence[Case], step: float, language: str) -> Fit:
    fitted = fit_thresholds(cases, step)
    search = fitted.search
    leave_one_out = None
    if fitted.left_out is not None:
        placements = []
        for item in fitted.left_out:
            result, direction = outcome(item.case, item.level)
            method = item.case.method
            placements.append(
                LeftOut(
                    folder=item.case.label,
                    thresholds=dict(
                        zip([p.id for p in method.phases[1:]], item.thresholds, strict=True)
                    ),
                    placed=phase_ref(method, item.level, language),
                    outcome=result,
                    direction=direction,
                )
            )
        leave_one_out = LeaveOneOutResult(
            exact=sum(1 for p in placements if p.outcome == "exact"),
            within_acceptable=sum(1 for p in placements if p.outcome != "miss"),
            misses_low=sum(1 for p in placements if p.direction == "low"),
            misses_high=sum(1 for p in placements if p.direction == "high"),
            organisations=placements,
        )
    questionnaire = cases[0].folder.questionnaire
    return Fit(
        method="grid",
        questionnaire=FittedOn(id=questionnaire.id, version=questionnaire.version),
        rule=cases[0].method.scoring.overall,
        step=step,
        searched=search.searched,
        equally_good=search.equally_good,
        agreement=agreement(cases, language, search.thresholds),
        leave_one_out=leave_one_out,
    )
