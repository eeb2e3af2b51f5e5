"""JSON Schemas of the file formats, for editors (yaml-language-server) and tools."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from klantladder.models.assessment import Assessment, Response
from klantladder.models.brand import Brand
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "questionnaire": Questionnaire,
    "method": Method,
    "assessment": Assessment,
    "response": Response,
    "brand": Brand,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every file format, by kind."""
    schemas = {}
    for kind, model in SCHEMA_MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"klantladder {kind} file"
        schemas[kind] = schema
    return schemas
