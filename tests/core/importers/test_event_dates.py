"""Date formats are chosen once per file; day-month order is settled by the file, not by each row."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core.importers.event_dates import choose_date_formats, parse_dates

CASES = [
    # values, year column, formats chosen, order note, ISO result
    (["2023-10-17", "2023-10-18"], None, ("%Y-%m-%d",), "", ["2023-10-17", "2023-10-18"]),
    (["17 October 2023", "1 March 2020"], None, ("%d %B %Y",), "", ["2023-10-17", "2020-03-01"]),
    (["17-Oct-23", "9-May-20"], None, ("%d-%b-%y",), "", ["2023-10-17", "2020-05-09"]),
    (["01-January-2015"], None, ("%d-%B-%Y",), "", ["2015-01-01"]),
    (["20231017"], None, ("%Y%m%d",), "", ["2023-10-17"]),
    (["2026-07-11 00:00:00.000"], None, ("%Y-%m-%d %H:%M:%S.%f",), "", ["2026-07-11"]),
    (["31-12-19", "04-01-19"], None, ("%d-%m-%y",), "day-month order: some dates only make sense that way",
     ["2019-12-31", "2019-01-04"]),
    (["12-31-19", "04-01-19"], None, ("%m-%d-%y",), "month-day order: some dates only make sense that way",
     ["2019-12-31", "2019-04-01"]),
    (["04-01-19", "05-02-19"], None, ("%d-%m-%y",), "day-month order assumed: no date has a day over 12",
     ["2019-01-04", "2019-02-05"]),
    (["18/04/2001", "03/05/2001"], None, ("%d/%m/%Y",), "day-month order: some dates only make sense that way",
     ["2001-04-18", "2001-05-03"]),
    (["2023-10-17", "17 October 2023", "junk", ""], None, ("%Y-%m-%d", "%d %B %Y"), "",
     ["2023-10-17", "2023-10-17", "", ""]),
    (["04-01-04", "05-02-04"], ["2004", "2004"], ("%d-%m-%y",), "day-month order assumed: no date has a day over 12",
     ["2004-01-04", "2004-02-05"]),
]


@pytest.mark.parametrize("values, years, formats, note, iso", CASES)
def test_formats_are_chosen_per_file(values, years, formats, note, iso):
    series = pd.Series(values, dtype="str")
    choice = choose_date_formats(series, None if years is None else pd.Series(years * (len(values) // len(years))))
    assert (choice.formats, choice.note) == (formats, note)
    assert parse_dates(series, choice).tolist() == iso


def test_day_month_order_is_not_mixed_within_a_file():
    # 13-01-20 settles day-month; 01-13-20 must then be refused rather than read month-day.
    series = pd.Series(["13-01-20", "01-13-20", "02-03-20"], dtype="str")
    choice = choose_date_formats(series)
    assert choice.formats == ("%d-%m-%y",)
    assert parse_dates(series, choice).tolist() == ["2020-01-13", "", "2020-03-02"]


def test_year_column_breaks_a_tie_between_formats():
    # As %d-%m-%Y the two-digit years would read as the year 19 and be refused; as %d-%m-%y they agree.
    series = pd.Series(["31-12-19"], dtype="str")
    assert choose_date_formats(series, pd.Series(["2019"])).formats == ("%d-%m-%y",)


def test_no_dates_at_all():
    choice = choose_date_formats(pd.Series(["", "soon"], dtype="str"))
    assert choice.formats == () and parse_dates(pd.Series(["soon"]), choice).tolist() == [""]
