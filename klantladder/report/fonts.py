"""Fonts that come with a Python dependency, so a report looks the same everywhere.

Source Sans Pro (SIL Open Font License) is installed by the
``font-source-sans-pro`` package; when it is missing, the CSS falls back to
DejaVu Sans.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

FAMILY = "Source Sans Pro"


@dataclass(frozen=True)
class FontFace:
    """One face of the packaged font family."""

    path: Path
    weight: int
    style: str


_FACES = (
    ("SourceSansPro-Regular.ttf", 400, "normal"),
    ("SourceSansPro-It.ttf", 400, "italic"),
    ("SourceSansPro-Semibold.ttf", 600, "normal"),
    ("SourceSansPro-Bold.ttf", 700, "normal"),
)


@cache
def packaged_font_faces() -> tuple[FontFace, ...]:
    """The font faces installed with the font package; empty if it is missing."""
    try:
        folder = resources.files("font_source_sans_pro").joinpath("files")
    except ModuleNotFoundError:
        return ()
    faces = []
    for name, weight, style in _FACES:
        path = Path(str(folder.joinpath(name)))
        if path.is_file():
            faces.append(FontFace(path, weight, style))
    return tuple(faces)


def font_folder() -> Path | None:
    """Folder the renderer may read fonts from."""
    faces = packaged_font_faces()
    return faces[0].path.parent if faces else None
