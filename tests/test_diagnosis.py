"""The diagnosis that follows the data: signs against answers, advice per step, bounded quotes."""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from helpers import response, write_yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.diagnosis import (
    AnswerReader,
    advice_chapter,
    advised_dimensions,
    appendix_answers,
    bottleneck,
    open_answers,
    select_quotes,
    summary_signs,
    weigh_signs,
)
from klantladder.diagnosis.quotes import normalise
from klantladder.diagnosis.signs import contradicting_answers
from klantladder.errors import InputError
from klantladder.folder import AssessmentFolder, load_assessment
from klantladder.loading import (
    load_questionnaire,
    load_questionnaire_file,
    shipped_method_file,
    shipped_questionnaire_file,
)
from klantladder.models.assessment import UNKNOWN, Assessment, Response
from klantladder.open_answers import open_answers_csv
from klantladder.scoring import score

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "koperwiek-keukens"
INTAKE = load_questionnaire("intake", "nl")
QUICK = load_questionnaire("quickscan", "nl")
runner = CliRunner()


def recount(responses: list[Response], question: str, answers: tuple[int, ...]) -> tuple[int, int]:
    """Independently: how many answered the question 1-5, and how many chose ``answers``."""
    given_answers = [r.answers.get(question) for r in responses]
    numbers = [v for v in given_answers if isinstance(v, int) and 1 <= v <= 5]
    return len(numbers), sum(1 for v in numbers if v in answers)


# --- signs -------------------------------------------------------------------------


def test_contradicting_answers_lie_two_steps_from_every_evidencing_answer() -> None:
    assert contradicting_answers([1]) == {3, 4, 5}
    assert contradicting_answers([1, 2]) == {4, 5}
    assert contradicting_answers([3]) == {1, 5}
    assert contradicting_answers([3, 4, 5]) == {1}
    assert contradicting_answers([5]) == {1, 2, 3}


def _people(values: list[Any], question: str = "sturing.kpi") -> list[Response]:
    return [response(f"r{i:03d}", {question: v}, "intake") for i, v in enumerate(values)]


def _sign(results: list[Any], text_start: str) -> Any:
    return next(r for r in results if r.text.startswith(text_start))


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ([1, 1, 2, 3], "supported"),  # 2 of 4 chose the evidencing answer 1: half is enough
        ([1, 2, 2, 3], "mixed"),
        ([1, 3, 4, 4], "contradicted"),  # 3 of 4 clearly above
        ([1, 2, 4, UNKNOWN, UNKNOWN], "mixed"),  # don't know is not counted: 1 of 3 either way
        ([1, 3, 4, 5, UNKNOWN], "contradicted"),
        ([UNKNOWN, UNKNOWN], "unknown"),
    ],
)
def test_a_sign_is_supported_contradicted_mixed_or_unknown(values: list[Any], status: str) -> None:
    results = weigh_signs(INTAKE, _people(values), "nl")
    assert _sign(results, "Er wordt alleen gestuurd op financiële").status == status


def test_a_sign_none_of_whose_questions_is_asked_is_not_evaluated() -> None:
    results = weigh_signs(QUICK, _people([1, 1, 1]), "nl")
    asked = {q.id for q in QUICK.questions}
    for result, sign in zip(
        results, [s for p in QUICK.content.phases for s in p.signs], strict=True
    ):
        if all(e.question not in asked for e in sign.evidence):
            assert result.status == "unknown" and not result.counts
    assert _sign(results, "Er wordt alleen gestuurd op financiële").status == "supported"


answer = st.one_of(st.integers(1, 5), st.just(UNKNOWN), st.none())
SCORED = [q.id for q in INTAKE.scored_questions]


@st.composite
def intake_answers(draw: st.DrawFn) -> dict[str, Any]:
    # Respondents lean towards one level, as real ones do, so that signs get supported.
    lean = draw(st.integers(1, 5))
    answers: dict[str, Any] = {}
    for question_id in SCORED:
        value = draw(st.one_of(st.just(lean), answer))
        if value is not None:
            answers[question_id] = value
    return answers


@settings(max_examples=60, deadline=None)
@given(st.lists(intake_answers(), min_size=1, max_size=30), st.integers(1, 5))
def test_every_sign_shown_agrees_with_its_linked_answers(
    people: list[dict[str, Any]], level: int
) -> None:
    responses = [response(f"r{i:03d}", a, "intake") for i, a in enumerate(people)]
    support = INTAKE.content.diagnosis.sign_support
    shown = summary_signs(weigh_signs(INTAKE, responses, "nl"), level)
    for group in shown.recognised:
        assert abs(group.level - level) <= 1
        for sign in group.signs:
            assert sign.counts
            for count in sign.counts:
                answered, showing = recount(responses, count.question, count.answers)
                assert (count.answered, count.showing) == (answered, showing)
                assert answered > 0 and showing >= support * answered
    for sign in shown.not_recognised:
        assert sign.level == level
        for count in sign.counts:
            contrary = tuple(contradicting_answers(count.answers))
            answered, against = recount(responses, count.question, contrary)
            assert 2 * against > answered and against == count.contradicting


def test_example_shows_only_signs_its_answers_back() -> None:
    folder = load_assessment(EXAMPLE)
    result = folder.score()
    shown = summary_signs(weigh_signs(folder.questionnaire, folder.responses, "nl"), 2)
    responses = list(folder.responses)
    texts = [sign.text for group in shown.recognised for sign in group.signs]
    # The bottleneck's own sign, with the count the report prints.
    sturing = next(
        s for g in shown.recognised for s in g.signs if s.counts[0].question == "sturing.kpi"
    )
    assert (sturing.counts[0].showing, sturing.counts[0].answered) == (15, 24)
    assert recount(responses, "sturing.kpi", (1,)) == (24, 15)
    # The generic sentences the answers contradict are never claimed.
    assert not any(text.startswith("Cijfers gaan naar directie en marketing") for text in texts)
    assert not any("verbeteracties volgen zelden" in text for text in texts)
    assert result.overall.phase.id == "verzamelen"


def _shipped_data(questionnaire_id: str) -> dict[str, Any]:
    path = shipped_questionnaire_file(questionnaire_id, "nl")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_evidence_naming_an_open_question_is_an_error_in_the_method_file(tmp_path: Path) -> None:
    data = yaml.safe_load(shipped_method_file("klantladder", "nl").read_text(encoding="utf-8"))
    data["phases"][0]["signs"][0]["evidence"][0]["question"] = "open.belemmering"
    method = write_yaml(tmp_path / "method.yaml", data)
    intake = _shipped_data("intake")
    intake["method"] = "method.yaml"
    path = write_yaml(tmp_path / "intake.yaml", intake)
    with pytest.raises(InputError) as caught:
        load_questionnaire_file(path)
    message = str(caught.value.problems[0])
    assert message.startswith(f"{method}:")
    assert "open.belemmering" in message and "ladder or agreement question" in message
    line = int(message.split(":")[1])
    assert "open.belemmering" in method.read_text("utf-8").splitlines()[line - 1]


def test_evidence_naming_a_question_not_asked_loads_and_is_not_evaluated(tmp_path: Path) -> None:
    data = yaml.safe_load(shipped_method_file("klantladder", "nl").read_text(encoding="utf-8"))
    evidence = data["phases"][0]["signs"][0]["evidence"]
    evidence[0]["question"] = "nergens.gevraagd"
    # A second sign names its question under an old and a new id, as across versions.
    second = data["phases"][0]["signs"][2]["evidence"]
    second.append({**second[0], "question": "sturing.nieuwe-id"})
    write_yaml(tmp_path / "method.yaml", data)
    quick = _shipped_data("quickscan")
    quick["method"] = "method.yaml"
    loaded = load_questionnaire_file(write_yaml(tmp_path / "quick.yaml", quick))
    results = weigh_signs(loaded, _people([1, 1]), "nl")
    assert results[0].status == "unknown" and not results[0].counts
    assert results[2].status == "supported"
    assert [count.question for count in results[2].counts] == ["sturing.kpi"]


# --- advice --------------------------------------------------------------------------


def test_example_advice_gives_the_bottleneck_its_own_step() -> None:
    folder = load_assessment(EXAMPLE)
    result = folder.score()
    method = folder.questionnaire.content
    assert bottleneck(result) == "sturing"
    assert advised_dimensions(result) == [
        ("sturing", ("bottleneck", "focus")),
        ("samenwerking", ("focus",)),
    ]
    chapter = advice_chapter(method, result, "nl")
    sturing = chapter.dimensions[0]
    assert (sturing.title, sturing.phase, sturing.next_phase) == (
        "Sturing, KPI's & erkenning",
        "Negeren",
        "Verzamelen",
    )
    assert sturing.next_step == method.dimension("sturing").next_steps[1]
    pitfalls = {item.title for item in sturing.pitfalls}
    assert {"Sturen op afhandeltijd", "Concurrerende targets"} <= pitfalls
    assert {item.source for item in sturing.tips} & {"one2ten", "one2ten-teams"}
    # Numbered references: each item's number is its source's place in the list.
    numbers = {entry.source: entry.number for entry in chapter.references}
    for item in (*chapter.building_blocks, *sturing.tips, *sturing.pitfalls):
        assert numbers[item.source] == item.reference
    assert [entry.number for entry in chapter.references] == list(
        range(1, len(chapter.references) + 1)
    )


def test_phase_tips_aimed_at_a_step_no_dimension_stands_on_are_left_out() -> None:
    folder = load_assessment(EXAMPLE)
    result = folder.score()
    method = folder.questionnaire.content
    chapter = advice_chapter(method, result, "nl")
    levels = {d.id: d.phase.level for d in result.dimensions if d.phase}
    shown = {item.title for item in (*chapter.tips, *chapter.pitfalls)}
    phase = method.phase(result.overall.phase.id)
    for item in (*phase.tips, *phase.pitfalls):
        if item.dimensions and all(levels[d] != phase.level for d in item.dimensions):
            assert item.title not in shown, item.title


# --- quotes --------------------------------------------------------------------------

WORDS = [
    "klant",
    "afdeling",
    "planning",
    "monteur",
    "levering",
    "factuur",
    "showroom",
    "tijd",
    "systeem",
    "team",
    "collega",
    "week",
    "dag",
    "order",
    "onderdeel",
    "keuken",
    "wachten",
    "bellen",
]
THEMED = [
    "We worden afgerekend op gesprekstijd en niet op klanttevredenheid",
    "Elke afdeling werkt op haar eigen eiland en de overdracht loopt mis",
    "Ik moet voor elke kleine vergoeding toestemming vragen aan mijn teamleider",
    "Het rapport van de meting verdwijnt in de kast en er gebeurt niks mee",
    "De directie laat zich nooit zien bij klanten",
]
NON_ANSWERS = ["geen idee", "n.v.t.", "Weet ik niet", "nee", "ok prima"]


def generated_answers(count: int, seed: int) -> list[Response]:
    rng = random.Random(seed)
    people = []
    for index in range(count):
        answers: dict[str, Any] = {q: rng.randint(1, 5) for q in SCORED}
        for question in ("open.belemmering", "open.goed-voorbeeld", "open.een-ding"):
            roll = rng.random()
            if roll < 0.15:
                text = rng.choice(NON_ANSWERS)
            elif roll < 0.55:
                text = f"{rng.choice(THEMED)}, zegt {rng.choice(WORDS)} {index}."
            elif roll < 0.6:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(90, 200)))
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))
            answers[question] = text
        people.append(response(f"gen-{index:05d}", answers, "intake"))
    return people


def quotes_for(responses: list[Response]) -> tuple[Any, list[Any]]:
    method = INTAKE.content
    result = score(INTAKE, responses, language="nl")
    advised = [d for d, _ in advised_dimensions(result)]
    reader = AnswerReader(method, "nl")
    answers = open_answers(INTAKE, responses)
    selection = select_quotes(method, INTAKE, answers, advised, reader, "nl")
    appendix = appendix_answers(method, INTAKE, answers, selection, reader, "nl")
    return selection, appendix


def test_quotes_never_include_non_answers_and_respect_every_cap() -> None:
    responses = generated_answers(300, 1)
    selection, appendix = quotes_for(responses)
    rules = INTAKE.content.diagnosis
    reader = AnswerReader(INTAKE.content, "nl")
    quoted = [q for theme in selection.themes for q in theme.quotes]
    assert 0 < len(quoted) <= rules.quotes_total
    assert all(len(theme.quotes) <= rules.quotes_per_theme for theme in selection.themes)
    for quote in quoted:
        assert len(quote.text.split()) >= rules.min_answer_words
        assert len(quote.text) <= rules.quote_max_characters
        assert quote.text.casefold().strip(".") not in {
            n.casefold().strip(".") for n in NON_ANSWERS
        }
    assert len({q.text for q in quoted}) == len(quoted), "no quote twice"
    assert selection.non_answers == sum(
        1 for a in open_answers(INTAKE, responses) if reader.is_non_answer(a)
    )
    for section in appendix:
        assert len(section.shown) <= rules.answers_per_question
        assert all(len(text) <= rules.answer_max_characters + 4 for text in section.shown)
        assert section.quoted + section.non_answers + len(section.shown) + section.more == (
            section.total
        )


def test_advised_dimensions_are_quoted_first() -> None:
    responses = generated_answers(200, 2)
    selection, _ = quotes_for(responses)
    result = score(INTAKE, responses, language="nl")
    advised = [d for d, _ in advised_dimensions(result)]
    themes = [theme.dimension for theme in selection.themes]
    quoted_advised = [d for d in themes if d in advised]
    assert themes[: len(quoted_advised)] == quoted_advised


def test_same_answers_give_the_same_quotes_whatever_the_order_or_ids() -> None:
    responses = generated_answers(150, 3)
    first, _ = quotes_for(responses)
    shuffled = list(responses)
    random.Random(9).shuffle(shuffled)
    renamed = [
        r.model_copy(update={"respondent": f"x-{i:05d}"}) for i, r in enumerate(reversed(shuffled))
    ]
    for variant in (shuffled, renamed):
        again, _ = quotes_for(variant)
        assert [(t.dimension, [q.text for q in t.quotes]) for t in again.themes] == [
            (t.dimension, [q.text for q in t.quotes]) for t in first.themes
        ]


def test_example_quotes_the_bottleneck_and_drops_nothing_silently() -> None:
    folder = load_assessment(EXAMPLE)
    selection, appendix = quotes_for(list(folder.responses))
    assert selection.themes[0].dimension == "sturing"
    assert any("afgerekend" in q.text for q in selection.themes[0].quotes)
    assert sum(s.total for s in appendix) == selection.answers == 57


def _chapter_pages(data: bytes, chapters: tuple[str, ...]) -> int:
    """How many pages ``chapters`` take, from the page numbers in the table of contents."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    starts: list[tuple[str, int]] = []
    for page in reader.pages[:5]:  # the table of contents follows the cover and summary
        contents = page.extract_text() or ""
        starts = [
            (title.strip(), int(number))
            for title, number in re.findall(r"^(.+?)[ .]{3,}(\d+)\s*$", contents, flags=re.M)
        ]
        if len(starts) > 3:
            break
    ends = [page for _, page in starts[1:]] + [len(reader.pages) + 1]
    lengths = {title: end - page for (title, page), end in zip(starts, ends, strict=True)}
    assert set(chapters) <= set(lengths), lengths
    return sum(lengths[title] for title in chapters)


def test_quotes_and_appendix_do_not_grow_with_the_number_of_respondents(tmp_path: Path) -> None:
    from klantladder.report.brand import load_brand
    from klantladder.report.render import html_to_pdf, report_html

    assessment = Assessment.model_validate(
        {
            "organisation": "Groot",
            "date": "2026-01-01",
            "questionnaire": {"id": "intake", "version": 1},
            "language": "nl",
        }
    )
    pages = []
    for count in (100, 10_000):
        folder = AssessmentFolder(tmp_path, assessment, INTAKE, tuple(generated_answers(count, 5)))
        data = html_to_pdf(report_html(folder, brand=load_brand(None)))
        pages.append(
            _chapter_pages(data, ("In de woorden van respondenten", "Bijlage B — Antwoorden"))
        )
    assert pages[0] == pages[1] <= 8, pages


# --- klantladder answers --------------------------------------------------------------


def _answers_folder(tmp_path: Path, answers: list[dict[str, Any]]) -> Path:
    folder = tmp_path / "acme"
    write_yaml(
        folder / "assessment.yaml",
        {
            "organisation": "Acme",
            "date": "2026-02-01",
            "questionnaire": {"id": "intake", "version": 1},
            "language": "nl",
        },
    )
    for index, given_answers in enumerate(answers):
        write_yaml(
            folder / "responses" / f"r{index + 1:02d}.yaml",
            {
                "respondent": f"r{index + 1:02d}",
                "questionnaire": {"id": "intake", "version": 1},
                "answers": given_answers,
            },
        )
    return folder


def test_answers_csv_holds_every_open_answer_safe_for_spreadsheets(tmp_path: Path) -> None:
    folder = _answers_folder(
        tmp_path,
        [
            {
                "kompas.klantvisie": 2,
                "open.belemmering": '=HYPERLINK("http://x")',
                "open.een-ding": "Sneller leveren",
            },
            {
                "kompas.klantvisie": 3,
                "open.belemmering": "-1 is ons cijfer",
                "open.goed-voorbeeld": "@team\nbedankt",
            },
            {"kompas.klantvisie": 4, "open.een-ding": '+ meer tijd, "echt"'},
        ],
    )
    result = runner.invoke(app, ["answers", str(folder)])
    assert result.exit_code == 0, result.output
    path = folder / "answers-2026-02-01.csv"
    assert f"wrote 5 open answers to {path}" in result.output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["respondent", "question", "question_text", "answer"]
    assert [row[:2] for row in rows[1:]] == [
        ["r01", "open.belemmering"],
        ["r01", "open.een-ding"],
        ["r02", "open.belemmering"],
        ["r02", "open.goed-voorbeeld"],
        ["r03", "open.een-ding"],
    ]
    answers = [row[3] for row in rows[1:]]
    assert answers == [
        '\'=HYPERLINK("http://x")',
        "Sneller leveren",
        "'-1 is ons cijfer",
        "'@team\nbedankt",
        '\'+ meer tijd, "echt"',
    ]
    assert rows[1][2] == INTAKE.question("open.belemmering").text


def test_answers_never_overwrite_without_force(tmp_path: Path) -> None:
    folder = _answers_folder(
        tmp_path, [{"kompas.klantvisie": 2, "open.een-ding": "Meer tijd per klant"}]
    )
    target = tmp_path / "mine.csv"
    target.write_text("mijn eigen bestand", encoding="utf-8")
    refused = runner.invoke(app, ["answers", str(folder), "-o", str(target)])
    assert refused.exit_code == 1
    assert "exists; use --force" in refused.output
    assert target.read_text(encoding="utf-8") == "mijn eigen bestand"
    forced = runner.invoke(app, ["answers", str(folder), "-o", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "Meer tijd per klant" in target.read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_answers_of_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["answers", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such assessment folder" in result.output
    assert "Traceback" not in result.output


def test_answers_csv_of_the_example_counts_every_answer() -> None:
    folder = load_assessment(EXAMPLE)
    rows = list(csv.reader(io.StringIO(open_answers_csv(folder))))
    expected = Counter(
        q.id
        for r in folder.responses
        for q in folder.questionnaire.open_questions
        if isinstance(r.answers.get(q.id), str) and str(r.answers[q.id]).strip()
    )
    assert Counter(row[1] for row in rows[1:]) == expected


def test_keyword_matching_finds_what_a_plain_search_finds() -> None:
    reader = AnswerReader(INTAKE.content, "nl")
    folder = load_assessment(EXAMPLE)
    for answer in open_answers(folder.questionnaire, folder.responses):
        # Left to right: at each word start the longest keyword, then past it.
        keywords = {normalise(w) for d in INTAKE.content.dimensions for w in d.keywords}
        found, position, text = set(), 0, answer.normal
        while position < len(text):
            starts_word = position == 0 or not text[position - 1].isalnum()
            matches = [w for w in keywords if starts_word and text.startswith(w, position)]
            if matches:
                longest = max(matches, key=len)
                found.add(longest)
                position += len(longest)
            else:
                position += 1
        expected = {}
        for dimension in INTAKE.content.dimensions:
            own = {normalise(w) for w in dimension.keywords} & found
            if own:
                expected[dimension.id] = len(own)
        assert reader.hits(answer.text) == expected, answer.text


def test_the_summary_names_signs_the_answers_contradict_and_claims_no_generic_ones(
    tmp_path: Path,
) -> None:
    from klantladder.report.brand import load_brand
    from klantladder.report.render import report_html

    # Everything at Verzamelen, targets in Negeren, and a continuous survey that
    # contradicts the Verzamelen sign of an occasional one.
    people = []
    for index in range(6):
        answers: dict[str, Any] = {q: 2 for q in SCORED}
        answers.update({"sturing.kpi": 1, "sturing.botsing": 1, "sturing.erkenning": 1})
        answers.update({"sturing.scorediscussie": 1, "feedback.meten": 4})
        answers["open.belemmering"] = "Geen idee"
        people.append(response(f"r{index}", answers, "intake"))
    assessment = Assessment.model_validate(
        {
            "organisation": "Proef",
            "date": "2026-01-01",
            "questionnaire": {"id": "intake", "version": 1},
            "language": "nl",
        }
    )
    folder = AssessmentFolder(tmp_path, assessment, INTAKE, tuple(people))
    assert folder.score().overall.phase.id == "verzamelen"
    html = report_html(folder, brand=load_brand(None)).html
    summary = html[html.index('id="summary"') : html.index('id="profile"')]
    assert "Bij u niet herkenbaar uit de fase Verzamelen" in summary
    assert "Klanten worden af en toe naar hun tevredenheid gevraagd" in summary
    assert "6 van de 6 respondenten beschrijven het duidelijk anders" in summary
    assert "6 van de 6 respondenten: alleen financiële en productiecijfers tellen" in summary
    description = str(INTAKE.content.phase("verzamelen").description)
    assert description[:60] not in summary, "the phase's general description is no claim"
    quotes = html[html.index('id="quotes"') :]
    assert "Alle 6 antwoorden op de open vragen zijn zonder inhoud" in quotes
    assert "Niemand beantwoordde deze vraag." in quotes


@pytest.mark.parametrize(
    ("text", "says_nothing"),
    [("Geen tijd.", False), ("Te veel silo's", False), ("geen idee", True), ("Nee.", True)],
)
def test_a_short_real_answer_counts_and_a_listed_non_answer_does_not(
    text: str, says_nothing: bool
) -> None:
    """'Geen tijd' answers 'what holds us back'; two words are enough to say something."""
    from klantladder.diagnosis.quotes import OpenAnswer

    reader = AnswerReader(INTAKE.content, "nl")
    assert reader.is_non_answer(OpenAnswer("r1", "belemmering", text)) is says_nothing
