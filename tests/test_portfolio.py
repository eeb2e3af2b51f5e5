"""Portfolio benchmark: loading results, percentile ranks, suppression, privacy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MINI, make_folder, response
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.errors import InputError, NotFoundError
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import UNKNOWN, Assessment
from klantladder.models.benchmark import Benchmark
from klantladder.models.result import ScoreResult
from klantladder.overtime.portfolio import benchmark, load_portfolio, percentile_rank, percentiles
from klantladder.scoring import score

MINI_Q = load_questionnaire(MINI)


def result(
    organisation: str | None,
    date: str,
    lead: int,
    listen: int,
    act: int | str,
    *,
    method: str = "mini",
    sector: str = "Zorg",
) -> ScoreResult:
    """A scored result whose dimension scores are the given ladder answers.

    The overall score is (2 lead + listen + act) / 4 (lead weighs double).
    """
    answers = {"lead.1": lead, "listen.1": listen, "act.1": act}
    assessment = (
        None
        if organisation is None
        else Assessment.model_validate(
            {
                "organisation": organisation,
                "sector": sector,
                "date": date,
                "questionnaire": {"id": "mini", "version": 1},
                "language": "en",
                "assessor": f"Assessor of {organisation}",
            }
        )
    )
    scored = score(MINI_Q, [response("r1", answers)], assessment)
    if method != "mini":
        info = scored.questionnaire.model_copy(update={"method_id": method})
        scored = scored.model_copy(update={"questionnaire": info})
    return scored


SUBJECT = result("Acme", "2025-03-01", 4, 3, 2)

PORTFOLIO = {
    "alfa-2025": result("Alfa Zorggroep", "2025-01-10", 2, 3, 2, sector="Ouderenzorg"),
    "beta-2025": result("Bèta Bouw", "2025-02-11", 3, 3, 4, sector="Bouw"),
    "gamma-2025": result("Gamma ICT", "2025-03-12", 4, 2, 3, sector="ICT"),
    "delta-2025": result("Delta Retail", "2025-04-13", 1, 4, 2, sector="Retail"),
    "epsilon-2025": result("Epsilon Bank", "2025-05-14", 5, 5, 5, sector="Bank"),
    "zeta-2024": result("Zeta Energie", "2024-06-15", 2, 2, 2, sector="Energie"),
    "zeta-2025": result("zeta  energie", "2025-06-15", 3, 1, 3, sector="Energie"),
    "eta-2025": result("Eta Gemeente", "2025-07-16", 5, 5, 5, method="other"),
    "acme-2024": result("Acme", "2024-03-01", 1, 1, 1),
    "acme-2025": SUBJECT,
}


def write_portfolio(folder: Path, results: dict[str, ScoreResult]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, item in results.items():
        (folder / f"{name}.json").write_text(item.model_dump_json(indent=2), encoding="utf-8")
    return folder


def test_percentile_ranks_against_a_portfolio(tmp_path: Path) -> None:
    folder = write_portfolio(tmp_path / "portfolio", PORTFOLIO)
    found = benchmark(SUBJECT, folder)
    # Peers: Alfa, Beta, Gamma, Delta, Epsilon and Zeta's 2025 result (same
    # organisation as Zeta 2024, told apart from it by name, case and spacing aside).
    assert found.peers == 6
    assert found.skipped.model_dump() == {
        "other_method": 1,  # Eta
        "own_organisation": 2,  # Acme 2024 and the result itself
        "earlier_results": 1,  # Zeta 2024
        "without_organisation": 0,
    }
    # lead 4 against 2, 3, 4, 1, 5, 3: four lower, one equal: (4 + 0.5) / 6 = 75%.
    lead = found.dimension("lead")
    assert (lead.score, lead.peers, lead.percentile, lead.median) == (4.0, 6, 75.0, 3.0)
    # listen 3 against 3, 3, 2, 4, 5, 1: two lower, two equal: (2 + 1) / 6 = 50%.
    assert found.dimension("listen").percentile == 50.0
    # act 2 against 2, 4, 3, 2, 5, 3: none lower, two equal: 1 / 6 = 16.7%.
    assert found.dimension("act").percentile == 16.7
    # overall 3.25 against 2.25, 3.25, 3.25, 2.0, 5.0, 2.5: three lower, two equal: 66.7%;
    # median of the six: (2.5 + 3.25) / 2 = 2.875 -> 2.88.
    assert found.overall.score == 3.25
    assert found.overall.percentile == 66.7
    assert found.overall.median == 2.88
    assert not found.overall.suppressed
    assert found.method_id == "mini"


def test_fewer_than_five_peers_are_suppressed() -> None:
    peers = [PORTFOLIO[name] for name in ("alfa-2025", "beta-2025", "gamma-2025", "delta-2025")]
    found = percentiles(SUBJECT, [*peers, PORTFOLIO["eta-2025"], PORTFOLIO["acme-2024"]])
    assert found.peers == 4
    for figure in [*found.dimensions, found.overall]:
        assert figure.suppressed
        assert figure.peers == 4
        assert figure.percentile is None
        assert figure.median is None
        assert figure.score is not None


def test_suppression_is_per_figure() -> None:
    peers = [
        PORTFOLIO[name]
        for name in ("alfa-2025", "beta-2025", "gamma-2025", "delta-2025", "epsilon-2025")
    ]
    peers[0] = result("Alfa Zorggroep", "2025-01-10", 2, 3, UNKNOWN)  # no act score
    found = percentiles(SUBJECT, peers)
    assert found.peers == 5
    assert not found.dimension("lead").suppressed
    act = found.dimension("act")
    assert (act.peers, act.suppressed, act.percentile) == (4, True, None)
    assert found.overall.percentile is not None


def test_the_organisation_itself_is_never_its_own_peer() -> None:
    others = [PORTFOLIO[name] for name in PORTFOLIO if not name.startswith("acme")]
    with_self = percentiles(SUBJECT, [*others, SUBJECT, PORTFOLIO["acme-2024"]])
    without = percentiles(SUBJECT, others)
    assert with_self.dimensions == without.dimensions
    assert with_self.overall == without.overall
    assert with_self.skipped.own_organisation == 2
    assert without.skipped.own_organisation == 0


def test_other_methods_are_skipped_and_counted() -> None:
    others = [result(f"Org {i}", "2025-01-01", 3, 3, 3, method="other") for i in range(7)]
    found = percentiles(SUBJECT, others)
    assert found.peers == 0
    assert found.skipped.other_method == 7
    assert found.overall.suppressed


def test_results_without_organisation_are_skipped() -> None:
    found = percentiles(SUBJECT, [result(None, "2025-01-01", 3, 3, 3)])
    assert found.skipped.without_organisation == 1
    assert found.peers == 0


def test_no_other_organisation_is_named(tmp_path: Path) -> None:
    found = benchmark(SUBJECT, write_portfolio(tmp_path / "portfolio", PORTFOLIO))
    text = found.model_dump_json().casefold()
    for item in PORTFOLIO.values():
        assert item.assessment is not None
        if item.assessment.organisation == "Acme":
            continue
        for field in (
            item.assessment.organisation,
            item.assessment.sector,
            item.assessment.assessor,
        ):
            assert field is not None
            assert field.casefold() not in text, field
        assert item.assessment.date.isoformat() not in text
    assert set(Benchmark.model_fields) == {
        "format",
        "generator",
        "method_id",
        "min_peers",
        "peers",
        "dimensions",
        "overall",
        "skipped",
    }


def test_benchmark_json_round_trip(tmp_path: Path) -> None:
    found = benchmark(SUBJECT, write_portfolio(tmp_path / "portfolio", PORTFOLIO))
    assert Benchmark.model_validate_json(found.model_dump_json()) == found


def test_portfolio_of_results_written_by_score_json(tmp_path: Path) -> None:
    portfolio = tmp_path / "portfolio"
    runner = CliRunner()
    for index in range(6):
        folder = make_folder(
            tmp_path / f"org{index}",
            [{"lead.1": 1 + index % 5, "listen.1": 3, "act.1": 2}],
            organisation=f"Organisation {index}",
        )
        out = portfolio / f"org{index}.json"
        outcome = runner.invoke(app, ["score", str(folder), "--json", "-o", str(out)])
        assert outcome.exit_code == 0, outcome.output
    results = load_portfolio(portfolio)
    assert [r.assessment.organisation for r in results if r.assessment] == [
        f"Organisation {index}" for index in range(6)
    ]
    assert percentiles(SUBJECT, results).peers == 6


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    folder = write_portfolio(tmp_path / "portfolio", {"good": SUBJECT})
    (folder / "syntax.json").write_text('{\n  "format": 1,\n  "overall": }\n', encoding="utf-8")
    (folder / "other.json").write_text('{"organisation": "x"}', encoding="utf-8")
    future = json.loads(SUBJECT.model_dump_json())
    future["format"] = 3
    (folder / "future.json").write_text(json.dumps(future), encoding="utf-8")
    broken: dict[str, Any] = json.loads(SUBJECT.model_dump_json())
    broken["overall"]["score"] = "high"
    del broken["respondents"]
    (folder / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    (folder / "latin1.json").write_bytes('{"organisation": "Caf\xe9"}'.encode("latin-1"))
    (folder / "notes.txt").write_text("not a result, not read", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_portfolio(folder)
    assert [str(problem).removeprefix(f"{folder}/") for problem in caught.value.problems] == [
        "broken.json: overall.score: Input should be a valid number, unable to parse string "
        "as a number",
        "broken.json: respondents: Field required",
        "future.json: result format 3; this klantladder reads formats 1 and 2",
        "latin1.json: not UTF-8 text (byte 21)",
        "other.json: not a klantladder score result (from 'klantladder score --json')",
        "syntax.json:3:14: JSON syntax error: Expecting value",
    ]


def test_missing_and_empty_portfolio_folders(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such portfolio folder"):
        load_portfolio(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no results \(\*\.json\) in this portfolio folder"):
        load_portfolio(tmp_path / "empty")


def test_percentile_rank_needs_a_peer() -> None:
    with pytest.raises(ValueError, match="at least one peer"):
        percentile_rank(3.0, [])


SCORES = st.floats(min_value=1.0, max_value=5.0, allow_nan=False).map(lambda v: round(v, 2))


def _with_overall(template: ScoreResult, organisation: str, value: float) -> ScoreResult:
    assert template.assessment is not None
    return template.model_copy(
        update={
            "assessment": template.assessment.model_copy(update={"organisation": organisation}),
            "overall": template.overall.model_copy(update={"score": value}),
        }
    )


@settings(max_examples=200, deadline=None)
@given(peers=st.lists(SCORES, min_size=5, max_size=25), low=SCORES, high=SCORES)
def test_percentiles_are_bounded_and_monotone_in_the_score(
    peers: list[float], low: float, high: float
) -> None:
    low, high = min(low, high), max(low, high)
    portfolio = [_with_overall(SUBJECT, f"Peer {i}", value) for i, value in enumerate(peers)]
    ranks = [
        percentiles(_with_overall(SUBJECT, "Acme", value), portfolio).overall.percentile
        for value in (low, high)
    ]
    assert ranks[0] is not None and ranks[1] is not None
    assert 0.0 <= ranks[0] <= ranks[1] <= 100.0
    # Below every peer is 0, above every peer is 100.
    assert percentile_rank(min(peers) - 0.01, peers) == 0.0
    assert percentile_rank(max(peers) + 0.01, peers) == 100.0


def _as_format_1(item: ScoreResult) -> dict[str, Any]:
    """A result as klantladder wrote it before format 2 (no intervals, road or reliability)."""
    data: dict[str, Any] = json.loads(item.model_dump_json())
    data["format"] = 1
    for dimension in data["dimensions"]:
        del dimension["interval"], dimension["border"]
    for key in ("interval", "mean_border", "border", "road"):
        del data["overall"][key]
    for group in data["segments"]:
        del group["complementary"]
        for segment in group["segments"]:
            del segment["suppressed_dimensions"]
    del data["reliability"]
    for key in ("confidence", "interval_min_n", "reliability_min_n", "alpha_bar", "item_rest_bar"):
        del data["scoring"][key]
    return data


def test_results_of_format_1_are_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    for name, item in PORTFOLIO.items():
        (folder / f"{name}.json").write_text(json.dumps(_as_format_1(item)), encoding="utf-8")
    loaded = load_portfolio(folder)
    assert all(item.format == 2 for item in loaded)
    assert [item.overall.score for item in loaded] == [
        PORTFOLIO[path.stem].overall.score for path in sorted(folder.glob("*.json"))
    ]
    assert all(item.overall.interval is None and item.segments == [] for item in loaded)
    assert percentiles(SUBJECT, loaded) == percentiles(SUBJECT, list(PORTFOLIO.values()))
