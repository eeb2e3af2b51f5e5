"""The dates each tool writes in each locale, and the instants they stand for."""

from __future__ import annotations

import datetime as dt

import pytest

from klantladder.importing.dates import amsterdam_offset, column_order, parse_moment


@pytest.mark.parametrize(
    ("text", "local", "utc"),
    [
        # Google Forms' own CSV, Dutch account and English account
        ("2024/12/03 8:48:17 p.m. CET", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
        ("2024/07/03 8:48:17 a.m. CEST", "2024-07-03T08:48:17", "2024-07-03T06:48:17Z"),
        ("2024/12/03 8:48:17 PM GMT+1", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
        ("2024/12/03 12:05:00 a.m. CET", "2024-12-03T00:05:00", "2024-12-02T23:05:00Z"),
        # Microsoft Forms and Google Sheets in Dutch
        ("3-12-2024 20:48:17", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
        # Qualtrics, LimeSurvey, Typeform
        ("2024-12-03 20:48:17", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
        ("2024-12-03T19:48:17Z", "2024-12-03T19:48:17", "2024-12-03T19:48:17Z"),
        ("2024-12-03T20:48:17+01:00", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
        # SurveyMonkey
        ("12/03/2024 08:48:17 PM", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
        # an Excel date serial
        ("45629.86686", "2024-12-03T20:48:17", "2024-12-03T19:48:17Z"),
    ],
)
def test_each_tools_spelling(text: str, local: str, utc: str) -> None:
    moment = parse_moment(text)
    assert moment.local.isoformat() == local
    assert moment.utc_text() == utc


@pytest.mark.parametrize("text", ["yesterday", "2024-13-03 10:00", "31-02-2024", "12:00", "44"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_moment(text)


def test_a_column_of_slash_dates_tells_its_order_by_a_day_over_12() -> None:
    assert column_order(["03/05/2026 10:00", "13/05/2026 11:00"]) == "dmy"
    assert column_order(["03/05/2026 10:00", "03/25/2026 11:00"]) == "mdy"
    assert column_order(["03/05/2026 10:00", "2026-03-05"]) is None
    assert parse_moment("03/05/2026 10:00", "dmy").local == dt.datetime(2026, 5, 3, 10, 0)


def test_dutch_summer_time_follows_the_eu_rule() -> None:
    assert amsterdam_offset(dt.datetime(2026, 3, 29, 1, 59)) == dt.timedelta(hours=1)
    assert amsterdam_offset(dt.datetime(2026, 3, 29, 3, 0)) == dt.timedelta(hours=2)
    assert amsterdam_offset(dt.datetime(2026, 10, 25, 2, 30)) == dt.timedelta(hours=2)
    assert amsterdam_offset(dt.datetime(2026, 10, 25, 3, 0)) == dt.timedelta(hours=1)
