"""Every query of the query layer answers on a Spark standalone cluster exactly as DuckDB does, at 1e6 incidents.

The same Parquet tables are registered in DuckDB and in Spark (two workers,
one core each); each filter combination asks every query of
``tests/engine_queries.py`` of both and compares the answers. The latencies
are written to test-artifacts/spark-latencies.json for the closing note.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest

from tests.engine_queries import FILTERS, QUERIES, answers, differences

pytestmark = [pytest.mark.spark, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: The combinations asked at 1e6: together they filter by every kind (dates, countries, sites, types, statuses) and
#: select everything, a part and nothing. Each costs about 55 s on the two one-core workers (the rest of
#: ``FILTERS`` runs on the generic engine in tests/core/query/test_engines.py).
ASKED = ("everything", "two countries and types", "sites, statuses and a range", "nothing matches")
TIMES: dict[str, dict[str, list[float]]] = {"duckdb": {}, "spark": {}}


@pytest.fixture(scope="module")
def stored(million):
    from dashboard.core.query.store import open_data

    folder, cache = million
    return open_data(folder, root=cache)


@pytest.fixture(scope="module")
def engines(cluster, stored):
    from dashboard.core.query.engine import Engine
    from dashboard.core.query.engines import engine_setting, open_engine

    duck = Engine(in_memory=False).register("bundled", stored.tables(), stored.sites)
    spark = open_engine(engine_setting("spark", cluster.master_url, environ={}), conf=cluster.session_conf())
    try:
        yield duck, spark.register("bundled", stored.tables(), stored.sites)
    finally:
        spark.close()  # frees the cluster's cores for the app test


def _timed(kind: str, source, stored, filters) -> dict:
    out = {}
    for name in QUERIES:
        started = time.perf_counter()
        out.update(answers(source, stored, filters, [name]))
        TIMES[kind].setdefault(name, []).append(time.perf_counter() - started)
    return out


def test_the_cluster_runs_two_workers(cluster, engines):
    _, spark = engines
    assert cluster.registered_workers() == 2
    session = spark.engine.backend._session
    assert session.sparkContext.master == cluster.master_url
    assert session.sparkContext.defaultParallelism >= 2  # both workers' cores


def test_the_data_set_has_a_million_incidents(stored, engines):
    from dashboard.core.query.rows import total
    from dashboard.core.view.filters import Filters

    duck, spark = engines
    assert stored.rows["incidents"] >= 1_000_000
    assert total(spark, Filters()) == total(duck, Filters()) == stored.rows["incidents"]


@pytest.mark.parametrize("name", ASKED)
def test_every_query_answers_as_duckdb(engines, stored, name):
    duck, spark = engines
    expected = _timed("duckdb", duck, stored, FILTERS[name])
    got = _timed("spark", spark, stored, FILTERS[name])
    assert differences(expected, got) == []


def test_write_latencies():
    """The median time of each query on both engines (from the comparisons above), for the closing note."""
    if not TIMES["spark"]:
        pytest.skip("no comparison ran")
    ARTIFACTS.mkdir(exist_ok=True)
    table = {name: {kind: round(statistics.median(TIMES[kind][name]) * 1000, 1) for kind in TIMES}
             for name in QUERIES if name in TIMES["spark"]}
    compared = sum(len(v) for v in TIMES["spark"].values())
    (ARTIFACTS / "spark-latencies.json").write_text(json.dumps({"queries compared": compared, "median ms": table},
                                                               indent=1))
    assert compared == len(QUERIES) * len(ASKED)
