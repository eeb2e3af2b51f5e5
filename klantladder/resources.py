"""Find the packaged questionnaires and report templates.

In an installed wheel they live inside the package (``klantladder/questionnaires``);
in a checkout (an editable install) they sit at the top of the repository, next to
the package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """Return the folder of packaged data ``name`` (questionnaires, report_templates)."""
    packaged = resources.files("klantladder").joinpath(name)
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"packaged data folder {name!r} is missing from the installation")


def questionnaires_dir() -> Path:
    """The folder of shipped questionnaires."""
    return data_dir("questionnaires")


def templates_dir() -> Path:
    """The folder of shipped report templates."""
    return data_dir("report_templates")
