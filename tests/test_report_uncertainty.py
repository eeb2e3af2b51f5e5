"""The report shows margins, borders, significance, reliability and suppression (HTML)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from klantladder.folder import load_assessment
from klantladder.formatting import format_score
from klantladder.overtime.compare import compare_assessments
from klantladder.report.brand import load_brand
from klantladder.report.render import report_html

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def section(html: str, chapter: str) -> str:
    """The text of one chapter (``section.chapter`` with this id), tags removed."""
    match = re.search(rf'<section class="chapter[^"]*" id="{chapter}">(.*?)</section>', html, re.S)
    assert match, chapter
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


@pytest.fixture(scope="module")
def html() -> str:
    folder = load_assessment(EXAMPLES / "koperwiek-keukens")
    earlier = load_assessment(EXAMPLES / "koperwiek-keukens-2024", "nl")
    comparison = compare_assessments([earlier, folder], "nl")
    return report_html(folder, brand=load_brand(None), comparison=comparison).html


def test_summary_gives_the_margin_and_the_borders(html: str) -> None:
    result = load_assessment(EXAMPLES / "koperwiek-keukens").score()
    summary = section(html, "summary")
    span = result.overall.interval
    assert span is not None
    assert f"marge {format_score(span.low, 'nl')}\u2013{format_score(span.high, 'nl')}" in summary
    for sentence in result.explanation:
        assert sentence in summary
    for dimension in result.dimensions:
        if dimension.border is not None:
            assert f"{dimension.title} — {dimension.border.text}" in summary
        else:
            assert dimension.phase is not None
            assert f"{dimension.title} — {dimension.phase.name}" in summary


def test_profile_table_gives_margins_and_a_border_instead_of_a_phase(html: str) -> None:
    profile = section(html, "profile")
    assert "Marge" in profile
    assert "2,59 2,25\u20132,93 op de grens van Verzamelen en Analyseren" in profile
    assert "1,47 1,31\u20131,63 Negeren" in profile
    assert "Totaalscore 2,70 2,52\u20132,88 Verzamelen" in profile
    assert "95%-interval over de respondenten" in profile


def test_trend_labels_changes_within_the_measurement_uncertainty(html: str) -> None:
    trend = section(html, "trend")
    comparison_rows = trend.split("Eigen score en fase per meting")[1]
    # eight dimensions and the overall score; Analyse & inzicht changed more (+0,80)
    assert comparison_rows.count("binnen de meetonzekerheid") == 9
    assert "+0,80 *" in comparison_rows and "+0,80 *, binnen" not in comparison_rows
    assert "is groter dan de meetonzekerheid van beide metingen samen" in trend
    assert "\u22120,01 *, binnen de meetonzekerheid" in comparison_rows  # Sturing, n = 15 vs 24
    chart = re.search(r'<figure class="chart trend">(.*?)</figure>', html, re.S)
    assert chart and chart.group(1).count("binnen de meetonzekerheid") >= 9


def test_method_appendix_explains_the_rules_and_flags_reliability(html: str) -> None:
    appendix = section(html, "appendix-method")
    assert "hoogstens één fase hoger dan haar zwakste dimensie" in appendix
    assert "95%-betrouwbaarheidsinterval" in appendix
    assert "op de grens van twee fasen" in appendix
    assert "√(m₁² + m₂²)" in appendix
    assert "ook de kleinste andere groep weg" in appendix
    assert "Cronbachs \u03b1" in appendix
    result = load_assessment(EXAMPLES / "koperwiek-keukens").score()
    for item in result.reliability:
        assert item.title in appendix
    assert "(laag)" in appendix
    assert "Wat gebeurt er met verzamelde feedback voordat er actie volgt? (0,12)" in appendix


def test_no_count_of_a_hidden_group_anywhere(html: str) -> None:
    answers = section(html, "appendix-answers")
    assert "< 3" not in answers
    assert "Financiën niet apart getoond" in answers
    assert "Anders niet apart getoond" in answers
    # nobody chose HR, but beside hidden groups a 0 would tell how many share the rest
    assert "HR 0" not in answers and "HR niet apart getoond" in answers
    segments = section(html, "segments")
    assert "Financiën" not in segments and "Anders" not in segments
    assert "Eén groep met minder dan drie respondenten is niet apart getoond." in segments
    assert "Eén groep is daarnaast weggelaten, zodat een kleine groep niet uit de andere" in (
        segments
    )
