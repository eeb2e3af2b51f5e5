"""Packaged CSS, JavaScript and fonts, and the brand's colours and logo.

Each route looks a name up in a table made at start; a name that is not in it
is a 404, whatever it contains, so there is no path to traverse.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from klantladder.report.charts import Palette
from klantladder.workshop.app import workshop_of
from klantladder.workshop.pages import (
    CONTENT_TYPES,
    Asset,
    font_assets,
    font_faces_css,
    static_assets,
)
from klantladder.workshop.security import Refusal

CACHE = "public, max-age=3600"


def routes() -> list[BaseRoute]:
    """The asset routes."""
    return [
        Route("/static/{name}", static),
        Route("/fonts.css", fonts_css),
        Route("/fonts/{name}", font),
        Route("/brand.css", brand_css),
        Route("/brand/logo", logo),
    ]


def _send(asset: Asset | None) -> Response:
    if asset is None:
        raise Refusal(404, "not_found")
    return Response(asset.body, media_type=asset.content_type, headers={"Cache-Control": CACHE})


async def static(request: Request) -> Response:
    """workshop.css, facilitator.js: from the package's static folder."""
    return _send(static_assets().get(request.path_params["name"]))


async def font(request: Request) -> Response:
    """The report's font, so the screens look like the report."""
    return _send(font_assets().get(request.path_params["name"]))


async def fonts_css(request: Request) -> Response:
    """@font-face rules for the packaged font (empty when it is not installed)."""
    css = font_faces_css()
    return Response(css, media_type=CONTENT_TYPES[".css"], headers={"Cache-Control": CACHE})


async def brand_css(request: Request) -> Response:
    """The brand's colours as CSS variables (from the validated brand file)."""
    brand = workshop_of(request).brand.brand
    palette = Palette(brand.primary_colour, brand.secondary_colour)
    css = (
        ":root{"
        f"--primary:{brand.primary_colour};"
        f"--on-primary:{palette.text_on(brand.primary_colour)};"
        f"--primary-tint:{palette.tint(0.12)};"
        f"--secondary:{brand.secondary_colour};"
        f"--on-secondary:{palette.text_on(brand.secondary_colour)};"
        "}\n"
    )
    return Response(css, media_type=CONTENT_TYPES[".css"])


async def logo(request: Request) -> Response:
    """The brand's logo, when the assessment's brand has one."""
    path = workshop_of(request).brand.logo
    if path is None:
        raise Refusal(404, "not_found")
    kind = CONTENT_TYPES.get(path.suffix.lower())
    if kind is None or kind.startswith("text/"):
        raise Refusal(404, "not_found")
    return Response(path.read_bytes(), media_type=kind, headers={"Cache-Control": CACHE})
