"""The exact error lines users see for broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINI
from typer.testing import CliRunner

from klantladder.cli import app

runner = CliRunner()


def broken_copy(tmp_path: Path, old: str, new: str, name: str = "q.yaml") -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "mini-method.yaml").write_text(
        (MINI.parent / "mini-method.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return path


def validate(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(path)])
    return result.exit_code, result.stderr


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "title: Mini questionnaire", "title: [Mini questionnaire")
    code, stderr = validate(path)
    assert code == 1
    assert stderr.splitlines()[0].startswith(f"{path}:5:8: YAML syntax error:")
    assert "Traceback" not in stderr


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "    weight: 2\n", "    wieght: 2\n")
    code, stderr = validate(path)
    assert code == 1
    assert stderr == f"{path}:22:5: unknown key 'wieght' (did you mean 'weight'?)\n"


def test_ladder_question_missing_a_level(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "3: Discuss quarterly, ", "")
    code, stderr = validate(path)
    assert code == 1
    assert stderr == f"{path}:12:5: ladder question has no statement for level 3\n"


def test_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f"id: !!python/object/apply:os.system ['touch {marker}']\n"
        f"title: !!python/object/apply:os.system\n  args: ['touch {marker}']\n",
        encoding="utf-8",
    )
    code, stderr = validate(path)
    assert code == 1
    assert stderr.splitlines() == [
        f"{path}:1:5: refused: tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        f"is not allowed",
        f"{path}:2:8: refused: tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        f"is not allowed",
        "2 problems found.",
    ]
    assert not marker.exists()


def test_all_problems_of_a_file_at_once(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("minutes: 2", "minutes: 2\ncolour: red").replace(
        "kind: likert\n    dimension: lead", "kind: likert\n    dimension: leed"
    )
    text = text.replace("evidences_level: 3", "evidences_level: 7")
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "mini-method.yaml").write_text(
        (MINI.parent / "mini-method.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, stderr = validate(path)
    assert code == 1
    lines = stderr.splitlines()
    assert lines[0].startswith(f"{path}:6:1: unknown key 'colour'")
    assert lines[1] == f"{path}:34:22: evidences_level: input should be less than or equal to 5"
    assert lines[-1] == "2 problems found."


def test_cross_check_points_at_its_line(tmp_path: Path) -> None:
    path = broken_copy(
        tmp_path, "dimension: act\n    text: We fix", "dimension: acts\n    text: We fix"
    )
    code, stderr = validate(path)
    assert code == 1
    assert stderr == f"{path}:31:16: unknown dimension 'acts'\n"


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "minutes: 2\n", "minutes: 2\nminutes: 3\n")
    code, stderr = validate(path)
    assert code == 1
    assert stderr == f"{path}:6:1: duplicate key 'minutes'\n"


def test_unknown_method_reference_and_other_problems_together(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "method: mini-method.yaml", "method: nope")
    text = path.read_text(encoding="utf-8").replace("kind: open", "kind: essay")
    path.write_text(text, encoding="utf-8")
    code, stderr = validate(path)
    assert code == 1
    lines = stderr.splitlines()
    assert lines[0].startswith(f"{path}:6:9: no shipped method 'nope' in 'en'")
    assert (
        lines[1]
        == f"{path}:55:11: kind 'essay' is not one of 'ladder', 'likert', 'profile', 'open'"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "cannot tell what this file is"),
        ("- a\n- b\n", "cannot tell what this file is"),
        ("a: 1\n---\nb: 2\n", "but found another document"),
    ],
)
def test_odd_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(content, encoding="utf-8")
    code, stderr = validate(path)
    assert code == 1
    assert message in stderr


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    code, stderr = validate(path)
    assert code == 1
    assert stderr.startswith(f"{path}: not UTF-8 text")


def test_missing_file(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path / "nope.yaml")
    assert code == 1
    assert stderr == f"{tmp_path / 'nope.yaml'}: file not found\n"
