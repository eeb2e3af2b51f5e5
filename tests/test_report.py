"""The report: contents (PDF text), structure (HTML), safety and options."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
import yaml
from helpers import make_folder, write_yaml
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.diagnosis import advice_chapter
from klantladder.errors import OutputExistsError, RenderError
from klantladder.folder import load_assessment
from klantladder.formatting import format_score
from klantladder.report.brand import load_brand
from klantladder.report.charts import MISSING
from klantladder.report.context import profile_label
from klantladder.report.render import ReportSource, html_to_pdf, render_report, report_html

runner = CliRunner()

HOSTILE = (
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/hostname"> '
    "<script>alert(1)</script>"
)
PEOPLE = [
    {
        "lead.1": 4,
        "lead.2": 5,
        "listen.1": 2,
        "act.1": 3,
        "dept": "service",
        "role": "management",
        "blocker": "Too many silos between sales and service.",
    },
    {
        "lead.1": 3,
        "lead.2": 4,
        "listen.1": 2,
        "act.1": 2,
        "dept": "service",
        "role": "staff",
        "blocker": HOSTILE,
    },
    {"lead.1": 3, "lead.2": "unknown", "listen.1": 3, "act.1": 3, "dept": "sales", "role": "staff"},
    {"lead.1": 2, "lead.2": 3, "listen.1": 2, "act.1": 2, "dept": "service", "role": "staff"},
    {"lead.1": 4, "lead.2": 4, "listen.1": 1, "act.1": 3, "dept": "it", "role": "management"},
    {"lead.1": 3, "lead.2": 4, "listen.1": 2, "act.1": 3, "dept": "service", "role": "management"},
]


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("report"), PEOPLE, organisation="Acme & Zonen")


@pytest.fixture(scope="module")
def rendered(folder: Path) -> tuple[bytes, str]:
    """The PDF of one rendering, and its file name."""
    path = render_report(folder)
    return path.read_bytes(), path.name


def test_pdf_names_organisation_phase_dimensions_and_its_phase_tips(
    folder: Path, rendered: tuple[bytes, str]
) -> None:
    data, name = rendered
    assert name == "report-2026-03-01.pdf"
    text, pages = pdf_text(data)
    assert 8 <= pages <= 14
    assert "Acme & Zonen" in text
    result = load_assessment(folder).score()
    phase = result.overall.phase
    assert f"The organisation is in the {phase.name} phase" in text
    for title in ("Leadership", "Listening", "Acting"):
        assert title in text
    assert f"Tip for {phase.id}." in text
    assert f"Building block for {phase.id}." in text
    # Before the action plan (whose proposals take tips from each focus dimension's
    # own phase), the report gives the tips of the organisation's phase only.
    before_plan = text.split("There is no agreed action plan yet.")[0]
    for other in {"ignore", "collect", "analyse", "cooperate", "transform"} - {phase.id}:
        assert f"Tip for {other}." not in before_plan
    assert "Test source" in text
    assert f"2 / {pages}" in text and f"{pages} / {pages}" in text, "page numbers n / total"


def test_hostile_open_answer_is_literal_text_and_nothing_is_fetched(folder: Path) -> None:
    loaded = load_assessment(folder)
    source = report_html(loaded, brand=load_brand(None))
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in source.html
    assert "<script>" not in source.html
    from klantladder.report.fetcher import SafeFetcher

    original_fetch = SafeFetcher.fetch
    fetched: list[str] = []

    def spy(self: SafeFetcher, url: str, headers: dict[str, str] | None = None) -> object:
        fetched.append(url)
        return original_fetch(self, url, headers)

    SafeFetcher.fetch = spy  # type: ignore[method-assign]
    try:
        data = html_to_pdf(source)
    finally:
        SafeFetcher.fetch = original_fetch  # type: ignore[method-assign]
    text, _ = pdf_text(data)
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>alert(1)</script>" in text
    assert not any("/etc/" in url for url in fetched)
    assert all(url.endswith(".ttf") for url in fetched), fetched
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert not reader.attachments


def test_template_override_with_a_foreign_url_fails_clearly(folder: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html").write_text(
        '{% extends "klantladder/report.html" %}'
        '{% block quotes %}<img src="file:///etc/hostname"><img src="https://example.com/x.png">'
        "{% endblock %}",
        encoding="utf-8",
    )
    with pytest.raises(
        RenderError, match=r"asks for file:///etc/hostname: only the packaged assets"
    ):
        render_report(folder, output=tmp_path / "r.pdf", templates=templates)
    assert not (tmp_path / "r.pdf").exists()
    result = runner.invoke(
        app, ["report", str(folder), "-o", str(tmp_path / "r.pdf"), "--templates", str(templates)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the report template asks for file:///etc/hostname")


def test_http_urls_are_refused(tmp_path: Path) -> None:
    from klantladder.report.fetcher import RefusedURLError, SafeFetcher

    fetcher = SafeFetcher([tmp_path])
    (tmp_path / "ok.css").write_text("p {}", encoding="utf-8")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in (
        "https://example.com/a.png",
        "http://127.0.0.1/",
        "ftp://x/y",
        (tmp_path / ".." / "etc.css").as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(RefusedURLError):
            fetcher.fetch(url)


def test_a_user_template_extends_the_original(folder: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html").write_text(
        '{% extends "klantladder/report.html" %}'
        '{% block quotes %}<section class="chapter" id="own"><h1>Our own chapter</h1></section>'
        "{% endblock %}",
        encoding="utf-8",
    )
    path = render_report(folder, output=tmp_path / "r.pdf", templates=templates)
    text, _ = pdf_text(path.read_bytes())
    assert re.search(r"Our own chapter( \.)+ \d+", text), "listed in the table of contents"
    assert "In respondents' own words" not in text


def test_template_mistakes_are_reported(folder: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html").write_text("{% block x %}{{ nonsense.deeper }}", encoding="utf-8")
    with pytest.raises(RenderError, match=r"report\.html:1: template syntax error"):
        render_report(folder, output=tmp_path / "a.pdf", templates=templates)
    (templates / "report.html").write_text("{{ nonsense }}", encoding="utf-8")
    with pytest.raises(RenderError, match="'nonsense' is undefined"):
        render_report(folder, output=tmp_path / "b.pdf", templates=templates)


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.h1: int = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href", "").startswith("#"):  # type: ignore[union-attr]
            self.links.append(str(values["href"])[1:])
        if tag in ("img", "link", "script"):
            self.sources.append(str(values.get("src") or values.get("href")))
        self.h1 += tag == "h1"


def test_html_is_self_contained_and_renders_to_the_same_report(
    folder: Path, tmp_path: Path, rendered: tuple[bytes, str]
) -> None:
    path = render_report(folder, output=tmp_path / "report.html", fmt="html")
    html = path.read_text(encoding="utf-8")
    structure = _Structure()
    structure.feed(html)
    assert structure.lang == "en"
    assert "<title>Customer-centricity — Acme &amp; Zonen</title>" in html
    assert set(structure.links) <= structure.ids, "every table-of-contents link has a target"
    assert {"summary", "profile", "next-step", "focus", "segments", "quotes"} <= structure.ids
    assert structure.h1 >= 9
    assert 'src="file:' not in html and 'url("file:' not in html
    assert "@font-face" in html and "data:font/ttf;base64," in html
    assert structure.sources == []
    again = html_to_pdf(ReportSource(html, ()))
    assert pdf_text(again) == pdf_text(rendered[0])


def test_never_overwrites_without_force(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.pdf"
    target.write_bytes(b"precious")
    with pytest.raises(OutputExistsError):
        render_report(folder, output=target)
    assert target.read_bytes() == b"precious"
    result = runner.invoke(app, ["report", str(folder), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {target}: file exists; use --force to overwrite it\n"
    result = runner.invoke(
        app, ["report", str(folder), "-o", str(target), "--force", "--no-accessible"]
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF")


def test_tagged_pdf_by_default(rendered: tuple[bytes, str]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered[0]))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert (
        reader.metadata is not None
        and reader.metadata.title == "Customer-centricity — Acme & Zonen"
    )


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (120, 40), "#cc3300").save(path)
    return path


def test_brand_logo_colours_and_footer(folder: Path, tmp_path: Path) -> None:
    _png(tmp_path / "logo.png")
    brand = write_yaml(
        tmp_path / "brand.yaml",
        {
            "name": "Bureau Klantkracht",
            "logo": "logo.png",
            "primary_colour": "#7a1f5c",
            "footer": "Vertrouwelijk — alleen voor het MT",
            "assessor": "Eva de Wit",
        },
    )
    out = render_report(folder, output=tmp_path / "b.pdf", brand_file=brand)
    text, _ = pdf_text(out.read_bytes())
    assert "Vertrouwelijk — alleen voor het MT" in text
    reader = pypdf.PdfReader(out)
    assert any(page.images for page in reader.pages[:1])
    html = report_html(load_assessment(folder), brand=load_brand(brand), inline_assets=True).html
    assert "--primary: #7a1f5c" in html
    assert "data:image/png;base64," in html


def test_brand_file_problems_have_places(tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text("name: X\nprimary_colour: red\nlogo: missing.png\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(brand)])
    assert result.exit_code == 1
    assert f"{brand}:2:17: primary_colour: string should match pattern" in result.stderr
    brand.write_text("name: X\nlogo: missing.png\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(brand)])
    assert result.exit_code == 1
    assert result.stderr == f"{brand}:2:7: logo 'missing.png': file not found\n"


def test_assessment_brand_is_used_by_default(folder: Path, tmp_path: Path) -> None:
    copy = make_folder(tmp_path, PEOPLE)
    write_yaml(copy / "brand.yaml", {"name": "Huismerk", "footer": "Huismerk footer"})
    data = yaml.safe_load((copy / "assessment.yaml").read_text(encoding="utf-8"))
    data["brand"] = "brand.yaml"
    write_yaml(copy / "assessment.yaml", data)
    out = render_report(copy)
    assert "Huismerk footer" in pdf_text(out.read_bytes())[0]


def test_unknown_language(folder: Path) -> None:
    result = runner.invoke(app, ["report", str(folder), "--lang", "fr"])
    assert result.exit_code == 1
    assert "'fr'" in result.stderr


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "koperwiek-keukens"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_example_report_in_both_languages(tmp_path: Path, language: str) -> None:
    import shutil

    from klantladder.models.base import localize

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    path = render_report(folder, language=language)
    assert path.name.endswith(".pdf")
    text, pages = pdf_text(path.read_bytes())
    flat = " ".join(text.split())
    loaded = load_assessment(folder, language)
    result = loaded.score()
    method = loaded.questionnaire.content
    assert 12 <= pages <= 24
    assert "Koperwiek Keukens" in flat
    phase = method.phase(result.overall.phase.id)
    assert localize(phase.name, language) in flat
    for dimension in result.dimensions:
        assert dimension.title in flat
    for item in phase.building_blocks:
        assert localize(item.title, language) in flat
    advice = advice_chapter(method, result, language)
    assert [d.dimension for d in advice.dimensions] == ["sturing", "samenwerking"]
    for dimension in advice.dimensions:
        heading = {"nl": "$d: van $a naar $b", "en": "$d: from $a to $b"}[language]
        assert (
            heading.replace("$d", dimension.title)
            .replace("$a", dimension.phase)
            .replace("$b", dimension.next_phase)
        ) in flat
        for item in (*dimension.tips, *dimension.pitfalls):
            assert f"{item.title}. {item.text} [{item.reference}]" in flat
    heading = {"nl": "Waarom deze fase", "en": "Why this phase"}[language]
    assert heading in flat
    assert result.explanation[0] in flat


def test_trend_and_benchmark_chapters(tmp_path: Path) -> None:
    import json
    import shutil

    examples = EXAMPLE.parent
    for name in ("koperwiek-keukens", "koperwiek-keukens-2024", "portfolio"):
        shutil.copytree(examples / name, tmp_path / name)
    path = render_report(
        tmp_path / "koperwiek-keukens",
        previous=[tmp_path / "koperwiek-keukens-2024"],
        benchmark=tmp_path / "portfolio",
    )
    text, _ = pdf_text(path.read_bytes())
    flat = " ".join(text.split())
    assert "Ontwikkeling sinds de vorige meting" in flat
    assert "11 maart 2024" in flat and "14 maart 2025" in flat
    assert "De metingen gebruikten verschillende vragenlijsten" in flat
    assert "Naast andere organisaties" in flat
    assert "Vergeleken met 8 organisaties." in flat
    assert (
        "Met de fase Verzamelen uit deze meting zou Koperwiek Keukens hier (nog) niet bij horen."
        in flat
    )
    for result in (tmp_path / "portfolio").glob("*.json"):
        other = json.loads(result.read_text(encoding="utf-8"))["assessment"]["organisation"]
        assert other not in flat, "no other organisation is ever named"
    plain = render_report(tmp_path / "koperwiek-keukens", output=tmp_path / "plain.pdf")
    plain_text = " ".join(pdf_text(plain.read_bytes())[0].split())
    assert "Ontwikkeling sinds de vorige meting" not in plain_text
    assert "Naast andere organisaties" not in plain_text


class _GapRows(HTMLParser):
    """The rows of the perception-gaps table: their class and cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "table":
            self.inside = values.get("class") == "gaps"
        elif self.inside and tag == "tr":
            self.rows.append((values.get("class") or "", []))
        elif self.inside and tag == "td":
            self.rows[-1][1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.rows and self.rows[-1][1]:
            self.rows[-1][1][-1] += data


@pytest.mark.parametrize("language", ["nl", "en"])
def test_gaps_table_names_the_grouping_and_greys_what_the_uncertainty_covers(
    example_folder: Path, language: str
) -> None:
    loaded = load_assessment(example_folder, language)
    result = loaded.score()
    html = report_html(loaded, brand=load_brand(None)).html
    parser = _GapRows()
    parser.feed(html)
    rows = [(kind, cells) for kind, cells in parser.rows if cells]
    gaps = result.gaps[: len(rows)]
    assert len(rows) == min(8, len(result.gaps)) > 0
    assert any(not gap.meaningful for gap in gaps) and any(gap.meaningful for gap in gaps)
    labels = yaml.safe_load(
        (Path(__file__).parents[1] / "report_templates" / f"labels.{language}.yaml").read_text()
    )
    for (kind, cells), gap in zip(rows, gaps, strict=True):
        cells = [cell.strip() for cell in cells]
        grouping = profile_label(loaded.questionnaire, gap.question, language)
        assert cells[0] == gap.dimension_title
        assert cells[1] == grouping and grouping
        assert (kind == "within") is (not gap.meaningful)
        margin = MISSING if gap.margin is None else format_score(gap.margin, language)
        assert cells[5] == margin
    assert labels["gaps_legend"] in html


def test_previous_refuses_the_assessment_itself_or_a_folder_twice(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "koperwiek-keukens"
    earlier = example.parent / "koperwiek-keukens-2024"
    for given in ([str(example)], [str(earlier), f"{earlier}/"]):
        args = ["report", str(example), "-o", str(tmp_path / "r.pdf")]
        for path in given:
            args += ["--previous", path]
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "given twice: --previous takes earlier assessments, each once" in result.stderr
        assert "Traceback" not in result.output
        assert not (tmp_path / "r.pdf").exists()


def test_a_file_name_that_contradicts_the_format_is_refused(folder: Path, tmp_path: Path) -> None:
    for name, fmt, message in (
        ("r.pdf", "html", "the file name ends in .pdf but the format is html"),
        ("r.html", "pdf", "the file name ends in .html but the format is pdf"),
    ):
        target = tmp_path / name
        result = runner.invoke(app, ["report", str(folder), "--format", fmt, "-o", str(target)])
        assert result.exit_code == 1
        assert message in result.stderr
        assert not target.exists()
