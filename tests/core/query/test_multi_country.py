"""count_multi_country: the selected incidents naming several countries, checked against the incidents' own lists."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.query.counts import MultiCountry, count_multi_country
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters, filter_mask
from tests.generated import generated_folder

D = dt.date
FILTERS = [
    Filters(),
    Filters(countries=("Syria",)),
    Filters(countries=("Iraq",)),
    Filters(countries=("Jordan",)),
    Filters(countries=("Iraq", "Syria")),
    Filters(countries=("Syria", "Jordan")),
    Filters(countries=("Iraq", "Jordan", "Syria")),
    Filters(start=D(2024, 1, 22), end=D(2024, 1, 28)),
    Filters(start=D(2023, 11, 1), end=D(2023, 11, 30), countries=("Syria",)),
    Filters(countries=("Syria",), types=("drone",)),
    Filters(start=D(2030, 1, 1), countries=("Syria",)),  # nothing selected
]


def expected(incidents, filters: Filters) -> MultiCountry:
    """The same figures from the incidents' country lists, one incident at a time."""
    chosen = incidents[filter_mask(incidents, filters)]
    named = [set(c for c in countries if c) for countries in chosen["country"]]
    several = [countries for countries in named if len(countries) > 1]
    if not filters.countries:
        return MultiCountry(len(several))
    outside = [countries - set(filters.countries) for countries in several]
    outside = [countries for countries in outside if countries]
    per_country: dict[str, int] = {}
    for countries in outside:
        for country in countries:
            per_country[country] = per_country.get(country, 0) + 1
    order = tuple(sorted(per_country, key=lambda c: (-per_country[c], c)))
    return MultiCountry(len(several), len(outside), order)


@pytest.fixture(scope="module")
def bundled():
    dataset = load_dataset()
    return source_for(dataset), dataset.incidents


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    dataset = load_dataset(generated_folder(tmp_path_factory.mktemp("multi"), 2000))
    return source_for(dataset), dataset.incidents


@pytest.mark.parametrize("filters", FILTERS, ids=[f"f{i}" for i in range(len(FILTERS))])
@pytest.mark.parametrize("data", ["bundled", "generated"])
def test_answers_as_the_incidents_lists(request, data, filters):
    source, incidents = request.getfixturevalue(data)
    assert count_multi_country(source, filters) == expected(incidents, filters)


def test_the_generated_data_exercises_every_branch(generated):
    source, _ = generated
    assert count_multi_country(source, Filters()).incidents > 10
    spread = count_multi_country(source, Filters(countries=("Syria",)))
    assert spread.outside > 0 and set(spread.countries) == {"Iraq", "Jordan"}


def test_the_bundled_syria_view_counts_its_iraq_incidents(bundled):
    """The case seen on the Charts page: Syria chosen, incidents naming Iraq too."""
    source, incidents = bundled
    both = sum(1 for countries in incidents["country"] if {"Iraq", "Syria"} <= set(countries))
    assert both > 0
    found = count_multi_country(source, Filters(countries=("Syria",)))
    assert (found.outside, found.countries) == (both, ("Iraq",))


@pytest.mark.parametrize("figures, note", [
    (MultiCountry(0), ""),
    (MultiCountry(1), "1 of the selected incidents names more than one country and counts under each of them."),
    (MultiCountry(4), "4 of the selected incidents name more than one country and count under each of them."),
    (MultiCountry(4, 1, ("Iraq",)),
     "1 of the selected incidents names more than one country, so it also counts under Iraq."),
    (MultiCountry(4, 3, ("Iraq",)),
     "3 of the selected incidents name more than one country, so they also count under Iraq."),
    (MultiCountry(5, 3, ("Iraq", "Jordan")),
     "3 of the selected incidents name more than one country, so they also count under Iraq and Jordan."),
    (MultiCountry(5, 3, ("Iraq", "Jordan", "Lebanon")),
     "3 of the selected incidents name more than one country, so they also count under Iraq, Jordan and Lebanon."),
    (MultiCountry(1500, 1200, ("Iraq",)),
     "1,200 of the selected incidents name more than one country, so they also count under Iraq."),
])
def test_the_note(figures, note):
    assert figures.note() == note
