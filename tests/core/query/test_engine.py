"""The engine and the Parquet cache: sources registered once, uploads stacked and dropped, SQL compiled once
per shape, cursors shared safely between threads, a data folder converted once and never half-written."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.data.problems import DataValidationError
from dashboard.core.query import counts, rows, store
from dashboard.core.query.engine import Engine
from dashboard.core.query.store import open_data, source_for
from dashboard.core.query.tables import upload_tables
from dashboard.core.view.filters import Filters
from tests.generated import generated_events


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_an_upload_is_stacked_then_dropped_with_its_views(dataset):
    engine = Engine()
    base = source_for(dataset, engine, "base")
    upload = engine.register("upload", upload_tables(generated_events(300, dataset.sites), dataset.sites),
                             dataset.sites, in_memory=False)
    both = engine.stack("both", base, upload)
    assert rows.total(both, Filters()) == rows.total(base, Filters()) + rows.total(upload, Filters())
    engine.drop("upload")
    assert set(engine.sources()) == {"base"}
    left = engine.run_sql("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'upload__%' "
                          "OR table_name LIKE 'both__%'")
    assert left.empty
    assert rows.total(base, Filters()) == len(dataset.incidents)


def test_stacking_refuses_an_id_in_both(dataset):
    engine = Engine()
    base = source_for(dataset, engine, "base")
    again = source_for(dataset, engine, "again")
    with pytest.raises(ValueError, match=f"reuse {len(dataset.incidents)} incident id"):
        engine.stack("both", base, again)


@pytest.mark.parametrize("name", ["Upload", "1st", "x;drop", "a" * 64, ""])
def test_source_names_are_plain_identifiers(name):
    with pytest.raises(ValueError, match="`name` was"):
        Engine().stack(name, None, None)


def test_each_shape_of_query_is_compiled_once(dataset):
    source = source_for(dataset)
    engine = source.engine
    counts.count_by(source, Filters(countries=("Iraq",), start=dt.date(2023, 11, 1)), "event_type")
    compiled = len(engine._compiled)
    first = counts.count_by(source, Filters(countries=("Syria", "Jordan"), start=dt.date(2024, 1, 1)), "event_type")
    assert len(engine._compiled) == compiled  # other values, same SQL
    counts.count_by(source, Filters(sites=("IQ-ASAD",)), "event_type")
    assert len(engine._compiled) > compiled  # another shape
    assert int(first["count"].sum()) == rows.total(source, Filters(countries=("Syria", "Jordan"),
                                                                    start=dt.date(2024, 1, 1)))


def test_threads_share_the_engine_and_each_gets_its_own_answer(dataset):
    source = source_for(dataset)
    countries = ["Iraq", "Syria", "Jordan"] * 6
    expected = {c: rows.total(source, Filters(countries=(c,))) for c in set(countries)}
    got, errors = {}, []

    def ask(index, country):
        try:
            got[index] = (country, rows.total(source, Filters(countries=(country,))))
        except Exception as exc:  # noqa: BLE001 (collected, then asserted)
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i, c)) for i, c in enumerate(countries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(total == expected[country] for country, total in got.values()) and len(got) == len(countries)


def test_a_folder_is_converted_once(mini_data, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = open_data(mini_data, cache)
    assert set(p.name for p in first.folder.iterdir()) >= {"incidents.parquet", "placements.parquet", "manifest.json"}
    monkeypatch.setattr(store, "load_dataset", lambda *a, **k: pytest.fail("converted a second time"))
    again = open_data(mini_data, cache)
    assert again.key == first.key and list(again.official_counts["count_id"]) == ["OC-1", "OC-2"]
    assert [p.name for p in cache.iterdir()] == [first.key]  # no scratch folder left behind


def test_a_changed_file_is_a_new_entry_and_bad_data_caches_nothing(mini_data, tmp_path):
    cache = tmp_path / "cache"
    first = open_data(mini_data, cache)
    path = mini_data / "incidents.csv"
    path.write_text(path.read_text().replace("2023-11-20", "2023-11-31"))
    with pytest.raises(DataValidationError, match="1 problem"):
        open_data(mini_data, cache)
    assert [p.name for p in cache.iterdir()] == [first.key]


def test_a_source_built_from_a_changed_dataset_answers_for_it(dataset):
    fewer = replace(dataset, incidents=dataset.incidents.iloc[:10])
    assert rows.total(source_for(fewer), Filters()) == 10


def test_data_sets_unused_for_a_week_are_pruned_when_another_is_written(mini_data, tmp_path):
    import os
    import time

    cache = tmp_path / "cache"
    first = open_data(mini_data, cache)
    week_ago = time.time() - store.KEEP_UNUSED_S - 60
    os.utime(first.folder / store.MANIFEST, (week_ago, week_ago))
    path = mini_data / "incidents.csv"
    path.write_text(path.read_text().replace("2023-11-20", "2023-11-21"))
    second = open_data(mini_data, cache)
    assert [p.name for p in cache.iterdir()] == [second.key]
    recent = open_data(mini_data, cache)  # opening again keeps it (and marks it used)
    assert recent.key == second.key and (cache / second.key).is_dir()
