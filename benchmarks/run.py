"""Measure what users feel: start-up, scoring at scale, report rendering, memory, large folders.

Run from the repository root with the project installed (the import line
checks every row of an export, as ``import --dry-run`` does):

    python benchmarks/run.py [ASSESSMENT_FOLDER] [--repeat N]
    python benchmarks/run.py --scale 1000,10000 [--large]   # the path of a large organisation

The first prints a table of start-up, in-memory scoring and the report. The
second generates, with a fixed seed, a CSV and an XLSX export of N synthetic
respondents of the intake (profile answers, don't-knows, open answers of
realistic length) and times every command a user runs on them: import (CSV
and XLSX), score, validate and report (with its page count and peak memory),
next to the report of the bundled 24-respondent example; ``--large`` adds
100,000 respondents. Times are wall-clock medians over repeated runs; nothing
here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world") -> None:
    print(name)
@app.command()
def bye() -> None:
    pass
app()
"""


def run_child(command: list[str]) -> tuple[float, int]:
    """Run a command; return its wall time in seconds and peak memory in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        message = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed: {message}")
    return elapsed, usage.ru_maxrss // 1024


def median_children(commands: list[list[str]], repeat: int) -> list[tuple[float, int]]:
    """Median time and peak memory of each command, the commands run in turn.

    Interleaving the runs spreads the machine's background noise fairly over
    the commands that are compared.
    """
    runs: list[list[tuple[float, int]]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, command in enumerate(commands):
            runs[index].append(run_child(command))
    return [(statistics.median(t for t, _ in items), max(m for _, m in items)) for items in runs]


def median_call(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def klantladder_command() -> list[str]:
    script = Path(sys.executable).parent / "klantladder"
    return [str(script)] if script.exists() else [sys.executable, "-m", "klantladder"]


def bench_help(repeat: int) -> list[tuple[str, str]]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as hello:
        hello.write(HELLO)
    (ours, _), (bare, _) = median_children(
        [[*klantladder_command(), "--help"], [sys.executable, hello.name, "--help"]], repeat
    )
    os.unlink(hello.name)
    return [
        ("klantladder --help", f"{ours * 1000:.0f} ms"),
        ("bare Typer hello-world --help", f"{bare * 1000:.0f} ms"),
        ("  ratio", f"{ours / bare:.2f}"),
    ]


def bench_scoring(count: int, repeat: int) -> list[tuple[str, str]]:
    from klantladder.loading import load_questionnaire
    from klantladder.models.assessment import UNKNOWN, QuestionnaireRef, Response
    from klantladder.scoring import score

    questionnaire = load_questionnaire("intake", "nl")
    generator = random.Random(7)
    reference = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    responses = []
    for index in range(count):
        answers: dict[str, int | str | list[str]] = {}
        for question in questionnaire.scored_questions:
            answers[question.id] = UNKNOWN if generator.random() < 0.05 else generator.randint(1, 5)
        for profile in questionnaire.profile_questions:
            answers[profile.id] = generator.choice(profile.options).id
        responses.append(Response(respondent=f"r{index}", questionnaire=reference, answers=answers))
    elapsed = median_call(lambda: score(questionnaire, responses), repeat)
    return [(f"score {count:,} respondents of the intake", f"{elapsed * 1000:.0f} ms")]


def bench_import(count: int, repeat: int) -> list[tuple[str, str]]:
    """Check every row of a Qualtrics export of the intake, as ``import --dry-run`` does."""
    import csv
    import json

    from klantladder.folder import init_assessment
    from klantladder.importing import import_export
    from klantladder.loading import load_questionnaire
    from klantladder.models.questionnaire import OpenQuestion, ProfileQuestion

    questionnaire = load_questionnaire("intake", "nl")
    generator = random.Random(11)
    meta = ["StartDate", "EndDate", "Status", "Finished", "ResponseId", "DistributionChannel"]
    import_ids = ["startDate", "endDate", "status", "finished", "_recordId", "distributionChannel"]
    ids = [question.id for question in questionnaire.questions]
    rows = [meta + ids, meta + ids, [json.dumps({"ImportId": i}) for i in import_ids + ids]]
    for index in range(count):
        answers = []
        for question in questionnaire.questions:
            if isinstance(question, ProfileQuestion):
                answers.append(str(generator.randint(1, len(question.options))))
            elif isinstance(question, OpenQuestion):
                answers.append(generator.choice(["", "Meer tijd voor de klant", "Minder silo's"]))
            else:
                answers.append(str(generator.randint(1, 6)))
        when = f"2026-03-{1 + index % 28:02d} {index % 24:02d}:{index % 60:02d}:00"
        rows.append([when, when, "IP Address", "True", f"R_{index:012d}", "anonymous", *answers])
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "assessment"
        init_assessment(folder, organisation="Bench", questionnaire_id="intake", language="nl")
        export = Path(scratch) / "qualtrics.csv"
        with export.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        elapsed = median_call(lambda: import_export(folder, export, dry_run=True), repeat)
    return [(f"import --dry-run, {count:,} Qualtrics rows of the intake", f"{elapsed:.2f} s")]


def bench_report(folder: Path, repeat: int) -> list[tuple[str, str]]:
    from klantladder.folder import load_assessment
    from klantladder.report.brand import load_brand
    from klantladder.report.render import report_html
    from klantladder.resources import templates_dir

    with tempfile.TemporaryDirectory() as scratch:
        html = Path(scratch) / "report.html"
        html.write_text(
            report_html(load_assessment(folder), brand=load_brand(None)).html, encoding="utf-8"
        )
        alone = (
            "import sys, weasyprint; "
            f"weasyprint.HTML(filename=sys.argv[1], base_url={templates_dir().as_uri() + '/'!r})"
            ".write_pdf(sys.argv[2], pdf_variant='pdf/ua-1')"
        )
        ours_command = [
            *klantladder_command(),
            "report",
            str(folder),
            "-o",
            str(Path(scratch) / "ours.pdf"),
            "--force",
        ]
        alone_command = [sys.executable, "-c", alone, str(html), str(Path(scratch) / "alone.pdf")]
        (ours, memory), (weasy, weasy_memory) = median_children(
            [ours_command, alone_command], repeat
        )
    return [
        ("klantladder report (whole command)", f"{ours:.2f} s"),
        ("WeasyPrint alone, same HTML", f"{weasy:.2f} s"),
        ("  ratio", f"{ours / weasy:.2f}"),
        ("peak memory, report process", f"{memory} MiB"),
        ("peak memory, WeasyPrint alone", f"{weasy_memory} MiB"),
    ]


OPEN_PARTS = [
    "Eerlijk gezegd merken we weinig van de klantvisie op de werkvloer.",
    "Elke afdeling heeft haar eigen doelen, en die botsen vaak met wat de klant wil.",
    "Het duurt te lang voordat een verbetering echt bij de klant landt.",
    "Vorige maand belde een klant drie keer over dezelfde levering; niemand voelde zich eigenaar.",
    "We meten veel, maar bespreken de uitkomsten zelden samen.",
    "Mijn team krijgt ruimte om een klant zelf te helpen, en dat werkt goed.",
    "Ik zou elke klant een week na de montage persoonlijk willen bellen.",
    "De directie praat over de klant, maar de KPI's gaan over omzet en doorlooptijd.",
    "Klachten worden opgelost, maar de oorzaak blijft liggen.",
    "Meer tijd om samen met andere afdelingen naar klantreizen te kijken.",
]


def synthetic_rows(count: int, seed: int = 20260314) -> tuple[list[str], list[list[object]]]:
    """Header and rows of a plain CSV export of ``count`` intake respondents (fixed seed)."""
    from klantladder.loading import load_questionnaire
    from klantladder.models.base import localize
    from klantladder.models.questionnaire import OpenQuestion, ProfileQuestion
    from klantladder.routing import not_asked, routes

    questionnaire = load_questionnaire("intake", "nl")
    rng = random.Random(seed)
    header = ["respondent", "started", "completed", *(q.id for q in questionnaire.questions)]
    rows: list[list[object]] = []
    # Departments of uneven size, the largest first where the intake lists them.
    sizes = [4, 30, 20, 25, 8, 6, 3, 2, 2]
    weights = {"afdeling": sizes}
    compiled = routes(questionnaire)
    for number in range(1, count + 1):
        tilt = rng.gauss(0, 0.6)
        minute = number % 600
        row: list[object] = [
            f"b{number:06d}",
            f"2026-03-{1 + number % 20:02d}T09:{minute // 60:02d}:{minute % 60:02d}",
            f"2026-03-{1 + number % 20:02d}T10:{minute // 60:02d}:{minute % 60:02d}",
        ]
        given: dict[str, object] = {}
        for question in questionnaire.questions:
            if isinstance(question, ProfileQuestion):
                options = question.options
                weight = weights.get(question.id, [])[: len(options)]
                weight += [1] * (len(options) - len(weight))
                chosen = rng.choices(options, weight)[0]
                given[question.id] = chosen.id
                row.append(localize(chosen.label, "nl"))
            elif isinstance(question, OpenQuestion):
                if rng.random() < 0.3:
                    row.append("")
                else:
                    row.append(" ".join(rng.sample(OPEN_PARTS, rng.randint(1, 3))))
            elif rng.random() < 0.05:
                row.append("weet niet")
            else:
                row.append(max(1, min(5, round(2.8 + tilt + rng.gauss(0, 0.9)))))
        # A question the routing passes over stays empty, as a form with the routing leaves it.
        for question_id in not_asked(questionnaire, given, compiled):
            row[header.index(question_id)] = ""
        rows.append(row)
    return header, rows


def write_exports(count: int, folder: Path) -> tuple[Path, Path]:
    """The synthetic export as CSV and as XLSX."""
    import csv

    import openpyxl

    header, rows = synthetic_rows(count)
    csv_path = folder / f"export-{count}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    xlsx_path = folder / f"export-{count}.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


def new_folder(path: Path) -> Path:
    subprocess.run(
        [
            *klantladder_command(),
            "init",
            str(path),
            "--organisation",
            "Benchmark BV",
            "--date",
            "2026-03-14",
            "--questionnaire",
            "intake",
            "--lang",
            "nl",
        ],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    return path


def timed_import(export: Path, scratch: Path, repeat: int) -> tuple[float, Path]:
    """Median time of importing ``export`` into fresh folders; the last folder stays."""
    times = []
    folder = scratch
    for index in range(repeat):
        folder = new_folder(scratch / f"{export.stem}-{export.suffix[1:]}-{index}")
        elapsed, _ = run_child([*klantladder_command(), "import", str(folder), str(export)])
        times.append(elapsed)
    return statistics.median(times), folder


def report_pages(folder: Path, scratch: Path, repeat: int) -> tuple[float, int, int]:
    """Median report time, peak memory (MiB) and page count."""
    from pypdf import PdfReader

    pdf = scratch / f"{folder.name}.pdf"
    command = [*klantladder_command(), "report", str(folder), "-o", str(pdf), "--force"]
    [(elapsed, memory)] = median_children([command], repeat)
    return elapsed, memory, len(PdfReader(pdf).pages)


def bench_scale(counts: list[int], repeat: int, report_limit: int) -> list[str]:
    """A markdown table: every command at each size, and the 24-respondent example."""
    lines = [
        "| respondents | import CSV | import XLSX | score | validate | report | pages | "
        "report peak memory |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        example, example_memory, example_pages = report_pages(default_folder(), scratch, repeat)
        lines.append(
            f"| 24 (example) | | | | | {example:.2f} s | {example_pages} | {example_memory} MiB |"
        )
        for count in [100, *counts]:
            runs = 1 if count >= 100_000 else repeat
            report = count <= report_limit
            csv_path, xlsx_path = write_exports(count, scratch)
            csv_time, folder = timed_import(csv_path, scratch, runs)
            xlsx_time, _ = timed_import(xlsx_path, scratch, runs)
            (score_time, _), (validate_time, _) = median_children(
                [
                    [*klantladder_command(), "score", str(folder)],
                    [*klantladder_command(), "validate", str(folder)],
                ],
                runs,
            )
            cells = "not run (see --report-limit) | | |"
            if report:
                report_time, memory, pages = report_pages(folder, scratch, runs)
                cells = (
                    f"{report_time:.2f} s ({report_time / example:.2f}x) | {pages} | {memory} MiB |"
                )
            lines.append(
                f"| {count:,} | {csv_time:.2f} s | {xlsx_time:.2f} s | {score_time:.2f} s | "
                f"{validate_time:.2f} s | {cells}"
            )
            print(lines[-1], flush=True)
    return lines


def default_folder() -> Path:
    found = sorted(ROOT.glob("examples/*/assessment.yaml"))
    if not found:
        raise SystemExit("no example assessment in examples/; give a folder")
    return found[0].parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="assessment folder for the report")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument(
        "--scale",
        help="comma-separated respondent counts: time import, score, validate and report",
    )
    parser.add_argument("--large", action="store_true", help="with --scale: add 100,000")
    parser.add_argument(
        "--report-limit",
        type=int,
        default=1_000_000,
        help="with --scale: render the report only up to this many respondents",
    )
    arguments = parser.parse_args()
    if arguments.scale:
        counts = [int(part) for part in arguments.scale.split(",")]
        if arguments.large:
            counts.append(100_000)
        print("\n".join(bench_scale(counts, arguments.repeat, arguments.report_limit)))
        return
    folder = arguments.folder or default_folder()
    rows = [
        *bench_help(arguments.repeat),
        *bench_scoring(arguments.respondents, arguments.repeat),
        *bench_import(arguments.respondents, arguments.repeat),
        *bench_report(folder, arguments.repeat),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measurement':<{width}}  value")
    print(f"{'-' * width}  ---------")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
