"""Find dates in article text, absolute or relative, and resolve them against the publication date.

Rules (all relative to the publication date ``published``):

* A date without a year ("Oct. 17") is in the year that puts it on or before
  the publication date, i.e. the most recent such day.
* A weekday ("on Sunday", "late Friday", "Sunday's attack") is the most
  recent such day on or before the publication date; "last Sunday" is never
  the publication day itself. Across month and year ends this is plain date
  arithmetic: published Tuesday 2024-01-02, "on Sunday" is 2023-12-31.
* "yesterday" / "last night" is the day before, "today" / "tonight" the day itself.
* "N days ago" is a day; "last week" the Monday-to-Sunday week before the
  publication week; "this week" / "earlier this week" that week up to the
  publication date (the day before for "earlier"); "last weekend" / "over the
  weekend" the most recent Saturday and Sunday.
* "last month", "this month", "earlier this month" and "in October" are
  months (a range from the first to the last day); "early", "mid" and "late"
  narrow a month to its days 1-10, 11-20 and 21 to the end.

A wire item republished days after it was written keeps its relative words,
so a resolved weekday can be a week late; the precision and the rule are
returned with every date so that a reviewer can judge.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from dashboard.core.articles.text import NUMBER, Coverage, parse_number, span

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}

_MONTH_DOT = (r"(?:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\b"
              r"|(?P<abbr>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b(?!-))?"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("iso", re.compile(r"\b(?P<year>20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?P<abbr>)\b")),
    ("month_day", re.compile(rf"\b{_MONTH_DOT}\s+{_DAY}\b(?!\s*(?:%|percent|km|miles))" + _YEAR)),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH_DOT}" + _YEAR)),
    ("month_year", re.compile(rf"\b(?:(?:early|mid|late)[-\s])?{_MONTH_DOT}\s+(?P<year>(?:19|20)\d\d)\b")),
    ("month_part", re.compile(rf"\b(?P<part>(?i:early|mid|late))[-\s]+{_MONTH_DOT}(?!\s*\d)")),
    ("month", re.compile(rf"\b(?i:in|by|of|since|during|until|through|from)\s+(?P<core>{_MONTH_DOT})(?!\s*\d)")),
    ("weekday", re.compile(rf"\b(?:(?P<lead>(?i:on|last|this past|early|late|early on|late on))\s+)?{_WEEKDAY}"
                           r"(?:['\u2019]s)?(?:\s+(?:morning|afternoon|evening|night))?\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|tonight|earlier today)\b", re.IGNORECASE)),
    ("days_ago", re.compile(rf"\b(?P<n>{NUMBER}|a)\s+days?\s+(?:ago|earlier)\b", re.IGNORECASE)),
    ("weeks_ago", re.compile(rf"\b(?P<n>{NUMBER}|a)\s+weeks?\s+ago\b", re.IGNORECASE)),
    ("last_week", re.compile(r"\blast week\b", re.IGNORECASE)),
    ("this_week", re.compile(r"\b(?P<earlier>earlier )?this week\b", re.IGNORECASE)),
    ("weekend", re.compile(r"\b(?:last|this past|over the|this) weekend\b", re.IGNORECASE)),
    ("last_month", re.compile(r"\blast month\b", re.IGNORECASE)),
    ("this_month", re.compile(r"\b(?P<earlier>earlier )?this month\b", re.IGNORECASE)),
)


def find_dates(article: str, published: dt.date) -> list[dict]:
    """Every date expression in ``article``, resolved against ``published``.

    Parameters
    ----------
    article : str
        The article text.
    published : datetime.date
        Publication date of the article; every relative date and every
        date without a year is resolved against it (see the module notes).

    Returns
    -------
    list of dict
        Sorted by ``start``, without overlaps (the longest expression wins).
        Each has ``text``, ``start``, ``end``, ``date`` and ``date_end`` (ISO
        strings; equal for a single day), ``precision`` (``day``, ``week``
        or ``month``), ``kind`` (``absolute`` or ``relative``), ``rule`` and
        ``dateline`` (True for the date of a wire dateline, "BAGHDAD, Jan 2
        (Reuters) -", which dates the item, not an event).
    """
    if not isinstance(published, dt.date):
        raise TypeError(f"`published` was {published!r} but is expected to be a datetime.date")
    if isinstance(published, dt.datetime):
        published = published.date()
    found: list[dict] = []
    dateline = DATELINE.match(article[:DATELINE_REACH]) or DATELINE_BELOW_HEADLINE.search(article[:HEADLINES_REACH])
    covered = Coverage(len(article))
    for name, pattern in PATTERNS:
        for match in pattern.finditer(article):
            resolved = _RESOLVERS[name](match, published)
            if resolved is None:
                continue
            start, end = match.span("core") if "core" in pattern.groupindex else match.span()
            if not covered.claim(start, end):
                continue  # an earlier (longer, more precise) pattern already covers this text
            first, last, precision, rule = resolved
            found.append({**span(article, start, end), "date": first.isoformat(), "date_end": last.isoformat(),
                          "precision": precision, "kind": "absolute" if name in _ABSOLUTE else "relative",
                          "rule": rule, "dateline": bool(dateline) and end <= dateline.end()})
    return sorted(found, key=lambda f: f["start"])


#: The dateline of a wire item ("BAGHDAD, Jan 2 (Reuters) -"): its date is when the item was filed.
#: Every repetition is bounded and the words are separated by characters a word cannot hold, so a
#: match attempt costs a bounded number of steps whatever follows (no catastrophic backtracking).
DATELINE = re.compile(
    r"\A[ \t\r\n]{0,8}"                                         # leading blank space
    r"[A-Z][A-Za-z.'\-]{0,40}(?:[ ,]{1,3}[A-Za-z.'\-]{1,40}){0,6}"  # place (and region): "AMMAN, Jordan"
    r"[^()\n]{0,30}"                                             # the date as written: ", Jan. 28, 2024 "
    r"\([^)\n]{1,40}\)[ \t]{0,4}[-\u2013\u2014]{1,3}"            # the wire in brackets, then a dash
)
#: How far into the article a dateline may reach (it opens the item).
DATELINE_REACH = 200
#: A dateline at the start of a line below a headline or two ("Baghdad, Jan 15 (UNI) Shia militant groups ..."):
#: there the month and day must be written, and the wire's name in brackets follows them.
DATELINE_BELOW_HEADLINE = re.compile(
    r"(?m)^[ \t]{0,8}[A-Z][A-Za-z.'\-]{0,40}(?:[ ,]{1,3}[A-Za-z.'\-]{1,40}){0,3},[ \t]{1,3}"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?[ \t]{1,3}\d{1,2}(?:,[ \t]{0,3}\d{4})?[ \t]{0,3}"
    r"\([^)\n]{1,40}\)")
#: How far into the article a dateline below headlines may lie.
HEADLINES_REACH = 600

_ABSOLUTE = {"iso", "month_day", "day_month", "month_year", "month_part", "month"}


def most_recent(published: dt.date, month: int, day: int) -> dt.date | None:
    """The date with this month and day on or before ``published`` (same year or the one before)."""
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def weekday_on_or_before(published: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    """The most recent ``weekday`` (Monday = 0) on or before ``published`` (before it when asked)."""
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


def _month_of(match) -> int:
    written = match.group("month") or match.group("abbr")
    return int(written) if written.isdigit() else MONTHS[written.lower()]


def _day_date(match, published):
    month = _month_of(match)
    day = int(match.group("day"))
    year = match.groupdict().get("year")
    if year:
        try:
            date = dt.date(int(year), month, day)
        except ValueError:
            return None
        return date, date, "day", "date as written"
    date = most_recent(published, month, day)
    if date is None:
        return None
    return date, date, "day", "no year written: the most recent such date on or before publication"


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_only(match, published):
    month = _month_of(match)
    year = match.groupdict().get("year")
    if year:
        first, last = _month_range(int(year), month)
        return first, last, "month", "month and year as written"
    year = published.year if month <= published.month else published.year - 1
    first, last = _month_range(year, month)
    return first, last, "month", "no year written: the most recent such month up to publication"


#: Days of the month that "early", "mid" and "late" cover.
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


def _month_part(match, published):
    first, last, precision, rule = _month_only(match, published)
    low, high = MONTH_PARTS[match.group("part").lower()]
    first, last = first.replace(day=low), last.replace(day=min(high, last.day))
    return first, last, precision, f"{rule}; '{match.group('part').lower()}' taken as days {low}-{last.day}"


def _weekday(match, published):
    lead = (match.group("lead") or "").lower()
    date = weekday_on_or_before(published, WEEKDAYS[match.group("weekday")], strictly_before=lead in ("last", "this past"))
    rule = f"the most recent {match.group('weekday')} on or before publication ({published.isoformat()})"
    return date, date, "day", rule


def _days_back(days: int, rule: str):
    def resolve(match, published):
        date = published - dt.timedelta(days=days)
        return date, date, "day", rule
    return resolve


def _n_ago(unit_days: int, precision: str):
    def resolve(match, published):
        count = parse_number(match.group("n"))
        if count is None:
            return None
        middle = published - dt.timedelta(days=count * unit_days)
        if precision == "day":
            return middle, middle, "day", f"{count} day(s) before publication"
        return middle - dt.timedelta(days=3), min(middle + dt.timedelta(days=3), published), "week", \
            f"about {count} week(s) before publication, give or take 3 days"
    return resolve


def _last_week(match, published):
    monday = published - dt.timedelta(days=published.weekday() + 7)
    return monday, monday + dt.timedelta(days=6), "week", "the Monday-to-Sunday week before the publication week"


def _this_week(match, published):
    monday = published - dt.timedelta(days=published.weekday())
    last = published - dt.timedelta(days=1) if match.group("earlier") and published > monday else published
    return monday, last, "week", "the publication week, from its Monday up to publication"


def _weekend(match, published):
    saturday = weekday_on_or_before(published, 5)
    sunday = min(saturday + dt.timedelta(days=1), published)
    return saturday, sunday, "week", "the most recent Saturday (and the Sunday after it) on or before publication"


def _last_month(match, published):
    previous = published.replace(day=1) - dt.timedelta(days=1)
    first, last = _month_range(previous.year, previous.month)
    return first, last, "month", "the calendar month before the publication month"


def _this_month(match, published):
    first = published.replace(day=1)
    last = published - dt.timedelta(days=1) if match.group("earlier") and published > first else published
    return first, last, "month", "the publication month up to publication"


_RESOLVERS = {
    "iso": _day_date,
    "month_day": _day_date,
    "day_month": _day_date,
    "month_year": _month_only,
    "month_part": _month_part,
    "month": _month_only,
    "weekday": _weekday,
    "yesterday": _days_back(1, "the day before publication"),
    "today": _days_back(0, "the publication date"),
    "days_ago": _n_ago(1, "day"),
    "weeks_ago": _n_ago(7, "week"),
    "last_week": _last_week,
    "this_week": _this_week,
    "weekend": _weekend,
    "last_month": _last_month,
    "this_month": _this_month,
}
