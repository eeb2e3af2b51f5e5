"""Dates in survey exports: ISO, Dutch and US spellings, and Excel date serials."""

from __future__ import annotations

import datetime as dt
import re

# Day 0 of Excel's 1900 date system, as it counts (with its phantom 29 February 1900).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Serials between 1982 and 2173: a bare number outside this range is no date.
SERIAL_RANGE = (30_000.0, 100_000.0)

_DATE = re.compile(
    r"^(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp][Mm])?)?"
    r"\s*(?:Z|UTC|GMT[+-]?\d*(?::?\d\d)?|[+-]\d\d:?\d\d)?$"
)


def parse_datetime(text: str) -> dt.datetime:
    """Read a date and time as survey tools and Excel write them.

    Accepts ISO 8601 (``2026-03-05 14:02:11``, ``2026-03-05T14:02:11Z``), day first
    with dashes or dots (``5-3-2026 14:02``, Dutch), month first with slashes
    (``3/5/2026 2:02:11 PM``, US; day first when the first number exceeds 12), and
    Excel date serials (``46086.58``). Time zones are dropped: the tools write
    local or UTC times, and klantladder only shows dates. Raises ValueError.
    """
    value = text.strip()
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        pass
    else:
        if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            return (EXCEL_EPOCH + dt.timedelta(days=number)).replace(microsecond=0)
        raise ValueError(f"{text!r} is a number, not a date")
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"{text!r} is not a date and time")
    a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
    separator = value[len(match["a"])]
    if len(match["a"]) == 4:
        year, month, day = a, b, c
    elif separator == "/" and a <= 12:
        month, day, year = a, b, c
    else:
        day, month, year = a, b, c
    if year < 100:
        year += 2000
    hour = int(match["h"] or 0)
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
    try:
        return dt.datetime(year, month, day, hour, int(match["m"] or 0), int(match["s"] or 0))
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date ({error})") from None
