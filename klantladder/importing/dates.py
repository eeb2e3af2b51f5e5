"""Dates in survey exports: the spellings each tool writes in each locale.

* ISO 8601 (Qualtrics, LimeSurvey, Typeform): ``2024-12-03 20:48:17``,
  ``2024-12-03T19:48:17Z``, ``2024-12-03T20:48:17+01:00``;
* Google Forms' own CSV: ``2024/12/03 8:48:17 PM GMT+1``, and from a Dutch
  account ``2024/12/03 8:48:17 p.m. CET``;
* day first with dashes or dots (Dutch Microsoft Forms and Google Sheets):
  ``3-12-2024 20:48:17``;
* month first with slashes (US; SurveyMonkey): ``12/03/2024 08:48:17 PM``;
* Excel date serials (``45629.8669``) and the dates of XLSX cells.

A date of slashes is ambiguous (3/12 or 12/3): `DateReader` decides per column,
from any value whose day is over 12, and falls back to month first (US) only
when every value in the column is ambiguous.

A `Moment` keeps the time as written (what the tool showed) and, when the text
names it, its zone. `Moment.utc` makes it an instant: a time without a zone is
taken as Dutch time (Europe/Amsterdam, with summer time), the zone of the
exports klantladder is made for, so the same export always gives the same
instant on every machine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Order = Literal["dmy", "mdy"]

# Day 0 of Excel's 1900 date system, as it counts (with its phantom 29 February 1900).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Serials between 1982 and 2173: a bare number outside this range is no date.
SERIAL_RANGE = (30_000.0, 100_000.0)
UTC = dt.UTC

# Zone abbreviations the tools write (Google Forms names the form's zone).
ZONES: dict[str, float] = {
    "Z": 0,
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "CET": 1,
    "MET": 1,
    "CEST": 2,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}

_DATE = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[-/.])(?P<b>\d{1,2})[-/.](?P<c>\d{1,4})"
    r"(?:(?:[ T]|,\s*)\s*(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?|vm\.?|nm\.?)?)?"
    r"\s*(?P<zone>Z|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5})?$",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s?(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", re.I)


@dataclass(frozen=True)
class Moment:
    """A date and time as an export wrote it, with its zone offset when the text names one."""

    local: dt.datetime
    offset: dt.timedelta | None = None

    def utc(self) -> dt.datetime:
        """The instant in UTC; a time without a zone is taken as Dutch time."""
        offset = self.offset if self.offset is not None else amsterdam_offset(self.local)
        return (self.local - offset).replace(tzinfo=UTC)

    def utc_text(self) -> str:
        """The instant in UTC as ISO 8601 text, to the second: ``2024-12-03T19:48:17Z``."""
        return self.utc().strftime("%Y-%m-%dT%H:%M:%SZ")


def amsterdam_offset(local: dt.datetime) -> dt.timedelta:
    """The offset of Dutch time at a wall-clock time: CET (+1), or CEST (+2) in summer.

    Summer time runs from the last Sunday of March, 02:00, to the last Sunday of
    October, 03:00 (the EU rule since 1996); the doubled hour in October counts
    as summer time, so every wall-clock time has one answer.
    """
    start = _last_sunday(local.year, 3).replace(hour=2)
    end = _last_sunday(local.year, 10).replace(hour=3)
    return dt.timedelta(hours=2 if start <= local < end else 1)


def _last_sunday(year: int, month: int) -> dt.datetime:
    last = dt.datetime(year, month + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def parse_moment(text: str, order: Order | None = None) -> Moment:
    """Read a date and time as survey tools and Excel write them; raise ValueError.

    ``order`` says whether a date of slashes puts the day or the month first;
    without it, month first unless the first number is over 12.
    """
    value = text.strip()
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        pass
    else:
        if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            return Moment(round_to_second(EXCEL_EPOCH + dt.timedelta(days=number)))
        raise ValueError(f"{text!r} is a number, not a date")
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"{text!r} is not a date and time")
    a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
    if len(match["a"]) == 4:
        year, month, day = a, b, c
    elif match["sep"] == "/" and (order == "mdy" or (order is None and a <= 12)):
        month, day, year = a, b, c
    else:
        day, month, year = a, b, c
    if year < 100:
        year += 2000
    hour = int(match["h"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r}: hour {hour} does not go with a.m./p.m.")
        afternoon = match["ampm"].lower().startswith(("p", "n"))
        hour = hour % 12 + (12 if afternoon else 0)
    offset = _offset(match["zone"], text)
    try:
        local = dt.datetime(year, month, day, hour, int(match["m"] or 0), int(match["s"] or 0))
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date ({error})") from None
    return Moment(local, offset)


def _offset(zone: str | None, text: str) -> dt.timedelta | None:
    if not zone:
        return None
    zone = zone.strip()
    if zone.upper() in ZONES:
        return dt.timedelta(hours=ZONES[zone.upper()])
    match = _OFFSET.match(zone)
    if match:
        minutes = int(match["h"]) * 60 + int(match["m"] or 0)
        return dt.timedelta(minutes=minutes if match["sign"] == "+" else -minutes)
    if zone.isalpha() and zone.isupper():  # a zone we do not know: keep the time as written
        return None
    raise ValueError(f"{text!r} is not a date and time")


def parse_datetime(text: str, order: Order | None = None) -> dt.datetime:
    """The date and time as written (wall clock, zone dropped); raise ValueError."""
    return parse_moment(text, order).local


def round_to_second(value: dt.datetime) -> dt.datetime:
    """Excel stores times as fractions of a day; round away the float noise."""
    return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


def column_order(values: Iterable[str]) -> Order | None:
    """Whether the slash dates of one column put the day or the month first, if any says.

    A value whose first number is over 12 means day first, one whose second
    number is over 12 means month first; None when no value tells.
    """
    for value in values:
        match = _DATE.match(value.strip())
        if not match or match["sep"] != "/" or len(match["a"]) == 4:
            continue
        if int(match["a"]) > 12:
            return "dmy"
        if int(match["b"]) > 12:
            return "mdy"
    return None
