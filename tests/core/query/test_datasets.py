"""What a source holds per dataset (the title's input): the curated incidents, each imported dataset, or both."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.importers import import_events
from dashboard.core.query.datasets import data_parts
from dashboard.core.query.store import source_for
from dashboard.core.view.describe import CURATED, DataPart, dataset_title

from tests.conftest import ROOT

UCDP_FILE = ROOT / "tests" / "data" / "importers" / "ucdp_ged_hdx_iraq.csv"
GDELT_FILE = ROOT / "tests" / "data" / "importers" / "gdelt2_sample.export.CSV"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def bundled_part(dataset) -> DataPart:
    incidents = dataset.incidents
    return DataPart(CURATED, tuple(sorted({c for values in incidents["country"] for c in values})),
                    incidents["date"].min().date(), incidents["date"].max().date())


def imported_part(events: pd.DataFrame, name: str) -> DataPart:
    dates = pd.to_datetime(events["date"])
    return DataPart(name, tuple(sorted(set(events["country"]) - {""})), dates.min().date(), dates.max().date())


@pytest.mark.parametrize("path, name", [(UCDP_FILE, "UCDP GED"), (GDELT_FILE, "GDELT")])
@pytest.mark.parametrize("mode", ["bundled", "uploaded", "both"])
def test_parts_per_mode(dataset, bundled_part, path, name, mode):
    events = import_events(path, sites=dataset.sites).events
    source = source_for(dataset, name=f"d_{mode}_{name.split()[0].lower()}", events=events, mode=mode)
    expected = {"bundled": (bundled_part,), "uploaded": (imported_part(events, name),),
                "both": (bundled_part, imported_part(events, name))}[mode]
    assert data_parts(source) == expected


def test_title_of_an_upload_shown_with_the_bundled_data(dataset):
    events = import_events(UCDP_FILE, sites=dataset.sites).events
    title = dataset_title(data_parts(source_for(dataset, name="title_both", events=events, mode="both")))
    first, last = pd.to_datetime(events["date"]).min().year, pd.to_datetime(events["date"]).max().year
    assert title == ("Attacks on US and coalition forces in Iraq, Syria and Jordan, with UCDP GED events "
                     f"(Iraq, {first}–{last})")


def test_parts_are_hashable_for_the_cache(dataset):
    parts = data_parts(source_for(dataset, name="hashable"))
    assert hash(parts) == hash(tuple(parts)) and all(isinstance(p.first, dt.date) for p in parts)
