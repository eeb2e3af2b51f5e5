"""The hostile corpus: every case runs the real CLI in a child process.

Each case runs under a memory limit (1 GiB address space) and a time limit
(20 s) and must end with the expected exit code and message, without a
traceback, and (when refused) without writing anything. The committed part of
the corpus is ``tests/fixtures/hostile/``; the large and binary part is
written by ``tests/hostile_corpus.py`` once per test session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import make_folder, write_yaml
from hostile_corpus import COMMITTED, generate
from isolation import run_cli

Build = Callable[[Path, Path], list[str]]
# The answers of three respondents to the mini questionnaire.
ANSWERS = [
    {"lead.1": 4, "lead.2": 5, "listen.1": 2, "act.1": 3, "dept": "service"},
    {"lead.1": 3, "lead.2": 4, "listen.1": 3, "act.1": 2, "dept": "sales"},
    {"lead.1": 2, "lead.2": 3, "listen.1": 2, "act.1": 3, "dept": "service"},
]


@dataclass(frozen=True)
class Case:
    """One hostile input: how to run it, and what must come out."""

    id: str
    build: Build  # (work folder, generated corpus) -> CLI arguments
    message: str  # a regular expression the output must contain
    code: int = 1
    patches: dict[str, object] = field(default_factory=dict)


def hostile(name: str) -> Path:
    return COMMITTED / name


def assessment(work: Path) -> Path:
    return make_folder(work, ANSWERS)


def validate(name: str, *, generated: bool = False) -> Build:
    return lambda work, gen: ["validate", str((gen if generated else COMMITTED) / name)]


def report_with_templates(name: str, fmt: str = "html", *, generated: bool = False) -> Build:
    def build(work: Path, gen: Path) -> list[str]:
        templates = (gen if generated else COMMITTED) / "templates" / name
        out = work / f"out.{fmt}"
        folder = assessment(work)
        return [
            "report",
            str(folder),
            "--templates",
            str(templates),
            "--format",
            fmt,
            "-o",
            str(out),
        ]

    return build


def report_with_portfolio(name: str, *, generated: bool = False, hidden: bool = False) -> Build:
    def build(work: Path, gen: Path) -> list[str]:
        portfolio = work / "portfolio"
        portfolio.mkdir()
        source = (gen if generated else COMMITTED) / "json" / name
        shutil.copy(source, portfolio / (f".{name}" if hidden else name))
        folder = assessment(work)
        out = str(work / "out.html")
        return ["report", str(folder), "--benchmark", str(portfolio), "--format", "html", "-o", out]

    return build


def brand_with_logo(name: str, *, generated: bool = False, logo: str | None = None) -> Build:
    def build(work: Path, gen: Path) -> list[str]:
        brand = work / "brand"
        brand.mkdir()
        shutil.copy((gen if generated else COMMITTED) / "logos" / name, brand / name)
        write_yaml(brand / "brand.yaml", {"name": "Hostile", "logo": logo or name})
        return ["validate", str(brand / "brand.yaml")]

    return build


def logo_outside(kind: str) -> Build:
    def build(work: Path, gen: Path) -> list[str]:
        brand = work / "brand"
        brand.mkdir()
        outside = work / "elsewhere.png"
        shutil.copy(gen / "logos" / "jpeg-named.png", outside)  # any file: it is never read
        if kind == "symlink":
            (brand / "logo.png").symlink_to(outside)
            logo = "logo.png"
        else:
            logo = str(outside) if kind == "absolute" else "../elsewhere.png"
        write_yaml(brand / "brand.yaml", {"name": "Hostile", "logo": logo})
        folder, out = str(assessment(work)), str(work / "out.pdf")
        return ["report", folder, "--brand", str(brand / "brand.yaml"), "-o", out]

    return build


def assessment_brand_outside(work: Path, gen: Path) -> list[str]:
    write_yaml(work / "shared-brand.yaml", {"name": "Elsewhere"})
    folder = assessment(work)
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text + "brand: ../shared-brand.yaml\n", "utf-8")
    return ["report", str(folder), "-o", str(work / "out.pdf")]


def assessment_brand_huge_logo(work: Path, gen: Path) -> list[str]:
    folder = assessment(work)
    shutil.copy(gen / "logos" / "huge.png", folder / "logo.png")
    write_yaml(folder / "brand.yaml", {"name": "Huismerk", "logo": "logo.png"})
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text + "brand: brand.yaml\n", "utf-8")
    return ["validate", str(folder)]


def template_symlink_out(work: Path, gen: Path) -> list[str]:
    templates = work / "templates"
    templates.mkdir()
    (templates / "report.html").symlink_to("/etc/hostname")
    folder, out = str(assessment(work)), str(work / "out.html")
    return ["report", folder, "--templates", str(templates), "--format", "html", "-o", out]


def fifo(work: Path, gen: Path) -> list[str]:
    os.mkfifo(work / "fifo.yaml")
    return ["validate", str(work / "fifo.yaml")]


def questionnaire_file_device(work: Path, gen: Path) -> list[str]:
    folder = assessment(work)
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    text = re.sub(r"file: .*", "file: /dev/zero", text)
    (folder / "assessment.yaml").write_text(text, encoding="utf-8")
    return ["validate", str(folder)]


def newer_version_response(work: Path, gen: Path) -> list[str]:
    folder = assessment(work)
    write_yaml(
        folder / "responses" / "r999.yaml",
        {"respondent": "r999", "questionnaire": {"id": "mini", "version": 7}, "answers": {}},
    )
    return ["validate", str(folder)]


def output_is_folder(work: Path, gen: Path) -> list[str]:
    (work / "out").mkdir()
    return ["report", str(assessment(work)), "-o", str(work / "out")]


def init_with(*options: str) -> Build:
    return lambda work, gen: ["init", str(work / "new"), "--lang", "en", *options]


def folder_named_like_an_id(work: Path, gen: Path) -> list[str]:
    (work / "intake").mkdir()
    return ["init", "fresh", "--organisation", "Cwd BV", "--lang", "en"]


def terminal(command: str) -> Build:
    def build(work: Path, gen: Path) -> list[str]:
        root = gen / "terminal"
        if command == "score":
            return ["score", str(root / "acme-2024")]
        return ["compare", str(root / "acme-2024"), str(root / "acme-2025")]

    return build


def forged_line(work: Path, gen: Path) -> list[str]:
    return ["validate", str(work / "missing\nok: forged.yaml")]


LIMIT = r"refused \(see 'Limits' in the README\)"
CASES = [
    # YAML: expansion and nesting bombs refused before anything is built
    Case("yaml-merge-bomb", validate("yaml/merge-bomb.yaml"), r":\d+:\d+: the document grows past"),
    Case("yaml-alias-bomb", validate("yaml/alias-bomb.yaml"), r":\d+:\d+: the document grows past"),
    Case("yaml-deep-flow", validate("yaml/deep-flow.yaml", generated=True), r":1:\d+: nested more"),
    Case(
        "yaml-deep-flow-mapping",
        validate("yaml/deep-flow-mapping.yaml", generated=True),
        r":1:\d+: nested more than 64 levels",
    ),
    Case("yaml-deep-block", validate("yaml/deep-block.yaml", generated=True), "nested more than"),
    Case("yaml-deep-indent", validate("yaml/deep-indent.yaml", generated=True), "nested more than"),
    Case("yaml-self-alias", validate("yaml/self-alias.yaml"), r":2:\d+: alias \*loop lies inside"),
    Case("yaml-undefined-alias", validate("yaml/undefined-alias.yaml"), "names no anchor"),
    Case("yaml-python-tag", validate("yaml/python-tag.yaml"), r":1:5: refused: tag"),
    Case("yaml-two-documents", validate("yaml/two-documents.yaml"), "a single document"),
    Case("yaml-long-number", validate("yaml/long-number.yaml"), r":2:10: a number too long"),
    Case("yaml-too-big", validate("yaml/too-big.yaml", generated=True), "at most 5.0 MiB"),
    Case("yaml-nul-byte", validate("yaml/nul-byte.yaml", generated=True), r":1:6: character #x0"),
    Case("yaml-latin1", validate("yaml/latin1.yaml", generated=True), "not UTF-8 text"),
    Case("yaml-impossible-date", validate("yaml/impossible-date"), r":2:7: '2025-02-30' is not a"),
    Case("yaml-month-13", validate("yaml/month-13"), "'2025-13-01' is not a real date"),
    Case("yaml-year-0", validate("yaml/year-0"), "'0000-01-01' is not a real date"),
    Case("yaml-started-date", validate("yaml/started-date.yaml"), r":3:10: .* is not a real date"),
    Case("device", lambda work, gen: ["validate", "/dev/zero"], "is not a regular file"),
    Case("fifo", fifo, "is not a regular file"),
    Case("questionnaire-file-device", questionnaire_file_device, "/dev/zero: is not a regular"),
    Case("import-device", lambda w, g: ["import", str(assessment(w)), "/dev/zero"], "not a reg"),
    # JSON results in a --benchmark folder
    Case("json-deep", report_with_portfolio("deep.json", generated=True), r":1:65: nested more"),
    Case("json-long-number", report_with_portfolio("long-number.json"), "a number too long"),
    Case("json-latin1", report_with_portfolio("latin1.json", generated=True), "not UTF-8"),
    Case(
        "json-brackets-in-strings",
        report_with_portfolio("deep-in-strings.json", generated=True),
        "not a klantladder score result",
    ),
    Case("json-hidden", report_with_portfolio("not-a-result.json", hidden=True), "a hidden file"),
    # Templates: the sandbox, the confined loader, recursion, size and time
    Case("template-run-code", report_with_templates("run-code"), r"report.html:1: .*unsafe"),
    Case("template-include-absolute", report_with_templates("include-absolute"), "is absolute"),
    Case("template-include-parent", report_with_templates("include-parent"), "etc/passwd"),
    Case("template-recursive-macro", report_with_templates("recursive-macro"), "calls itself"),
    Case("template-self-include", report_with_templates("self-include"), "includes or extends"),
    Case("template-self-extends", report_with_templates("self-extends"), "includes or extends"),
    Case("template-mutual-include", report_with_templates("mutual"), "includes or extends"),
    Case("template-repeat", report_with_templates("repeat"), "1,000,000,000 items or characters"),
    Case(
        "template-center", report_with_templates("center"), "center with a width of 1,000,000,000"
    ),
    Case("template-printf", report_with_templates("printf"), "a printf field wider"),
    Case("template-format", report_with_templates("format"), "a format field wider"),
    Case("template-power", report_with_templates("power"), "a number too large to compute"),
    Case("template-replace", report_with_templates("replace"), "a text of 100,000,001 characters"),
    Case("template-big-range", report_with_templates("big-range"), "Range too big"),
    Case("template-lipsum", report_with_templates("lipsum"), "'lipsum' is undefined"),
    Case("template-divide-by-zero", report_with_templates("divide-by-zero"), "ZeroDivisionError"),
    Case(
        "template-endless-loop",
        report_with_templates("endless-loop"),
        "still rendering after 1 seconds; stopped",
        patches={"klantladder.report.environment.MAX_TEMPLATE_SECONDS": 1},
    ),
    Case("template-nesting", report_with_templates("too-many-blocks"), "too deeply to compile"),
    Case(
        "template-deep-parens",
        report_with_templates("deep-parens", generated=True),
        "nested too deeply to read",
    ),
    Case(
        "template-latin1",
        report_with_templates("latin1", generated=True),
        r"report.html: not UTF-8 text \(byte 6\)",
    ),
    Case("template-too-big", report_with_templates("too-big", generated=True), "at most 1.0 MiB"),
    Case("template-symlink-out", template_symlink_out, "leads outside"),
    # The same URL policy in the HTML and the PDF
    Case("html-http-image", report_with_templates("http-image"), "asks for http://example.com/"),
    Case(
        "pdf-http-image",
        report_with_templates("http-image", "pdf"),
        "asks for http://example.com/track.png: the report renderer does not fetch http",
    ),
    Case("html-file-image", report_with_templates("file-image"), "asks for file:///etc/passwd"),
    Case(
        "pdf-file-image",
        report_with_templates("file-image", "pdf"),
        "asks for file:///etc/passwd: only the packaged assets",
    ),
    Case("html-css-import", report_with_templates("css-import"), "asks for https://example.com/x"),
    Case("pdf-css-background", report_with_templates("css-background", "pdf"), "example.com/b"),
    Case("html-srcset", report_with_templates("srcset"), "asks for https://example.com/a.png"),
    Case("pdf-attachment", report_with_templates("attachment", "pdf"), "asks for file:///etc"),
    Case("html-svg-image", report_with_templates("svg-image"), "asks for https://example.com/x"),
    Case("pdf-inline-use-bomb", report_with_templates("inline-use-bomb", "pdf"), "inline <svg>"),
    # Logos: kind, pixels, SVG complexity, confinement
    Case("logo-huge-png", brand_with_logo("huge.png", generated=True), "12,000 x 12,000 pixels"),
    Case("logo-html-named-png", brand_with_logo("html-named.png"), "not a PNG, JPEG or SVG"),
    Case("logo-empty-jpg", brand_with_logo("empty.jpg"), "the image file is empty"),
    Case("logo-malformed-svg", brand_with_logo("malformed.svg"), "a malformed SVG"),
    Case("logo-use-bomb", brand_with_logo("use-bomb.svg"), "more than 10,000 elements once"),
    Case("logo-external-svg", brand_with_logo("external.svg"), "refers to 'file:///etc/passwd'"),
    Case("logo-entity-svg", brand_with_logo("entity.svg"), "declares entities"),
    Case("logo-cycle-svg", brand_with_logo("cycle.svg"), "more than 10,000 elements once"),
    Case("logo-not-svg", brand_with_logo("not-svg.svg"), "not an SVG image"),
    Case("logo-truncated", brand_with_logo("truncated.png", generated=True), "a damaged PNG"),
    Case("logo-misnamed", brand_with_logo("jpeg-named.png", generated=True), "but it is a JPEG"),
    Case("logo-absolute", logo_outside("absolute"), "must lie in the brand file's folder"),
    Case("logo-parent", logo_outside("parent"), "must lie in the brand file's folder"),
    Case("logo-symlink", logo_outside("symlink"), "must lie in the brand file's folder"),
    Case("brand-outside", assessment_brand_outside, "lies outside the assessment folder"),
    Case("validate-folder-brand", assessment_brand_huge_logo, r"brand.yaml:2:7: logo 'logo.png'"),
    # Output, options, versions, ids
    Case("output-is-folder", output_is_folder, r"out: is a folder; give the name of a file"),
    Case("init-long-organisation", init_with("--organisation", "x" * 201), "--organisation: "),
    Case("init-empty-sector", init_with("--organisation", "X", "--sector", ""), "--sector: "),
    Case(
        "interview-long-respondent",
        lambda work, gen: ["interview", str(assessment(work)), "--respondent", "r" * 250],
        "--respondent: a name of 250 characters",
    ),
    Case("response-other-version", newer_version_response, "answers version 7 of 'mini'"),
    Case("folder-named-intake", folder_named_like_an_id, r"created fresh/assessment.yaml", code=0),
    # Terminal injection: shown, never obeyed
    Case("forged-ok-line", forged_line, r"missing\\nok: forged.yaml: file not found"),
    Case("terminal-score", terminal("score"), r"ACME \[/bold\] \\x1b\[2J\\x1b\]0;owned", code=0),
    Case("terminal-compare", terminal("compare"), r"\[/\]\\x1b\]0;pwned\\x07", code=0),
]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated corpus; also imports what the commands import, so each child starts warm."""
    import importlib

    for module in WARM:
        importlib.import_module(module)
    return generate(tmp_path_factory.mktemp("hostile"))


# Imported once in the test process before the children fork from it.
WARM = (
    "klantladder.checking",
    "klantladder.overtime.compare",
    "klantladder.overtime.portfolio",
    "klantladder.report.render",
    "klantladder.report.fetcher",
    "klantladder.report.urlpolicy",
    "klantladder.importing",
    "PIL.PngImagePlugin",
    "PIL.JpegImagePlugin",
    "tinycss2",
    "rich.console",
    "rich.table",
    "weasyprint",
)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every entry under ``root`` with its size and modification time."""
    found = {}
    for path in sorted(root.rglob("*")):
        status = path.lstat()
        found[str(path.relative_to(root))] = (status.st_size, status.st_mtime_ns)
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path, generated: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    args = case.build(work, generated)
    before = snapshot(work)
    outcome = run_cli(args, cwd=work, patches=case.patches)
    assert not outcome.timed_out, f"{case.id}: still running after 20 s"
    assert outcome.signal is None, f"{case.id}: ended by signal {outcome.signal}"
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.code == case.code, (outcome.code, outcome.stdout, outcome.stderr)
    output = outcome.stderr if case.code else outcome.stdout
    assert re.search(case.message, output), (case.message, output)
    assert "\x1b" not in outcome.stdout + outcome.stderr
    if case.code:
        assert snapshot(work) == before, "a refused command wrote something"


def test_the_console_script_survives_the_deepest_file(generated: Path, tmp_path: Path) -> None:
    """Outside the fork: the installed entry point, a fresh interpreter, the same limits."""
    import resource

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    result = subprocess.run(
        [sys.executable, "-m", "klantladder", "validate", str(generated / "yaml/deep-flow.yaml")],
        capture_output=True,
        text=True,
        timeout=20,
        preexec_fn=limits,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "nested more than 64 levels deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_committed_file_is_a_case() -> None:
    """No dead fixtures: each committed hostile file is named by some case."""
    named = {
        cell.cell_contents
        for case in CASES
        for cell in case.build.__closure__ or ()
        if isinstance(cell.cell_contents, str)
    }
    for path in COMMITTED.rglob("*"):
        if path.is_file() and path.name != "README.md":
            relative = path.relative_to(COMMITTED)
            candidates = {str(relative), str(relative.parent), path.name, relative.parent.name}
            assert candidates & named, f"{relative} is not used by any case"
