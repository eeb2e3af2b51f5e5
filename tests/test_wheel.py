"""The wheel carries the questionnaires and templates and works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel installed.

    Dependencies come from the test environment through a .pth file, so the
    test needs no network; klantladder itself comes only from the wheel.
    """
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(base / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next((base / "dist").glob("klantladder-*.whl"))
    environment = base / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parent_paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "test_dependencies.pth").write_text("\n".join(sorted(parent_paths)) + "\n")
    return environment


def run(environment: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(environment / "bin" / "klantladder"), *args], cwd=cwd, capture_output=True, text=True
    )


def test_installed_wheel_lists_questionnaires_from_anywhere(
    installed: Path, tmp_path: Path
) -> None:
    result = run(installed, "questionnaires", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "intake" in result.stdout


def test_installed_wheel_uses_its_own_packaged_data(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import klantladder.resources as r; "
            "print(r.questionnaires_dir()); print(r.templates_dir())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    questionnaires, templates = result.stdout.split()
    assert questionnaires.startswith(str(installed)) and questionnaires.endswith(
        "klantladder/questionnaires"
    )
    assert templates.startswith(str(installed)) and templates.endswith(
        "klantladder/report_templates"
    )


def test_installed_wheel_starts_an_assessment(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "init", "acme", "--organisation", "Acme", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "acme" / "assessment.yaml").is_file()


def test_installed_wheel_carries_the_workshop_pages(installed: Path, tmp_path: Path) -> None:
    pytest.importorskip("starlette", reason="the workshop extra is not installed")
    result = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "from klantladder.workshop.pages import package_folder, static_assets; "
            "print(package_folder('templates')); print(sorted(static_assets()))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    templates, assets = result.stdout.splitlines()
    assert templates.startswith(str(installed)) and templates.endswith("workshop/templates")
    assert assets == "['facilitator.js', 'workshop.css']"
