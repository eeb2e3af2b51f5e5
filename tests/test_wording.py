"""One register per document, proper plurals and numbers in words, good word order."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfhelpers import document_text, normalise, page_texts

from klantladder.folder import load_assessment
from klantladder.handouts import questionnaire_texts
from klantladder.loading import load_questionnaire
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.report.environment import report_labels
from klantladder.report.wording import (
    counted,
    emphasised,
    lower_first,
    number_in_words,
    pronoun_hits,
    register,
    registers,
)

NL = report_labels("nl")
EN = report_labels("en")


def without(text: str, quoted: list[str]) -> str:
    """The document's own words: ``text`` with every quoted passage taken out."""
    for passage in sorted({normalise(q) for q in quoted if q.strip()}, key=len, reverse=True):
        text = text.replace(passage, " ")
    return text


def respondent_words(folder: Path) -> list[str]:
    """What respondents wrote (open answers): quoted in the report, in their own words."""
    loaded = load_assessment(folder)
    return [
        value
        for response in loaded.responses
        for value in response.answers.values()
        if isinstance(value, str) and len(value.split()) > 2
    ]


def source_titles(method: Method, language: str) -> list[str]:
    """Titles of the published sources: quoted as their authors wrote them."""
    return [localize(source.title, language) for source in method.sources if source.title]


def method_texts(method: Method, language: str) -> list[str]:
    """Every text of the method: phases, their items, dimensions and their next steps."""
    texts: list[str] = []
    for phase in method.phases:
        texts += [localize(phase.summary, language), localize(phase.description, language)]
        texts += [localize(sign.text, language) for sign in phase.signs]
        for item in (*phase.building_blocks, *phase.tips, *phase.pitfalls):
            texts += [localize(item.title, language), localize(item.text, language)]
    for dimension in method.dimensions:
        texts.append(localize(dimension.description, language))
        texts += [localize(step, language) for step in dimension.next_steps.values()]
    return texts


def test_counted_labels_choose_their_form_and_write_small_numbers_in_words() -> None:
    entry = NL["suppressed"]
    assert counted(entry, 1, NL, minimum=3) == (
        "Eén groep met minder dan 3 respondenten is niet apart getoond."
    )
    assert counted(entry, 4, NL, minimum=3) == (
        "Vier groepen met minder dan 3 respondenten zijn niet apart getoond."
    )
    assert counted(entry, 13, NL, minimum=3).startswith("13 groepen")
    assert counted(NL["method_without"], 0, NL) == (
        "Alle respondenten gaven minstens één scorend antwoord."
    )
    assert counted(EN["rule_capped_by_weakest"], 1, EN).count("at most one phase above") == 1
    assert counted("plain $x", 5, NL, x="text") == "plain text"
    assert number_in_words(12, NL) == "twaalf" and number_in_words(12, EN) == "twelve"
    assert number_in_words(40, NL) == "40"


def test_lower_first_and_emphasised() -> None:
    assert lower_first("De organisatie meet") == "de organisatie meet"
    assert lower_first("ICT is leading") == "ICT is leading"
    assert str(emphasised("The organisation is in the $phase phase", phase="A<b>")) == (
        "The organisation is in the <strong>A&lt;b&gt;</strong> phase"
    )


PRIVACY_MODES = {"anonymous", "pseudonymous", "named"}


def test_every_counted_label_has_one_and_other_forms_in_both_languages() -> None:
    for labels in (NL, EN):
        for key, value in labels.items():
            if key == "workshop":  # the workshop's pages: a namespace of their own
                continue
            if isinstance(value, dict) and set(value) != PRIVACY_MODES:  # one text per mode
                assert {"one", "other"} <= set(value) <= {"zero", "one", "other"}, key
    assert len(NL["number_words"]) == len(EN["number_words"]) == 13


def test_register_detection() -> None:
    assert registers("Weet u het niet, kies dan uw antwoord.") == {"formal"}
    assert registers("Weet je het niet? Jullie kiezen.") == {"informal"}
    assert registers("U staat hier; je ziet het.") == {"formal", "informal"}
    assert registers("Een uitspraak over de klant.") == set()
    assert register(["Wat is je rol?", "In welke afdeling werk je?"]) == "informal"
    assert register(["Wat is uw rol?"]) == "formal"


@pytest.mark.parametrize(
    "name",
    ["ladder-nl", "summary-nl", "questionnaire-nl", "questionnaire-quick-nl"],
)
def test_a_handout_keeps_to_one_register(documents: dict[str, Path], name: str) -> None:
    text = document_text(documents[name])
    found = registers(text)
    assert len(found) <= 1, pronoun_hits(text)


@pytest.mark.parametrize("quick", [False, True])
def test_the_questionnaire_form_speaks_as_its_questionnaire_does(
    documents: dict[str, Path], quick: bool
) -> None:
    questionnaire = load_questionnaire("quickscan" if quick else "intake", "nl")
    own = register(questionnaire_texts(questionnaire, "nl"))
    text = document_text(documents[f"questionnaire{'-quick' if quick else ''}-nl"])
    assert registers(text) == {own}
    intro = NL["questionnaire_intro_informal" if own == "informal" else "questionnaire_intro"]
    assert normalise(intro) in text


def test_the_report_and_cards_in_their_own_words_say_u(
    documents: dict[str, Path], example_folder: Path
) -> None:
    """The report's and the cards' own words (labels and templates) address the reader as u.

    Respondents' words and questionnaire questions are quotations; the method's
    texts are checked on the whole documents below.
    """
    loaded = load_assessment(example_folder)
    quoted = respondent_words(example_folder)
    quoted += questionnaire_texts(loaded.questionnaire, "nl")
    quoted += method_texts(loaded.questionnaire.content, "nl")
    quoted += source_titles(loaded.questionnaire.content, "nl")
    for name in ("report-nl", "cards-nl"):
        own = without(document_text(documents[name]), quoted)
        assert registers(own) <= {"formal"}, (name, pronoun_hits(own)["informal"])


@pytest.mark.parametrize("name", ["report-nl", "cards-nl"])
def test_the_whole_report_and_cards_keep_to_one_register(
    documents: dict[str, Path], example_folder: Path, name: str
) -> None:
    loaded = load_assessment(example_folder)
    quoted = respondent_words(example_folder) + questionnaire_texts(loaded.questionnaire, "nl")
    quoted += source_titles(loaded.questionnaire.content, "nl")
    text = without(document_text(documents[name]), quoted)
    assert len(registers(text)) <= 1, pronoun_hits(text)


def test_no_bracketed_plurals_and_dutch_numbers_in_words(documents: dict[str, Path]) -> None:
    nl = document_text(documents["report-nl"])
    en = document_text(documents["report-en"])
    for bracketed in ("(en)", "(n)", "trede(n)", "groep(en)"):
        assert bracketed not in nl
    assert "(s)" not in en
    assert "0 respondenten gaven" not in nl
    assert "Alle respondenten gaven minstens één scorend antwoord." in nl
    assert "Eén groep met minder dan drie respondenten is niet apart getoond." in nl
    assert "hoogstens één fase hoger dan haar zwakste dimensie" in nl
    assert "Every respondent gave at least one scored answer." in en
    assert "One group with fewer than three respondents is not shown on its own." in en


def test_sentences_from_the_review(documents: dict[str, Path]) -> None:
    nl = document_text(documents["report-nl"])
    en = document_text(documents["report-en"])
    assert "Koperwiek Keukens staat in de fase Verzamelen." in nl
    assert "Verzamelen: De organisatie" not in nl
    assert "hoogstens één fase hoger dan haar zwakste dimensie" in nl
    assert "1 fase boven" not in nl
    assert "De organisatie staat in de fase Verzamelen" in page_texts(documents["report-nl"])[0]
    assert "The organisation is in the Collecting phase" in page_texts(documents["report-en"])[0]
    assert "Koperwiek Keukens is in the Collecting phase." in en
    assert "in the phase Collecting" not in en
    poster = document_text(documents["ladder-nl"])
    assert "Vijf fasen. Waarin herkent u uw organisatie?" in poster
    assert "Five phases. Where do you recognise your organisation?" in document_text(
        documents["ladder-en"]
    )
    assert "Samen staan we in de fase Verzamelen" in document_text(documents["summary-nl"])
    assert "Together we are in the Collecting phase" in document_text(documents["summary-en"])


def test_cover_fields_left_in_the_assessment_language_say_so(documents: dict[str, Path]) -> None:
    cover_en = page_texts(documents["report-en"])[0]
    assert "Sector (as entered) Keukens op maat" in cover_en
    assert "Assessor (as entered) Sanne Verbeek" in cover_en
    cover_nl = page_texts(documents["report-nl"])[0]
    assert "zoals ingevoerd" not in cover_nl
    assert "Sector Keukens op maat" in cover_nl
