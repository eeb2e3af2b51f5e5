"""Render the report: HTML in one step, the PDF from it in another."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from klantladder.actions import planned_actions
from klantladder.errors import InputError, RenderError
from klantladder.fileio import check_output, write_atomic
from klantladder.folder import AssessmentFolder, load_assessment
from klantladder.limits import MAX_RENDER_SECONDS, time_limit
from klantladder.notes import load_notes
from klantladder.progress import step
from klantladder.report.brand import LoadedBrand, assessment_brand
from klantladder.report.charts import Palette
from klantladder.report.consultant import action_rows
from klantladder.report.contents import fill_contents
from klantladder.report.context import AssetLinks, report_context
from klantladder.report.diagnosis import folder_findings
from klantladder.report.environment import render_template, report_labels, template_environment
from klantladder.report.executive import executive_context
from klantladder.report.fonts import font_folder
from klantladder.report.sections import benchmark_context, trend_context
from klantladder.report.urlpolicy import check_html
from klantladder.report.wording import install_wording
from klantladder.resources import templates_dir

if TYPE_CHECKING:
    from klantladder.models.benchmark import Benchmark
    from klantladder.models.comparison import Comparison

ReportFormat = Literal["pdf", "html"]


@dataclass(frozen=True)
class ReportSource:
    """A report as HTML, with the files the renderer may read for it."""

    html: str
    allowed_files: tuple[Path, ...]


def report_html(
    folder: AssessmentFolder,
    *,
    brand: LoadedBrand,
    templates: Path | None = None,
    inline_assets: bool = False,
    comparison: Comparison | None = None,
    benchmark: Benchmark | None = None,
) -> ReportSource:
    """The report as HTML. With ``inline_assets`` fonts and logo are embedded as data URIs.

    A ``comparison`` (with earlier assessments) adds the trend chapter; a
    ``benchmark`` (against a portfolio) adds percentiles to the benchmark chapter.
    """
    result = folder.score()
    language = result.questionnaire.language
    labels = report_labels(language)
    environment = template_environment(language, templates)
    install_wording(environment, labels)
    context = report_context(folder, result, brand, labels, AssetLinks(inline=inline_assets))
    palette = Palette(brand.brand.primary_colour, brand.brand.secondary_colour)
    method = folder.questionnaire.content
    context["trend"] = (
        trend_context(comparison, method, palette, labels, language) if comparison else None
    )
    context["portfolio"] = benchmark_context(result, benchmark) if benchmark else None
    notes = load_notes(folder.path)
    planned = planned_actions(folder)
    context["notes"] = notes
    context["actions"] = action_rows(planned, result, method, language)
    findings = folder_findings(
        folder,
        result,
        labels,
        quotes=context["quote_selection"],
        comparison=comparison,
        benchmark=benchmark,
    )
    context["executive"] = executive_context(
        result,
        planned=planned,
        conclusion=notes.conclusion if notes else None,
        findings=findings,
        quotes_translated=context["quotes_translated"],
    )
    html = fill_contents(render_template(environment, "report.html", context))
    return ReportSource(html, (brand.logo,) if brand.logo else ())


def html_to_pdf(source: ReportSource, *, accessible: bool = True) -> bytes:
    """Render HTML to PDF with WeasyPrint, reading only allowed assets.

    The HTML is checked first (`klantladder.report.urlpolicy`); the rendering
    stops after `MAX_RENDER_SECONDS`.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from klantladder.report.fetcher import RefusedURLError, SafeFetcher

    folders = [templates_dir()]
    fonts = font_folder()
    if fonts is not None:
        folders.append(fonts)
    base_url = templates_dir().as_uri() + "/"
    fetcher = SafeFetcher(folders, source.allowed_files, base_url)
    check_html(source.html, "pdf", fetcher.check_local)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=source.html, base_url=base_url, url_fetcher=fetcher)
    try:
        with time_limit(
            MAX_RENDER_SECONDS,
            f"the PDF is still being laid out after {MAX_RENDER_SECONDS} seconds; stopped",
        ):
            pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1" if accessible else None)
    except FatalURLFetchingError as error:
        cause = error.__cause__
        if isinstance(cause, RefusedURLError):
            raise RenderError(f"the report template asks for {cause.url}: {cause.reason}") from None
        raise RenderError(f"rendering failed: {cause or error}") from None
    return pdf


def default_output(folder: AssessmentFolder, language: str, fmt: ReportFormat) -> Path:
    """``DIR/report-<assessment date>.pdf``, with the language when it is not the assessment's."""
    suffix = "" if language == folder.assessment.language else f"-{language}"
    return folder.path / f"report-{folder.assessment.date.isoformat()}{suffix}.{fmt}"


def render_report(
    folder_path: Path,
    *,
    output: Path | None = None,
    fmt: ReportFormat = "pdf",
    language: str | None = None,
    brand_file: Path | None = None,
    templates: Path | None = None,
    force: bool = False,
    accessible: bool = True,
    previous: Sequence[Path] = (),
    benchmark: Path | None = None,
) -> Path:
    """Render the report of an assessment folder to a PDF or a self-contained HTML file.

    ``previous`` assessment folders add a trend chapter (like-for-like changes);
    ``benchmark``, a folder of results from ``klantladder score --json``, adds
    percentile ranks. Never overwrites an existing file unless ``force``;
    writes atomically.
    """
    if output is not None:
        check_output(output, force=force)
        other = {"pdf": ".html", "html": ".pdf"}[fmt]
        if output.suffix.lower() in (other, ".htm" if fmt == "pdf" else other):
            raise InputError.single(
                output,
                f"the file name ends in {output.suffix} but the format is {fmt}; "
                f"name it .{fmt}, or give --format {other[1:]}",
            )
    source, target = _report_source(
        folder_path,
        output=output,
        fmt=fmt,
        language=language,
        brand_file=brand_file,
        templates=templates,
        force=force,
        previous=previous,
        benchmark=benchmark,
    )
    # The folder's responses are gone by now: WeasyPrint lays the report out in
    # the memory they held (most of the peak at 100,000 respondents).
    if fmt == "html":
        check_html(source.html, "html")
        data: bytes | str = source.html
    else:
        with step("rendering the PDF"):
            data = html_to_pdf(source, accessible=accessible)
    write_atomic(target, data, force=force)
    return target


def _report_source(
    folder_path: Path,
    *,
    output: Path | None,
    fmt: ReportFormat,
    language: str | None,
    brand_file: Path | None,
    templates: Path | None,
    force: bool,
    previous: Sequence[Path],
    benchmark: Path | None,
) -> tuple[ReportSource, Path]:
    """The report's HTML and where it goes, from an assessment folder loaded only for it."""
    folder = load_assessment(folder_path, language)
    target = output or default_output(folder, folder.language, fmt)
    check_output(target, force=force)
    brand = assessment_brand(folder_path, brand_file, folder.assessment.brand)
    comparison = None
    if previous:
        from klantladder.overtime.compare import compare_assessments

        seen = {folder_path.resolve()}
        for path in previous:
            if path.resolve() in seen:
                raise InputError.single(
                    path,
                    "given twice: --previous takes earlier assessments, each once, "
                    "not the assessment itself",
                )
            seen.add(path.resolve())
        earlier = [load_assessment(path, folder.language) for path in previous]
        comparison = compare_assessments([*earlier, folder], folder.language)
    ranks = None
    if benchmark is not None:
        from klantladder.overtime.portfolio import benchmark as portfolio_benchmark

        ranks = portfolio_benchmark(folder.score(), benchmark)
    with step("writing the report"):
        source = report_html(
            folder,
            brand=brand,
            templates=templates,
            inline_assets=fmt == "html",
            comparison=comparison,
            benchmark=ranks,
        )
    return source, target
