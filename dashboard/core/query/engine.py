"""The default query engine: one embedded DuckDB, reached through Ibis, holding each data set's tables once per process.

Other engines (Spark, an Ibis backend URL) answer the same queries through
:class:`~dashboard.core.query.engines.IbisEngine`; both have the methods the
query layer calls: ``register``, ``stack``, ``source``, ``drop``, ``bind``,
``member``, ``run`` and ``scalar``.

A :class:`Source` names the tables of one data set (the bundled data, an
upload, or both stacked); queries are Ibis expressions over a source's tables,
compiled to SQL and run on a cursor of the calling thread (a DuckDB connection
must not be shared between threads; its cursors may). The engine is read-only
once a source is registered: nothing a query does changes a table.

Filter values reach DuckDB as session variables (``getvariable('p_start')``;
see :func:`variable`), so a query's SQL is the same whatever the values and is
compiled once per shape: compiling costs more than running at a million rows.
"""
from __future__ import annotations

import datetime as dt
import queue
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.datatypes as dtypes
import pandas as pd
import pyarrow as pa

from dashboard.core.query.tables import TABLE_NAMES

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
VARIABLE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
#: Compiled SQL kept per query shape.
COMPILED_ENTRIES = 2048
#: Queries that may run at once (each on its own cursor); more wait for one to finish.
CURSORS = 4


@ibis.udf.scalar.builtin(name="getvariable")
def _date_variable(name: str) -> dtypes.date:
    """DuckDB's ``getvariable`` read as a date (plain DuckDB: Ibis has no query parameters for lists)."""


@ibis.udf.scalar.builtin(name="getvariable")
def _strings_variable(name: str) -> dtypes.Array(dtypes.string):
    """DuckDB's ``getvariable`` read as a list of strings."""


def _sql_type(value) -> str:
    if isinstance(value, dt.date):
        return "DATE"
    if isinstance(value, (list, tuple)):
        return "VARCHAR[]"
    raise TypeError(f"`value` was {value!r} but is expected to be a date or a list of strings")


def variable(name: str, value) -> ibis.Expr:
    """An expression reading the session variable ``name`` (a date, or a list or tuple of strings)."""
    if not VARIABLE.match(name):
        raise ValueError(f"`name` was {name!r} but is expected to be a lower-case identifier")
    return (_date_variable if _sql_type(value) == "DATE" else _strings_variable)(name).name(name)
SITE_COLUMNS = ["site_id", "name", "country", "lat", "lon", "coord_precision"]


@dataclass(frozen=True)
class WarehouseTable:
    """A table that already exists in the engine's database (a warehouse), used by name instead of Parquet files."""

    name: str


@dataclass(frozen=True)
class Source:
    """The tables of one data set in an :class:`Engine` (Ibis table expressions) and the gazetteer beside them."""

    engine: "Engine"
    name: str
    incidents: ibis.Table
    incident_sites: ibis.Table
    incident_countries: ibis.Table
    placements: ibis.Table
    sites: ibis.Table

    def table(self, name: str) -> ibis.Table:
        return getattr(self, name)


class Engine:
    """An in-memory DuckDB database and the sources registered in it.

    Parameters
    ----------
    in_memory : bool
        Copy each Parquet file into DuckDB's own columnar tables (the memory
        of the data once per process: 6.3 GB at 1e7 incidents), or query the
        files in place (``False``: a few hundred MB whatever the size, and as
        fast at 1e6 and 1e7 incidents once the Parquet metadata is cached).
    threads : int, optional
        DuckDB's worker threads (default: one per core).
    """

    #: What :func:`dashboard.core.query.engines.engine_label` shows.
    kind = "duckdb"
    label = "DuckDB (embedded)"

    def __init__(self, in_memory: bool = True, threads: int | None = None):
        self.backend = ibis.duckdb.connect()
        self._connection = self.backend.con
        # keep Parquet footers and statistics between queries: halves the time of a query over the files
        # at 1e7 rows (benchmarks/bench_browser.py; README "Performance")
        self._connection.execute("SET enable_object_cache = true")
        if threads:
            self._connection.execute(f"SET threads = {int(threads)}")
        self.in_memory = in_memory
        self._lock = threading.RLock()
        self._pool: queue.LifoQueue = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(CURSORS)
        self._sources: dict[str, Source] = {}
        self._compiled: OrderedDict = OrderedDict()
        self._stacked: dict[str, tuple[str, str]] = {}

    # -- registering data sets -------------------------------------------------------------------
    def register(self, name: str, tables: dict[str, Path | pa.Table], sites: pd.DataFrame | pa.Table,
                 in_memory: bool | None = None) -> Source:
        """Make the tables of one data set queryable under ``name``.

        ``in_memory`` (default: the engine's) copies Parquet files into DuckDB's
        tables; ``False`` queries the files in place (an upload: nothing copied).
        """
        self._check_name(name)
        with self._lock:
            if name in self._sources:
                return self._sources[name]
            for table in TABLE_NAMES:
                self._create(f"{name}__{table}", tables[table], self.in_memory if in_memory is None else in_memory)
            self._create(f"{name}__sites", _site_table(sites))
            return self._remember(name)

    def stack(self, name: str, first: Source, second: Source) -> Source:
        """A source showing two registered sources together (views; nothing is copied).

        Raises ValueError when an incident id is in both (they would be two records under one id).
        """
        self._check_name(name)
        with self._lock:
            if name in self._sources:
                return self._sources[name]
            clashes, example = self._connection.execute(  # plain SQL: one count and one example in a single pass
                f'SELECT count(*), min(incident_id) FROM "{second.name}__incidents" '
                f'WHERE incident_id IN (SELECT incident_id FROM "{first.name}__incidents")').fetchone()
            if clashes:
                raise ValueError(f"`events` reuse {clashes} incident id(s) of the dataset, e.g. {example!r}")
            for table in TABLE_NAMES:
                self._connection.execute(
                    f'CREATE OR REPLACE VIEW "{name}__{table}" AS SELECT * FROM "{first.name}__{table}" '
                    f'UNION ALL BY NAME SELECT * FROM "{second.name}__{table}"')
            self._connection.execute(f'CREATE OR REPLACE VIEW "{name}__sites" AS SELECT * FROM "{first.name}__sites"')
            self._stacked[name] = (first.name, second.name)
            return self._remember(name)

    def source(self, name: str) -> Source | None:
        return self._sources.get(name)

    def drop(self, name: str) -> None:
        """Forget a source and free its tables (sources stacked on it are dropped first)."""
        with self._lock:
            if name not in self._sources:
                return
            for other, bases in list(self._stacked.items()):
                if name in bases:
                    self.drop(other)
            self._stacked.pop(name, None)
            kinds = dict(self._connection.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_name LIKE ?",
                [f"{name}__%"]).fetchall())
            for table, kind in kinds.items():
                self._connection.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} IF EXISTS "{table}"')
            del self._sources[name]

    def sources(self) -> list[str]:
        return list(self._sources)

    # -- values ----------------------------------------------------------------------------------
    @staticmethod
    def bind(name: str, value) -> ibis.Expr:
        """``value`` (a date or a tuple of strings) as a session variable ``name``: the SQL stays the same whatever
        the value, so each shape of query is compiled once (run it with ``values={name: value}``)."""
        return variable(name, value)

    @staticmethod
    def member(name: str, values: tuple, column: ibis.Expr) -> ibis.Expr:
        """Whether ``column`` is one of ``values``, read from the list variable ``name``."""
        return variable(name, values).contains(column)

    @staticmethod
    def ordered_page(table: ibis.Table, keys: list, limit: int, offset: int = 0) -> ibis.Table:
        """Rows ``offset`` to ``offset + limit`` of ``table`` sorted by ``keys`` (DuckDB: ``LIMIT ... OFFSET``)."""
        return table.order_by(keys).limit(limit, offset=offset)

    # -- running queries -------------------------------------------------------------------------
    def sql(self, expr: ibis.Expr) -> str:
        """The SQL an expression compiles to on this engine."""
        return ibis.to_sql(expr, dialect="duckdb")

    def compiled(self, expr: ibis.Expr) -> str:
        """The SQL of ``expr``, compiled once per shape (values of variables do not change it)."""
        key = expr.op()
        with self._lock:
            sql = self._compiled.get(key)
            if sql is not None:
                self._compiled.move_to_end(key)
                return sql
        sql = self.sql(expr)
        with self._lock:
            self._compiled[key] = sql
            while len(self._compiled) > COMPILED_ENTRIES:
                self._compiled.popitem(last=False)
        return sql

    def run(self, expr: ibis.Expr, values: dict | None = None) -> pd.DataFrame:
        """Run an Ibis table expression with the session variables ``values``; the result as a pandas frame."""
        sql = self.compiled(expr)
        with self._cursor() as cursor:
            self._set(cursor, values)
            return cursor.execute(sql).df()

    def run_sql(self, sql: str, parameters: list | None = None) -> pd.DataFrame:
        """Run plain DuckDB SQL on a cursor of the pool (for what Ibis cannot express; keep such SQL named)."""
        with self._cursor() as cursor:
            return cursor.execute(sql, parameters or []).df()

    def scalar(self, expr: ibis.Expr, values: dict | None = None):
        sql = self.compiled(expr)
        with self._cursor() as cursor:
            self._set(cursor, values)
            row = cursor.execute(sql).fetchone()
        return row[0] if row else None

    @staticmethod
    def _set(cursor, values: dict | None) -> None:
        for name, value in (values or {}).items():
            if not VARIABLE.match(name):
                raise ValueError(f"variable name {name!r} is not a lower-case identifier")
            kind = _sql_type(value)
            cursor.execute(f"SET VARIABLE {name} = ?::{kind}", [list(value) if kind.endswith("[]") else value])

    def memory_bytes(self) -> int:
        """Memory DuckDB holds for its tables and buffers."""
        with self._cursor() as cursor:
            row = cursor.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
        return int(row[0] or 0)

    # -- internals --------------------------------------------------------------------------------
    @contextmanager
    def _cursor(self):
        """A cursor (its own DuckDB connection to the same database) lent to one query at a time.

        Streamlit runs every script run in a new thread, so cursors are pooled rather than kept per thread:
        a new connection per run would cost time and memory for as long as the process lives.
        """
        self._slots.acquire()
        try:
            try:
                cursor = self._pool.get_nowait()
            except queue.Empty:
                with self._lock:
                    cursor = self._connection.cursor()
            try:
                yield cursor
            finally:
                self._pool.put(cursor)
        finally:
            self._slots.release()

    def _create(self, table: str, data, in_memory: bool = True) -> None:
        if isinstance(data, WarehouseTable):
            existing = ".".join(f'"{part}"' for part in str(data.name).replace('"', "").split("."))
            self._connection.execute(f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM {existing}')
        elif isinstance(data, (str, Path)):
            path = str(Path(data)).replace("'", "''")
            kind = "TABLE" if in_memory else "VIEW"
            self._connection.execute(f"CREATE OR REPLACE {kind} \"{table}\" AS SELECT * FROM read_parquet('{path}')")
        else:
            self._connection.register("_incoming", data)
            try:
                self._connection.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM _incoming')
            finally:
                self._connection.unregister("_incoming")

    def _remember(self, name: str) -> Source:
        tables = {table: self.backend.table(f"{name}__{table}") for table in (*TABLE_NAMES, "sites")}
        source = Source(engine=self, name=name, **tables)
        self._sources[name] = source
        return source

    @staticmethod
    def _check_name(name: str) -> None:
        if not NAME.match(name):
            raise ValueError(f"`name` was {name!r} but is expected to be lower-case letters, digits and '_' "
                             "(at most 63), starting with a letter")


def _site_table(sites: pd.DataFrame | pa.Table) -> pa.Table:
    if isinstance(sites, pa.Table):
        return sites
    frame = sites[SITE_COLUMNS].copy()
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce").astype(float)
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce").astype(float)
    for column in ("site_id", "name", "country", "coord_precision"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return pa.Table.from_pandas(frame, preserve_index=False)
