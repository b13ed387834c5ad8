"""Engine settings, the generic Ibis engine (DuckDB through a URL stands in for any backend), and events as tables."""
from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.core.query import counts, datasets, mapping, official, page_data, rows
from dashboard.core.query.engine import Engine
from dashboard.core.data.dataset import load_dataset
from dashboard.core.query.engines import (DEFAULT_MASTER, EngineSetting, EngineSettingError, IbisEngine,
                                          WarehouseTable, engine_setting, open_engine, spark_engine)
from dashboard.core.query.store import event_tables, is_tables_spec, open_data, table_paths, write_upload_tables
from dashboard.core.query.tables import TABLE_NAMES, UPLOAD_ORD_OFFSET
from dashboard.core.view.filters import Filters
from tests import engine_queries
from tests.engine_queries import FILTERS, QUERIES, answers, differences
from tests.generated import generated_events

ROOT = Path(__file__).resolve().parents[3]


# -- settings ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("", EngineSetting("duckdb")),
    ("DuckDB", EngineSetting("duckdb")),
    ("spark", EngineSetting("spark", master=DEFAULT_MASTER)),
    ("trino://me@warehouse:8080/hive/gdelt", EngineSetting("url", url="trino://me@warehouse:8080/hive/gdelt")),
    ("duckdb://", EngineSetting("url", url="duckdb://")),
])
def test_engine_setting_reads_the_value(value, expected):
    assert engine_setting(environ={"DASHBOARD_ENGINE": value}) == expected


def test_spark_master_comes_from_its_own_setting():
    setting = engine_setting(environ={"DASHBOARD_ENGINE": "spark", "DASHBOARD_SPARK_MASTER": "sc://spark:15002"})
    assert setting.master == "sc://spark:15002" and setting.label == "Spark (sc://spark:15002)"
    assert engine_setting("spark", "spark://10.0.0.5:7077", environ={}).master == "spark://10.0.0.5:7077"


@pytest.mark.parametrize("engine, master, words", [
    ("sqlserver-ish", None, ["DASHBOARD_ENGINE", "'sqlserver-ish'", "duckdb", "spark"]),
    ("spark://host:7077", None, ["write `spark`", "DASHBOARD_SPARK_MASTER"]),
    ("spark", "mesos://old", ["DASHBOARD_SPARK_MASTER", "'mesos://old'", "spark://host:7077"]),
    ("://nothing", None, ["not a backend URL"]),
])
def test_a_bad_setting_is_a_sentence(engine, master, words):
    with pytest.raises(EngineSettingError) as caught:
        engine_setting(engine, master, environ={})
    assert all(word in str(caught.value) for word in words), str(caught.value)


def test_an_unreachable_master_is_a_sentence_not_a_hang():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EngineSettingError, match=r"cannot be reached.*local\[2\]"):
        spark_engine(f"spark://127.0.0.1:{port}", environ={"JAVA_HOME": "/usr"})


def test_spark_without_its_packages_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    with pytest.raises(EngineSettingError, match=r"requirements-spark\.txt.*Java 17"):
        open_engine(engine_setting("spark", environ={}))


def test_a_url_whose_backend_is_missing_says_what_to_install():
    with pytest.raises(EngineSettingError, match=r"pip install 'ibis-framework\[clickhouse\]'"):
        open_engine(engine_setting("clickhouse://localhost:9000/default", environ={}))


def test_requirements_keep_spark_out_of_the_deployment():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    assert "pyspark" not in runtime and "py4j" not in runtime
    spark = (ROOT / "requirements-spark.txt").read_text()
    assert "pyspark==" in spark
    assert "requirements-spark.txt" in (ROOT / "requirements-dev.txt").read_text()


# -- the generic engine answers as DuckDB ------------------------------------------------------------
@pytest.fixture(scope="module")
def stored():
    return open_data()


@pytest.fixture(scope="module")
def both(stored):
    duck = Engine().register("bundled", stored.tables(), stored.sites)
    generic = open_engine(engine_setting("duckdb://", environ={}))
    assert isinstance(generic, IbisEngine)
    return duck, generic.register("bundled", stored.tables(), stored.sites)


@pytest.mark.parametrize("name", list(FILTERS))
def test_the_generic_engine_answers_every_query_as_duckdb(both, stored, name):
    duck, generic = both
    assert differences(answers(duck, stored, FILTERS[name]), answers(generic, stored, FILTERS[name])) == []


def test_the_generic_engine_writes_values_into_the_sql(both):
    _, generic = both
    from dashboard.core.query.filtering import Query

    q = Query(generic, Filters(countries=("Syria",), start=__import__("datetime").date(2024, 1, 1)))
    sql = generic.engine.sql(q.selected())
    assert "'Syria'" in sql and "MAKE_DATE(2024, 1, 1)" in sql and "getvariable" not in sql


def test_a_stack_on_the_generic_engine_refuses_a_reused_id(stored):
    generic = open_engine(engine_setting("duckdb://", environ={}))
    base = generic.register("base", stored.tables(), stored.sites)
    again = generic.register("again", stored.tables(), stored.sites)
    with pytest.raises(ValueError, match=rf"reuse {len(load_dataset(None).incidents)} incident id\(s\)"):
        generic.stack("twice", base, again)


def _query_functions():
    """Every public function of the query modules whose first parameter is a Source."""
    out = set()
    for module in (counts, datasets, mapping, official, page_data, rows):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = list(inspect.signature(function).parameters.values())
            if parameters and parameters[0].annotation in ("Source", "'Source'") or (
                    parameters and parameters[0].name == "source"):
                out.add(f"{module.__name__.rsplit('.', 1)[1]}.{name}")
    return out


def test_every_query_is_listed():
    """A query added to the query layer must be added to tests/engine_queries.py (proved equal on Spark)."""
    tree = ast.parse(Path(engine_queries.__file__).read_text())
    called = {f"{node.func.value.id}.{node.func.attr}" for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name)}
    functions = _query_functions()
    assert len(functions) >= 25
    assert functions - called == set()


# -- other warehouses on paper: every query compiles ----------------------------------------------------
DIALECTS = ("bigquery", "trino", "postgres")


def test_every_query_compiles_for_bigquery_trino_and_postgres(stored):
    """Each expression a query runs (on any filter combination) compiles with ``ibis.to_sql`` for each dialect."""
    import ibis

    engine = open_engine(engine_setting("duckdb://", environ={}))
    source = engine.register("bundled", stored.tables(), stored.sites)
    compiled = {dialect: set() for dialect in DIALECTS}
    failures, run = [], engine.run
    current = {}

    def compiling_run(expr, values=None):
        for dialect in DIALECTS:
            try:
                sql = ibis.to_sql(expr, dialect=dialect)
                assert "getvariable" not in sql
                compiled[dialect].add((current["query"], sql))
            except Exception as exc:  # every failure is listed, not only the first
                failures.append(f"{current['query']} on {dialect}: {type(exc).__name__}: {exc}")
        return run(expr, values)

    engine.run = compiling_run
    for filters in FILTERS.values():
        for name in QUERIES:
            current["query"] = name
            QUERIES[name](source, stored, filters)
    assert failures == []
    for dialect in DIALECTS:
        assert {query for query, _ in compiled[dialect]} == set(QUERIES), dialect
    print({dialect: len(statements) for dialect, statements in compiled.items()})


# -- events as Parquet tables and as warehouse tables ---------------------------------------------------
def _events_folder(stored, target: Path, n: int, first_ord: int, seed: int) -> Path:
    events = generated_events(n, stored.sites, seed=seed)
    events["incident_id"] = [f"EV{seed}-{i}" for i in range(n)]  # parts shown together keep their ids apart
    return write_upload_tables(events, stored.sites, target, first_ord)


def _rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(folder / "incidents.parquet").metadata.num_rows


def test_events_may_be_a_folder_of_tables_or_a_glob_of_them(stored, tmp_path):
    first = _events_folder(stored, tmp_path / "events" / "part-1", 200, UPLOAD_ORD_OFFSET, 1)
    second = _events_folder(stored, tmp_path / "events" / "part-2", 300, UPLOAD_ORD_OFFSET + 10_000, 2)
    assert is_tables_spec(first) and is_tables_spec(str(tmp_path / "events" / "part-*"))
    assert table_paths(first)["incidents"] == f"{first}/incidents.parquet"
    spec = str(tmp_path / "events" / "part-*")
    engine = Engine()
    source = engine.register("parts", table_paths(spec), stored.sites, in_memory=False)
    assert _rows(first) == 200 and _rows(second) == 300
    assert counts.headline(source, Filters())["Incidents"] == 500


def test_a_glob_of_parts_numbered_over_the_same_range_is_refused(stored, tmp_path):
    _events_folder(stored, tmp_path / "a", 50, UPLOAD_ORD_OFFSET, 1)
    _events_folder(stored, tmp_path / "b", 50, UPLOAD_ORD_OFFSET, 2)
    with pytest.raises(ValueError, match=r"number their incidents over the same range.*--first-ord"):
        table_paths(str(tmp_path / "[ab]"))


def test_a_tables_folder_missing_a_table_names_it(stored, tmp_path):
    folder = _events_folder(stored, tmp_path / "events", 20, UPLOAD_ORD_OFFSET, 1)
    (folder / "placements.parquet").unlink()
    with pytest.raises(ValueError, match=r"has no placements\.parquet and no folder placements/"):
        table_paths(folder)


def test_tables_written_as_parts_are_read(stored, tmp_path):
    folder = _events_folder(stored, tmp_path / "events", 40, UPLOAD_ORD_OFFSET, 1)
    import pyarrow.parquet as pq

    for name in TABLE_NAMES:  # as Spark writes a table: a folder of part files
        table = pq.read_table(folder / f"{name}.parquet")
        (folder / name).mkdir()
        half = table.num_rows // 2
        pq.write_table(table.slice(0, half), folder / name / "part-00000.parquet")
        pq.write_table(table.slice(half), folder / name / "part-00001.parquet")
        (folder / f"{name}.parquet").unlink()
    assert table_paths(folder)["incidents"].endswith("incidents/*.parquet")
    source = Engine().register("parts", table_paths(folder), stored.sites, in_memory=False)
    assert counts.headline(source, Filters())["Incidents"] == 40


def test_warehouse_tables_are_used_by_name(stored, tmp_path):
    folder = _events_folder(stored, tmp_path / "events", 30, UPLOAD_ORD_OFFSET, 1)
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        for name in TABLE_NAMES:
            connection.execute(f"CREATE TABLE gdelt_{name} AS SELECT * FROM read_parquet('{folder}/{name}.parquet')")
    assert event_tables("table:gdelt_")["incidents"] == WarehouseTable("gdelt_incidents")
    generic = open_engine(engine_setting(f"duckdb://{database}", environ={}))
    source = generic.register("events", event_tables("table:gdelt_"), stored.sites)
    assert counts.headline(source, Filters())["Incidents"] == 30
    with pytest.raises(ValueError, match="prefix"):
        event_tables("table:gdelt; DROP")


def test_prepare_writes_a_tables_folder_and_proves_the_engine_answers(tmp_path):
    from tests.core.importers.conftest import acled_row, acled_text

    export = tmp_path / "acled.csv"
    export.write_text(acled_text([acled_row(i) for i in range(1, 61)]), encoding="utf-8")
    out = tmp_path / "shared" / "events"
    command = [sys.executable, "-m", "dashboard", "prepare", "--events", str(export), "--out", str(out),
               "--engine", "duckdb"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "DASHBOARD_CACHE": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    assert "engine: DuckDB (embedded) answers Incidents" in done.stdout
    assert all((out / f"{name}.parquet").is_file() for name in TABLE_NAMES)
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env={**__import__("os").environ, "DASHBOARD_CACHE": str(tmp_path / "cache")})
    assert again.returncode == 1 and "exists" in again.stderr  # nothing overwritten
    wrong = subprocess.run([sys.executable, "-m", "dashboard", "prepare", "--engine", "oracle-ish"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr and "`duckdb`, `spark`" in wrong.stderr
