"""A brand for the report and handouts: name, logo, colours, footer."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from klantladder.models.base import StrictModel

Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour as #rrggbb."),
]


class Brand(StrictModel):
    """How a report looks and whose it is (``--brand FILE``)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="Name of the consultancy or team that issues the report."
    )
    logo: str | None = Field(
        default=None,
        description="Logo file (PNG, JPEG or SVG), relative to the brand file.",
    )
    primary_colour: Colour = Field(
        default="#1d4e5f", description="Main colour of headings and charts."
    )
    secondary_colour: Colour = Field(default="#e0a526", description="Accent colour (focus points).")
    footer: Annotated[str, StringConstraints(max_length=160)] | None = Field(
        default=None, description="Text at the foot of every page, e.g. 'Vertrouwelijk'."
    )
    assessor: Annotated[str, StringConstraints(max_length=80)] | None = Field(
        default=None, description="Assessor shown on the cover when the assessment names none."
    )
    confidential: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        default=None,
        description=(
            "A confidentiality mark on the cover and at the foot of every page, "
            "e.g. 'Vertrouwelijk' or 'Confidential'."
        ),
    )
