"""calibrate --fit chooses the cap of the weakest-rung rule together with the thresholds.

The folders of tests/calibrationhelpers.py score exactly (lead weighs 2, listen
and act 1). Even profiles place alike under every cap; an uneven profile, whose
listen dimension lies far below the rest, tells the caps apart:

* ``steep``: lead 4.5, listen 1.5, act 4.5. Mean 3.75 (cooperate), listen in
  ignore: cap 1 places it in collect, cap 2 in analyse, caps 3 and 4 in cooperate.
* ``tall``: lead 5.0, listen 2.0, act 5.0. Mean 4.25 (cooperate), listen in
  collect: cap 1 places it in analyse, caps 2 to 4 in cooperate.

Their expected phases are those of cap 2 with the `TRUE` thresholds.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from calibrationhelpers import PHASES, TRUE, organisation, pinned_set, read
from helpers import write_yaml
from typer.testing import CliRunner

from klantladder.calibration import calibrate, write_calibration
from klantladder.calibration.cases import load_calibration_set
from klantladder.calibration.fit import fit_thresholds
from klantladder.cli import app
from klantladder.errors import InputError
from klantladder.folder import load_assessment
from klantladder.loading import load_questionnaire, shipped_questionnaire_file
from klantladder.models.calibration import CapTried, RuleFit
from klantladder.models.method import OverallRule

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
UNEVEN = {
    "steep": ({"lead": 4.5, "listen": 1.5, "act": 4.5}, "analyse"),
    "tall": ({"lead": 5.0, "listen": 2.0, "act": 5.0}, "cooperate"),
}


def capped_set(root: Path, uneven: tuple[str, ...] = ("steep", "tall")) -> list[Path]:
    """The pinned folders and the uneven ones, all expected where cap 2 puts them."""
    folders = pinned_set(root)
    questionnaire = root / "cal.yaml"
    for name in uneven:
        means, expected = UNEVEN[name]
        folders.append(organisation(root, name, questionnaire, **means, expected=expected))
    return folders


def test_a_set_with_a_known_cap_of_two_is_recovered(tmp_path: Path) -> None:
    folders = capped_set(tmp_path)
    report = calibrate(folders, fit=True)
    assert report.fit is not None
    fit = report.fit
    assert fit.rule == OverallRule(rule="capped_by_weakest", max_steps_above_weakest=2)
    assert fit.declared.max_steps_above_weakest == 1  # the mini method's own
    assert fit.agreement.rule == fit.rule
    assert fit.agreement.thresholds == dict(zip(PHASES[1:], TRUE, strict=True))
    assert (fit.agreement.exact, fit.agreement.misses_low, fit.agreement.misses_high) == (15, 0, 0)
    # Cap 1 cannot place both uneven folders: at best a collect threshold of 1.5 lifts
    # steep's listen (1.5) to collect and steep to analyse, but org-01 (1.9) above ignore,
    # while tall stays one phase too low.
    one, two = fit.caps
    assert (one.exact, one.misses_low, one.misses_high) == (13, 1, 1)
    assert one.thresholds["collect"] == 1.5
    assert (two.max_steps_above_weakest, two.exact) == (2, 15)
    assert fit.equally_good == two.equally_good == 1
    # The folders' own rule (cap 1, equal bands) is what the report calls current.
    assert report.current.rule == OverallRule(rule="capped_by_weakest")

    # Trying every cap: 0 is in effect the weakest rule, 4 the mean rule; 2 still wins.
    every = calibrate(folders, fit=True, caps=range(5)).fit
    assert every is not None and every.rule.max_steps_above_weakest == 2
    assert [(cap.max_steps_above_weakest, cap.exact) for cap in every.caps] == [
        (0, 13),
        (1, 13),
        (2, 15),
        (3, 14),  # steep lands in cooperate, one too high
        (4, 14),
    ]
    assert every.caps[3].misses_high == 1


def test_a_set_where_cap_one_does_as_well_keeps_the_methods_cap(tmp_path: Path) -> None:
    folders = pinned_set(tmp_path)
    cases = load_calibration_set(folders).cases
    assert fit_thresholds(cases, caps=(1, 2), declared=1).search.cap == 1
    assert fit_thresholds(cases, caps=(2, 3), declared=1).search.cap == 2  # the closest
    assert fit_thresholds(cases, caps=(0, 2), declared=1).search.cap == 0  # the lower of two
    assert fit_thresholds(cases, caps=(1, 2), declared=2).search.cap == 2
    # The method's cap counts, not the questionnaire's own rule (an earlier fit may have
    # written that): a questionnaire scoring with cap 3 still keeps the method's 1.
    questionnaire = tmp_path / "cal.yaml"
    data = read(questionnaire)
    data["scoring"] = {"overall": {"rule": "capped_by_weakest", "max_steps_above_weakest": 3}}
    write_yaml(questionnaire, data)
    report = calibrate(folders, fit=True)
    assert report.fit is not None
    assert report.current.rule is not None
    assert report.current.rule.max_steps_above_weakest == 3
    assert report.fit.rule.max_steps_above_weakest == 1
    assert report.fit.declared.max_steps_above_weakest == 1


def test_leave_one_out_refits_the_cap(tmp_path: Path) -> None:
    # Only `steep` asks for cap 2. Fitted without it, caps 1 and 2 do equally well on the
    # rest, so the refit keeps the method's cap 1 and places `steep` one phase too low.
    # Without org-01 (1.9, ignore), cap 1 with a collect threshold of 1.5 places steep as
    # well as cap 2 does, so that refit keeps cap 1 too and places org-01 too high.
    folders = capped_set(tmp_path, uneven=("steep",))
    report = calibrate(folders, fit=True)
    assert report.fit is not None and report.fit.leave_one_out is not None
    assert report.fit.rule.max_steps_above_weakest == 2
    loo = report.fit.leave_one_out
    assert loo.caps == {1: 2, 2: 12}
    by_folder = {Path(item.folder).name: item for item in loo.organisations}
    steep = by_folder["steep"]
    assert steep.max_steps_above_weakest == 1
    assert (steep.placed.id, steep.outcome, steep.direction) == ("collect", "miss", "low")
    assert by_folder["org-01"].max_steps_above_weakest == 1
    assert by_folder["org-01"].thresholds["collect"] == 1.5
    assert (by_folder["org-01"].outcome, by_folder["org-01"].direction) == ("miss", "high")
    assert by_folder["org-02"].max_steps_above_weakest == 2


def test_write_puts_the_fitted_rule_beside_the_thresholds(tmp_path: Path) -> None:
    folders = capped_set(tmp_path)
    target = tmp_path / "cal.yaml"
    data = read(target)
    data["scoring"] = {"overall": {"rule": "mean"}}  # the questionnaire's own rule, replaced
    target.write_text(
        "# Keep this comment.\n" + yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    report = calibrate(folders, fit=True)
    write_calibration(target, report, force=True)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Keep this comment.\n")
    assert (
        "scoring:\n"
        "  thresholds: {collect: 1.95, analyse: 2.85, cooperate: 3.55, transform: 4.35}\n"
        "  overall: {rule: capped_by_weakest, max_steps_above_weakest: 2}\n"
    ) in text
    assert (
        "  rule:  # the weakest-rung rule, its cap fitted with the thresholds\n"
        "    rule: capped_by_weakest\n"
        "    max_steps_above_weakest: 2\n"
        "    declared: 1\n"
        "    tried:  # cap -> agreement with the best thresholds for that cap\n"
        "      1: {exact: 13, within_acceptable: 13, misses_low: 1, misses_high: 1}\n"
        "      2: {exact: 15, within_acceptable: 15, misses_low: 0, misses_high: 0}\n"
    ) in text
    questionnaire = load_questionnaire(target)
    assert questionnaire.content.scoring.overall == report.fit.rule  # type: ignore[union-attr]
    block = questionnaire.calibration
    assert block is not None and block.rule is not None
    assert (block.rule.reason, block.rule.runner_up) == ("exact", 1)
    # The written file reproduces the agreement it documents.
    current = calibrate(folders).current
    assert current.rule == block.rule.overall
    assert (current.exact, current.misses_low, current.misses_high) == (15, 0, 0)
    assert (current.exact, current.within_acceptable) == (block.exact, block.within_acceptable)
    assert current.confusion == block.confusion


def test_a_hand_edited_rule_that_is_not_the_fitted_one_is_refused(tmp_path: Path) -> None:
    folders = capped_set(tmp_path)
    target = tmp_path / "cal.yaml"
    write_calibration(target, calibrate(folders, fit=True), force=True)
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace(
            "overall: {rule: capped_by_weakest, max_steps_above_weakest: 2}",
            "overall: {rule: mean}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_questionnaire(target)
    [problem] = caught.value.problems
    rule_line = text.splitlines().index(
        "  rule:  # the weakest-rung rule, its cap fitted with the thresholds"
    )
    assert problem.line == rule_line + 1  # lines count from 1
    assert problem.message == (
        "the thresholds were fitted with the rule capped_by_weakest (at most 2 step(s) above "
        "the weakest), but this questionnaire scores with mean (1); set scoring.overall to the "
        "fitted rule"
    )


def figures(exact: int, within: int, low: int, high: int) -> CapTried:
    return CapTried(exact=exact, within_acceptable=within, misses_low=low, misses_high=high)


@pytest.mark.parametrize(
    ("tried", "chosen", "reason"),
    [
        ({1: figures(5, 8, 4, 1)}, 1, "only"),
        ({1: figures(5, 8, 4, 1), 2: figures(7, 8, 2, 1)}, 2, "exact"),
        ({1: figures(5, 8, 4, 1), 2: figures(5, 9, 4, 1)}, 2, "within"),
        ({1: figures(5, 8, 4, 1), 2: figures(5, 8, 3, 2)}, 2, "balance"),
        ({1: figures(5, 8, 4, 1), 2: figures(5, 8, 1, 4)}, 1, "tie"),
        ({0: figures(5, 8, 4, 1), 2: figures(5, 8, 4, 1)}, 0, "tie"),  # equally close: lower
    ],
)
def test_the_block_says_why_its_cap_was_chosen(
    tried: dict[int, CapTried], chosen: int, reason: str
) -> None:
    rule = RuleFit(
        rule="capped_by_weakest", max_steps_above_weakest=chosen, declared=1, tried=tried
    )
    assert rule.reason == reason


def test_a_block_naming_a_worse_cap_than_it_tried_is_refused() -> None:
    with pytest.raises(ValueError, match=r"cap 2 does better than the cap chosen \(1\)"):
        RuleFit(
            rule="capped_by_weakest",
            max_steps_above_weakest=1,
            declared=1,
            tried={1: figures(5, 8, 4, 1), 2: figures(6, 8, 3, 1)},
        )
    with pytest.raises(ValueError, match=r"the cap chosen \(3\) is not among the caps tried"):
        RuleFit(
            rule="capped_by_weakest",
            max_steps_above_weakest=3,
            declared=1,
            tried={1: figures(5, 8, 4, 1)},
        )


def test_the_command_shows_the_fitted_cap(tmp_path: Path) -> None:
    folders = list(map(str, capped_set(tmp_path)))
    result = runner.invoke(
        app, ["calibrate", *folders, "--fit", "--caps", "0,1,2,3,4"], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "caps 0, 1, 2, 3, 4; " in out
    assert "fitted rule: capped by the weakest dimension, at most 2 phases above it" in out
    assert "the method's rule: capped by the weakest dimension, at most 1 phase above it" in out
    flat = " ".join(out.split())
    assert "│ 2 (chosen) │ 1.95 │ 2.85 │ 3.55 │ 4.35 │ 15 │ 15 │ 0 │ 0 │" in flat
    assert "│ 3 │" in flat
    assert "  steep: Collect -> Analyse (expected Analyse)" in out
    assert "Leave-one-out refits chose cap 2 in 15 of 15" in out


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ("5", "a cap is 0-4 rungs above the weakest dimension, not 5"),
        ("1,x", "'1,x' is not a list of whole numbers such as 1,2"),
        (",", "give at least one cap to try, e.g. 1,2"),
    ],
)
def test_bad_caps_are_refused_before_any_folder_is_read(
    tmp_path: Path, caps: str, message: str
) -> None:
    result = runner.invoke(app, ["calibrate", str(tmp_path / "none"), "--fit", "--caps", caps])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.replace("│", " ").split())


# --- the report's method appendix ------------------------------------------------------

CONFUSION = {
    "negeren": {"negeren": 4},
    "verzamelen": {"verzamelen": 4, "analyseren": 1},
    "analyseren": {"verzamelen": 1, "analyseren": 4},
    "samenwerken": {"samenwerken": 3},
    "transformeren": {"transformeren": 3},
}


IN_BANDS = (1.75, 2.5, 3.35, 4.1)  # as a fit within the bands (method grid) could give
FREE = (1.75, 2.55, 3.05, 3.9)  # transformeren below 4: only a free fit (rising_grid) gives it


def calibrated_intake(
    tmp_path: Path,
    language: str,
    rule: dict[str, Any],
    *,
    method: str = "grid",
    thresholds: tuple[float, ...] = IN_BANDS,
) -> Path:
    """A copy of intake v1 with fitted thresholds, a fitted rule and their calibration block."""
    source = shipped_questionnaire_file("intake", language, 1)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["method"] = "klantladder"
    phases = ("verzamelen", "analyseren", "samenwerken", "transformeren")
    data["scoring"] = {
        "thresholds": dict(zip(phases, thresholds, strict=True)),
        "overall": {
            "rule": "capped_by_weakest",
            "max_steps_above_weakest": rule["max_steps_above_weakest"],
        },
    }
    data["calibration"] = {
        "method": method,
        "step": 0.05,
        "rule": {"rule": "capped_by_weakest", **rule},
        "date": "2026-05-04",
        "fitted_on": {"id": "intake", "version": 1},
        "organisations": 20,
        "respondents": 70,
        "exact": 18,
        "within_acceptable": 20,
        "misses_low": 1,
        "misses_high": 1,
        "leave_one_out": {"exact": 16, "within_acceptable": 19},
        "confusion": CONFUSION,
    }
    return write_yaml(tmp_path / f"intake.v1.{language}.yaml", data)


def appendix(tmp_path: Path, language: str, rule: dict[str, Any], **fitted: Any) -> str:
    """The method appendix of the example, scored by a calibrated copy of intake v1."""
    questionnaire = calibrated_intake(tmp_path, language, rule, **fitted)
    folder = tmp_path / "koperwiek"
    shutil.copytree(EXAMPLES / "koperwiek-keukens", folder)
    assessment = read(folder / "assessment.yaml")
    assessment["questionnaire"]["file"] = str(questionnaire)
    assessment["language"] = language
    write_yaml(folder / "assessment.yaml", assessment)

    from klantladder.report.brand import load_brand
    from klantladder.report.render import report_html

    html = report_html(load_assessment(folder), brand=load_brand(None)).html
    start = html.index('id="appendix-method"')
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[start:])).split())


CHOSEN_BY_EXACT = {
    "max_steps_above_weakest": 2,
    "declared": 1,
    "tried": {
        1: {"exact": 15, "within_acceptable": 19, "misses_low": 4, "misses_high": 1},
        2: {"exact": 18, "within_acceptable": 20, "misses_low": 1, "misses_high": 1},
    },
}


@pytest.mark.parametrize(
    ("language", "phrases", "absent"),
    [
        (
            "nl",
            [
                "maar hoogstens twee fasen hoger dan haar zwakste dimensie. Zo werkt een "
                "organisatie niet samen terwijl het leiderschap nog negeert.",
                "De drempels en de regel voor de fase van de organisatie zijn op 4 mei 2026 "
                "samen bepaald op een kalibratieset van 20 organisaties (70 respondenten).",
                "Voor elk geprobeerd aantal (1 en 2) is elke combinatie van drempels geprobeerd",
                "dan het aantal dat het dichtst bij dat van de methode ligt (bij gelijke afstand "
                "het laagste)",
                "Gekozen is de grens van hoogstens twee fasen boven de zwakste dimensie: daarmee "
                "staan de meeste organisaties precies in hun verwachte fase (18, tegen 15 bij "
                "hoogstens één fase). De methode zelf gaat uit van hoogstens één fase boven de "
                "zwakste dimensie.",
                "waarbij elke organisatie is geplaatst met drempels en een grens die zonder haar "
                "zijn bepaald, staan er 16 precies goed (80%)",
            ],
            ["bleef ongewijzigd"],
        ),
        (
            "en",
            [
                "but at most two phases above its weakest dimension. So an organisation does "
                "not collaborate while its leadership still ignores the customer.",
                "The thresholds and the rule for the organisation's phase were fitted together "
                "on 4 May 2026 on a calibration set of 20 organisations (70 respondents).",
                "For each number tried (1 and 2), every combination of thresholds was tried",
                "The limit chosen is at most two phases above the weakest dimension: it places "
                "the most organisations exactly in their expected phase (18, against 15 with at "
                "most one phase). The method itself declares at most one phase above the weakest "
                "dimension.",
                "where each organisation is placed by thresholds and a limit fitted without it",
            ],
            ["stayed as it was"],
        ),
    ],
)
def test_the_appendix_says_which_cap_was_chosen_and_why(
    tmp_path: Path, language: str, phrases: list[str], absent: list[str]
) -> None:
    text = appendix(tmp_path, language, CHOSEN_BY_EXACT)
    for phrase in phrases:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


def test_the_appendix_on_a_tie_names_the_methods_cap(tmp_path: Path) -> None:
    tie = {
        "max_steps_above_weakest": 3,
        "declared": 4,
        "tried": {
            2: {"exact": 18, "within_acceptable": 20, "misses_low": 1, "misses_high": 1},
            3: {"exact": 18, "within_acceptable": 20, "misses_low": 1, "misses_high": 1},
        },
    }
    text = appendix(tmp_path, "en", tie)
    assert (
        "The limit chosen is at most three phases above the weakest dimension. With at most two "
        "phases the placements are as good: as many organisations exactly and within an "
        "acceptable phase, and the misses as evenly split. The tie went to the number closest to "
        "the method's own: at most four phases."
    ) in text
    assert "The method itself declares" not in text
    # Three rungs above the weakest allow collaborating while leadership ignores: no example.
    assert "at most three phases above its weakest dimension." in text
    assert "So an organisation does not collaborate" not in text


@pytest.mark.parametrize(
    ("language", "phrases", "absent"),
    [
        (
            "nl",
            [
                "Voor elk geprobeerd aantal (1 en 2) is elke combinatie van drempels geprobeerd, "
                "in stappen van 0,05: elke drempel mocht overal tussen 1 en 5 liggen, zolang de "
                "drempels van fase tot fase oplopen.",
                "De drempels zijn niet gebonden aan gelijke banden op de schaal (1,8; 2,6; 3,4 en "
                "4,2), omdat respondenten de uiterste antwoorden meestal mijden",
                "vanaf score 3,90",
            ],
            ["binnen elke band"],
        ),
        (
            "en",
            [
                "For each number tried (1 and 2), every combination of thresholds was tried in "
                "steps of 0.05: each threshold could lie anywhere between 1 and 5, as long as "
                "the thresholds rise from phase to phase.",
                "The thresholds are not held to equal bands of the scale (1.8, 2.6, 3.4 and "
                "4.2), because respondents tend to avoid the outermost answers",
                "from score 3.90",
            ],
            ["within each band"],
        ),
    ],
)
def test_the_appendix_says_the_thresholds_were_fitted_freely_and_why(
    tmp_path: Path, language: str, phrases: list[str], absent: list[str]
) -> None:
    text = appendix(tmp_path, language, CHOSEN_BY_EXACT, method="rising_grid", thresholds=FREE)
    for phrase in phrases:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


def test_an_older_block_keeps_saying_within_each_band(tmp_path: Path) -> None:
    text = appendix(tmp_path, "en", CHOSEN_BY_EXACT)
    assert "every combination of thresholds was tried, in steps of 0.05 within each band" in text
    assert "anywhere between 1 and 5" not in text
    assert "outermost answers" not in text


def test_a_block_must_describe_how_its_thresholds_were_fitted(tmp_path: Path) -> None:
    # Thresholds outside their bands cannot come from a fit within the bands.
    path = calibrated_intake(tmp_path, "en", CHOSEN_BY_EXACT, thresholds=FREE)
    with pytest.raises(InputError) as caught:
        load_questionnaire(path)
    [problem] = caught.value.problems
    assert problem.message == (
        "the block says the thresholds were fitted each within its band (method: grid), but the "
        "threshold of transformeren is 3.9, outside (4, 5]; fit again with klantladder calibrate "
        "--fit --write"
    )
    free = calibrated_intake(tmp_path, "en", CHOSEN_BY_EXACT, method="rising_grid", thresholds=FREE)
    block = load_questionnaire(free).calibration
    assert block is not None and block.method == "rising_grid"
    # A free fit always fits the rule too, so its block names it.
    data = read(path)
    data["calibration"]["method"] = "rising_grid"
    del data["calibration"]["rule"]
    data["scoring"].pop("overall")
    write_yaml(path, data)
    with pytest.raises(InputError, match="a rising_grid fit always fits the rule"):
        load_questionnaire(path)
