"""The sentence that says what a view shows."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.view.describe import describe_filters
from dashboard.core.view.filters import Filters

D = dt.date


@pytest.mark.parametrize(
    "filters, count, expected",
    [
        (Filters(), 123, "123 incidents, 18 Oct 2023 – 13 Nov 2024, all countries, all types"),
        (Filters(start=D(2023, 10, 17), end=D(2023, 11, 23), countries=("Iraq", "Syria")), 70,
         "70 incidents, 17 Oct 2023 – 23 Nov 2023, Iraq and Syria, all types"),
        (Filters(start=D(2023, 11, 1), end=D(2023, 11, 1)), 1, "1 incident, 1 Nov 2023, all countries, all types"),
        (Filters(types=("drone", "rocket"), sites=("SY-TANF",), statuses=("claim-only",)), 0,
         "0 incidents, 18 Oct 2023 – 13 Nov 2024, all countries, at Al-Tanf Garrison, drone or rocket / mortar, "
         "claim only, unconfirmed"),
        (Filters(countries=("Iraq", "Jordan", "Syria")), 5, "5 incidents, 18 Oct 2023 – 13 Nov 2024, Iraq, Jordan and Syria, all types"),
    ],
)
def test_describe(filters, count, expected):
    text = describe_filters(filters, count, D(2023, 10, 18), D(2024, 11, 13), {"SY-TANF": "Al-Tanf Garrison"})
    assert text == expected
