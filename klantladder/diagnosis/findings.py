"""The three key findings the report opens with, each a claim with its numbers.

1. **The bottleneck**: the dimension that holds the phase down (see
   `klantladder.diagnosis.advice.bottleneck`), or, when nothing does, the lowest
   one; with the answer that shows it most clearly (the most-chosen answer of
   its ladder question with the lowest answers) and a quote about it from the
   open answers, when the quote selection has a short enough one.
2. **The largest perception gap** between shown groups (`ScoreResult.gaps`
   holds only groups that may be shown), with the groups' sizes, the
   difference and whether it is larger than the measurement uncertainty. The
   largest gap that is larger than the uncertainty comes first; when none is,
   the largest gap, said to be within it. When no gap can be shown, the
   finding says why.
3. With an earlier assessment or a benchmark: the like-for-like change (only
   changes larger than the uncertainty are named) and the percentile rank.
   Without either: the strongest dimension, the foundation to build on, with
   its margin and the answer that shows it; when every dimension scores the
   same, the question with most disagreement; else no third finding.

Every sentence is chosen from the label files (``finding_*``) by what the data
show, so it holds for any organisation: ties, a single respondent, too few
respondents for a margin, a quick scan, the top phase, no groups, no open
answers. Numbers compared side by side ("16 van de 24", a group's size next to
its score) stay digits; counts on their own follow the labels' number words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from klantladder.diagnosis.advice import bottleneck
from klantladder.diagnosis.quotes import QuoteSelection
from klantladder.diagnosis.signs import answer_counts
from klantladder.formatting import format_count, format_score
from klantladder.models.assessment import Response
from klantladder.models.base import localize
from klantladder.models.questionnaire import LadderQuestion, Questionnaire, ScoredQuestion
from klantladder.models.result import (
    DimensionResult,
    FindingChange,
    FindingEvidence,
    FindingGroup,
    Interval,
    KeyFinding,
    NoGapReason,
    PerceptionGap,
    ScoreResult,
)
from klantladder.report.wording import counted, lower_first, number_in_words
from klantladder.scoring.levels import answer_level

if TYPE_CHECKING:
    from klantladder.models.benchmark import Benchmark
    from klantladder.models.comparison import Comparison

Labels = Mapping[str, Any]

QUOTE_MAX_CHARACTERS = 200
"""The longest quote a finding carries; the executive page has room for no more."""

NAMED_CHANGES = 3
"""A trend finding names at most this many meaningful changes, the largest first."""


@dataclass(frozen=True)
class FindingSources:
    """What the findings are drawn from: the answers, their result, and optional context."""

    questionnaire: Questionnaire
    responses: Sequence[Response]
    result: ScoreResult
    quotes: QuoteSelection | None = None
    quotes_translated: bool = False
    comparison: Comparison | None = None
    benchmark: Benchmark | None = None


def key_findings(sources: FindingSources, labels: Labels) -> list[KeyFinding]:
    """The key findings, in the result's language: bottleneck, perception gap, third.

    At most three; the third is left out only when the data hold nothing more
    to say (every dimension scores the same and nobody disagrees).
    """
    writer = _Writer(sources, labels)
    findings = [writer.bottleneck(), writer.perception_gap()]
    if sources.comparison is not None or sources.benchmark is not None:
        findings.append(writer.context(sources.comparison, sources.benchmark))
    else:
        third = writer.strongest() or writer.disagreement()
        if third is not None:
            findings.append(third)
    return [finding for finding in findings if finding is not None]


class _Writer:
    """Chooses and fills the sentences of each finding."""

    def __init__(self, sources: FindingSources, labels: Labels) -> None:
        self.sources = sources
        self.result = sources.result
        self.labels = labels
        self.language = sources.result.questionnaire.language
        self.method = sources.questionnaire.content
        self.present = [
            d for d in self.result.dimensions if d.mean is not None and d.phase is not None
        ]
        self.counts: dict[str, Counter[int]] = {}

    # --- helpers -----------------------------------------------------------------

    def score(self, value: float) -> str:
        return format_score(value, self.language)

    def say(self, key: str, count: int = 0, /, **values: Any) -> str:
        return counted(self.labels[key], count, self.labels, **values)

    def words(self, count: int) -> str:
        """A count on its own: in words up to the labels' last number word, else digits."""
        if count < len(self.labels.get("number_words") or []):
            return number_in_words(count, self.labels)
        return format_count(count, self.language)

    def join(self, names: Sequence[str]) -> str:
        if len(names) < 2:
            return "".join(names)
        return ", ".join(names[:-1]) + str(self.labels["finding_and"]) + names[-1]

    def margin_phrase(self, interval: Interval | None) -> str:
        if interval is None:
            return str(self.labels["finding_no_margin"])
        return self.say(
            "finding_margin", low=self.score(interval.low), high=self.score(interval.high)
        )

    def titles(self, ids: Sequence[str]) -> list[str]:
        return [self.result.dimension(i).title for i in ids]

    # --- 1. the bottleneck -------------------------------------------------------

    def bottleneck(self) -> KeyFinding | None:
        if not self.present:
            return None
        order = {d.id: i for i, d in enumerate(self.result.dimensions)}
        neck_id = bottleneck(self.result, len(self.method.phases))
        if neck_id is None:  # every dimension on the top rung: the lowest of them
            neck_id = min(self.present, key=lambda d: (d.mean, order[d.id])).id
        neck = self.result.dimension(neck_id)
        assert neck.mean is not None and neck.phase is not None
        tied = [d.id for d in self.present if d.id != neck.id and d.mean == neck.mean]
        values = {
            "dimension": neck.title,
            "tied": self.join(self.titles(tied)),
            "score": self.score(neck.mean),
            "dimension_phase": neck.phase.name,
            "phase": self.result.overall.phase.name,
        }
        overall = self.result.overall
        road = overall.road
        condition = next(
            (c for c in (road.dimensions if road else []) if c.dimension == neck.id), None
        )
        if road is not None and condition is not None:
            values |= {"needed_phase": condition.phase.name, "next_phase": road.target.name}
        holds = (overall.capped or condition is not None) and len(tied) + 1 < len(self.present)
        if len(self.present) == 1:
            claim = self.say("finding_only_dimension", **values)
        elif len(tied) + 1 == len(self.present):
            claim = self.say("finding_all_equal", **values)
        elif overall.capped and len(overall.weakest) == 1:
            claim = self.say("finding_bottleneck_single", **values)
        elif overall.capped:
            key = "finding_bottleneck_several_tied" if tied else "finding_bottleneck_several"
            claim = self.say(key, len(overall.weakest), **values)
        elif condition is not None:
            key = "finding_lowest_road_tied" if tied else "finding_lowest_road"
            claim = self.say(key, **values)
        else:
            claim = self.say("finding_lowest_tied" if tied else "finding_lowest", **values)
        title = "finding_bottleneck_title" if holds else "finding_lowest_title"
        evidence = self.evidence(neck, lowest=True)
        text = " ".join(part for part in (claim, self.evidence_text(evidence)) if part)
        return KeyFinding(
            kind="bottleneck",
            title=str(self.labels[title]),
            text=text,
            dimension=neck.id,
            dimension_title=neck.title,
            score=neck.mean,
            interval=neck.interval,
            tied=tied,
            evidence=evidence,
            quote=self.quote(neck.id),
        )

    def evidence(self, dimension: DimensionResult, *, lowest: bool) -> FindingEvidence | None:
        """The answers to the question that shows a dimension's level most clearly.

        Ladder questions first (their statements describe practice), then
        agreement statements; within each, the question with the lowest (or
        highest) answers first, then the one most agree on, then the
        questionnaire's order. Its most-chosen answer (ties to the lower, or
        higher, level) is the evidence when it fits the claim: for the weakest
        dimension an answer at or below the dimension's phase (for a statement,
        also disagreeing), for the strongest one at or above it (agreeing).
        None when no question has such an answer.
        """
        assert dimension.phase is not None
        phase = dimension.phase.level
        sign = 1 if lowest else -1
        method = self.method
        questionnaire = self.sources.questionnaire
        own = [q for q in questionnaire.scored_questions if q.dimension == dimension.id]
        missing = [q.id for q in own if q.id not in self.counts]
        self.counts |= answer_counts(questionnaire, self.sources.responses, missing)
        asked = [(index, q) for index, q in enumerate(own) if self.counts.get(q.id)]

        def level(question: ScoredQuestion, answer: int) -> float:
            return answer_level(question, answer, method) or 0.0

        def key(item: tuple[int, ScoredQuestion]) -> tuple[bool, float, int, int]:
            index, question = item
            tally = self.counts[question.id]
            total = sum(tally.values())
            average = sum(level(question, a) * n for a, n in tally.items()) / total
            ladder = isinstance(question, LadderQuestion)
            return (not ladder, sign * average, -max(tally.values()), index)

        for _, question in sorted(asked, key=key):
            tally = self.counts[question.id]
            answer = min(tally, key=lambda a: (-tally[a], sign * a))
            earned = level(question, answer)
            ladder = isinstance(question, LadderQuestion)
            if lowest and (earned > phase or (not ladder and answer > 2)):
                continue
            if not lowest and (earned < phase or (not ladder and answer < 4)):
                continue
            if isinstance(question, LadderQuestion):
                answer_text = localize(question.statements[answer], self.language)
            else:
                answer_text = localize(method.answer_labels.agreement[answer], self.language)
            return FindingEvidence(
                question=question.id,
                question_text=localize(question.text, self.language),
                answered=sum(tally.values()),
                counts={a: tally[a] for a in range(1, 6)},
                answer=answer,
                answer_text=answer_text,
                count=tally[answer],
            )
        return None

    def evidence_text(self, evidence: FindingEvidence | None) -> str:
        if evidence is None or evidence.count is None or evidence.answer_text is None:
            return ""
        kind = "ladder" if self._is_ladder(evidence.question) else "agreement"
        if evidence.answered == 1:
            key = f"finding_answer_{kind}_single"
        else:
            scope = "some" if evidence.answered < self.result.respondents else "all"
            every = "_every" if evidence.count == evidence.answered else ""
            key = f"finding_answer_{kind}_{scope}{every}"
        return self.say(
            key,
            evidence.count,
            number=format_count(evidence.count, self.language),
            answered=format_count(evidence.answered, self.language),
            answered_words=self.words(evidence.answered),
            answer=_unstopped(evidence.answer_text),
            statement=_unstopped(evidence.question_text),
        )

    def _is_ladder(self, question_id: str) -> bool:
        return isinstance(self.sources.questionnaire.question(question_id), LadderQuestion)

    def quote(self, dimension: str) -> str | None:
        """The first quote the selection chose for the dimension that fits the page."""
        if self.sources.quotes is None:
            return None
        for theme in self.sources.quotes.themes:
            if theme.dimension != dimension:
                continue
            for quote in theme.quotes:
                if len(quote.text) <= QUOTE_MAX_CHARACTERS:
                    return quote.text
        return None

    # --- 2. the perception gap ---------------------------------------------------

    def perception_gap(self) -> KeyFinding:
        gaps = self.result.gaps
        title = str(self.labels["finding_gap_title"])
        if not gaps:
            reason = self.no_gap_reason()
            return KeyFinding(
                kind="no_perception_gap",
                title=title,
                text=self.say(
                    f"finding_gap_{reason}",
                    minimum=number_in_words(self.result.scoring.min_group_size, self.labels),
                ),
                reason=reason,
            )
        chosen = next((gap for gap in gaps if gap.meaningful), gaps[0])
        larger = gaps[: gaps.index(chosen)]
        tie = any(
            g is not chosen
            and g.difference == chosen.difference
            and g.meaningful == chosen.meaningful
            for g in gaps
        )
        high, low = self.group(chosen, high=True), self.group(chosen, high=False)
        lead = "finding_gap_lead" + ("_meaningful" if larger else "") + ("_tie" if tie else "")
        values = {
            "dimension": chosen.dimension_title,
            "question": self.question_phrase(chosen.question),
            "high": self.group_text(high),
            "high_score": self.score(high.score),
            "low": self.group_text(low),
            "low_score": self.score(low.score),
            "difference": self.score(chosen.difference),
            "margin": "" if chosen.margin is None else self.score(chosen.margin),
        }
        sentences = [self.say("finding_gap_groups", lead=self.say(lead, **values), **values)]
        if chosen.margin is None:
            sentences.append(self.say("finding_gap_no_margin", **values))
        elif larger:
            sentences.append(self.say("finding_gap_meaningful_after", **values))
        else:
            key = "finding_gap_meaningful" if chosen.meaningful else "finding_gap_within"
            sentences.append(self.say(key, **values))
        if larger:
            top = larger[0]
            sentences.append(
                self.say(
                    "finding_gap_larger",
                    len(larger),
                    other=top.dimension_title,
                    other_high=top.high_label,
                    other_low=top.low_label,
                    other_difference=self.score(top.difference),
                )
            )
        return KeyFinding(
            kind="perception_gap",
            title=title,
            text=" ".join(sentences),
            dimension=chosen.dimension,
            dimension_title=chosen.dimension_title,
            groups=[high, low],
            difference=chosen.difference,
            margin=chosen.margin,
            meaningful=chosen.meaningful,
        )

    def group(self, gap: PerceptionGap, *, high: bool) -> FindingGroup:
        option = gap.high if high else gap.low
        segment = next(
            s
            for group in self.result.segments
            if group.question == gap.question
            for s in group.segments
            if s.option == option
        )
        return FindingGroup(
            question=gap.question,
            option=option,
            label=gap.high_label if high else gap.low_label,
            n=segment.n,
            score=gap.high_score if high else gap.low_score,
        )

    def group_text(self, group: FindingGroup) -> str:
        return self.say(
            "finding_group", group.n, label=group.label, number=format_count(group.n, self.language)
        )

    def question_phrase(self, question_id: str) -> str:
        question = self.sources.questionnaire.question(question_id)
        label = getattr(question, "label", None)
        if label:
            return lower_first(localize(label, self.language))
        return self.say(
            "finding_gap_question_text", question=_unstopped(localize(question.text, self.language))
        )

    def no_gap_reason(self) -> NoGapReason:
        groups = self.result.segments
        if not groups:
            return "no_groups_asked"
        if all(not g.segments and not g.suppressed_groups for g in groups):
            return "no_groups_answered"
        for group in groups:
            for dimension in self.result.dimensions:
                valued = [s for s in group.segments if s.dimensions.get(dimension.id) is not None]
                if len(valued) >= 2:
                    return "no_difference"
        return "groups_too_small"

    # --- 3a. trend and benchmark -------------------------------------------------

    def context(self, comparison: Comparison | None, benchmark: Benchmark | None) -> KeyFinding:
        sentences: list[str] = []
        changes: list[FindingChange] = []
        if comparison is not None:
            trend, changes = self.trend(comparison)
            sentences += trend
        percentile: float | None = None
        peers: int | None = None
        if benchmark is not None:
            sentences.append(self.benchmark(benchmark))
            peers = benchmark.overall.peers
            if not benchmark.overall.suppressed:
                percentile = benchmark.overall.percentile
        kind: Literal["trend", "benchmark", "trend_benchmark"]
        kind = (
            "benchmark"
            if comparison is None
            else ("trend" if benchmark is None else "trend_benchmark")
        )
        return KeyFinding(
            kind=kind,
            title=str(self.labels[f"finding_{kind}_title"]),
            text=" ".join(sentences),
            changes=changes,
            percentile=percentile,
            peers=peers,
        )

    def trend(self, comparison: Comparison) -> tuple[list[str], list[FindingChange]]:
        span = comparison.span
        first = comparison.assessments[span.earlier]
        last = comparison.assessments[span.later]
        months = self.labels["months"]
        date = f"{first.date.day} {months[first.date.month - 1]} {first.date.year}"
        overall = span.overall
        if overall is None:
            return [self.say("finding_trend_not_compared", date=date)], []
        if overall.meaningful:
            uncertainty = self.labels["finding_beyond_uncertainty"]
        elif overall.margin is None:
            uncertainty = self.labels["interval_none"]
        else:
            uncertainty = self.labels["within_uncertainty"]
        sentences = [
            self.say(
                "finding_trend_overall",
                date=date,
                earlier=self.score(overall.earlier),
                later=self.score(overall.later),
                change=_signed(overall.change, self.language),
                partial="" if overall.complete else self.labels["finding_trend_partial"],
                uncertainty=uncertainty,
            )
        ]
        before, after = first.overall.phase, last.overall.phase
        if before.level == after.level:
            sentences.append(self.say("finding_trend_phase_same", phase=after.name))
        else:
            sentences.append(
                self.say("finding_trend_phase_changed", earlier=before.name, later=after.name)
            )
        found = [
            FindingChange(
                dimension=None,
                title=str(self.labels["overall_score"]),
                earlier=overall.earlier,
                later=overall.later,
                change=overall.change,
                margin=overall.margin,
                meaningful=overall.meaningful,
            )
        ]
        dimensions = span.dimensions
        meaningful = sorted(
            (d for d in dimensions if d.meaningful), key=lambda d: (-abs(d.change), d.title)
        )
        if not meaningful:
            none_key = (
                "finding_trend_no_margins"
                if all(d.margin is None for d in dimensions)
                else "finding_trend_none"
            )
            sentences.append(self.say(none_key))
            return sentences, found
        named = meaningful[:NAMED_CHANGES]
        parts = [f"{d.title} ({_signed(d.change, self.language)})" for d in named]
        if len(meaningful) > len(named):
            parts.append(self.say("finding_trend_more", len(meaningful) - len(named)))
        sentences.append(
            self.say("finding_trend_meaningful", len(meaningful), changes=self.join(parts))
        )
        rest = len(dimensions) - len(meaningful)
        if rest:
            sentences.append(self.say("finding_trend_rest", rest))
        found += [
            FindingChange(
                dimension=d.id,
                title=d.title,
                earlier=d.earlier,
                later=d.later,
                change=d.change,
                margin=d.margin,
                meaningful=d.meaningful,
            )
            for d in meaningful
        ]
        return sentences, found

    def benchmark(self, benchmark: Benchmark) -> str:
        overall = benchmark.overall
        if overall.suppressed or overall.percentile is None or overall.median is None:
            return self.say(
                "exec_benchmark_too_few",
                overall.peers,
                minimum=number_in_words(benchmark.min_peers, self.labels),
            )
        return self.say(
            "exec_benchmark",
            overall.peers,
            percentile=format_score(overall.percentile, self.language, 0),
            median=self.score(overall.median),
        )

    # --- 3b. the strongest dimension, or most disagreement -----------------------

    def strongest(self) -> KeyFinding | None:
        if len(self.present) < 2:
            return None
        order = {d.id: i for i, d in enumerate(self.result.dimensions)}
        top: DimensionResult = min(self.present, key=lambda d: (-(d.mean or 0.0), order[d.id]))
        lowest = min(d.mean for d in self.present if d.mean is not None)
        if top.mean is None or top.phase is None or top.mean == lowest:
            return None
        tied = [d.id for d in self.present if d.id != top.id and d.mean == top.mean]
        claim = self.say(
            "finding_strongest_tied" if tied else "finding_strongest",
            dimension=top.title,
            tied=self.join(self.titles(tied)),
            score=self.score(top.mean),
            margin=self.margin_phrase(top.interval),
            dimension_phase=top.phase.name,
        )
        evidence = self.evidence(top, lowest=False)
        text = " ".join(part for part in (claim, self.evidence_text(evidence)) if part)
        return KeyFinding(
            kind="strongest",
            title=str(self.labels["finding_strongest_title"]),
            text=text,
            dimension=top.id,
            dimension_title=top.title,
            score=top.mean,
            interval=top.interval,
            tied=tied,
            evidence=evidence,
        )

    def disagreement(self) -> KeyFinding | None:
        if not self.result.disagreement:
            return None
        item = self.result.disagreement[0]
        question = self.sources.questionnaire.question(item.question)
        ladder = isinstance(question, LadderQuestion)
        parts = []
        for level in range(1, 6):
            if item.counts.get(level):
                answer = (
                    self.say("finding_level", level=level)
                    if ladder
                    else localize(self.method.answer_labels.agreement[level], self.language).lower()
                )
                count = item.counts[level]
                number = format_count(count, self.language)
                parts.append(self.say("finding_answer_count", count, answer=answer, number=number))
        tie = any(other.sd == item.sd for other in self.result.disagreement[1:])
        text = self.say(
            "finding_disagreement_tie" if tie else "finding_disagreement",
            question=_unstopped(item.text),
            sd=self.score(item.sd),
            counts=self.join(parts),
            n_words=self.words(item.n),
        )
        return KeyFinding(
            kind="disagreement",
            title=str(self.labels["finding_disagreement_title"]),
            text=text,
            dimension=item.dimension,
            dimension_title=self.result.dimension(item.dimension).title,
            spread=item.sd,
            evidence=FindingEvidence(
                question=item.question,
                question_text=item.text,
                answered=item.n,
                counts=dict(item.counts),
            ),
        )


def _unstopped(text: str) -> str:
    """A sentence without its closing full stop, to quote inside another sentence."""
    return text.rstrip().rstrip(".")


def _signed(value: float, language: str) -> str:
    text = format_score(abs(value), language)
    return f"+{text}" if value > 0 else (f"\u2212{text}" if value < 0 else f"\u00b1{text}")
