"""Absolute and relative dates, resolved against the publication date, across month and year ends."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.articles.date_mentions import find_dates, weekday_on_or_before

# (published, text, expected span text, date, date_end, precision, kind)
ABSOLUTE = [
    ("2023-11-23", "Attacks since October 17 rose.", "October 17", "2023-10-17", "2023-10-17", "day", "absolute"),
    ("2023-11-23", "It was 17 Oct 2023 then.", "17 Oct 2023", "2023-10-17", "2023-10-17", "day", "absolute"),
    ("2023-11-23", "It was Nov. 17 then.", "Nov. 17", "2023-11-17", "2023-11-17", "day", "absolute"),
    ("2023-11-23", "It was Oct. 17, 2023, then.", "Oct. 17, 2023", "2023-10-17", "2023-10-17", "day", "absolute"),
    ("2023-11-23", "It was Sept. 3 then.", "Sept. 3", "2023-09-03", "2023-09-03", "day", "absolute"),
    ("2023-11-23", "It was the 5th of November.", "5th of November", "2023-11-05", "2023-11-05", "day", "absolute"),
    ("2023-11-23", "Recorded 2023-11-12 at noon.", "2023-11-12", "2023-11-12", "2023-11-12", "day", "absolute"),
    ("2023-11-23", "It happened on Nov. 23.", "Nov. 23", "2023-11-23", "2023-11-23", "day", "absolute"),
    # no year: the most recent such date on or before publication, across the year end
    ("2024-01-05", "The strike of Dec. 25 was the first.", "Dec. 25", "2023-12-25", "2023-12-25", "day", "absolute"),
    ("2024-01-05", "On January 4 a drone hit.", "January 4", "2024-01-04", "2024-01-04", "day", "absolute"),
    ("2024-01-05", "Attacks since Oct. 17 rose.", "Oct. 17", "2023-10-17", "2023-10-17", "day", "absolute"),
    ("2024-03-01", "It was Feb. 29 then.", "Feb. 29", "2024-02-29", "2024-02-29", "day", "absolute"),
    ("2023-11-23", "Attacks in October rose.", "October", "2023-10-01", "2023-10-31", "month", "absolute"),
    ("2024-01-05", "Attacks in December rose.", "December", "2023-12-01", "2023-12-31", "month", "absolute"),
    ("2023-11-23", "Attacks rose in mid-November.", "mid-November", "2023-11-11", "2023-11-20", "month", "absolute"),
    ("2024-01-05", "Attacks rose in late December.", "late December", "2023-12-21", "2023-12-31", "month", "absolute"),
    ("2023-11-23", "Attacks rose in early November.", "early November", "2023-11-01", "2023-11-10", "month", "absolute"),
    ("2024-11-23", "Attacks fell in February 2024.", "February 2024", "2024-02-01", "2024-02-29", "month", "absolute"),
]

RELATIVE = [
    # weekdays: the most recent such day on or before publication (Thursday 2023-11-23)
    ("2023-11-23", "The latest, on Sunday, hit.", "on Sunday", "2023-11-19", "2023-11-19", "day"),
    ("2023-11-23", "Sanctions came on Friday.", "on Friday", "2023-11-17", "2023-11-17", "day"),
    ("2023-11-23", "It came on Thursday.", "on Thursday", "2023-11-23", "2023-11-23", "day"),
    ("2023-11-23", "It came last Thursday.", "last Thursday", "2023-11-16", "2023-11-16", "day"),
    ("2023-11-23", "Late Tuesday night, rockets fell.", "Late Tuesday night", "2023-11-21", "2023-11-21", "day"),
    ("2023-11-23", "Sunday's strike was the third.", "Sunday's", "2023-11-19", "2023-11-19", "day"),
    # across a month end (published Thursday 2023-11-02) and a year end (Tuesday 2024-01-02)
    ("2023-11-02", "The attack on Sunday hit.", "on Sunday", "2023-10-29", "2023-10-29", "day"),
    ("2023-11-02", "The attack on Tuesday hit.", "on Tuesday", "2023-10-31", "2023-10-31", "day"),
    ("2024-01-02", "The attack on Sunday hit.", "on Sunday", "2023-12-31", "2023-12-31", "day"),
    ("2024-01-02", "The attack on Friday hit.", "on Friday", "2023-12-29", "2023-12-29", "day"),
    ("2024-01-01", "It happened yesterday.", "yesterday", "2023-12-31", "2023-12-31", "day"),
    ("2024-03-01", "It happened yesterday.", "yesterday", "2024-02-29", "2024-02-29", "day"),
    ("2023-11-23", "Rockets fell last night.", "last night", "2023-11-22", "2023-11-22", "day"),
    ("2023-11-23", "Rockets fell today.", "today", "2023-11-23", "2023-11-23", "day"),
    ("2023-11-23", "Rockets fell two days ago.", "two days ago", "2023-11-21", "2023-11-21", "day"),
    ("2024-01-02", "Rockets fell three days ago.", "three days ago", "2023-12-30", "2023-12-30", "day"),
    # weeks: Monday to Sunday
    ("2023-11-23", "Attacks last week rose.", "last week", "2023-11-13", "2023-11-19", "week"),
    ("2024-01-03", "Attacks last week rose.", "last week", "2023-12-25", "2023-12-31", "week"),
    ("2023-11-23", "Attacks earlier this week rose.", "earlier this week", "2023-11-20", "2023-11-22", "week"),
    ("2023-11-23", "Attacks this week rose.", "this week", "2023-11-20", "2023-11-23", "week"),
    ("2023-11-23", "Attacks over the weekend rose.", "over the weekend", "2023-11-18", "2023-11-19", "week"),
    ("2023-11-23", "Attacks two weeks ago rose.", "two weeks ago", "2023-11-06", "2023-11-12", "week"),
    # months
    ("2023-11-23", "Attacks earlier this month rose.", "earlier this month", "2023-11-01", "2023-11-22", "month"),
    ("2024-01-10", "Attacks last month rose.", "last month", "2023-12-01", "2023-12-31", "month"),
    ("2024-03-10", "Attacks last month rose.", "last month", "2024-02-01", "2024-02-29", "month"),
    ("2024-01-10", "Attacks this month rose.", "this month", "2024-01-01", "2024-01-10", "month"),
]


@pytest.mark.parametrize("published, text, written, first, last, precision, kind", ABSOLUTE)
def test_absolute_dates(published, text, written, first, last, precision, kind):
    found = find_dates(text, dt.date.fromisoformat(published))
    assert [(d["text"], d["date"], d["date_end"], d["precision"], d["kind"]) for d in found] == \
        [(written, first, last, precision, kind)]
    assert text[found[0]["start"]:found[0]["end"]] == written


@pytest.mark.parametrize("published, text, written, first, last, precision", RELATIVE)
def test_relative_dates(published, text, written, first, last, precision):
    found = find_dates(text, dt.date.fromisoformat(published))
    assert [(d["text"], d["date"], d["date_end"], d["precision"], d["kind"]) for d in found] == \
        [(written, first, last, precision, "relative")]
    assert text[found[0]["start"]:found[0]["end"]] == written
    assert found[0]["rule"]


@pytest.mark.parametrize("text", [
    "Officials may respond.", "They march on.", "The sun rose.", "Octopus ink.", "A 17 percent rise.",
    "Troops were told to stay in Iraq.", "Oct 32 is no date.",
])
def test_words_that_are_not_dates(text):
    assert find_dates(text, dt.date(2023, 11, 23)) == []


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("published", ["2023-12-28", "2023-12-31", "2024-01-01", "2024-02-29", "2024-03-03"])
def test_weekday_rule_is_the_most_recent_on_or_before(published, weekday):
    day = dt.date.fromisoformat(published)
    found = weekday_on_or_before(day, weekday)
    assert found.weekday() == weekday and 0 <= (day - found).days <= 6
    strictly = weekday_on_or_before(day, weekday, strictly_before=True)
    assert strictly.weekday() == weekday and 1 <= (day - strictly).days <= 7


def test_dateline_date_is_marked():
    text = "BAGHDAD, Jan 2 (Wire) - Rockets hit the base on Sunday."
    found = find_dates(text, dt.date(2024, 1, 2))
    assert [(d["text"], d["dateline"]) for d in found] == [("Jan 2", True), ("on Sunday", False)]


def test_published_must_be_a_date():
    with pytest.raises(TypeError, match="`published` was '2023-11-23'"):
        find_dates("on Sunday", "2023-11-23")
