from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import MINI

from klantladder.loading import load_questionnaire
from klantladder.models.questionnaire import Questionnaire

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire(MINI)


@pytest.fixture(scope="session")
def example_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example assessment (with its notes.md and actions.yaml)."""
    folder = tmp_path_factory.mktemp("example") / "koperwiek-keukens"
    shutil.copytree(EXAMPLES / "koperwiek-keukens", folder)
    return folder


@pytest.fixture(scope="session")
def documents(example_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document of the example, rendered once: the report in both languages, the handouts."""
    from klantladder.handouts import render_handout
    from klantladder.report.render import render_report

    out = tmp_path_factory.mktemp("rendered")
    documents = {
        "report-nl": render_report(example_folder, output=out / "report-nl.pdf"),
        "report-en": render_report(example_folder, output=out / "report-en.pdf", language="en"),
    }
    for language in ("nl", "en"):
        for kind in ("ladder", "cards"):
            documents[f"{kind}-{language}"] = render_handout(
                kind,  # type: ignore[arg-type]
                language=language,
                output=out / f"{kind}-{language}.pdf",
            )
        for quick in (False, True):
            name = f"questionnaire{'-quick' if quick else ''}-{language}"
            documents[name] = render_handout(
                "questionnaire", language=language, quick=quick, output=out / f"{name}.pdf"
            )
        documents[f"summary-{language}"] = render_handout(
            "summary",
            folder=example_folder,
            language=language,
            output=out / f"summary-{language}.pdf",
        )
    return documents
