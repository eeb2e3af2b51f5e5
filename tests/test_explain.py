"""'Why this phase': every sentence is one of the method's templates, and every number in
it belongs to what that sentence names (hypothesis, over all overall rules)."""

from __future__ import annotations

import re
import string
from typing import Any

from helpers import response
from hypothesis import given, settings
from hypothesis import strategies as st
from test_road import QUESTIONNAIRES, SCORED

from klantladder.formatting import format_score
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import DimensionResult, ScoreResult
from klantladder.scoring import score

TEMPLATES = (
    "mean_phase",
    "mean_interval",
    "mean_border",
    "no_interval",
    "capped",
    "weakest_rule",
    "phase_border",
    "holds_back",
    "lifts",
    "road_mean",
    "road_mean_rest",
    "road_mean_follows",
    "top",
    "focus",
)
REASONS = ("focus_weakest", "focus_closest", "focus_border", "focus_nearest")


NUMBERS = {"score", "low", "high", "gap", "threshold", "after", "remaining"}


def pattern(template: str) -> re.Pattern[str]:
    """A template as a regular expression with a named group per placeholder."""
    parts = []
    position = 0
    for match in string.Template.pattern.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        name = match.group("named") or match.group("braced")
        value = r"\d+\.\d\d" if name in NUMBERS else r"\d+" if name == "minimum" else ".+?"
        parts.append(f"(?P<{name}>{value})")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("^" + "".join(parts) + "$")


def parse(method: Method, names: tuple[str, ...], sentence: str) -> tuple[str, dict[str, str]]:
    """Which template a sentence was filled from, and the values of its placeholders."""
    found = []
    for name in names:
        match = pattern(localize(getattr(method.explanations, name), "en")).match(sentence)
        if match:
            found.append((name, match.groupdict()))
    assert len(found) == 1, (sentence, [name for name, _ in found])
    return found[0]


def number(value: float) -> str:
    return format_score(value, "en")


def dimension_named(result: ScoreResult, title: str) -> DimensionResult:
    return next(d for d in result.dimensions if d.title == title)


def check_sentence(result: ScoreResult, method: Method, sentence: str) -> None:
    overall = result.overall
    kind, values = parse(method, TEMPLATES, sentence)
    if kind in ("mean_phase", "mean_interval", "mean_border"):
        assert values["score"] == number(overall.score)
        if kind == "mean_phase":
            assert overall.interval is None
        else:
            assert overall.interval is not None
            assert (values["low"], values["high"]) == (
                number(overall.interval.low),
                number(overall.interval.high),
            )
        if kind == "mean_border":
            assert overall.mean_border is not None
            assert values["border"] == overall.mean_border.text
        else:
            assert overall.mean_border is None
            assert values["phase"] == overall.mean_phase.name
    elif kind == "no_interval":
        assert overall.interval is None and values["minimum"] == "3"
    elif kind in ("capped", "weakest_rule"):
        assert values["phase"] == overall.phase.name
        weakest = [d for d in result.dimensions if d.id in overall.weakest]
        assert all(d.title in values["weakest"] for d in weakest)
        assert {values["weakest_phase"]} == {d.phase.name for d in weakest if d.phase}
    elif kind == "phase_border":
        assert overall.border is not None and values["border"] == overall.border.text
    elif kind == "holds_back":
        dimension = dimension_named(result, values["dimension"])
        assert dimension.mean is not None and dimension.phase is not None
        assert values["score"] == number(dimension.mean)
        assert values["phase"] == dimension.phase.name
        assert dimension.mean == min(d.mean for d in result.dimensions if d.mean is not None)
    elif kind == "lifts":
        assert overall.road is not None
        dimension = dimension_named(result, values["dimension"])
        condition = next(c for c in overall.road.dimensions if c.dimension == dimension.id)
        # the gap and threshold are the dimension's own, not the mean's
        assert dimension.mean is not None and dimension.gap_to_next is not None
        assert values["gap"] == number(dimension.gap_to_next) == number(condition.gap)
        assert values["threshold"] == number(round(dimension.mean + dimension.gap_to_next, 2))
        assert values["next_phase"] == overall.road.target.name
    elif kind.startswith("road_mean"):
        assert overall.road is not None and overall.road.mean is not None
        mean = overall.road.mean
        assert values["score"] == number(overall.score) == number(mean.score)
        assert values["threshold"] == number(mean.threshold)
        assert values["next_phase"] == overall.road.target.name
        for key in ("gap", "after", "remaining"):
            if key in values:
                assert values[key] == number(getattr(mean, key))
        if "dimensions" in values:
            assert all(c.title in values["dimensions"] for c in overall.road.dimensions)
    elif kind == "top":
        assert overall.road is None
    else:
        check_focus(result, method, values)


def check_focus(result: ScoreResult, method: Method, values: dict[str, str]) -> None:
    dimension = dimension_named(result, values["dimension"])
    assert dimension.id in {point.dimension for point in result.focus}
    reason, parts = parse(method, REASONS, values["reason"])
    assert dimension.phase is not None
    levels = {d.phase.level for d in result.dimensions if d.phase is not None}
    if reason == "focus_weakest":
        # the lowest phase is a reason only when another dimension stands higher
        assert parts["phase"] == dimension.phase.name
        assert dimension.phase.level == min(levels) < max(levels)
        return
    assert dimension.gap_to_next is not None
    assert parts["gap"] == number(dimension.gap_to_next)
    assert parts["next_phase"] == method.phase_at(dimension.phase.level + 1).name
    threshold = method.scoring.thresholds[method.phase_at(dimension.phase.level + 1).id]
    span = dimension.interval
    if reason == "focus_closest":
        # only a quickest win when the gap is larger than the noise
        assert span is not None and span.high < threshold
    elif reason == "focus_border":
        assert span is not None and span.high >= threshold
        assert dimension.border is not None and parts["border"] == dimension.border.text
    else:
        assert span is None


answer = st.one_of(st.integers(1, 5), st.none())


@st.composite
def answer_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    people = draw(st.integers(1, 12))
    return [
        {q: value for q in SCORED if (value := draw(answer)) is not None} for _ in range(people)
    ]


@given(questionnaire=st.sampled_from(QUESTIONNAIRES), answers=answer_lists())
@settings(max_examples=300, deadline=None)
def test_every_number_in_why_belongs_to_what_its_sentence_names(
    questionnaire: Questionnaire, answers: list[dict[str, Any]]
) -> None:
    try:
        result = score(questionnaire, [response(f"r{i}", a) for i, a in enumerate(answers)])
    except ValueError:
        return
    for sentence in result.explanation:
        check_sentence(result, questionnaire.content, sentence)
    kinds = [parse(questionnaire.content, TEMPLATES, s)[0] for s in result.explanation]
    # the road's sentences name exactly its conditions
    road = result.overall.road
    if road is not None:
        assert kinds.count("lifts") == len(road.dimensions)
        road_mean = [k for k in kinds if k.startswith("road_mean")]
        assert len(road_mean) == (0 if road.mean is None else 1)
    else:
        assert "top" in kinds
