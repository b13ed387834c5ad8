"""Filters: inclusive date range, and list columns matched on any value."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.view.filters import Filters, apply_filters

D = dt.date


@pytest.fixture
def incidents(mini_data):
    return load_dataset(mini_data).incidents


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(), ["I-1", "I-2", "I-3", "I-4", "I-5", "I-6"]),
        (Filters(start=D(2023, 10, 18), end=D(2023, 10, 18)), ["I-1", "I-2"]),  # one day, both edges inclusive
        (Filters(start=D(2023, 10, 19), end=D(2023, 10, 25)), ["I-3"]),
        (Filters(start=D(2023, 10, 26), end=D(2023, 11, 1)), []),
        (Filters(start=D(2023, 11, 20)), ["I-6"]),
        (Filters(end=D(2023, 10, 17)), []),
        (Filters(countries=("Iraq",)), ["I-1", "I-3", "I-4"]),
        (Filters(countries=("Syria",)), ["I-2", "I-3", "I-5", "I-6"]),
        (Filters(sites=("SY-B",)), ["I-3", "I-6"]),
        (Filters(sites=("IQ-A", "SY-C")), ["I-1", "I-2", "I-3"]),
        (Filters(types=("rocket", "mixed")), ["I-2", "I-3"]),
        (Filters(statuses=("claim-only", "local-official")), ["I-2", "I-4"]),
        (Filters(start=D(2023, 10, 1), countries=("Syria",), types=("drone",)), ["I-6"]),
    ],
)
def test_filters_select_expected_incidents(incidents, filters, expected):
    assert list(apply_filters(incidents, filters)["incident_id"]) == expected


def test_start_after_end_is_refused():
    with pytest.raises(ValueError, match="`start` was 2023-11-02 but must not be after `end`"):
        Filters(start=D(2023, 11, 2), end=D(2023, 11, 1))


def test_a_string_instead_of_a_tuple_is_refused():
    with pytest.raises(TypeError, match="`countries` was 'Iraq'"):
        Filters(countries="Iraq")


def test_filters_are_hashable():
    assert hash(Filters(countries=("Iraq",))) == hash(Filters(countries=("Iraq",)))
