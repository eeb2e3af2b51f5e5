"""Faults in real processes: kill -9 during an import, a full disk, concurrent writers.

Each test runs the installed ``klantladder`` command as a child process. The
store's test hook (``KLANTLADDER_TEST_PAUSE``) stops the child at a chosen
point of a transaction, so the kill lands exactly there.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from importhelpers import bilingual_folder, saved

COMMAND = [str(Path(sys.executable).parent / "klantladder")]
LEVELS = ["1", "2", "3", "4", "5", "weet niet"]


def export(path: Path, rows: int, seed: int = 3, prefix: str = "p") -> Path:
    """A plain CSV export of ``rows`` respondents of the bilingual questionnaire."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(
            [
                "respondent",
                "name",
                "leiderschap.feedback",
                "leiderschap.uitdragen",
                "feedback.meten-en-delen_per-afdeling",
                "feedback.opvolgen",
                "afdeling",
                "kanalen",
                "belemmering",
            ]
        )
        for number in range(1, rows + 1):
            text = f'Antwoord {number}: te weinig tijd, "te veel" overleg. ' * rng.randint(1, 3)
            writer.writerow(
                [
                    f"{prefix}{number}",
                    f"Persoon {number}",
                    *(rng.choice(LEVELS) for _ in range(4)),
                    rng.choice(["klantenservice", "operatie", "staf"]),
                    "chat",
                    text.strip(),
                ]
            )
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".klantladder" not in p.parts
    }


def start(arguments: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COMMAND, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"ended early: {process.communicate()}")
        assert time.monotonic() < deadline, "the child never reached the pause point"
        time.sleep(0.02)


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *arguments], capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("point", "after"),
    [("staged", 0), ("committed", 40), ("applying", 40)],
)
def test_kill_9_during_an_import_leaves_nothing_or_everything(
    tmp_path: Path, point: str, after: int
) -> None:
    folder = bilingual_folder(tmp_path)
    source = export(tmp_path / "export.csv", 40)
    signal_file = tmp_path / "paused"
    child = start(
        ["import", str(folder), str(source), "--keep-contact"],
        KLANTLADDER_TEST_PAUSE=point,
        KLANTLADDER_TEST_SIGNAL=str(signal_file),
    )
    wait_for(signal_file, child)
    child.send_signal(signal.SIGKILL)
    child.communicate()
    staging = folder / ".klantladder" / "staging"
    assert len(list(staging.iterdir())) == 1
    result = run("validate", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"{after} responses" in result.stdout
    word = "removed" if point == "staged" else "finished"
    assert "note:" in result.stderr and word in result.stderr
    assert list(staging.iterdir()) == []
    assert len(saved(folder)) == after
    again = run("validate", str(folder))
    assert "note:" not in again.stderr


def test_kill_9_at_any_moment_of_a_large_import(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    source = export(tmp_path / "export.csv", 10_000)
    for delay in (0.3, 0.8, 1.3):
        child = start(["import", str(folder), str(source)])
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate()
        result = run("validate", str(folder))
        count = len(saved(folder))
        assert count in (0, 10_000), (delay, count, result.stderr)
        if count:
            break
    result = run("import", str(folder), str(source))
    assert result.returncode == 0, result.stderr
    assert len(saved(folder)) == 10_000


def test_a_full_disk_leaves_the_folder_as_it_was_and_names_the_file(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    first = run("import", str(folder), str(export(tmp_path / "small.csv", 3)))
    assert first.returncode == 0, first.stderr
    before = snapshot(folder)

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    big = export(tmp_path / "big.csv", 200, seed=5, prefix="q")  # all new respondents
    result = subprocess.run(
        [*COMMAND, "import", str(folder), str(big)],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert result.returncode == 1
    batch = folder / "responses" / "import-0002.csv"
    assert result.stderr == (
        f"error: {batch}: could not write it (File too large); the folder is as it was\n"
    )
    assert snapshot(folder) == before
    assert list((folder / ".klantladder" / "staging").iterdir()) == []


def test_two_interviews_of_one_respondent_the_second_is_refused(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    first = start(["interview", str(folder), "--respondent", "Ann de Vries"])
    assert first.stdin is not None
    first.stdin.write("3\n")
    first.stdin.flush()
    deadline = time.monotonic() + 30
    while not (folder / "responses" / "r001.yaml").exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    second = run("interview", str(folder), "--respondent", "Ann de Vries")
    assert second.returncode == 1
    assert "respondent r001 is being answered in another session right now" in second.stderr
    _, err = first.communicate("4\nq\n", timeout=30)
    assert first.returncode == 0, err
    assert saved(folder)[0]["answers"] == {"leiderschap.feedback": 3, "leiderschap.uitdragen": 4}


def test_an_interview_and_imports_at_the_same_time_lose_nothing(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    interview = start(["interview", str(folder), "--respondent", "Bram"])
    assert interview.stdin is not None
    imports = []
    for number, seed in enumerate((11, 12, 13)):
        path = export(tmp_path / f"e{number}.csv", 300, seed=seed, prefix=f"x{number}-")
        imports.append(start(["import", str(folder), str(path)]))
        interview.stdin.write(f"{number + 2}\n")
        interview.stdin.flush()
    same = start(["import", str(folder), str(tmp_path / "e0.csv")])
    for child in [*imports, same]:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert "--force" not in err
    _, err = interview.communicate("q\n", timeout=60)
    assert interview.returncode == 0, err
    responses = {r["respondent"]: r for r in saved(folder)}
    assert len(responses) == 901
    assert responses["r001"]["answers"] == {
        "leiderschap.feedback": 2,
        "leiderschap.uitdragen": 3,
        "feedback.meten-en-delen_per-afdeling": 4,
    }
