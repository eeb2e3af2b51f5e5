"""Content tests: the shipped method, the questionnaires and the example assessment."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from klantladder.diagnosis import AnswerReader, advice_chapter, items_for_step
from klantladder.folder import load_assessment
from klantladder.loading import (
    load_method,
    load_questionnaire,
    load_questionnaire_file,
    shipped_method_file,
    shipped_questionnaire_file,
    shipped_questionnaire_files,
)
from klantladder.models.method import Method
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    ProfileQuestion,
    Questionnaire,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EXAMPLE = EXAMPLES / "koperwiek-keukens"
LANGUAGES = ("nl", "en")
QUESTIONNAIRES = ("intake", "quickscan")
VERSIONS = (1, 2)
SHIPPED = [(qid, version) for qid in QUESTIONNAIRES for version in VERSIONS]
PHASES = ("negeren", "verzamelen", "analyseren", "samenwerken", "transformeren")
LINKS = {"kompas", "cultuur", "kennis", "ervaring"}

# String fields that hold ids or fixed values rather than translatable text.
ID_FIELDS = {
    "id",
    "source",
    "link",
    "dimension",
    "kind",
    "rule",
    "questions",
    "change",
    "question",
    "cited_in",
    "in_",
    "not_in",
}
# Word lists differ in length between languages; only that they are filled must agree.
WORD_LISTS = {"keywords", "non_answers"}
PLACEHOLDER = re.compile(r"\b(todo|tbd|fixme|xxx+|lorem|ipsum)\b|\.\.\.|…", re.IGNORECASE)
MAX_STATEMENT = 170


def method(language: str) -> Method:
    return load_method(shipped_method_file("klantladder", language))


def questionnaire(qid: str, language: str, version: int | None = None) -> Questionnaire:
    return load_questionnaire(qid, language, version)


def strip_texts(value: Any, key: str | None = None) -> Any:
    """The structure of a dumped model with every text blanked; ids and numbers kept."""
    if isinstance(value, dict):
        return {
            k: bool(v) if k in WORD_LISTS else strip_texts(v, k)
            for k, v in value.items()
            if k != "languages"
        }
    if isinstance(value, list):
        return [strip_texts(item, key) for item in value]
    if isinstance(value, str):
        return value if key in ID_FIELDS else ""
    return value


def all_strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*all_strings(k), *all_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return [value] if isinstance(value, str) else []


def content_files() -> list[Path]:
    files = sorted((REPO / "questionnaires").rglob("*.yaml"))
    files.append(EXAMPLES / "koperwiek-keukens.source.yaml")
    files += sorted(EXAMPLE.rglob("*.yaml"))
    return files


# --- one source of truth, two languages ---------------------------------------


def test_method_languages_have_identical_structure_and_ids() -> None:
    nl, en = method("nl"), method("en")
    assert nl.languages == ["nl"] and en.languages == ["en"]
    assert strip_texts(nl.model_dump()) == strip_texts(en.model_dump())


@pytest.mark.parametrize(("qid", "version"), SHIPPED)
def test_questionnaire_languages_have_identical_structure_and_ids(qid: str, version: int) -> None:
    nl, en = questionnaire(qid, "nl", version), questionnaire(qid, "en", version)
    assert (nl.id, nl.version) == (en.id, en.version) == (qid, version)
    assert strip_texts(nl.model_dump()) == strip_texts(en.model_dump())


def test_every_shipped_file_is_named_by_its_id_version_and_language() -> None:
    files = shipped_questionnaire_files()
    assert {(f.id, f.version, f.language) for f in files} == {
        (qid, version, language) for qid, version in SHIPPED for language in LANGUAGES
    }
    assert sorted(path.name for path in (REPO / "questionnaires").glob("*.yaml")) == sorted(
        f.path.name for f in files
    )
    for shipped in files:
        loaded = load_questionnaire(shipped.path)
        assert (loaded.id, loaded.version, loaded.languages) == (
            shipped.id,
            shipped.version,
            [shipped.language],
        )


def test_new_assessments_get_the_latest_version_and_old_ones_keep_theirs() -> None:
    for qid in QUESTIONNAIRES:
        assert questionnaire(qid, "nl").version == max(VERSIONS)
        assert questionnaire(qid, "en", 1).version == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_really_are_translated(language: str) -> None:
    other = "en" if language == "nl" else "nl"
    mine, theirs = method(language), method(other)
    assert [p.summary for p in mine.phases] != [p.summary for p in theirs.phases]
    assert [d.title for d in mine.dimensions] != [d.title for d in theirs.dimensions]


@pytest.mark.parametrize(("qid", "version"), SHIPPED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_questionnaires_share_the_one_method(qid: str, version: int, language: str) -> None:
    loaded = questionnaire(qid, language, version)
    assert loaded.method == method(language)
    path = shipped_questionnaire_file(qid, language, version)
    raw = yaml.safe_load(path.read_text("utf-8"))
    assert raw["method"] == "klantladder", "refer to the shipped method, never copy it"


# --- the method -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_five_phases_in_ladder_order(language: str) -> None:
    assert [p.id for p in method(language).phases] == list(PHASES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_phase_has_signs_building_blocks_tips_and_pitfalls(language: str) -> None:
    loaded = method(language)
    sources = {source.id for source in loaded.sources}
    for phase in loaded.phases:
        assert len(phase.signs) >= 3, phase.id
        assert len(phase.building_blocks) >= 3, phase.id
        assert len(phase.tips) >= 5, phase.id
        assert len(phase.pitfalls) >= 1, phase.id
        for item in (*phase.building_blocks, *phase.tips, *phase.pitfalls):
            assert item.source in sources, (phase.id, item.title)
            assert item.title and item.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_is_cited_and_every_organisation_contributes(language: str) -> None:
    loaded = method(language)
    cited = Counter(
        item.source
        for phase in loaded.phases
        for item in (*phase.building_blocks, *phase.tips, *phase.pitfalls)
    )
    cited.update(figure.source for figure in loaded.reference_figures)
    assert {source.id for source in loaded.sources} == set(cited)
    for organisation in ("nkm2020", "improof", "one2ten", "beeckestijn"):
        assert cited[organisation] >= 3, organisation
    nkm = loaded.source("nkm2020")
    assert "Blauw" in nkm.name and "PVKO" in nkm.name and nkm.year == 2020


def test_nkm_building_blocks_sit_at_the_phases_the_nkm_gives_them() -> None:
    loaded = method("nl")
    nkm = {p.id: [b for b in p.building_blocks if b.source == "nkm2020"] for p in loaded.phases}
    # Negeren and verzamelen share the same three building blocks.
    assert len(nkm["negeren"]) == len(nkm["verzamelen"]) == 3
    # Analyseren -> samenwerken: the three conditions of the round table.
    assert len(nkm["analyseren"]) == 3
    # Samenwerken: clear purpose, clear roles, everyone responsible, a CX team that connects.
    assert len(nkm["samenwerken"]) == 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_dimension_has_next_steps_for_levels_one_to_four(language: str) -> None:
    loaded = method(language)
    assert 8 <= len(loaded.dimensions) <= 10
    for dimension in loaded.dimensions:
        assert sorted(dimension.next_steps) == [1, 2, 3, 4], dimension.id
        assert all(len(step) > 20 for step in dimension.next_steps.values()), dimension.id
        assert dimension.description


@pytest.mark.parametrize("language", LANGUAGES)
def test_dimensions_cover_the_four_links(language: str) -> None:
    loaded = method(language)
    assert set(loaded.links) == LINKS
    assert {d.link for d in loaded.dimensions} == LINKS


def test_scoring_rules_are_the_agreed_ones() -> None:
    scoring = method("nl").scoring
    assert scoring.thresholds == {
        "verzamelen": 1.8,
        "analyseren": 2.6,
        "samenwerken": 3.4,
        "transformeren": 4.2,
    }
    assert scoring.overall.rule == "capped_by_weakest"
    assert scoring.overall.max_steps_above_weakest == 1
    assert scoring.likert_fraction == {1: 0.0, 2: 0.25, 3: 0.5, 4: 0.75, 5: 1.0}
    assert scoring.min_group_size == 3
    assert scoring.focus_dimensions == 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_nkm_reference_figures(language: str) -> None:
    figures = {figure.id: figure for figure in method(language).reference_figures}
    expected = {
        "nkm2020.verzamelt-feedback": (80, "percent"),
        "nkm2020.hoogste-drie-fases": (64, "percent"),
        "nkm2020.groei": (7, "percent"),
        "nkm2020.hoogste-sector": (None, "finding"),
        "nkm2020.verbeterd": (None, "finding"),
    }
    for figure_id, (value, unit) in expected.items():
        figure = figures[figure_id]
        assert (figure.value, figure.unit) == (value, unit), figure_id
        assert figure.source == "nkm2020" and figure.year == 2020
    assert "ICT" in figures["nkm2020.hoogste-sector"].text
    assert len(figures["nkm2020.verbeterd"].items) == 3


# --- the questionnaires -----------------------------------------------------------


@pytest.mark.parametrize(("qid", "version"), SHIPPED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_ladder_questions_have_five_distinct_short_statements(
    qid: str, version: int, language: str
) -> None:
    for question in questionnaire(qid, language, version).questions:
        if isinstance(question, LadderQuestion):
            assert sorted(question.statements) == [1, 2, 3, 4, 5], question.id
            texts = list(question.statements.values())
            assert len(set(texts)) == 5, question.id
            for text in texts:
                assert len(text) < MAX_STATEMENT, (question.id, text)


@pytest.mark.parametrize(("version", "minutes"), [(1, 20), (2, 25)])
@pytest.mark.parametrize("language", LANGUAGES)
def test_intake_shape(language: str, version: int, minutes: int) -> None:
    intake = questionnaire("intake", language, version)
    assert intake.version == version and intake.minutes == minutes
    ladder = Counter(q.dimension for q in intake.questions if isinstance(q, LadderQuestion))
    dimensions = {d.id for d in intake.content.dimensions}
    assert set(ladder) == dimensions
    assert all(3 <= count <= 5 for count in ladder.values()), ladder
    likert = [q for q in intake.questions if isinstance(q, LikertQuestion)]
    assert 3 <= len(likert) <= 10
    assert all(2 <= q.evidences_level <= 5 for q in likert)
    assert len(intake.open_questions) in (2, 3)
    assert any(q.id == "open.belemmering" for q in intake.open_questions)


@pytest.mark.parametrize(("qid", "version"), SHIPPED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_profile_questions(qid: str, version: int, language: str) -> None:
    loaded = questionnaire(qid, language, version)
    profiles = {q.id: q for q in loaded.profile_questions if q.segment}
    assert set(profiles) == {"afdeling", "rol", "klantcontact"}
    departments = {option.id for option in profiles["afdeling"].options}
    assert {"klantenservice", "verkoop-marketing", "operatie-logistiek", "it"} <= departments
    assert {"financien", "hr", "anders"} <= departments
    roles = [o.id for o in profiles["rol"].options]
    assert [o.id for o in profiles["klantcontact"].options] == ["ja", "nee"]
    if version == 1:
        assert roles == ["directie", "management", "medewerker"]
        return
    # Version 2: the core work of a service organisation and the executive team have a
    # department of their own; roles tell managers, team leads and specialists apart;
    # direct customer contact is defined.
    assert {"directie", "uitvoering"} <= departments
    assert roles == ["directie", "management", "teamleiding", "specialist", "medewerker"]
    assert profiles["klantcontact"].help is not None
    facts = [q for q in loaded.profile_questions if not q.segment]
    assert [q.id for q in facts] == ["onderzoek.bestaat"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_quickscan_compares_with_the_intake(language: str, version: int) -> None:
    intake = questionnaire("intake", language, version)
    quick = questionnaire("quickscan", language, version)
    assert quick.minutes is not None and quick.minutes <= 6
    # The same method; each questionnaire's thresholds are fitted to its own items.
    assert quick.content.model_dump(exclude={"scoring"}) == intake.content.model_dump(
        exclude={"scoring"}
    )
    per_dimension = Counter(q.dimension for q in quick.scored_questions)
    assert set(per_dimension) == {d.id for d in intake.content.dimensions}
    assert all(1 <= count <= 2 for count in per_dimension.values())
    assert len(quick.open_questions) == 1
    for question in quick.questions:
        if isinstance(question, LadderQuestion | LikertQuestion | ProfileQuestion):
            # `replaces` declares against each questionnaire's own earlier version.
            twin = intake.question(question.id)
            assert twin.model_dump(exclude={"replaces"}) == question.model_dump(
                exclude={"replaces"}
            ), question.id


@pytest.mark.parametrize("version", VERSIONS)
def test_quickscan_questions_are_taken_from_the_intake_in_every_language(version: int) -> None:
    ids = {
        lang: [q.id for q in questionnaire("quickscan", lang, version).questions]
        for lang in LANGUAGES
    }
    assert ids["nl"] == ids["en"]
    intake_ids = {q.id for q in questionnaire("intake", "nl", version).questions}
    assert set(ids["nl"]) <= intake_ids


@pytest.mark.parametrize("path", content_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_empty_or_placeholder_text(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    for text in all_strings(data):
        assert text.strip(), f"{path.name}: empty text"
        assert not PLACEHOLDER.search(text), f"{path.name}: placeholder in {text!r}"


def test_no_method_text_in_python() -> None:
    generator = (EXAMPLES / "generate_example.py").read_text("utf-8")
    for word in ("klant", "Klant", "afdeling", "medewerker"):
        assert word not in generator.replace("klantladder", ""), word


# --- the example organisation ----------------------------------------------------


def test_example_scores_in_verzamelen_capped_by_sturing() -> None:
    result = load_assessment(EXAMPLE).score()
    assert result.respondents == 24
    assert result.overall.mean_phase.id == "analyseren"
    assert result.overall.phase.id == "verzamelen"
    assert result.overall.capped
    assert result.overall.weakest == ["sturing"]
    sturing = next(d for d in result.dimensions if d.id == "sturing")
    assert sturing.phase is not None and sturing.phase.id == "negeren"
    assert result.focus[0].dimension == "sturing"
    assert any("Sturing" in sentence for sentence in result.explanation)


def test_example_scores_the_same_in_english() -> None:
    nl = load_assessment(EXAMPLE).score()
    en = load_assessment(EXAMPLE, "en").score()
    assert en.overall.phase.id == nl.overall.phase.id
    assert en.overall.score == nl.overall.score
    assert en.explanation != nl.explanation


def test_example_shows_perception_gaps_and_suppression() -> None:
    result = load_assessment(EXAMPLE).score()
    segments = {group.question: group for group in result.segments}
    departments = segments["afdeling"]
    # "Anders" (1) is too small; with the five others shown it would be 24 minus their sum,
    # so the smallest of them (Financiën, 3) is left out as well
    assert [s.option for s in departments.segments] == [
        "klantenservice",
        "verkoop-marketing",
        "operatie-logistiek",
        "it",
    ]
    assert all(segment.n >= 3 for group in result.segments for segment in group.segments)
    assert (departments.suppressed_groups, departments.complementary) == (2, 1)
    assert result.respondents - sum(s.n for s in departments.segments) >= 3
    roles = {s.option: s for s in segments["rol"].segments}
    assert roles["directie"].overall is not None and roles["medewerker"].overall is not None
    assert roles["directie"].overall - roles["medewerker"].overall >= 0.3
    contact = {s.option: s.dimensions for s in segments["klantcontact"].segments}
    assert contact["ja"]["samenwerking"] - contact["nee"]["samenwerking"] >= 0.5
    assert result.exclusions.unknown_answers > 0


def test_example_open_answers_are_varied() -> None:
    folder = load_assessment(EXAMPLE)
    answers = [
        value
        for response in folder.responses
        for question in folder.questionnaire.open_questions
        if isinstance(value := response.answers.get(question.id), str)
    ]
    assert len(answers) >= 40
    assert len(set(answers)) == len(answers), "every open answer is written on its own"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_example", EXAMPLES / "generate_example.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file the generator writes: YAML, the consultant's notes.md and the .gitignore."""
    files = [p for p in folder.rglob("*") if p.suffix in {".yaml", ".md"}] + [folder / ".gitignore"]
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(files)}


def test_example_generator_is_deterministic_and_matches_the_committed_folder(
    tmp_path: Path,
) -> None:
    module = generator()
    module.generate(tmp_path / "first")
    module.generate(tmp_path / "second")
    first = folder_bytes(tmp_path / "first")
    assert first == folder_bytes(tmp_path / "second")
    assert first == folder_bytes(EXAMPLE), "run: python examples/generate_example.py"


def test_earlier_quick_scan_example_matches_its_source(tmp_path: Path) -> None:
    module = generator()
    source = EXAMPLES / "koperwiek-keukens-2024.source.yaml"
    module.generate(tmp_path / "2024", source)
    assert folder_bytes(tmp_path / "2024") == folder_bytes(EXAMPLES / "koperwiek-keukens-2024")
    earlier = load_assessment(EXAMPLES / "koperwiek-keukens-2024")
    assert earlier.questionnaire.id == "quickscan"
    assert earlier.assessment.organisation == load_assessment(EXAMPLE).assessment.organisation


def test_example_portfolio_matches_its_source(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_portfolio", EXAMPLES / "generate_portfolio.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.generate(tmp_path)
    assert len(written) == 8
    for path in written:
        assert path.read_bytes() == (EXAMPLES / "portfolio" / path.name).read_bytes()


# --- advice per dimension and step, signs with evidence, sources, register --------

STEPS = (1, 2, 3, 4)
PRONOUNS = re.compile(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_dimension_step_has_a_sourced_tip_and_pitfall(language: str) -> None:
    loaded = method(language)
    sources = {source.id for source in loaded.sources}
    for dimension in loaded.dimensions:
        for level in STEPS:
            for group in ("tips", "pitfalls"):
                found = items_for_step(loaded, dimension.id, level, group)
                assert found, (dimension.id, level, group)
                assert all(item.source in sources for item in found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_item_names_the_dimensions_it_serves(language: str) -> None:
    loaded = method(language)
    dimensions = {dimension.id for dimension in loaded.dimensions}
    for phase in loaded.phases:
        for item in (*phase.building_blocks, *phase.tips, *phase.pitfalls):
            assert item.dimensions, (phase.id, item.title)
            assert set(item.dimensions) <= dimensions
            assert all(1 <= step <= 5 for step in item.steps)


def shipped_scored_questions(language: str) -> dict[str, LadderQuestion | LikertQuestion]:
    """Every scored question of every shipped questionnaire (any version) in a language."""
    found: dict[str, LadderQuestion | LikertQuestion] = {}
    for path in sorted((REPO / "questionnaires").glob(f"*.{language}.yaml")):
        for question in load_questionnaire_file(path).scored_questions:
            found.setdefault(question.id, question)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sign_is_evidenced_by_shipped_questions_near_its_phase(language: str) -> None:
    loaded = method(language)
    shipped = shipped_scored_questions(language)
    intakes = [
        {q.id for q in load_questionnaire_file(path).scored_questions}
        for path in sorted((REPO / "questionnaires").glob(f"intake.*.{language}.yaml"))
    ]
    assert len(intakes) >= 2
    for phase in loaded.phases:
        for sign in phase.signs:
            assert sign.evidence, (phase.id, sign.text)
            for intake in intakes:  # every shipped intake version tests every sign
                assert any(e.question in intake for e in sign.evidence), (phase.id, sign.text)
            for evidence in sign.evidence:
                question = shipped.get(evidence.question)
                assert question is not None, (phase.id, evidence.question)
                assert len(evidence.paraphrase) > 10
                if isinstance(question, LadderQuestion):
                    assert abs(min(evidence.answers) - phase.level) <= 1, (phase.id, sign.text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_quick_scan_tests_signs_of_every_phase(language: str) -> None:
    asked = {q.id for q in questionnaire("quickscan", language).questions}
    for phase in method(language).phases:
        testable = [s for s in phase.signs if any(e.question in asked for e in s.evidence)]
        assert len(testable) >= 2, phase.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_sources_hold_no_editorial_notes_in_their_names(language: str) -> None:
    loaded = method(language)
    for source in loaded.sources:
        name = str(source.name)
        assert not re.search(r"dezelfde|same|aangehaald|cited|reeks|series", name, re.I), name
        assert "(" not in name or re.fullmatch(r"[^()]+ \([A-Z]+\)", name), name
        if source.cited_in:
            assert loaded.source(source.cited_in).id != source.id
    assert loaded.source("one2ten-teams").name == "One2ten"
    assert loaded.source("one2ten-teams").note
    assert loaded.source("idc").cited_in == "beeckestijn"


def test_attributions_follow_the_seed_articles() -> None:
    loaded = method("nl")
    by_title = {
        str(item.title): item.source
        for phase in loaded.phases
        for item in (*phase.building_blocks, *phase.tips, *phase.pitfalls)
    }
    # One2ten's article on teams: a standing agenda item in every team meeting.
    assert by_title["Klantfeedback als vast agendapunt"] == "one2ten-teams"
    # "Begin klein, ook met meten" was no NKM statement; it is gone.
    assert not any(title.startswith("Begin klein") for title in by_title)
    # The NKM's own pitfalls and One2ten's reward advice.
    assert by_title["Sturen op afhandeltijd"] == "nkm2020"
    assert by_title["Concurrerende targets"] == "nkm2020"
    assert by_title["Beloon samen, over afdelingen heen"] == "one2ten"
    assert by_title["Toets beloningen op bijwerkingen"] == "one2ten"
    # The NKM reports "7% groei" against 2019; nothing says percentage points.
    growth = next(f for f in loaded.reference_figures if f.id == "nkm2020.groei")
    assert (growth.value, growth.unit) == (7, "percent")
    assert "2019" in str(growth.text)
    assert all(f.unit != "percentage_points" for f in loaded.reference_figures)


def _report_texts(value: Any, key: str | None = None) -> list[str]:
    """Every text of a dumped method that can reach a report (source titles are citations)."""
    if isinstance(value, dict):
        skip = {"title"} if {"name", "cited_in"} <= set(value) else set()
        return [
            text
            for k, v in value.items()
            if k not in skip and k not in ID_FIELDS
            for text in _report_texts(v, k)
        ]
    if isinstance(value, list):
        return [text for item in value for text in _report_texts(item, key)]
    return [value] if isinstance(value, str) else []


def test_dutch_method_texts_address_the_reader_as_u() -> None:
    loaded = method("nl")
    texts = _report_texts(loaded.model_dump())
    assert len(texts) > 300
    offending = [text for text in texts if PRONOUNS.search(text)]
    assert offending == []
    flat = " ".join(texts)
    assert "Een klantcitaat aan de muur" in flat and "quote op de muur" not in flat
    assert "Laat in elk overleg iemand om beurten de klantpet opzetten" in flat
    assert "Geef in elk overleg iemand de klantpet" not in flat


def test_dutch_report_labels_of_the_diagnosis_address_the_reader_as_u() -> None:
    text = (REPO / "report_templates" / "labels.nl.yaml").read_text("utf-8")
    block = text.split("# --- content: advice, signs, quotes ---", 1)[1]
    labels = yaml.safe_load(block)
    assert [value for value in labels.values() if PRONOUNS.search(str(value))] == []
    english = (REPO / "report_templates" / "labels.en.yaml").read_text("utf-8")
    assert set(labels) == set(
        yaml.safe_load(english.split("# --- content: advice, signs, quotes ---", 1)[1])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_answers_link_to_dimensions_by_keywords_and_non_answers_are_listed(language: str) -> None:
    loaded = method(language)
    assert all(len(d.keywords) >= 5 for d in loaded.dimensions)
    assert len(loaded.diagnosis.non_answers) >= 5
    reader = AnswerReader(loaded, language)
    examples = {
        "nl": ("We worden afgerekend op gesprekstijd.", "sturing"),
        "en": ("We are judged on call time, not on customers.", "sturing"),
    }
    text, dimension = examples[language]
    assert reader.theme(text, None, [])[0] == dimension


def test_example_advice_chapter_covers_sturing_with_its_own_step() -> None:
    folder = load_assessment(EXAMPLE)
    chapter = advice_chapter(folder.questionnaire.content, folder.score(), "nl")
    sturing = next(d for d in chapter.dimensions if d.dimension == "sturing")
    assert (sturing.phase, sturing.next_phase, sturing.level) == ("Negeren", "Verzamelen", 1)
    assert sturing.tips and sturing.pitfalls
    assert chapter.building_blocks, "the overall phase's building blocks stay the frame"
