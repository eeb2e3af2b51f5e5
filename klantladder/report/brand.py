"""Load and check a brand file; the default brand when none is given.

A brand file travels with an assessment folder, so what it may reach is
confined: the logo is a PNG, JPEG or SVG file in the brand file's folder (or
below it; no absolute path, no ``..`` or symlink leading out), and the brand
file named in ``assessment.yaml`` lies inside the assessment folder. A brand
file given on the command line (``--brand``) may lie anywhere: the user chose
it. The logo's content is checked (`klantladder.report.images`) when the brand
is loaded, so ``validate`` refuses what the renderer would drop or choke on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from klantladder.errors import InputError
from klantladder.limits import MAX_LOGO_BYTES, read_input_bytes
from klantladder.models.brand import Brand
from klantladder.report.images import ImageProblem, check_image
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

LOGO_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
DEFAULT_BRAND = Brand(name="klantladder")


@dataclass(frozen=True)
class LoadedBrand:
    """A brand with its logo resolved to a checked file."""

    brand: Brand
    logo: Path | None


def assessment_brand(folder: Path, given: Path | None, named: str | None) -> LoadedBrand:
    """The brand for an assessment: ``given`` on the command line, else the one it names.

    The brand file ``assessment.yaml`` names must lie inside the assessment folder.
    """
    if given is not None:
        return load_brand(given)
    if named is None:
        return load_brand(None)
    path = folder / named
    if PurePath(named).is_absolute() or not _inside(path, folder):
        raise InputError.single(
            folder / "assessment.yaml",
            f"brand file {named!r} lies outside the assessment folder; copy it into the folder, "
            f"or give it with --brand",
        )
    return load_brand(path, within=folder)


def load_brand(path: Path | None, *, within: Path | None = None) -> LoadedBrand:
    """Load a brand file (or the default); the logo must be a sound image next to it.

    With ``within``, the brand file itself must lie inside that folder.
    """
    if path is None:
        return LoadedBrand(DEFAULT_BRAND, None)
    document = load_yaml_file(path, within=within)
    brand = validate_document(document, Brand)
    if brand.logo is None:
        return LoadedBrand(brand, None)
    logo = path.parent / brand.logo
    try:
        _check_logo(brand.logo, logo, path.parent)
    except (ImageProblem, InputError) as error:
        message = error.problems[0].message if isinstance(error, InputError) else str(error)
        raise InputError([document.problem(("logo",), f"logo {brand.logo!r}: {message}")]) from None
    return LoadedBrand(brand, logo.resolve())


def _check_logo(named: str, logo: Path, home: Path) -> None:
    kind = LOGO_TYPES.get(logo.suffix.lower())
    if kind is None:
        raise ImageProblem(f"must be a {', '.join(LOGO_TYPES)} file")
    if PurePath(named).is_absolute() or not _inside(logo, home):
        raise ImageProblem(
            "must lie in the brand file's folder (or below it); put the logo next to the brand file"
        )
    if not logo.exists():
        raise ImageProblem("file not found")
    data = read_input_bytes(logo, limit=MAX_LOGO_BYTES, what="a logo", within=home)
    check_image(data, kind)


def _inside(path: Path, folder: Path) -> bool:
    real, root = path.resolve(), folder.resolve()
    return real == root or root in real.parents
