"""Measure what users feel: start-up, scoring at scale, report rendering, memory.

Run from the repository root with the project installed (the import line
checks every row of an export, as ``import --dry-run`` does):

    python benchmarks/run.py [ASSESSMENT_FOLDER] [--repeat N]

It prints a table. Times are wall-clock medians over repeated runs; nothing
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
    arguments = parser.parse_args()
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
