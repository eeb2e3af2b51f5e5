"""The shipped thresholds reproduce the agreement their calibration blocks document.

The calibration set lives under tests/calibration/: 25 organisation
descriptions, written from the sources blind to the questionnaire, each with an
expected phase and an acceptable neighbour, answered blind in two rounds.
Round 2 (intake v2 as shipped) is the set the thresholds were fitted on:
`assessments/` for the intake and `quickscan/` for the same answers on the
quick scan's questions. Round 1 (`round1/`, the draft of intake v2) was not used
for the fit, so it checks the fitted thresholds on answers they have not seen.

The issue's bar of 90 % exact is not reached (84 % for the intake); what the
set reaches is asserted here, and the README says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from klantladder.calibration import calibrate
from klantladder.folder import load_assessment_file
from klantladder.loading import load_questionnaire

CALIBRATION = Path(__file__).parent / "calibration"


def folders(name: str) -> list[Path]:
    root = CALIBRATION / name
    return sorted(path for path in root.iterdir() if (path / "assessment.yaml").is_file())


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("questionnaire_id", "set_name"), [("intake", "assessments"), ("quickscan", "quickscan")]
)
def test_shipped_thresholds_reproduce_the_documented_agreement(
    language: str, questionnaire_id: str, set_name: str
) -> None:
    found = folders(set_name)
    assert len(found) == 25
    references = [load_assessment_file(folder)[1].questionnaire for folder in found]
    assert {(r.id, r.version, r.file) for r in references} == {(questionnaire_id, 2, None)}
    questionnaire = load_questionnaire(questionnaire_id, language, 2)
    block = questionnaire.calibration
    assert block is not None
    assert (block.fitted_on.id, block.fitted_on.version) == (questionnaire_id, 2)
    agreement = calibrate(found, language=language).current
    assert agreement.organisations == block.organisations == 25
    assert (agreement.exact, agreement.within_acceptable) == (block.exact, block.within_acceptable)
    assert (agreement.misses_low, agreement.misses_high) == (block.misses_low, block.misses_high)
    assert agreement.confusion == block.confusion
    # What the set reaches: most placed exactly, nearly all within the acceptable
    # phases, and misses no longer all on one side (before the fit: 11 low, 1 high).
    assert block.exact >= 0.8 * block.organisations
    assert block.within_acceptable >= 0.9 * block.organisations
    assert block.misses_low - block.misses_high <= 4


def test_round_one_is_placed_well_by_thresholds_fitted_without_it() -> None:
    agreement = calibrate(folders("round1"), language="nl").current
    assert agreement.organisations == 25
    assert agreement.exact >= 0.75 * 25
    assert agreement.within_acceptable >= 0.9 * 25
