"""Building blocks shared by every model: strict base class, ids and texts."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)

LANGUAGE_PATTERN = r"^[a-z]{2}$"
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class StrictModel(BaseModel):
    """A model that refuses unknown keys, so a mistyped key fails loudly."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Identifier = Annotated[
    str,
    StringConstraints(pattern=IDENTIFIER_PATTERN, max_length=64),
    Field(description="Lower-case id: letters, digits, '.', '_' or '-'."),
]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=LANGUAGE_PATTERN),
    Field(description="Two-letter ISO 639-1 language code, such as nl or en."),
]

_LANGUAGE_RE = re.compile(LANGUAGE_PATTERN)


def _validate_text(value: Any, info: ValidationInfo) -> str | dict[str, str]:
    """Accept a plain text or a map language -> text, complete for the declared languages."""
    languages: list[str] = list((info.context or {}).get("languages", []))
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("text is empty")
        if len(languages) > 1:
            raise ValueError(
                f"this file declares languages {', '.join(languages)}: give the text "
                f"as a map with one entry per language"
            )
        return value.strip()
    if isinstance(value, dict):
        texts: dict[str, str] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not _LANGUAGE_RE.match(key):
                raise ValueError(f"{key!r} is not a two-letter language code")
            if not isinstance(item, str) or not item.strip():
                raise ValueError(f"the {key} text is empty or not a text")
            texts[key] = item.strip()
        missing = [language for language in languages if language not in texts]
        if missing:
            raise ValueError(f"text has no {', '.join(missing)} version")
        return texts
    raise ValueError("expected a text, or a map from language code to text (nl: ..., en: ...)")


Text = Annotated[
    str | dict[str, str],
    PlainValidator(_validate_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "propertyNames": {"pattern": LANGUAGE_PATTERN},
                    "additionalProperties": {"type": "string", "minLength": 1},
                },
            ],
            "description": "A text, or a map from language code to text.",
        }
    ),
]


def localize(text: str | dict[str, str], language: str) -> str:
    """Return the text in ``language``; a plain text is the same in every language."""
    if isinstance(text, str):
        return text
    if language in text:
        return text[language]
    return next(iter(text.values()))


Location = tuple[str | int, ...]
Issue = tuple[Location, str]

# Validation context key: the loader runs the cross checks itself, so that each
# problem points at its own line instead of at the top of the file.
DEFER_CROSS_CHECKS = "defer_cross_checks"


def raise_unless_deferred(issues: list[Issue], info: ValidationInfo) -> None:
    """Raise the cross-check issues unless the loader asked to report them itself."""
    if issues and not (info.context or {}).get(DEFER_CROSS_CHECKS):
        raise ValueError("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in issues))


def duplicate_ids(field: str, what: str, ids: list[str]) -> list[Issue]:
    """Report every id in ``ids`` that occurs before, at the place of the repeat."""
    seen: set[str] = set()
    issues: list[Issue] = []
    for index, item in enumerate(ids):
        if item in seen:
            issues.append(((field, index, "id"), f"duplicate {what} id {item!r}"))
        seen.add(item)
    return issues
