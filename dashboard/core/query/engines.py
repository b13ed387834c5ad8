"""Which engine answers the queries: the embedded DuckDB (default), Spark, or any other Ibis backend.

The query layer builds the same Ibis expressions whatever the engine; an
engine only decides how a filter's value reaches the SQL (:meth:`bind`,
:meth:`member`) and where the tables come from (:meth:`register`). DuckDB
keeps its own class (:class:`~dashboard.core.query.engine.Engine`: session
variables, a pool of cursors, SQL compiled once per shape); every other
engine is an :class:`IbisEngine` over the Ibis backend it names, with the
values written into the SQL as literals.

Settings (environment, or the command line's ``--engine``)::

    DASHBOARD_ENGINE=duckdb                  the default: DuckDB inside the server process
    DASHBOARD_ENGINE=spark                   Spark; DASHBOARD_SPARK_MASTER = local[2] (default),
                                             spark://host:7077 (a standalone cluster) or sc://host:15002 (Spark Connect)
    DASHBOARD_ENGINE=postgres://user@host/db any Ibis backend URL (trino://, bigquery://, ...): accepted, not tested here

A setting that cannot work raises :class:`EngineSettingError` with a sentence
saying what to change, never a traceback from a driver.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import socket
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

import ibis
import pandas as pd
import pyarrow as pa

from dashboard.core.query.engine import NAME, Engine, Source, WarehouseTable, _site_table  # noqa: F401 (re-exported)
from dashboard.core.query.tables import TABLE_NAMES

ENGINE_ENV = "DASHBOARD_ENGINE"
SPARK_MASTER_ENV = "DASHBOARD_SPARK_MASTER"
#: Spark's partitions after a shuffle (its default, 200, is meant for large shuffles; these queries group into a
#: few hundred rows at most); DASHBOARD_SPARK_PARTITIONS.
SPARK_PARTITIONS_ENV = "DASHBOARD_SPARK_PARTITIONS"
DEFAULT_MASTER = "local[2]"
DEFAULT_SPARK_PARTITIONS = 8
#: How long to wait for a standalone master or a Spark Connect server to answer before saying it is unreachable.
CONNECT_TIMEOUT_S = 5.0
SPARK_REQUIREMENTS = "requirements-spark.txt"
INSTALL_SPARK = (f"install the Spark packages with `pip install -r {SPARK_REQUIREMENTS}` and Java 17 "
                 "(Debian: `apt-get install openjdk-17-jre-headless`), or unset DASHBOARD_ENGINE to use DuckDB")
KNOWN = ("duckdb", "spark")


class EngineSettingError(ValueError):
    """An engine setting that cannot be used: unknown, its packages missing, or its server unreachable."""


@dataclass(frozen=True)
class EngineSetting:
    """A checked engine setting: ``kind`` is ``duckdb``, ``spark`` or ``url``."""

    kind: str
    master: str = ""
    url: str = ""

    @property
    def label(self) -> str:
        if self.kind == "duckdb":
            return Engine.label
        if self.kind == "spark":
            return f"Spark ({self.master})"
        return f"{urlsplit(self.url).scheme} (Ibis)"


def engine_setting(engine: str | None = None, master: str | None = None,
                   environ: Mapping[str, str] | None = None) -> EngineSetting:
    """The engine asked for (``engine``/``master``, else the environment), checked for form only.

    Raises EngineSettingError naming the setting, the value and what it may be.
    """
    environ = os.environ if environ is None else environ
    value = (engine if engine is not None else environ.get(ENGINE_ENV, "")).strip() or "duckdb"
    if "://" in value:
        scheme = urlsplit(value).scheme
        if not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
            raise EngineSettingError(f"`{ENGINE_ENV}` was {value!r}, which is not a backend URL (scheme://...)")
        if scheme in KNOWN and scheme != "duckdb":
            raise EngineSettingError(f"`{ENGINE_ENV}` was {value!r}: write `spark` and set {SPARK_MASTER_ENV}")
        return EngineSetting("url", url=value)
    value = value.lower()
    if value not in KNOWN:
        raise EngineSettingError(f"`{ENGINE_ENV}` was {value!r} but is expected to be `duckdb`, `spark` or an Ibis "
                                 "backend URL such as `trino://user@host:8080/catalog/schema`")
    if value == "duckdb":
        return EngineSetting("duckdb")
    master = (master if master is not None else environ.get(SPARK_MASTER_ENV, "")).strip() or DEFAULT_MASTER
    if not (master.startswith(("local", "spark://", "sc://", "yarn", "k8s://"))):
        raise EngineSettingError(f"`{SPARK_MASTER_ENV}` was {master!r} but is expected to be `local[2]`, "
                                 "`spark://host:7077` (a standalone cluster) or `sc://host:15002` (Spark Connect)")
    return EngineSetting("spark", master=master)


def open_engine(setting: EngineSetting, in_memory: bool = False, environ: Mapping[str, str] | None = None,
                conf: Mapping[str, str] | None = None):
    """An engine for ``setting``: :class:`Engine` (DuckDB) or :class:`IbisEngine` (``conf``: Spark settings).

    Raises EngineSettingError when the engine's packages are missing or its server does not answer.
    """
    if setting.kind == "duckdb":
        return Engine(in_memory=in_memory)
    if setting.kind == "spark":
        return spark_engine(setting.master, environ, conf)
    try:
        backend = ibis.connect(setting.url)
    except ImportError as exc:
        raise EngineSettingError(f"`{ENGINE_ENV}` names {urlsplit(setting.url).scheme!r}, whose Ibis backend is "
                                 f"not installed: `pip install 'ibis-framework[{urlsplit(setting.url).scheme}]'` "
                                 f"({exc})") from exc
    except Exception as exc:  # every driver raises its own kind; the message is what a user can act on
        raise EngineSettingError(f"`{ENGINE_ENV}` names {_without_password(setting.url)}, which could not be "
                                 f"opened: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    return IbisEngine(backend, setting.kind if setting.kind != "url" else urlsplit(setting.url).scheme,
                      setting.label, thread_safe=False)


def spark_engine(master: str = DEFAULT_MASTER, environ: Mapping[str, str] | None = None,
                 conf: Mapping[str, str] | None = None) -> "IbisEngine":
    """Spark through Ibis: a session on ``master`` (local, a standalone cluster, or Spark Connect).

    ``conf`` adds Spark settings (``spark.executor.memory``, ...); Spark's own
    ``spark-defaults.conf`` (in ``$SPARK_CONF_DIR``) is read as ever.
    """
    environ = os.environ if environ is None else environ
    if importlib.util.find_spec("pyspark") is None:
        raise EngineSettingError(f"`{ENGINE_ENV}=spark` is set but the Spark packages are not installed: "
                                 + INSTALL_SPARK)
    if not master.startswith("sc://") and not (environ.get("JAVA_HOME") or shutil.which("java")):
        raise EngineSettingError(f"`{ENGINE_ENV}=spark` is set but Java is not installed: " + INSTALL_SPARK)
    if master.startswith(("spark://", "sc://")):
        _check_reachable(master)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("conflict-incident-dashboard")
    if master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        partitions = str(environ.get(SPARK_PARTITIONS_ENV, "") or DEFAULT_SPARK_PARTITIONS)
        builder = (builder.master(master)
                   .config("spark.sql.shuffle.partitions", partitions)
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                   .config("spark.ui.showConsoleProgress", "false"))
        if master.startswith("spark://") and (host := environ.get("SPARK_LOCAL_IP", "").strip()):
            builder = builder.config("spark.driver.host", host)
        for key, value in (conf or {}).items():
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:
        raise EngineSettingError(f"Spark could not start a session on {master!r}: {type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''}") from exc
    if not master.startswith("sc://"):  # a Connect session has no SparkContext of its own
        session.sparkContext.setLogLevel("ERROR")
    backend = ibis.pyspark.connect(session)
    return IbisEngine(backend, "spark", f"Spark ({master})", thread_safe=True, stop=session.stop)


def _check_reachable(master: str) -> None:
    parts = urlsplit(master)
    host, port = parts.hostname, parts.port or (7077 if master.startswith("spark://") else 15002)
    if not host:
        raise EngineSettingError(f"`{SPARK_MASTER_ENV}` was {master!r}, which names no host")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise EngineSettingError(f"`{SPARK_MASTER_ENV}` is {master!r}, which cannot be reached ({exc.strerror or exc}): "
                                 "start the cluster, or set it to `local[2]`") from exc


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


class IbisEngine:
    """Any Ibis backend answering the query layer's expressions, with the values written into the SQL.

    Parameters
    ----------
    backend : ibis.BaseBackend
        A connected backend (Spark, Trino, PostgreSQL, DuckDB through a URL, ...).
    kind, label : str
        The engine's short name (``spark``, ``postgres``) and what the page says.
    thread_safe : bool
        Whether queries may run on the backend from several threads at once
        (Spark: yes; a single database connection: no, queries take turns).
    stop : callable, optional
        What :meth:`close` calls (Spark: stop the session).
    """

    def __init__(self, backend, kind: str, label: str, thread_safe: bool = False, stop=None):
        self.backend = backend
        self.kind = kind
        self.label = label
        self.in_memory = False
        self._lock = threading.RLock()
        self._run_lock = threading.Lock() if not thread_safe else None
        self._sources: dict[str, Source] = {}
        self._names: dict[str, list[str]] = {}
        self._stacked: dict[str, tuple[str, str]] = {}
        self._stop = stop
        # views of two engines on one Spark session (a data folder replaced while old sessions still read it)
        # must not replace each other's
        self._prefix = f"v{uuid.uuid4().hex[:10]}_"

    # -- values ----------------------------------------------------------------------------------
    @staticmethod
    def bind(name: str, value) -> ibis.Expr:
        """``value`` (a date) as a literal of the SQL."""
        if not isinstance(value, dt.date):
            raise TypeError(f"`value` of {name!r} was {value!r} but is expected to be a date")
        return ibis.literal(value, type="date")

    @staticmethod
    def member(name: str, values: tuple, column: ibis.Expr) -> ibis.Expr:
        """Whether ``column`` is one of ``values`` (``IN (...)``, which every SQL engine has)."""
        return column.isin(list(values))

    @staticmethod
    def ordered_page(table: ibis.Table, keys: list, limit: int, offset: int = 0) -> ibis.Table:
        """Rows ``offset`` to ``offset + limit`` of ``table`` sorted by ``keys``.

        With an offset, the rows are numbered by a window ordered by ``keys``:
        Ibis writes ``OFFSET`` for Spark as a row number over an unordered
        window around a sorted subquery, and Spark does not keep that order
        (page 2 of the table came back in no order, found by the equality tests).
        """
        if not offset:
            return table.order_by(keys).limit(limit)
        numbered = table.mutate(_page_row=ibis.row_number().over(order_by=keys))
        chosen = numbered.filter(numbered._page_row >= offset, numbered._page_row < offset + limit)
        return chosen.order_by("_page_row").drop("_page_row")

    # -- registering data sets -------------------------------------------------------------------
    def register(self, name: str, tables: Mapping[str, object], sites: pd.DataFrame | pa.Table,
                 in_memory: bool | None = None) -> Source:
        """Make one data set queryable under ``name``.

        Each of ``tables`` is a Parquet path (a file, a folder of part files or
        a glob: read where it lies), a :class:`WarehouseTable` (used by name),
        or an Arrow table (sent to the engine). ``in_memory`` is ignored: the
        engine decides what it keeps.
        """
        _check_name(name)
        with self._lock:
            if name in self._sources:
                return self._sources[name]
            made, created = {}, []
            for table in TABLE_NAMES:
                made[table] = self._table(f"{self._prefix}{name}__{table}", tables[table], created)
            made["sites"] = self._table(f"{self._prefix}{name}__sites", _site_table(sites), created)
            source = Source(engine=self, name=name, **made)
            self._sources[name] = source
            self._names[name] = created
            return source

    def stack(self, name: str, first: Source, second: Source) -> Source:
        """A source showing two registered ones together (a ``UNION ALL`` in each query; nothing is copied).

        Raises ValueError when an incident id is in both.
        """
        _check_name(name)
        with self._lock:
            if name in self._sources:
                return self._sources[name]
            theirs = second.incidents
            clash = theirs.filter(theirs.incident_id.isin(first.incidents.incident_id))
            row = self.run(clash.aggregate(n=clash.count(), example=clash.incident_id.min())).iloc[0]
            if int(row["n"] or 0):
                raise ValueError(f"`events` reuse {int(row['n'])} incident id(s) of the dataset, e.g. {row['example']!r}")
            made = {}
            for table in TABLE_NAMES:
                one, two = first.table(table), second.table(table)
                schema = one.schema()
                made[table] = one.union(two.select(*[two[c].cast(t) for c, t in schema.items()]), distinct=False)
            source = Source(engine=self, name=name, sites=first.sites, **made)
            self._sources[name] = source
            self._stacked[name] = (first.name, second.name)
            return source

    def source(self, name: str) -> Source | None:
        return self._sources.get(name)

    def sources(self) -> list[str]:
        return list(self._sources)

    def drop(self, name: str) -> None:
        """Forget a source (sources stacked on it first) and drop the views made for it."""
        with self._lock:
            if name not in self._sources:
                return
            for other, bases in list(self._stacked.items()):
                if name in bases:
                    self.drop(other)
            self._stacked.pop(name, None)
            for view in self._names.pop(name, []):
                try:
                    self.backend.drop_view(view, force=True)
                except Exception:  # a backend without temporary views: nothing of ours to drop
                    pass
            del self._sources[name]

    # -- running queries -------------------------------------------------------------------------
    def sql(self, expr: ibis.Expr) -> str:
        """The SQL ``expr`` compiles to on this engine."""
        return str(self.backend.compile(expr))

    def run(self, expr: ibis.Expr, values: dict | None = None) -> pd.DataFrame:
        """Run a table expression (values are already in it); the result as a pandas frame."""
        if self._run_lock is None:
            return _frame(self.backend.execute(expr))
        with self._run_lock:
            return _frame(self.backend.execute(expr))

    def scalar(self, expr: ibis.Expr, values: dict | None = None):
        frame = self.run(expr.as_table())
        return None if frame.empty else _plain(frame.iloc[0, 0])

    def memory_bytes(self) -> int:
        """Memory this process holds for the engine's tables: none (the engine keeps them)."""
        return 0

    def close(self) -> None:
        if self._stop is not None:
            self._stop()

    # -- internals --------------------------------------------------------------------------------
    def _table(self, view: str, data, created: list[str]) -> ibis.Table:
        if isinstance(data, WarehouseTable):
            return self.backend.table(data.name)
        if isinstance(data, (str, Path)):
            table = self.backend.read_parquet(str(data), table_name=view)
        else:
            table = self.backend.create_view(view, ibis.memtable(data), overwrite=True)
        created.append(view)
        return table


def _frame(result) -> pd.DataFrame:
    return result if isinstance(result, pd.DataFrame) else pd.DataFrame(result)


def _plain(value):
    return None if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else value


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise ValueError(f"`name` was {name!r} but is expected to be lower-case letters, digits and '_' "
                         "(at most 63), starting with a letter")
