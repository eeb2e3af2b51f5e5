"""Load and check a brand file; the default brand when none is given."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klantladder.errors import InputError
from klantladder.models.brand import Brand
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
MAX_LOGO_BYTES = 2 * 1024 * 1024
DEFAULT_BRAND = Brand(name="klantladder")


@dataclass(frozen=True)
class LoadedBrand:
    """A brand with its logo resolved to a checked file."""

    brand: Brand
    logo: Path | None


def load_brand(path: Path | None) -> LoadedBrand:
    """Load a brand file (or the default); the logo must exist and be an image."""
    if path is None:
        return LoadedBrand(DEFAULT_BRAND, None)
    document = load_yaml_file(path)
    brand = validate_document(document, Brand)
    if brand.logo is None:
        return LoadedBrand(brand, None)
    logo = (path.parent / brand.logo).resolve()
    problem = None
    if logo.suffix.lower() not in LOGO_TYPES:
        problem = f"logo must be a {', '.join(LOGO_TYPES)} file"
    elif not logo.is_file():
        problem = f"logo file {str(logo)!r} not found"
    elif logo.stat().st_size > MAX_LOGO_BYTES:
        problem = "logo file is larger than 2 MB"
    if problem:
        raise InputError([document.problem(("logo",), problem)])
    return LoadedBrand(brand, logo)
