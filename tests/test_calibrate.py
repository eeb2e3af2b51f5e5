"""calibrate: agreement with expected phases, the grid fit, leave-one-out, writing, the CLI.

The synthetic sets (tests/calibrationhelpers.py) give each folder an exact score.
With one score per folder in every dimension, the overall score and the weakest
dimension are that score, so the phase is simply the phase of that score, whatever
the cap of the weakest-rung rule (tests/test_calibrate_rule.py fits the cap).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from calibrationhelpers import (
    PHASES,
    TRUE,
    calibration_questionnaire,
    level_of,
    organisation,
    pinned_set,
    read,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from klantladder.calibration import calibrate, search, write_calibration
from klantladder.calibration.cases import load_calibration_set, place
from klantladder.calibration.fit import fit_thresholds
from klantladder.calibration.search import Grid, grid
from klantladder.cli import app
from klantladder.errors import InputError, OutputExistsError
from klantladder.loading import load_questionnaire
from klantladder.models.method import OverallRule

runner = CliRunner()


def test_the_table_places_each_folder_by_its_own_thresholds(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)
    report = calibrate(folders)
    current = report.current
    assert current.thresholds == {
        "collect": 1.8,
        "analyse": 2.6,
        "cooperate": 3.4,
        "transform": 4.2,
    }
    # The equal bands place the four scores just under a true threshold one phase too high.
    outcomes = {p.folder: (p.placed.id, p.outcome, p.direction) for p in current.placements}
    assert outcomes[str(folders[1])] == ("collect", "miss", "high")  # 1.9, expected ignore
    assert outcomes[str(folders[2])] == ("collect", "exact", None)
    assert (current.exact, current.within_acceptable) == (9, 9)
    assert (current.misses_low, current.misses_high) == (0, 4)
    assert current.confusion == {
        "ignore": {"ignore": 1, "collect": 1},
        "collect": {"collect": 2, "analyse": 1},
        "analyse": {"analyse": 2, "cooperate": 1},
        "cooperate": {"cooperate": 2, "transform": 1},
        "transform": {"transform": 2},
    }
    assert report.fit is None


def test_the_placement_is_the_scoring_engines_phase(tmp_path: Path) -> None:
    questionnaire = calibration_questionnaire(tmp_path)
    means = [
        (1.0, 3.0, 4.5),
        (2.65, 4.1, 4.9),
        (3.4, 2.55, 5.0),
        (4.25, 4.2, 1.75),
        (5.0, 5.0, 4.2),
    ]
    folders = [
        organisation(tmp_path, f"o{i}", questionnaire, lead=a, listen=b, act=c, expected="ignore")
        for i, (a, b, c) in enumerate(means)
    ]
    for case in load_calibration_set(folders).cases:
        rule = case.method.scoring.overall
        level = place(case.score, case.weakest, (1.8, 2.6, 3.4, 4.2), rule)
        assert level == case.result.overall.phase.level, case.label
        assert case.weakest == min(d.mean for d in case.result.dimensions if d.mean is not None)


def test_a_set_with_known_thresholds_is_recovered(tmp_path: Path) -> None:
    report = calibrate(pinned_set(tmp_path), fit=True)
    assert report.fit is not None
    fitted = report.fit.agreement
    assert fitted.thresholds == dict(zip(PHASES[1:], TRUE, strict=True))
    assert (fitted.exact, fitted.within_acceptable, fitted.misses_low, fitted.misses_high) == (
        13,
        13,
        0,
        0,
    )
    # Every threshold is pinned to one grid value; caps 1 and 2 place these even profiles
    # alike, so the method's own cap (1) wins the tie.
    assert [cap.equally_good for cap in report.fit.caps] == [1, 1]
    assert report.fit.equally_good == 2
    assert report.fit.questionnaire.id == "cal"
    assert report.fit.rule == OverallRule(rule="capped_by_weakest", max_steps_above_weakest=1)
    assert report.fit.declared == report.fit.rule


def test_leave_one_out_places_each_folder_by_a_fit_without_it(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)
    report = calibrate(folders, fit=True)
    assert report.fit is not None and report.fit.leave_one_out is not None
    loo = report.fit.leave_one_out
    by_folder = {Path(item.folder).name: item for item in loo.organisations}
    # Without the folder just under a threshold, nothing holds that threshold up: the fit
    # falls back to the equal band, and the left-out folder lands one phase too high.
    for name, score in (("org-01", 1.9), ("org-04", 2.8), ("org-07", 3.5), ("org-10", 4.3)):
        assert (by_folder[name].outcome, by_folder[name].direction) == ("miss", "high"), name
        assert (
            level_of(score, tuple(by_folder[name].thresholds.values())) == level_of(score, TRUE) + 1
        )
    # Without the folder on a threshold, the one below still pins it: it is placed exactly.
    for name in ("org-02", "org-05", "org-08", "org-11"):
        assert by_folder[name].outcome == "exact", name
    assert by_folder["org-02"].thresholds["collect"] == 1.95
    assert (loo.exact, loo.within_acceptable, loo.misses_low, loo.misses_high) == (9, 9, 0, 4)


def test_misses_on_one_side_lose_against_balanced_misses(tmp_path: Path) -> None:
    # Four folders between 1.5 and 1.8 that contradict each other. Three thresholds place two of
    # them exactly: up to 1.5 (both misses too high), in (1.6, 1.7] (one too low, one
    # too high) and from 1.85 (both too low). Closest to the equal band 1.8 would be
    # 1.85, with both misses low; the balance rule picks 1.7.
    questionnaire = calibration_questionnaire(tmp_path)
    cases = [(1.5, "collect"), (1.6, "ignore"), (1.7, "collect"), (1.8, "ignore")]
    folders = [
        organisation(tmp_path, f"b{i}", questionnaire, lead=s, expected=e)
        for i, (s, e) in enumerate(cases)
    ]
    report = calibrate(folders, fit=True)
    assert report.fit is not None
    fitted = report.fit.agreement
    assert (fitted.exact, fitted.misses_low, fitted.misses_high) == (2, 1, 1)
    # 1.65 and 1.7 place every folder alike, so they are one combination (for each cap).
    # Thresholds are free: the threshold of analyse (and that of cooperate) may come down
    # into (1.7, 1.8], placing 1.8 two or three phases too high. The fit's order counts
    # misses, not their size, so those three combinations tie; the thresholds closest to
    # equal bands keep the others where they were.
    assert fitted.thresholds == {"collect": 1.7, "analyse": 2.6, "cooperate": 3.4, "transform": 4.2}
    assert [cap.equally_good for cap in report.fit.caps] == [3, 3]


def test_a_compressed_scale_is_fitted_outside_the_equal_bands(tmp_path: Path) -> None:
    # Respondents avoid the outermost answers: collect starts above 2, transform below 4.
    # Held to its band (k-1, k], no threshold could place 2.1 in ignore or 3.9 in transform.
    questionnaire = calibration_questionnaire(tmp_path)
    scores = [(2.1, "ignore"), (2.3, "collect"), (2.9, "analyse"), (3.5, "cooperate")]
    scores += [(3.9, "transform"), (3.95, "transform")]
    folders = [
        organisation(tmp_path, f"c{i}", questionnaire, lead=s, expected=e)
        for i, (s, e) in enumerate(scores)
    ]
    report = calibrate(folders, fit=True)
    current = report.current
    assert (current.exact, current.misses_low, current.misses_high) == (3, 2, 1)
    assert report.fit is not None
    fitted = report.fit.agreement
    # Each threshold is pinned to one class; in it, the value closest to its equal band.
    assert fitted.thresholds == {
        "collect": 2.15,
        "analyse": 2.6,
        "cooperate": 3.4,
        "transform": 3.9,
    }
    assert (fitted.exact, fitted.within_acceptable) == (6, 6)
    assert [cap.equally_good for cap in report.fit.caps] == [1, 1]
    # The questionnaire takes the free thresholds, and then places every folder exactly.
    write_calibration(questionnaire, report, force=True)
    block = load_questionnaire(questionnaire).calibration
    assert block is not None and block.method == "rising_grid"
    assert calibrate(folders).current.exact == 6


def test_a_search_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fifty organisations with scores 0.02 apart: at a step of 0.01 a threshold can fall
    # between any two of them, so more than a hundred classes make millions of combinations.
    spread = [FakeCase(1.5 + 0.04 * i, 1.48 + 0.04 * i, 3, frozenset()) for i in range(50)]
    with pytest.raises(ValueError, match=r"more than 2,000,000; use a coarser step"):
        Grid(spread, 0.01)  # type: ignore[arg-type]
    assert Grid(spread, 0.05).combinations <= search.MAX_COMBINATIONS  # type: ignore[arg-type]
    # The command says so without a traceback.
    folders = pinned_set(tmp_path)[:3]
    # 0.05 over their scores (1.3, 1.9, 1.95): classes of 6, 12, 1 and 61 values.
    assert Grid(load_calibration_set(folders).cases, 0.05).combinations == 25
    monkeypatch.setattr(search, "MAX_COMBINATIONS", 24)
    result = runner.invoke(app, ["calibrate", *map(str, folders), "--fit"])
    assert result.exit_code == 1
    assert result.stderr == (
        "calibrate: the search would try 25 combinations of thresholds per cap, more than 24; "
        "use a coarser step\n"
    )


@dataclass(frozen=True)
class FakeCase:
    """What the search needs of a calibration organisation."""

    score: float
    weakest: float
    expected: int
    acceptable: frozenset[int]


def brute_force(cases: list[FakeCase], step: float, caps: set[int]) -> dict[int, tuple]:
    """The best thresholds for each cap, the slow way: every rising combination on the grid."""
    best: dict[int, tuple] = {}
    rules = {
        cap: OverallRule(rule="capped_by_weakest", max_steps_above_weakest=cap) for cap in caps
    }
    bands = [Fraction(9, 5), Fraction(13, 5), Fraction(17, 5), Fraction(21, 5)]
    for combo in itertools.combinations(grid(step), 4):
        distance = sum(abs(Fraction(str(t)) - e) for t, e in zip(combo, bands, strict=True))
        for cap, rule in rules.items():
            exact = within = low = high = 0
            for case in cases:
                level = place(case.score, case.weakest, combo, rule)
                exact += level == case.expected
                within += level == case.expected or level in case.acceptable
                low += level < case.expected
                high += level > case.expected
            quality = (-exact, -within, abs(low - high))
            key = (quality, distance, combo, (exact, within, low, high))
            if cap not in best or key < best[cap]:
                best[cap] = key
    return best


def choice(searches: dict[int, tuple], declared: int) -> tuple[int, tuple[float, ...]]:
    """The cap and thresholds the fit chooses from the best of every cap."""
    cap = min(searches, key=lambda c: (searches[c][0], abs(c - declared), c, searches[c][1:3]))
    return cap, searches[cap][2]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(20, 100),  # overall score x 20
            st.integers(0, 40),  # how far the weakest dimension lies below it, x 20
            st.integers(1, 5),  # expected level
            st.integers(1, 5),  # an acceptable level
        ),
        min_size=1,
        max_size=8,
    ),
    st.sets(st.integers(0, 4), min_size=1, max_size=3),
    st.integers(0, 4),
    st.sampled_from([0.25, 0.5]),
)
def test_the_fast_search_chooses_what_trying_everything_chooses(
    rows: list[tuple[int, int, int, int]], caps: set[int], declared: int, step: float
) -> None:
    # Scores on a grid of 0.05 cluster, so several thresholds often share a class.
    cases = [
        FakeCase(s / 20, max(1.0, (s - d) / 20), e, frozenset({a}) - {e}) for s, d, e, a in rows
    ]
    fitted = fit_thresholds(cases, step=step, caps=caps, declared=declared)  # type: ignore[arg-type]
    slow = brute_force(cases, step, caps)
    for best in fitted.by_cap:
        quality, _, thresholds, counts = slow[best.cap]
        assert best.thresholds == thresholds
        assert (best.exact, best.within, best.low, best.high) == counts
        assert best.quality == quality
    assert (fitted.search.cap, fitted.search.thresholds) == choice(slow, declared)
    # Leave-one-out subtracts one case from the kept combinations: the same as a new fit.
    if fitted.left_out is None:
        assert len(cases) < 3
        return
    for index, item in enumerate(fitted.left_out):
        rest = cases[:index] + cases[index + 1 :]
        alone = fit_thresholds(rest, step=step, caps=caps, declared=declared)  # type: ignore[arg-type]
        assert (item.cap, item.thresholds) == (alone.search.cap, alone.search.thresholds)


def test_no_expected_phase_anywhere_is_an_error(tmp_path: Path) -> None:
    questionnaire = calibration_questionnaire(tmp_path)
    folders = [
        organisation(tmp_path, f"n{i}", questionnaire, lead=3.0, expected=None) for i in (1, 2)
    ]
    with pytest.raises(InputError, match="none of the 2 folder"):
        calibrate(folders)
    result = runner.invoke(app, ["calibrate", *map(str, folders)])
    assert result.exit_code == 1
    assert result.stderr == (
        "calibrate: none of the 2 folder(s) names an expected phase; add 'expected: <phase id>' "
        "(and optionally 'acceptable: [<phase id>]') to assessment.yaml of each calibration "
        "organisation\n"
    )


def test_folders_without_expected_are_left_out_and_named(tmp_path: Path) -> None:
    questionnaire = calibration_questionnaire(tmp_path)
    with_phase = organisation(tmp_path, "a", questionnaire, lead=3.0, expected="analyse")
    without = organisation(tmp_path, "b", questionnaire, lead=3.0, expected=None)
    report = calibrate([with_phase, without])
    assert report.current.organisations == 1
    assert report.without_expected == [str(without)]


def test_an_unknown_expected_phase_is_reported_at_its_line(tmp_path: Path) -> None:
    questionnaire = calibration_questionnaire(tmp_path)
    folder = organisation(
        tmp_path, "x", questionnaire, lead=3.0, expected="analyse", acceptable=["nearby"]
    )
    with pytest.raises(InputError) as caught:
        calibrate([folder])
    assert str(caught.value) == (
        f"{folder / 'assessment.yaml'}:10:3: unknown phase 'nearby'; phases: ignore, collect, "
        "analyse, cooperate, transform"
    )


def test_the_command_prints_the_table_figures_and_fit(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)
    result = runner.invoke(app, ["calibrate", *map(str, folders), "--fit"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Placed by each questionnaire's own thresholds and rule" in out
    assert "Rule: capped by the weakest dimension, at most 1 phase above it" in out
    row = "│ org-01 │ Org 01 │ Ignore │ - │ Collect │ 1.90 │ 1.90 │ miss, too high │"
    assert row in " ".join(out.split())
    assert "Exact agreement: 9 of 13 (69%)" in out
    assert "Misses: 0 too low, 4 too high" in out
    assert "expected \\ placed" in out
    assert (
        "Fitted thresholds and rule (rising, anywhere in (1, 5] on a grid of 0.05; caps 1, 2;"
        in " ".join(out.split())
    )
    assert "fitted rule: capped by the weakest dimension, at most 1 phase above it" in out
    assert "the method's rule: capped by the weakest dimension, at most 1 phase above it" in out
    assert "│ 1 (chosen) │ 1.95 │ 2.85 │ 3.55 │ 4.35 │ 13 │ 13 │ 0 │ 0 │" in " ".join(out.split())
    assert "│ collect   │ 1.80    │ 1.95   │" in out
    assert "  org-01: Collect -> Ignore (expected Ignore)" in out
    assert "Exact agreement: 13 of 13 (100%)" in out
    assert (
        "Leave-one-out: exact 9 of 13 (69%), within the acceptable phases 9 of 13 (69%); "
        "misses 0 too low, 4 too high"
    ) in out
    assert "Leave-one-out refits chose cap 1 in 13 of 13" in out


def test_the_command_prints_json(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)[:4]
    result = runner.invoke(app, ["calibrate", *map(str, folders), "--json", "--fit"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == 3
    assert data["fit"]["method"] == "rising_grid"
    assert data["current"]["rule"] == {"rule": "capped_by_weakest", "max_steps_above_weakest": 1}
    assert data["fit"]["rule"] == data["fit"]["declared"] == data["current"]["rule"]
    assert [cap["max_steps_above_weakest"] for cap in data["fit"]["caps"]] == [1, 2]
    assert data["fit"]["leave_one_out"]["caps"] == {"1": 4}
    assert data["current"]["organisations"] == 4
    assert data["fit"]["leave_one_out"]["exact"] + data["fit"]["leave_one_out"]["misses_high"] >= 1
    assert [p["expected"]["id"] for p in data["current"]["placements"]] == [
        "ignore",
        "ignore",
        "collect",
        "collect",
    ]


def test_write_needs_fit_and_force(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)[:3]
    target = tmp_path / "cal.yaml"
    result = runner.invoke(app, ["calibrate", *map(str, folders), "--write", str(target)])
    assert result.exit_code == 2
    assert "--write needs --fit" in result.stderr
    result = runner.invoke(app, ["calibrate", *map(str, folders), "--fit", "--write", str(target)])
    assert result.exit_code == 1
    assert f"{target}: questionnaire file exists; use --force to overwrite it" in result.stderr
    assert "calibration" not in read(target)


def test_write_puts_thresholds_and_figures_into_the_questionnaire(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)
    target = tmp_path / "cal.yaml"
    original = target.read_text(encoding="utf-8")
    target.write_text(
        "# My own questionnaire: keep this comment.\n"
        + original.replace("questions:\n", "# The questions follow.\nquestions:\n"),
        encoding="utf-8",
    )
    report = calibrate(folders, fit=True)
    with pytest.raises(OutputExistsError):
        write_calibration(target, report)
    write_calibration(target, report, force=True, set_name="synthetic, 13 organisations")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# My own questionnaire: keep this comment.\n")
    assert "# The questions follow.\nquestions:\n" in text
    assert (
        "scoring:\n  thresholds: {collect: 1.95, analyse: 2.85, cooperate: 3.55, transform: 4.35}\n"
    ) in text
    questionnaire = load_questionnaire(target)
    assert questionnaire.thresholds_from == "questionnaire"
    assert questionnaire.content.scoring.thresholds["analyse"] == 2.85
    block = questionnaire.calibration
    assert block is not None
    assert (block.organisations, block.exact, block.within_acceptable) == (13, 13, 13)
    assert block.leave_one_out is not None and block.leave_one_out.exact == 9
    assert block.respondents == 13 * 20
    assert block.set == "synthetic, 13 organisations"
    assert (block.fitted_on.id, block.fitted_on.version) == ("cal", 1)
    # Writing again replaces both blocks instead of adding them twice.
    write_calibration(target, report, force=True)
    again = target.read_text(encoding="utf-8")
    assert again.count("\nscoring:\n") == 1 and again.count("\ncalibration:\n") == 1
    assert "set:" not in again
    # The folders now score by the fitted thresholds: every one is exact.
    assert calibrate(folders).current.exact == 13


def test_fitting_mixed_questionnaires_is_refused(tmp_path: Path) -> None:
    first = calibration_questionnaire(tmp_path / "one")
    other = calibration_questionnaire(tmp_path / "two", thresholds=(1.9, 2.9, 3.9, 4.9))
    a = organisation(tmp_path, "a", first, lead=2.0, expected="collect")
    b = organisation(tmp_path, "b", other, lead=2.0, expected="collect")
    report = calibrate([a, b])  # agreement alone is fine: each by its own thresholds
    assert report.current.thresholds is None
    assert [p.placed.id for p in report.current.placements] == ["collect", "collect"]
    data = read(other)
    data["version"] = 2
    (tmp_path / "two" / "cal.yaml").write_text(json.dumps(data), encoding="utf-8")
    assessment = read(b / "assessment.yaml")
    assessment["questionnaire"]["version"] = 2
    (b / "assessment.yaml").write_text(json.dumps(assessment), encoding="utf-8")
    for response in (b / "responses").glob("*.yaml"):
        content = read(response)
        content["questionnaire"]["version"] = 2
        response.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(InputError, match="thresholds are fitted to one questionnaire"):
        calibrate([a, b], fit=True)


def test_a_step_must_divide_one(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)[:2]
    result = runner.invoke(app, ["calibrate", *map(str, folders), "--fit", "--step", "0.3"])
    assert result.exit_code == 2
    assert "step 0.3 does not divide 1" in result.stderr
