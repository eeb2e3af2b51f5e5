"""Calibration organisations: scored assessment folders that carry an expected phase.

The overall phase depends on the thresholds only through two numbers per
organisation: its overall score and the score of its weakest dimension (a
phase rises with the score, so the weakest dimension's phase is the phase of
the lowest dimension score). `place` turns those two numbers into a phase
exactly as the scoring engine does, so thresholds can be tried without scoring
again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from klantladder.errors import InputError, KlantladderError, Problem
from klantladder.folder import ASSESSMENT_FILE, AssessmentFolder, load_assessment
from klantladder.models.method import Method, OverallRule
from klantladder.models.result import ScoreResult


@dataclass(frozen=True)
class Case:
    """One calibration organisation, reduced to what placing it needs."""

    folder: AssessmentFolder
    result: ScoreResult
    expected: int  # level of the expected phase
    acceptable: frozenset[int]  # levels of the acceptable phases
    score: float  # overall score, as rounded by the engine
    weakest: float  # lowest dimension score

    @property
    def method(self) -> Method:
        """The method with the folder questionnaire's own scoring rules."""
        return self.folder.questionnaire.content

    @property
    def declared_rule(self) -> OverallRule:
        """The overall rule the method itself declares, whatever the questionnaire overrides."""
        method = self.folder.questionnaire.method
        assert isinstance(method, Method)  # the loader resolves a method reference
        return method.scoring.overall

    @property
    def label(self) -> str:
        """The folder as given."""
        return str(self.folder.path)


@dataclass(frozen=True)
class CalibrationSet:
    """The folders with an expected phase, and those without one."""

    cases: tuple[Case, ...]
    without_expected: tuple[Path, ...]


def level_of(score: float, thresholds: Sequence[float]) -> int:
    """The level 1-5 a (rounded) score reaches with these rising thresholds."""
    return 1 + sum(1 for threshold in thresholds if score >= threshold)


def place(score: float, weakest: float, thresholds: Sequence[float], rule: OverallRule) -> int:
    """The overall level by the overall rule, as `klantladder.scoring.score` computes it."""
    mean_level = level_of(score, thresholds)
    weakest_level = level_of(weakest, thresholds)
    if rule.rule == "mean":
        return mean_level
    if rule.rule == "weakest":
        return weakest_level
    return min(mean_level, weakest_level + rule.max_steps_above_weakest)


def ordered_thresholds(method: Method) -> tuple[float, ...]:
    """The method's thresholds from the phase at level 2 up."""
    return tuple(method.scoring.thresholds[phase.id] for phase in method.phases[1:])


def load_calibration_set(folders: Sequence[Path], language: str | None = None) -> CalibrationSet:
    """Load and score every folder; keep those whose ``assessment.yaml`` names an expected phase.

    Every problem in every folder is reported at once as an `InputError`; a set
    in which no folder names an expected phase is an `InputError` too.
    """
    problems: list[Problem] = []
    cases: list[Case] = []
    without: list[Path] = []
    for path in folders:
        try:
            folder = load_assessment(path, language)
            if folder.assessment.expected is None:
                without.append(path)
                continue
            cases.append(_case(folder))
        except InputError as error:
            problems += error.problems
        except KlantladderError as error:
            problems.append(Problem(str(path), None, None, str(error).removeprefix(f"{path}: ")))
    if problems:
        raise InputError(problems)
    if not cases:
        raise InputError.single(
            folders[0] / ASSESSMENT_FILE if len(folders) == 1 else "calibrate",
            f"none of the {len(folders)} folder(s) names an expected phase; add "
            f"'expected: <phase id>' (and optionally 'acceptable: [<phase id>]') to "
            f"assessment.yaml of each calibration organisation",
        )
    return CalibrationSet(tuple(cases), tuple(without))


def _case(folder: AssessmentFolder) -> Case:
    result = folder.score()
    method = folder.questionnaire.content
    levels = {phase.id: phase.level for phase in method.phases}
    assessment = folder.assessment
    assert assessment.expected is not None
    scores = [d.mean for d in result.dimensions if d.mean is not None]
    return Case(
        folder=folder,
        result=result,
        expected=levels[assessment.expected],
        acceptable=frozenset(levels[phase] for phase in assessment.acceptable),
        score=result.overall.score,
        weakest=min(scores),
    )
