"""Counts per site hold no missing value: the incidents naming no site are a row of their own, named, country "".

A NaN there reached the per-site chart's Vega spec, whose JSON (``allow_nan=False``) the HTML export refuses.
"""
from __future__ import annotations

import json

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.query import counts, reference
from dashboard.core.query.page_data import chart_data
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters


@pytest.fixture
def dataset(mini_data):
    return load_dataset(mini_data)


@pytest.fixture
def source(dataset):
    return source_for(dataset)


def no_nan(text: str):
    """Parse JSON strictly: NaN and Infinity are errors, as they are for JavaScript's JSON.parse."""
    def refuse(name):
        raise ValueError(f"{name} in the JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",))], ids=["all", "Syria"])
def test_the_row_of_incidents_naming_no_site_is_complete(source, dataset, filters):
    per_site = counts.count_by_site(source, filters, dataset.sites)
    assert not per_site.isna().any().any(), per_site[per_site.isna().any(axis=1)]
    nameless = per_site.set_index("site_id").loc[""]  # I-5 names no site
    assert (nameless["name"], nameless["country"], nameless["count"]) == ("(no site named)", "", 1)
    named = per_site.set_index("site_id").drop(index="")
    gazetteer = dict(zip(dataset.sites["site_id"], dataset.sites["country"]))
    assert dict(zip(named.index, named["country"])) == {site: gazetteer[site] for site in named.index}


def test_the_reference_agrees(source, dataset):
    ours = counts.count_by_site(source, Filters(), dataset.sites).sort_values("site_id").reset_index(drop=True)
    theirs = reference.count_by_site(dataset.incidents, dataset.sites).sort_values("site_id").reset_index(drop=True)
    assert ours.astype(str).to_dict("records") == theirs.astype(str).to_dict("records")
    assert not theirs.isna().any().any()


def test_chart_data_per_site_has_no_missing_value(source, dataset):
    data = chart_data(source, Filters(), dataset.sites, dataset.official_counts, "week", "2023-10-18", "2023-11-20")
    per_site = data["per_site"]
    assert "" in set(per_site["site_id"])
    assert not per_site.isna().any().any()
    no_nan(per_site.to_json(orient="records"))
