"""The executive page, the cover and branding, and the four links that order the report."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from helpers import write_yaml
from pdfhelpers import page_texts

from klantladder.diagnosis.findings import QUOTE_MAX_CHARACTERS
from klantladder.folder import load_assessment
from klantladder.models.base import localize
from klantladder.models.result import MeanCondition
from klantladder.report import render as render_module
from klantladder.report.executive import explanation_parts
from klantladder.report.render import render_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_executive_page_is_page_two_with_phase_focus_and_next_step(
    documents: dict[str, Path], example_folder: Path, language: str
) -> None:
    pages = page_texts(documents[f"report-{language}"])
    executive, contents = pages[1], pages[2]
    result = load_assessment(example_folder, language).score()
    title = {"nl": "Managementsamenvatting", "en": "Executive summary"}[language]
    assert title in executive
    phase = {"nl": "De organisatie staat in de fase Verzamelen", "en": "is in the Collecting phase"}
    assert phase[language] in executive
    for point in result.focus:
        assert point.title in executive
        assert point.reason[1:] in executive
    why, road = explanation_parts(result)
    assert road and all(sentence in executive for sentence in road)
    # How sure the score is stays on the page; what caps the phase is the first key finding.
    assert result.overall.interval is not None and result.overall.mean_border is not None
    margin = {
        "nl": "Marge 2,52\u20132,88, op de grens van Verzamelen en Analyseren",
        "en": "Margin 2.52\u20132.88, on the border of Collecting and Analysing",
    }
    assert margin[language] in executive
    assert not any(sentence in executive for sentence in why), "the findings say why"
    headings = {"nl": "Belangrijkste bevindingen", "en": "Key findings"}[language]
    assert headings in executive
    assert {"nl": "Wat de organisatie tegenhoudt.", "en": "What holds the organisation back."}[
        language
    ] in executive
    notes = (example_folder / "notes.md").read_text(encoding="utf-8")
    conclusion = " ".join(yaml.safe_load(notes.split("---")[1])["conclusie"].split())
    assert conclusion in executive
    # The action plan's first action per focus dimension is what the board decides on.
    assert "Klantcijfers in de maandrapportage" in executive
    assert contents.startswith({"nl": "Inhoud", "en": "Contents"}[language]), "one page"
    assert title in contents, "listed in the table of contents"


def test_explanation_parts_split_why_road_and_focus(example_folder: Path) -> None:
    result = load_assessment(example_folder).score()
    why, road = explanation_parts(result)
    assert why + road + [s for s in result.explanation if s.startswith("Focuspunt")] == (
        result.explanation
    )
    assert len(road) == 1 and road[0].startswith("De weg naar Analyseren")


def test_a_road_of_several_sentences_stays_whole(example_folder: Path) -> None:
    """A road that names two dimensions and the mean is three sentences, none of them 'why'."""
    result = load_assessment(example_folder).score()
    assert result.overall.road is not None
    condition = result.overall.road.dimensions[0]
    road = result.overall.road.model_copy(
        update={
            "dimensions": [condition, condition.model_copy(update={"dimension": "analyse"})],
            "mean": MeanCondition(score=2.5, threshold=2.6, gap=0.1, after=2.55, remaining=0.05),
        }
    )
    why, own_road = explanation_parts(result)
    sentences = [*why, "weg 1.", "weg 2.", "gemiddelde."]
    changed = result.model_copy(
        update={
            "overall": result.overall.model_copy(update={"road": road}),
            "explanation": sentences + result.explanation[len(why) + len(own_road) :],
        }
    )
    assert explanation_parts(changed) == (why, ["weg 1.", "weg 2.", "gemiddelde."])


@pytest.fixture
def long_example(tmp_path: Path) -> Path:
    """The example with a very long organisation name and the longest conclusion allowed."""
    for name in ("koperwiek-keukens", "koperwiek-keukens-2024", "portfolio"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    folder = tmp_path / "koperwiek-keukens"
    data = yaml.safe_load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    data["organisation"] = (
        "Stichting Samenwerkende Regionale Keukenspecialisten en Montagebedrijven "
        "Noord-Holland, Utrecht en Gelderland"
    )
    write_yaml(folder / "assessment.yaml", data)
    sentence = "Dit is een lange conclusie die de pagina zo vol mogelijk maakt. "
    conclusion = (sentence * 12)[:690] + " EINDE."
    notes = (folder / "notes.md").read_text(encoding="utf-8")
    body = notes.split("---", 2)[2]
    (folder / "notes.md").write_text(
        "---\n" + yaml.safe_dump({"conclusie": conclusion}, allow_unicode=True) + "---" + body,
        encoding="utf-8",
    )
    return folder


def test_the_executive_page_fits_one_page_for_long_names_and_conclusions(
    long_example: Path,
) -> None:
    path = render_report(
        long_example,
        previous=[long_example.parent / "koperwiek-keukens-2024"],
        benchmark=long_example.parent / "portfolio",
    )
    pages = page_texts(path)
    executive = pages[1]
    assert "EINDE." in executive, "the whole conclusion is on the executive page"
    assert "Ontwikkeling en vergelijking." in executive, "the third finding: trend and benchmark"
    assert "Sinds 11 maart 2024 ging de totaalscore van" in executive
    assert "percentielrang" in executive
    assert "Wat de organisatie tegenhoudt." in executive and "Verschil in beleving." in executive
    assert pages[2].startswith("Inhoud"), "the page after it is the table of contents"


def test_the_executive_page_fits_one_page_when_everything_is_at_its_longest(
    long_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The longest name and conclusion, trend and benchmark, plus the longest of the rest.

    A road of three sentences (two capping dimensions and the mean), the longest
    focus reasons, actions at the page's cut of 140 characters with long owners,
    and a quote at the findings' cap.
    """
    original = render_module.executive_context
    reason = localize(
        load_assessment(long_example).questionnaire.content.explanations.focus_nearest, "nl"
    )

    def longest(*args: Any, **kwargs: Any) -> dict[str, Any]:
        context = original(*args, **kwargs)
        road = context["road"][0]
        context["road"] = [
            road,
            road.replace("Sturing, KPI's & erkenning", "Samenwerking over afdelingen"),
            "Ook het gemiddelde over alle dimensies moet de drempel van 2,60 voor Analyseren "
            "halen. Het staat nu op 2,45; wordt alleen de drempel voor Sturing, KPI's & "
            "erkenning en Samenwerking over afdelingen gehaald, dan komt het op 2,55 en moet "
            "het daarnaast nog 0,05 omhoog.",
        ]
        for item in context["focus"]:
            item["point"] = item["point"].model_copy(update={"reason": reason})
        for item in context["decisions"]:
            item["action"] = item["action"].model_copy(
                update={
                    "action": "Lange actie " * 14,
                    "owner": "Hoofd verkoop en hoofd operatie samen, met de controller",
                }
            )
        first = context["findings"][0]
        context["findings"][0] = first.model_copy(
            update={"quote": ("woord " * 40)[: QUOTE_MAX_CHARACTERS - 1] + "."}
        )
        return context

    monkeypatch.setattr(render_module, "executive_context", longest)
    path = render_report(
        long_example,
        previous=[long_example.parent / "koperwiek-keukens-2024"],
        benchmark=long_example.parent / "portfolio",
    )
    pages = page_texts(path)
    assert "EINDE." in pages[1] and "Lange actie" in pages[1]
    assert pages[2].startswith("Inhoud"), "still one page"


def test_brand_on_cover_and_footer_confidential_mark_and_author(
    example_folder: Path, tmp_path: Path
) -> None:
    brand = write_yaml(
        tmp_path / "brand.yaml",
        {
            "name": "Bureau Klantkracht",
            "confidential": "Vertrouwelijk",
            "primary_colour": "#7a1f5c",
        },
    )
    path = render_report(example_folder, output=tmp_path / "b.pdf", brand_file=brand)
    pages = page_texts(path)
    assert "Bureau Klantkracht" in pages[0] and "VERTROUWELIJK" in pages[0]
    for page in pages[1:]:
        assert "Bureau Klantkracht · Vertrouwelijk" in page
    metadata = pypdf.PdfReader(path).metadata
    assert metadata is not None
    assert metadata.author == "Sanne Verbeek, adviseur klantbeleving"


def test_without_an_assessor_or_brand_the_author_is_not_the_tool(tmp_path: Path) -> None:
    from helpers import make_folder

    folder = make_folder(
        tmp_path, [{"lead.1": 3, "listen.1": 2, "act.1": 3}] * 3, organisation="Acme"
    )
    path = render_report(folder, output=tmp_path / "a.pdf", accessible=False)
    metadata = pypdf.PdfReader(path).metadata
    assert metadata is None or metadata.author in (None, "")


def test_the_report_follows_the_four_links(
    documents: dict[str, Path], example_folder: Path
) -> None:
    loaded = load_assessment(example_folder)
    method = loaded.questionnaire.content
    links = [localize(title, "nl") for title in method.links.values()]
    pages = page_texts(documents["report-nl"])
    text = " ".join(pages)
    guide = pages[2]
    assert "Leeswijzer" in guide
    assert "De dimensies zijn geordend in vier schakels" in guide
    for link_id, title in method.links.items():
        members = [localize(d.title, "nl") for d in method.dimensions if d.link == link_id]
        assert f"{localize(title, 'nl')}: {', '.join(members)}" in guide
    profile = next(page for page in pages if page.startswith("Profiel per dimensie"))
    positions = [profile.find(title.upper()) for title in links]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    chapter = text[text.find("De dimensies en hun volgende stap") :]
    positions = [chapter.find(title.upper()) for title in links]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
