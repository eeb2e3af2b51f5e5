"""Numbers written the way readers of a language expect."""

from __future__ import annotations

# Languages that write 3,25 rather than 3.25.
_DECIMAL_COMMA = frozenset({"nl", "de", "fr", "es", "it", "pt", "da", "sv", "nb", "fi"})


def format_score(value: float, language: str, decimals: int = 2) -> str:
    """A score written the way readers of ``language`` expect."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language in _DECIMAL_COMMA else text


def format_count(value: int, language: str) -> str:
    """A whole number; from 10,000 up with thousands grouped: 30.000 in Dutch, 30,000 in English."""
    if abs(value) < 10_000:
        return str(value)
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if language in _DECIMAL_COMMA else grouped
