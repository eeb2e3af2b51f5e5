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


# Width of an average character, in em, for when the font files are missing.
_FALLBACK_EM = 0.55


@cache
def _advances(weight: int) -> dict[int, float] | None:
    """Advance widths (in em) by code point of the packaged face closest to ``weight``."""
    faces = [face for face in packaged_font_faces() if face.style == "normal"]
    if not faces:
        return None
    from fontTools.ttLib import TTFont

    face = min(faces, key=lambda f: abs(f.weight - weight))
    font = TTFont(str(face.path), lazy=True)
    try:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[name][0] / units for code, name in font.getBestCmap().items()}
    finally:
        font.close()
    return widths


def text_width(text: str, size: float, weight: int = 400) -> float:
    """The width of ``text`` set at ``size`` in the packaged font (an estimate without it)."""
    widths = _advances(weight)
    if widths is None:
        return len(text) * _FALLBACK_EM * size
    return sum(widths.get(ord(char), _FALLBACK_EM) for char in text) * size
