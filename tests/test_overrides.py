"""A questionnaire's own thresholds and calibration block; expected phases in assessment.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import FIXTURES, MINI, write_yaml

from klantladder.errors import InputError
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import Assessment
from klantladder.schemas import json_schemas
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

CALIBRATION: dict[str, Any] = {
    "method": "grid",
    "step": 0.05,
    "date": "2026-05-04",
    "fitted_on": {"id": "mini", "version": 1},
    "organisations": 4,
    "exact": 2,
    "within_acceptable": 3,
    "misses_low": 1,
    "misses_high": 1,
    "confusion": {"ignore": {"ignore": 1, "collect": 1}, "analyse": {"collect": 1, "analyse": 1}},
}


def mini_with(tmp_path: Path, **extra: Any) -> Path:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["method"] = str((FIXTURES / "mini-method.yaml").resolve())
    data.update(extra)
    return write_yaml(tmp_path / "mini.yaml", data)


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_questionnaire(path)
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def test_own_thresholds_replace_the_methods(tmp_path: Path) -> None:
    thresholds = {"collect": 1.5, "analyse": 2.5, "cooperate": 3.5, "transform": 4.5}
    questionnaire = load_questionnaire(mini_with(tmp_path, scoring={"thresholds": thresholds}))
    assert questionnaire.content.scoring.thresholds == thresholds
    assert questionnaire.content.scoring.likert_fraction[3] == 0.5  # the rest stays the method's
    assert questionnaire.thresholds_from == "questionnaire"
    assert load_questionnaire(MINI).thresholds_from == "method"


def test_own_rule_replaces_the_methods(tmp_path: Path) -> None:
    path = mini_with(tmp_path, scoring={"overall": {"rule": "mean"}})
    questionnaire = load_questionnaire(path)
    assert questionnaire.content.scoring.overall.rule == "mean"
    assert questionnaire.thresholds_from == "method"


def test_own_thresholds_need_not_lie_in_equal_bands(tmp_path: Path) -> None:
    # A compressed scale: collect above 2, transform below 4. Only rising within (1, 5] counts.
    thresholds = {"collect": 2.2, "analyse": 2.5, "cooperate": 3.05, "transform": 3.9}
    questionnaire = load_questionnaire(mini_with(tmp_path, scoring={"thresholds": thresholds}))
    assert questionnaire.content.scoring.thresholds == thresholds
    edges = {"collect": 1.01, "analyse": 1.02, "cooperate": 4.99, "transform": 5.0}
    assert load_questionnaire(mini_with(tmp_path, scoring={"thresholds": edges}))


def test_own_thresholds_obey_the_methods_rules(tmp_path: Path) -> None:
    falling = {"collect": 1.5, "analyse": 3.5, "cooperate": 3.4, "transform": 4.5}
    path = mini_with(tmp_path, scoring={"thresholds": falling})
    assert problems(path) == [
        "84:16: threshold of cooperate is 3.4; it must lie above that of analyse (3.5): "
        "thresholds rise from phase to phase"
    ]
    equal = {"collect": 1.5, "analyse": 2.5, "cooperate": 2.5, "transform": 4.5}
    assert problems(mini_with(tmp_path, scoring={"thresholds": equal}))[0].endswith(
        "threshold of cooperate is 2.5; it must lie above that of analyse (2.5): thresholds "
        "rise from phase to phase"
    )
    outside = {"collect": 1.0, "analyse": 2.5, "cooperate": 3.5, "transform": 5.5}
    assert [
        p.split(": ", 1)[1] for p in problems(mini_with(tmp_path, scoring={"thresholds": outside}))
    ] == [
        "threshold of collect is 1.0; it must lie above 1 and at most 5",
        "threshold of transform is 5.5; it must lie above 1 and at most 5",
    ]
    missing = {"collect": 1.5, "analyse": 2.5, "cooperate": 3.5}
    assert (
        "no threshold for phase 'transform'"
        in problems(mini_with(tmp_path, scoring={"thresholds": missing}))[0]
    )
    flat = {"collect": 2.0, "analyse": 2.5, "cooperate": 3.5, "transform": 4.5, "extra": 2.1}
    assert (
        "'extra' is not a phase above level 1"
        in problems(mini_with(tmp_path, scoring={"thresholds": flat}))[0]
    )


def test_a_calibration_block_is_checked_for_sums_and_phases(tmp_path: Path) -> None:
    questionnaire = load_questionnaire(mini_with(tmp_path, calibration=CALIBRATION))
    assert questionnaire.calibration is not None
    assert questionnaire.calibration.share(questionnaire.calibration.exact) == 0.5

    wrong = {**CALIBRATION, "misses_low": 2}
    assert (
        "misses_low + misses_high must be organisations - exact (2)"
        in problems(mini_with(tmp_path, calibration=wrong))[0]
    )
    unknown = {
        **CALIBRATION,
        "confusion": {"ignore": {"ignore": 1, "later": 1}, "analyse": {"collect": 1, "analyse": 1}},
    }
    [problem] = problems(mini_with(tmp_path, calibration=unknown))
    assert problem.endswith("unknown phase 'later'")
    sided = {**CALIBRATION, "misses_low": 0, "misses_high": 2}
    [problem] = problems(mini_with(tmp_path, calibration=sided))
    assert "has 1 misses low and 1 high, but misses_low is 0 and misses_high 2" in problem


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"acceptable": ["collect"]}, "acceptable needs an expected phase"),
        ({"expected": "collect", "acceptable": ["collect"]}, "acceptable repeats the expected"),
        (
            {"expected": "collect", "acceptable": ["ignore", "ignore"]},
            "acceptable names a phase twice",
        ),
    ],
)
def test_expected_and_acceptable_are_checked(
    tmp_path: Path, extra: dict[str, Any], message: str
) -> None:
    path = write_yaml(
        tmp_path / "assessment.yaml",
        {
            "organisation": "Acme",
            "date": "2026-03-01",
            "questionnaire": {"id": "mini", "version": 1, "file": str(MINI)},
            "language": "en",
            **extra,
        },
    )
    with pytest.raises(InputError, match=message):
        validate_document(load_yaml_file(path), Assessment)


def test_the_schemas_describe_the_new_fields() -> None:
    schemas = json_schemas()
    assessment = schemas["assessment"]["properties"]
    assert {"expected", "acceptable"} <= set(assessment)
    assert "calibrat" in assessment["expected"]["description"]
    questionnaire = schemas["questionnaire"]
    assert {"scoring", "calibration"} <= set(questionnaire["properties"])
    condition = questionnaire["$defs"]["Condition"]["properties"]
    assert set(condition) == {"question", "in", "not_in"}
