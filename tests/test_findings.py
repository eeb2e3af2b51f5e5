"""The key findings: generated from the data, every number recounted from the answers.

The example's three findings are checked word for word in both languages and
number by number against the response files; a property test recounts every
number of every finding from random answers and checks that no finding names a
group that is not shown; the edge cases (one respondent, ties, no margins, no
groups, no open answers, the top phase, a quick scan) each get the sentence that
is true for them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MINI, make_folder, response, write_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfhelpers import normalise, page_texts

from klantladder.diagnosis.findings import FindingSources, key_findings
from klantladder.folder import AssessmentFolder, load_assessment
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import LikertQuestion, Questionnaire
from klantladder.models.result import KeyFinding, ScoreResult
from klantladder.overtime.compare import compare
from klantladder.report.diagnosis import folder_findings, result_with_findings
from klantladder.report.environment import report_labels
from klantladder.scoring import score
from klantladder.scoring.stats import t_quantile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MINI_Q = load_questionnaire(MINI)
EN = report_labels("en")
NL = report_labels("nl")

EXPECTED = {
    "nl": [
        (
            "Wat de organisatie tegenhoudt",
            "Sturing, KPI's & erkenning houdt de organisatie in de fase Verzamelen: als enige "
            "dimensie staat zij in de fase Negeren (1,47). Van de 24 respondenten kozen er 17: "
            "“Klantgericht werk wordt niet apart opgemerkt of gewaardeerd”.",
        ),
        (
            "Verschil in beleving",
            "Het grootste verschil in beleving gaat over Samenwerking over afdelingen, tussen "
            "groepen naar afdeling: Klantenservice (6 respondenten) scoort 3,08, IT (3 "
            "respondenten) 1,40. Het verschil van 1,68 is groter dan de meetonzekerheid "
            "(1,07).",
        ),
        (
            "Sterkste punt",
            "Klantfeedback verzamelen scoort het hoogst (3,17, fase Analyseren, marge "
            "2,94\u20133,40): een basis om op voort te bouwen. Van de 23 respondenten die de vraag "
            "beantwoordden, kozen er 12: “Klachten, vragen, complimenten en reacties op social "
            "media komen samen op één plek”.",
        ),
    ],
    "en": [
        (
            "What holds the organisation back",
            "Targets, KPIs & recognition holds the organisation in the Collecting phase: it is "
            "the only dimension in the Ignoring phase (1.47). Of the 24 respondents, 17 chose: "
            "“Customer-minded work isn't noticed or appreciated as such”.",
        ),
        (
            "Difference in perception",
            "The largest difference in perception concerns Cross-department collaboration, "
            "between groups by department: Customer service (6 respondents) scores 3.08, IT (3 "
            "respondents) 1.40. The difference of 1.68 is larger than the measurement "
            "uncertainty (1.07).",
        ),
        (
            "Strongest point",
            "Gathering customer feedback scores highest (3.17, Analysing phase, margin "
            "2.94\u20133.40): a foundation to build on. Of the 23 respondents who answered the "
            "question, 12 chose: “Complaints, questions, compliments and social media comments "
            "are brought together in one place”.",
        ),
    ],
}
QUOTE = (
    "We worden afgerekend op gemiddelde gesprekstijd en het aantal afgehandelde tickets. Neemt "
    "een collega echt de tijd voor een klant, dan zie je dat terug als een rood vakje op het "
    "dashboard."
)


# --- recounting from the raw answers, without the scoring engine -------------------------


def levels(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, float]:
    """One respondent's score per dimension, recomputed from the method's rules."""
    method = questionnaire.content
    sums: dict[str, list[float]] = {}
    for question in questionnaire.scored_questions:
        value = answers.get(question.id)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            continue
        if isinstance(question, LikertQuestion):
            level = 1 + (question.evidences_level - 1) * method.scoring.likert_fraction[value]
        else:
            level = float(value)
        total = sums.setdefault(question.dimension, [0.0, 0.0])
        total[0] += level * question.weight
        total[1] += question.weight
    return {dimension: s / w for dimension, (s, w) in sums.items()}


def mean_of(values: list[float]) -> float:
    return round(math.fsum(values) / len(values), 2)


def margin_of(values: list[float], confidence: float) -> float | None:
    n = len(values)
    if n < 3:
        return None
    centre = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (n - 1))
    return t_quantile((1 + confidence) / 2, n - 1) * sd / math.sqrt(n)


def chose(value: Any, option: str) -> bool:
    return value == option or (isinstance(value, list) and option in value)


def recount(
    finding: KeyFinding, questionnaire: Questionnaire, answer_list: list[dict[str, Any]]
) -> None:
    """Every number a finding holds follows from the answers themselves."""
    method = questionnaire.content
    scores = [levels(questionnaire, answers) for answers in answer_list]
    if finding.evidence is not None:
        evidence = finding.evidence
        given = [a.get(evidence.question) for a in answer_list]
        tally = Counter(v for v in given if isinstance(v, int) and 1 <= v <= 5)
        assert evidence.answered == sum(tally.values())
        assert evidence.counts == {level: tally[level] for level in range(1, 6)}
        if evidence.answer is not None:
            assert evidence.count == tally[evidence.answer] == max(tally.values())
        if finding.spread is not None:
            values = [float(v) for v in tally.elements()]
            centre = math.fsum(values) / len(values)
            sd = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))
            assert finding.spread == round(sd, 2)
    if finding.dimension is not None and finding.score is not None:
        column = [s[finding.dimension] for s in scores if finding.dimension in s]
        assert finding.score == mean_of(column)
        for other in finding.tied:
            assert mean_of([s[other] for s in scores if other in s]) == finding.score
    if finding.groups:
        assert finding.dimension is not None
        confidence = method.scoring.confidence
        margins = []
        for group in finding.groups:
            members = [
                i for i, a in enumerate(answer_list) if chose(a.get(group.question), group.option)
            ]
            assert group.n == len(members) >= method.scoring.min_group_size
            column = [
                scores[i][finding.dimension] for i in members if finding.dimension in scores[i]
            ]
            assert group.score == mean_of(column)
            margins.append(margin_of(column, confidence))
        high, low = finding.groups
        assert finding.difference == round(high.score - low.score, 2) > 0
        if None in margins:
            assert finding.margin is None and not finding.meaningful
        else:
            expected = round(math.hypot(*margins), 2)  # type: ignore[arg-type]
            assert finding.margin == pytest.approx(expected, abs=0.011)
            assert finding.meaningful == (finding.difference > finding.margin)


def numbers_in(text: str) -> list[str]:
    """The numbers a sentence states (scores like 1,41 or 1.41 and counts)."""
    return re.findall(r"\d+(?:[.,]\d+)?", text)


# --- the example, word for word --------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_example_opens_with_three_findings_recounted_from_its_answers(
    example_folder: Path, language: str
) -> None:
    folder = load_assessment(example_folder, language)
    result = result_with_findings(folder)
    findings = result.findings
    assert [(f.title, f.text) for f in findings] == EXPECTED[language]
    assert [f.kind for f in findings] == ["bottleneck", "perception_gap", "strongest"]
    assert findings[0].quote == QUOTE, "the quote is the quotes chapter's first for the theme"
    answer_list = [dict(r.answers) for r in folder.responses]
    for finding in findings:
        recount(finding, folder.questionnaire, answer_list)
    # the numbers of the text, one by one, against the answers
    recognition = Counter(a.get("sturing.erkenning") for a in answer_list)
    assert recognition[1] == 17 and sum(recognition[level] for level in range(1, 6)) == 24
    department = Counter(a.get("afdeling") for a in answer_list)
    assert (department["klantenservice"], department["it"]) == (6, 3)
    assert findings[1].groups[0].option == "klantenservice" and findings[1].meaningful
    signals = Counter(a.get("feedback.signalen") for a in answer_list)
    assert signals[3] == 12 == max(signals[level] for level in range(1, 6))
    assert sum(signals[level] for level in range(1, 6)) == 23, "one said 'don't know'"
    largest = result.gaps[0]
    assert (largest.high_label, largest.low_label, largest.difference) == (
        {"nl": "Klantenservice", "en": "Customer service"}[language],
        "IT",
        1.68,
    )
    assert largest.meaningful, "the largest gap is beyond the uncertainty, so it leads"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_executive_page_prints_the_findings_and_the_summary_refers_to_them(
    documents: dict[str, Path], language: str
) -> None:
    pages = page_texts(documents[f"report-{language}"])
    executive = pages[1]
    for title, text in EXPECTED[language]:
        assert normalise(f"{title}. {text}") in executive
    assert normalise(QUOTE) in executive
    original = {"nl": "citaat in de oorspronkelijke taal", "en": "quote in its original language"}
    assert (original[language] in executive) == (language == "en")
    summary = next(
        p for p in pages if p.startswith({"nl": "Samenvatting", "en": "Summary"}[language])
    )
    pointer = {
        "nl": "De drie belangrijkste bevindingen staan vooraan, in de managementsamenvatting",
        "en": "The three key findings come first, in the executive summary",
    }
    assert pointer[language] in summary


def test_score_json_holds_the_findings_and_reads_back(example_folder: Path) -> None:
    from typer.testing import CliRunner

    from klantladder.cli import app

    run = CliRunner().invoke(app, ["score", str(example_folder), "--json"])
    assert run.exit_code == 0, run.output
    result = ScoreResult.model_validate_json(run.output)
    assert result.format == 2
    assert [f.kind for f in result.findings] == ["bottleneck", "perception_gap", "strongest"]
    bottleneck = result.findings[0]
    assert bottleneck.dimension == "sturing" and bottleneck.evidence is not None
    assert (bottleneck.evidence.question, bottleneck.evidence.answer) == ("sturing.erkenning", 1)
    assert (bottleneck.evidence.count, bottleneck.evidence.answered) == (17, 24)
    gap = result.findings[1]
    assert [(g.option, g.n, g.score) for g in gap.groups] == [
        ("klantenservice", 6, 3.08),
        ("it", 3, 1.4),
    ]
    assert (gap.difference, gap.margin, gap.meaningful) == (1.68, 1.07, True)
    # a result without findings (an older one, or from folder.score()) still reads
    plain = result.model_dump(mode="json")
    del plain["findings"]
    assert ScoreResult.model_validate(plain).findings == []
    terminal = CliRunner().invoke(app, ["score", str(example_folder)], terminal_width=200)
    assert "Belangrijkste bevindingen" in terminal.output
    assert "1. Wat de organisatie tegenhoudt." in terminal.output


def test_every_gap_carries_sizes_margin_and_meaning(example_folder: Path) -> None:
    folder = load_assessment(example_folder)
    result = folder.score()
    answer_list = [dict(r.answers) for r in folder.responses]
    scores = [levels(folder.questionnaire, a) for a in answer_list]
    for gap in result.gaps:
        margins = []
        for option, n in ((gap.high, gap.high_n), (gap.low, gap.low_n)):
            members = [i for i, a in enumerate(answer_list) if chose(a.get(gap.question), option)]
            assert n == len(members)
            column = [scores[i][gap.dimension] for i in members if gap.dimension in scores[i]]
            margins.append(margin_of(column, result.scoring.confidence))
        assert gap.margin == pytest.approx(math.hypot(*margins), abs=0.006)  # type: ignore[arg-type]
        assert gap.meaningful == (gap.difference > (gap.margin or 0.0))


# --- every number recounts, and no suppressed group, for random answers ----------------------

SCORED = [q.id for q in MINI_Q.scored_questions]


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    given: dict[str, Any] = {
        q: draw(st.sampled_from([1, 2, 3, 4, 5, UNKNOWN])) for q in SCORED if draw(st.booleans())
    }
    if not any(isinstance(v, int) for v in given.values()):
        given["listen.1"] = draw(st.integers(1, 5))
    dept = draw(st.sampled_from(["service", "service", "sales", "it", None]))
    if dept is not None:
        given["dept"] = dept
    role = draw(st.sampled_from(["staff", "staff", "management", UNKNOWN, None]))
    if role is not None:
        given["role"] = role
    channels = draw(st.lists(st.sampled_from(["phone", "chat"]), unique=True))
    if channels:
        given["channels"] = channels
    return given


@st.composite
def grouped(draw: st.DrawFn) -> dict[str, Any]:
    """A respondent whose answers lean by department, so that groups really differ."""
    dept = draw(st.sampled_from(["service", "sales", "it"]))
    base = {"service": 4, "sales": 3, "it": 1}[dept]
    given: dict[str, Any] = {"dept": dept, "role": draw(st.sampled_from(["staff", "management"]))}
    for question in SCORED:
        if draw(st.integers(0, 6)):
            given[question] = min(5, max(1, base + draw(st.integers(-1, 1))))
    if not any(isinstance(v, int) for v in given.values()):
        given["act.1"] = base
    return given


def findings_of(
    answer_list: list[dict[str, Any]], labels: dict[str, Any] = EN
) -> tuple[ScoreResult, list[KeyFinding]]:
    responses = [response(f"r{i:03d}", a) for i, a in enumerate(answer_list)]
    result = score(MINI_Q, responses, language="en")
    return result, key_findings(FindingSources(MINI_Q, responses, result), labels)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(answers(), min_size=1, max_size=30) | st.lists(grouped(), min_size=6, max_size=40))
def test_every_number_in_a_finding_recounts_and_no_suppressed_group_is_named(
    answer_list: list[dict[str, Any]],
) -> None:
    result, findings = findings_of(answer_list)
    assert 2 <= len(findings) <= 3
    assert findings[0].kind == "bottleneck" and findings[1].kind in (
        "perception_gap",
        "no_perception_gap",
    )
    first = findings[0]
    if first.title == "What holds the organisation back":
        road = result.overall.road
        conditions = [c.dimension for c in road.dimensions] if road else []
        assert (result.overall.capped and first.dimension in result.overall.weakest) or (
            first.dimension in conditions
        )
    shown = {(g.question, s.option) for g in result.segments for s in g.segments}
    hidden_labels = {
        option.label["en"] if isinstance(option.label, dict) else option.label
        for question in MINI_Q.profile_questions
        for option in question.options
        if (question.id, option.id) not in shown
    }
    for finding in findings:
        recount(finding, MINI_Q, answer_list)
        for group in finding.groups:
            assert (group.question, group.option) in shown
        for label in hidden_labels:
            assert not re.search(rf"\b{re.escape(str(label))}\b", finding.text), (
                label,
                finding.text,
            )
        # every number the text states is one of the finding's own, recounted above
        own = {
            str(x)
            for x in (
                finding.score,
                finding.difference,
                finding.margin,
                *(g.n for g in finding.groups),
                *(g.score for g in finding.groups),
                finding.spread,
                *((finding.evidence.count, finding.evidence.answered) if finding.evidence else ()),
                *((finding.interval.low, finding.interval.high) if finding.interval else ()),
            )
            if x is not None
        }
        own = {f"{float(x):.2f}" if "." in x else x for x in own}
        if finding.kind == "disagreement" and finding.evidence is not None:
            # "5 \u00d7 level 4": each count with the level it counts
            counts = finding.evidence.counts
            own |= {str(n) for n in counts.values()} | {str(a) for a, n in counts.items() if n}
        stated = set(numbers_in(_without_quoted(finding.text)))
        larger = [g for g in result.gaps if g.difference > (finding.difference or 9)]
        allowed = (
            own | {f"{g.difference:.2f}" for g in larger} | {str(result.scoring.min_group_size)}
        )
        assert stated <= allowed, (stated - allowed, finding.text)


def _without_quoted(text: str) -> str:
    """The finding's own words: statements quoted from the questionnaire taken out."""
    return re.sub(r"“[^”]*”", "", text)


# --- edge cases: each gets the sentence that is true for it ---------------------------------


def texts(answer_list: list[dict[str, Any]]) -> list[str]:
    return [f.text for f in findings_of(answer_list)[1]]


def test_a_single_respondent() -> None:
    _, findings = findings_of([{"lead.1": 2, "listen.1": 3, "act.1": 4, "dept": "it"}])
    first, gap, third = findings
    assert first.title == "What holds the organisation back"
    assert first.text == (
        "Leadership scores lowest of all dimensions (2.00, Collect phase); until it reaches the "
        "Analyse phase, the organisation will not reach the Cooperate phase. The only "
        "respondent who answered the question chose: “Read yearly”."
    )
    assert gap.kind == "no_perception_gap" and gap.reason == "groups_too_small"
    assert gap.text.endswith("(at least three respondents per group).")
    assert third.text == (
        "Acting scores highest (4.00, Cooperate phase; no margin with so few respondents): a "
        "foundation to build on. The only respondent who answered the question chose: "
        "“Cross-team actions”."
    )
    assert first.interval is None and third.interval is None


def test_ties_are_named_together_and_everyone_agreeing_is_said_so() -> None:
    _, findings = findings_of([{"lead.1": 2, "listen.1": 2, "act.1": 4}] * 3)
    first = findings[0]
    assert first.tied == ["listen"] and first.dimension == "lead"
    assert first.title == "Weakest point", "both already stand where the next phase needs them"
    assert first.text == (
        "Leadership and Listening score lowest of all dimensions (2.00, Collect phase). All "
        "three respondents chose: “Read yearly”."
    )


def test_when_every_dimension_scores_the_same() -> None:
    _, findings = findings_of([{"lead.1": 3, "listen.1": 3, "act.1": 3}] * 4)
    assert findings[0].text.startswith("Every dimension scores the same: 3.00 (Analyse phase).")
    assert [f.kind for f in findings] == ["bottleneck", "no_perception_gap"], (
        "nothing stronger, and nobody disagrees: no third finding"
    )
    answer_list = [
        {"lead.1": 1, "listen.1": 3, "act.1": 5},
        {"lead.1": 5, "listen.1": 3, "act.1": 1},
        {"lead.1": 3, "listen.1": 3, "act.1": 3},
    ]
    _, findings = findings_of(answer_list)
    assert findings[0].text.startswith("Every dimension scores the same: 3.00")
    third = findings[2]
    assert third.kind == "disagreement" and third.evidence is not None
    assert third.evidence.counts == {1: 1, 2: 0, 3: 1, 4: 0, 5: 1}
    assert third.text == (
        "On “What happens with insights?” the answers of the three respondents differ most, "
        "as much as on another question (spread 2.00): 1 \u00d7 level 1, 1 \u00d7 level 3 "
        "and 1 \u00d7 level 5."
    )


def test_one_dimension_holds_the_phase_down() -> None:
    answer_list = [{"lead.1": 1, "listen.1": 5, "act.1": 5}] * 3
    result, findings = findings_of(answer_list)
    assert result.overall.capped and result.overall.weakest == ["lead"]
    assert findings[0].title == "What holds the organisation back"
    assert findings[0].text == (
        "Leadership holds the organisation in the Collect phase: it is the only dimension in "
        "the Ignore phase (1.00). All three respondents chose: “Never read”."
    )


def test_several_dimensions_hold_the_phase_down() -> None:
    """Intake 1, nine dimensions: two in Negeren, the rest high, so both cap the phase."""
    intake = load_questionnaire("intake", "nl", version=1)
    low = {"sturing", "samenwerking"}
    given = {
        q.id: (1 if q.dimension in low else 5)
        for q in intake.scored_questions
        if not isinstance(q, LikertQuestion)
    }
    responses = [response(f"r{i}", given, questionnaire="intake") for i in range(4)]
    result = score(intake, responses, language="nl")
    assert result.overall.capped and sorted(result.overall.weakest) == sorted(low)
    first = key_findings(FindingSources(intake, responses, result), NL)[0]
    assert first.title == "Wat de organisatie tegenhoudt"
    assert first.text.startswith(
        "Twee dimensies staan in de fase Negeren en houden de organisatie in de fase "
        "Verzamelen; daarvan scoren "
    )
    assert "even laag (1,00)" in first.text and "Alle vier respondenten kozen" in first.text


def test_the_top_phase_has_a_weakest_point_not_a_bottleneck() -> None:
    top = {"lead.1": 5, "lead.2": 5, "listen.1": 5, "act.1": 5, "act.2": 5}
    result, findings = findings_of([top, {**top, "lead.1": 4}, top])
    assert result.overall.phase.level == 5 and result.overall.road is None
    assert findings[0].title == "Weakest point"
    # Acting's ladder answer is the top one and its statement agrees: nothing shows weakness.
    assert findings[0].text == "Acting scores lowest of all dimensions (4.00, Cooperate phase)."
    assert findings[0].evidence is None


def test_no_groups_asked_or_answered(tmp_path: Path) -> None:
    result, findings = findings_of([{"lead.1": 2, "listen.1": 3, "act.1": 4}] * 5)
    assert findings[1].reason == "no_groups_answered"
    assert "Nobody answered the questions about their own group" in findings[1].text
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["kind"] != "profile"]
    data["method"] = str(MINI.parent / data["method"])
    bare = load_questionnaire(write_yaml(tmp_path / "bare.yaml", data))
    responses = [response(f"r{i}", {"lead.1": 2, "listen.1": 3, "act.1": 4}) for i in range(5)]
    result = score(bare, responses, language="en")
    gap = key_findings(FindingSources(bare, responses, result), EN)[1]
    assert gap.reason == "no_groups_asked"
    assert gap.text.startswith("The questionnaire does not ask which group")


def test_a_gap_within_the_uncertainty_says_so() -> None:
    answer_list = [
        {"lead.1": level, "listen.1": 3, "act.1": 3, "role": role}
        for role, levels_ in (("staff", [1, 3, 5]), ("management", [2, 4, 5]))
        for level in levels_
    ]
    _, findings = findings_of(answer_list)
    gap = findings[1]
    assert gap.kind == "perception_gap" and not gap.meaningful
    assert gap.text.startswith("The largest difference in perception concerns Leadership")
    assert "is within the measurement uncertainty" in gap.text


def test_no_open_answers_means_no_quote(tmp_path: Path) -> None:
    folder = load_assessment(make_folder(tmp_path, [{"lead.1": 1, "listen.1": 3, "act.1": 4}] * 3))
    findings = folder_findings(folder, folder.score(), EN)
    assert findings[0].quote is None


def test_a_quick_scan_with_routing(tmp_path: Path) -> None:
    """The shipped quick scan 2: fewer questions, routed ones; the findings still hold."""
    quick = load_questionnaire("quickscan", "nl")
    rng = __import__("random").Random(7)
    responses = []
    for index in range(12):
        given: dict[str, Any] = {"onderzoek.bestaat": "nee"}
        for question in quick.scored_questions:
            if question.when is None:
                given[question.id] = rng.randint(1, 4)
        responses.append(response(f"q{index}", given, questionnaire="quickscan"))
    responses = [
        r.model_copy(
            update={"questionnaire": r.questionnaire.model_copy(update={"version": quick.version})}
        )
        for r in responses
    ]
    result = score(quick, responses, language="nl")
    findings = key_findings(FindingSources(quick, responses, result), NL)
    assert findings[0].evidence is not None
    assert findings[0].evidence.answered == 12
    assert findings[1].reason == "no_groups_answered"
    assert "Niemand beantwoordde de vragen over de eigen groep" in findings[1].text
    assert all(" je " not in f" {f.text} " for f in findings)


# --- trend and benchmark ----------------------------------------------------------------------


def test_trend_and_benchmark_take_the_third_place(example_folder: Path) -> None:
    folder = load_assessment(example_folder)
    comparison = compare([EXAMPLES / "koperwiek-keukens-2024", example_folder])
    from klantladder.overtime.portfolio import benchmark

    ranks = benchmark(folder.score(), EXAMPLES / "portfolio")
    findings = folder_findings(folder, folder.score(), NL, comparison=comparison, benchmark=ranks)
    third = findings[2]
    assert third.kind == "trend_benchmark" and third.title == "Ontwikkeling en vergelijking"
    assert third.text == (
        "Sinds 11 maart 2024 ging de totaalscore van 2,45 naar 2,69 (+0,24, binnen de "
        "meetonzekerheid), vergeleken op de vragen die beide metingen delen. De fase bleef "
        "Verzamelen. Meer dan de meetonzekerheid veranderde Analyse & inzicht (+0,80). De "
        "andere acht liggen binnen de meetonzekerheid. Naast acht andere organisaties: "
        "percentielrang 50 op de totaalscore (mediaan van de anderen 2,77)."
    )
    span = comparison.span
    assert [d.id for d in span.dimensions if d.meaningful] == ["analyse"]
    assert span.overall is not None and not span.overall.meaningful
    assert third.changes[0].dimension is None and third.percentile == ranks.overall.percentile


def test_meaningful_changes_are_named_and_the_rest_counted(tmp_path: Path) -> None:
    from builders import assessment_folder

    spread = [1, 2, 1, 2, 1, 2]
    before = [{"lead.1": v, "listen.1": v, "act.1": 3} for v in spread]
    after = [{"lead.1": v + 3, "listen.1": v, "act.1": 3} for v in spread]
    first = assessment_folder(tmp_path / "a", MINI, before, date="2025-01-10")
    second = assessment_folder(tmp_path / "b", MINI, after, date="2026-01-10")
    comparison = compare([first, second])
    folder = load_assessment(second)
    findings = folder_findings(folder, folder.score(), EN, comparison=comparison)
    third = findings[2]
    assert third.kind == "trend"
    assert "More than the measurement uncertainty changed: Leadership (+3.00)." in third.text
    assert "The other two are within the measurement uncertainty." in third.text
    assert [c.dimension for c in third.changes] == [None, "lead"]


def test_too_few_peers_for_a_benchmark(example_folder: Path, tmp_path: Path) -> None:
    from klantladder.overtime.portfolio import benchmark

    few = tmp_path / "few"
    few.mkdir()
    for path in sorted((EXAMPLES / "portfolio").glob("*.json"))[:2]:
        (few / path.name).write_bytes(path.read_bytes())
    folder = load_assessment(example_folder)
    ranks = benchmark(folder.score(), few)
    third = folder_findings(folder, folder.score(), NL, benchmark=ranks)[2]
    assert third.kind == "benchmark" and third.percentile is None
    assert "te weinig voor een percentielrang (minstens vijf)" in third.text


def _folder(path: Path) -> AssessmentFolder:
    return load_assessment(path)
