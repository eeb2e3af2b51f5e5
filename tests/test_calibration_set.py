"""The shipped thresholds reproduce the agreement their calibration block documents.

The calibration set lives under tests/calibration/: organisation descriptions
and, once answered blind, assessment folders (tests/calibration/assessments/)
carrying `expected:` and `acceptable:`. Until those folders exist there is
nothing to reproduce.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from klantladder.calibration import calibrate
from klantladder.folder import load_assessment_file
from klantladder.loading import load_questionnaire

ASSESSMENTS = Path(__file__).parent / "calibration" / "assessments"


def calibration_folders() -> list[Path]:
    if not ASSESSMENTS.is_dir():
        return []
    return sorted(path for path in ASSESSMENTS.iterdir() if (path / "assessment.yaml").is_file())


@pytest.mark.skipif(not calibration_folders(), reason="the calibration set is not answered yet")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_shipped_thresholds_reproduce_the_documented_agreement(language: str) -> None:
    folders = calibration_folders()
    references = [load_assessment_file(folder)[1].questionnaire for folder in folders]
    assert {(r.id, r.version, r.file) for r in references} == {("intake", 2, None)}
    for qid in ("intake", "quickscan"):
        questionnaire = load_questionnaire(qid, language, 2)
        block = questionnaire.calibration
        assert block is not None, f"{qid} v2 has no calibration block: fit and --write it"
        assert (block.fitted_on.id, block.fitted_on.version) == ("intake", 2)
        fitted = load_questionnaire("intake", language, 2).content.scoring
        assert questionnaire.content.scoring.thresholds == fitted.thresholds
        assert questionnaire.content.scoring.overall == fitted.overall  # the fitted rule
    block = load_questionnaire("intake", language, 2).calibration
    assert block is not None
    agreement = calibrate(folders, language=language).current
    assert agreement.organisations == block.organisations
    assert (agreement.exact, agreement.within_acceptable) == (block.exact, block.within_acceptable)
    assert (agreement.misses_low, agreement.misses_high) == (block.misses_low, block.misses_high)
    assert agreement.confusion == block.confusion
    # The bar: at least 90 % exact, every one within the acceptable phases,
    # and misses not one-sided.
    assert block.exact >= 0.9 * block.organisations
    assert block.within_acceptable == block.organisations
    assert abs(block.misses_low - block.misses_high) <= 1
