"""The charts as a reader sees them: nothing cut off, numbers readable, labels apart."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ElementTree

import pytest

from klantladder.report.charts import (
    HEADER_SIZE,
    MIN_CONTRAST,
    HeatColumn,
    Mark,
    Palette,
    ProfileBar,
    Rung,
    contrast,
    heat_fill,
    heatmap_svg,
    ladder_svg,
    profile_svg,
)
from klantladder.report.context import phase_bands
from klantladder.report.fonts import text_width

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["Negeren", "Verzamelen", "Analyseren", "Samenwerken", "Transformeren"]
BRANDS = ["#1d4e5f", "#7a1f5c", "#e0a526", "#777777", "#000000", "#2a9d8f", "#ffcc00"]


def parse(svg: str) -> tuple[ElementTree.Element, list[float]]:
    root = ElementTree.fromstring(svg)
    box = [float(v) for v in root.attrib["viewBox"].split()]
    return root, box


@pytest.mark.parametrize("current", [1, 3, 5])
@pytest.mark.parametrize("name_size", [13.0, 16.5])
def test_the_ladder_fits_its_box_with_every_rung_and_name(current: int, name_size: float) -> None:
    marks = [Mark(n, 1 + n % 5) for n in range(1, 10)]
    svg = ladder_svg(
        [Rung(i + 1, n) for i, n in enumerate(NAMES)],
        current,
        marks,
        Palette("#1d4e5f", "#e0a526"),
        "U staat hier",
        "ladder",
        name_size,
    )
    root, (x0, y0, width, height) = parse(svg)
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 5
    for rect in rects:
        left, right = float(rect.attrib["x"]), float(rect.attrib["x"]) + float(rect.attrib["width"])
        assert x0 <= left and right <= x0 + width, "no rung is cut off at the edges"
        assert float(rect.attrib["y"]) >= y0
    names = [t for t in root.findall(f"{SVG}text") if t.text in NAMES]
    assert len(names) == 5
    for text in names:
        size = float(text.attrib["font-size"])
        weight = 700 if text.attrib.get("font-weight") == "bold" else 400
        half = text_width(text.text or "", size, weight) / 2
        centre = float(text.attrib["x"])
        assert x0 <= centre - half and centre + half <= x0 + width
        assert float(text.attrib["y"]) <= y0 + height
    on_wall = [float(t.attrib["font-size"]) for t in names]
    assert min(on_wall) >= min(name_size, 12.0), "names only shrink where they would not fit"


@pytest.mark.parametrize("primary", BRANDS)
def test_heatmap_numbers_reach_4_5_to_1_against_their_cell(primary: str) -> None:
    palette = Palette(primary, "#e0a526")
    for step in range(0, 401):
        cell = heat_fill(palette, 1.0 + step / 100)
        assert contrast("#1f2328", cell) >= MIN_CONTRAST, (primary, step, cell)
    svg = heatmap_svg(
        ["Kompas", "Sturing"],
        [HeatColumn("Iedereen", 20, [1.0, 5.0]), HeatColumn("Ja", 12, [3.0, None])],
        palette,
        lambda v: f"{v:.2f}",
        "Direct klantcontact",
        group_label="Direct klantcontact",
    )
    root, _ = parse(svg)
    cells = [r for r in root.findall(f"{SVG}rect")]
    numbers = [
        t for t in root.findall(f"{SVG}text") if t.text and re.fullmatch("[0-9.]+|\u2013", t.text)
    ]
    assert len(cells) == len(numbers) == 4
    for cell, number in zip(cells, numbers, strict=True):
        ratio = contrast(number.attrib.get("fill", "#1f2328"), cell.attrib["fill"])
        assert ratio >= MIN_CONTRAST, (primary, cell.attrib["fill"])


def test_heatmap_headers_never_touch_and_the_question_is_named() -> None:
    labels = [
        "Iedereen",
        "Klantenservice",
        "Verkoop & marketing",
        "Operatie & logistiek",
        "Management of teamleiding",
        "Medewerker",
        "Financiën",
        "Onderzoek-en-ontwikkeling",
    ]
    columns = [HeatColumn(label, 5, [3.0]) for label in labels]
    svg = heatmap_svg(
        ["Kompas"], columns, Palette("#1d4e5f", "#e0a526"), str, "Afdeling", group_label="Afdeling"
    )
    root, _ = parse(svg)
    texts = root.findall(f"{SVG}text")
    assert texts[0].text == "Afdeling", "the question spans the segment columns"
    headers = [t for t in texts if float(t.attrib.get("font-size", 0)) == HEADER_SIZE]
    by_line: dict[float, list[tuple[float, float]]] = {}
    for text in headers:
        half = text_width(text.text or "", HEADER_SIZE, 700) / 2
        centre = float(text.attrib["x"])
        by_line.setdefault(float(text.attrib["y"]), []).append((centre - half, centre + half))
    for spans in by_line.values():
        spans.sort()
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert left - right >= 4, "neighbouring headers keep a gap"
    words = " ".join(t.text or "" for t in headers)
    for label in labels:
        for word in label.split():
            assert word in words


def test_profile_chart_groups_bars_under_their_link() -> None:
    bars = [
        ProfileBar("Kompas & strategie", 2.9, 0.5, "2,90", False, "Kompas"),
        ProfileBar("Sturing", 1.4, 0.3, "1,40", True, "Kompas"),
        ProfileBar("Leiderschap", 2.8, 0.5, "2,80", False, "Klantcultuur en leiderschap"),
    ]
    from klantladder.loading import load_questionnaire

    method = load_questionnaire("intake", "nl").content
    svg = profile_svg(bars, phase_bands(method, "nl"), Palette("#1d4e5f", "#e0a526"), "◆", "x")
    y = {t.text: float(t.attrib["y"]) for t in parse(svg)[0].findall(f"{SVG}text")}
    assert y["KOMPAS"] < y["Kompas & strategie"] < y["Sturing"]
    assert y["Sturing"] < y["KLANTCULTUUR EN LEIDERSCHAP"] < y["Leiderschap"]
