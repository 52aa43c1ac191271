"""Publication dates: the spellings newsrooms print, read strictly, stored as ISO ``YYYY-MM-DD``.

A provenance answer cites the date of each source and the date filters place sources in time, so a
wrong date is worse than none: it puts a source before or after the event it reports. Dates are
therefore read by dateutil and then held to what the text actually says. Accepted, each with or
without a time of day and a zone (``GMT``, ``Z``, ``+03:00``, ``EDT``):

- ISO 8601 dates and date-times: ``2020-10-01``, ``2020-10-01T10:32:00+03:00``, ``2020-10-01 10:32Z``;
- month names, in either order, weekday optional: ``Oct 1, 2020``, ``October 1st, 2020 10:32 AM``,
  ``1 October 2020``, ``Thursday 1 Oct. 2020``;
- RFC 2822 / HTTP dates: ``Thu, 01 Oct 2020 10:32:00 GMT``, ``Thu, 01 Oct 2020 10:32:00 +0000``;
- numeric, year first: ``2020/10/01``, ``2020.10.01`` (always year, month, day);
- numeric, year last, only where the order cannot be misread: ``13/02/2020`` (13 is no month),
  ``02/13/2020``, ``05/05/2020``; with dots (``01.10.2020``) day first, the only way dotted dates
  are written.

Refused: relative words ("yesterday", "today"); a missing day, month or year ("March 2020",
"Oct 1", "9999"); two-digit years ("01/10/20"); impossible dates ("2020-02-30"); a weekday that is
not the date's ("Fri, 01 Oct 2020" — it was a Thursday); years before 1800 or after next year;
and numeric day/month pairs that read both ways (``01/02/2020`` is 1 February in most of the world
and January 2 in the United States: no rule picks the right one for every outlet, so the client
is asked to write the month out or use ISO).

Only the date is kept, as the outlet printed it in its own zone (``2020-10-01T23:30:00-05:00`` is
``2020-10-01``, not the UTC date): it is the date a reader of that page saw.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from dateutil import parser as date_parser
from dateutil import tz

__all__ = ["ACCEPTED_FORMATS", "EARLIEST_YEAR", "DateError", "iso_date", "parse_date", "stored_day"]

EARLIEST_YEAR = 1800  # the oldest newspapers anyone posts; earlier years are typing errors
MAX_DATE_CHARS = 80  # the longest spelling above is ~45 characters

#: What a client is told when a date cannot be read.
ACCEPTED_FORMATS = (
    "YYYY-MM-DD, an ISO 8601 date-time (2020-10-01T10:32:00+03:00), 'Oct 1, 2020', "
    "'1 October 2020', 'October 1, 2020 10:32 AM', RFC 2822 ('Thu, 01 Oct 2020 10:32:00 GMT') or "
    "2020/10/01; numeric dates whose day and month could be swapped (01/02/2020) are refused"
)

# Zone abbreviations newsrooms print after a time. Only the date is kept, so the zone just has
# to be understood (dateutil refuses an unknown word); ambiguous ones ("IST") are left out.
_ZONES = {
    name: tz.tzoffset(name, hours * 3600)
    for name, hours in {
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "JST": 9,
        "HKT": 8,
        "SGT": 8,
        "AEST": 10,
        "AEDT": 11,
    }.items()
}
_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_YEAR_FIRST_RE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_YEAR_LAST_RE = re.compile(r"(?<![\d.])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
_WEEKDAY_RE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?", re.IGNORECASE)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "10.32 BST", "10.32am": a time written with a dot (British style) becomes "10:32" for dateutil.
_DOTTED_TIME_RE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?=\s*(?:[aApP]\.?[mM]\b|[A-Z]{2,5}\b|$))")
_WEEKDAY_WORDS = frozenset(
    [
        *("mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday"),
        *("thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday"),
    ]
)
# Two defaults that differ in year, month and day: a field dateutil filled in from the default
# (because the text does not say it) comes out different in the two readings.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


class DateError(ValueError):
    """A date that cannot be read unambiguously; the message says why, in words."""


def _numeric_order(text: str) -> tuple[tuple[int, int, int] | None, bool, bool]:
    """The (year, month, day) a numeric date spells, and dateutil's ``dayfirst``/``yearfirst``.

    None when the text has no numeric date (month names then carry the order).
    """
    match = _YEAR_FIRST_RE.search(text)
    if match:
        return (int(match.group(1)), int(match.group(3)), int(match.group(4))), False, True
    match = _YEAR_LAST_RE.search(text)
    if match is None:
        return None, False, False
    first, separator, second = int(match.group(1)), match.group(2), int(match.group(3))
    year = int(match.group(4))
    if separator == "." or first > 12 or first == second:
        return (year, second, first), True, False
    if second > 12:
        return (year, first, second), False, False
    raise DateError(
        f"{match.group(0)} is ambiguous: it is {first} {_month_name(second)} or "
        f"{_month_name(first)} {second}; write the month as a word or use YYYY-MM-DD"
    )


def _month_name(month: int) -> str:
    return date(2000, month, 1).strftime("%B") if 1 <= month <= 12 else str(month)


def _check_weekday(text: str, day: date) -> None:
    for match in _WEEKDAY_RE.finditer(text):
        word = match.group(0).rstrip(".").lower()
        if word not in _WEEKDAY_WORDS:
            continue
        said = _WEEKDAYS.index(word[:3])
        if said != day.weekday():
            raise DateError(f"{day.isoformat()} was a {day:%A}, not a {_DAY_NAMES[said]}")


def parse_date(value: str, today: date | None = None) -> date:
    """The calendar date ``value`` spells, or :class:`DateError` saying why it is not one."""
    text = _DOTTED_TIME_RE.sub(r"\1:\2", " ".join(value.split()))
    if not text:
        raise DateError("it is empty")
    if len(text) > MAX_DATE_CHARS:
        raise DateError(f"it is {len(text)} characters long, too long for a date")
    if not _YEAR_RE.search(text):
        raise DateError("it has no four-digit year")
    expected, dayfirst, yearfirst = _numeric_order(text)
    readings: list[date] = []
    for default in _DEFAULTS:
        try:
            reading: datetime = date_parser.parse(
                text, default=default, dayfirst=dayfirst, yearfirst=yearfirst, tzinfos=_ZONES
            )
            readings.append(reading.date())
        except (ValueError, OverflowError) as error:
            reason = str(error).split(":", 1)[0]
            raise DateError(f"it is not a date I can read ({reason})") from None
    found = readings[0]
    if readings[1] != found:
        raise DateError("it needs a day, a month and a year")
    if expected is not None and (found.year, found.month, found.day) != expected:
        raise DateError("it is not a calendar date")
    latest = (today or date.today()).year + 1
    if not EARLIEST_YEAR <= found.year <= latest:
        raise DateError(f"the year {found.year} is outside {EARLIEST_YEAR}..{latest}")
    _check_weekday(text, found)
    return found


def iso_date(value: str) -> str | None:
    """``YYYY-MM-DD`` for a date :func:`parse_date` reads, else None (for dates found in the text,
    which are dropped rather than guessed when they cannot be read)."""
    try:
        return parse_date(value).isoformat()
    except DateError:
        return None


@lru_cache(maxsize=4096)
def stored_day(published: str | None) -> date | None:
    """The date of a stored ``published`` value: ISO as ingest writes it; a value stored before
    dates were checked is read like a posted one; anything unreadable is no date."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        pass
    try:
        return parse_date(published)
    except DateError:
        return None
