"""The BigQuery views of deploy/bigquery/gdelt_views.sql give the tables the importer gives, on a real GDELT 2.0 file.

BigQuery is not run here. The file's SQL is transpiled to DuckDB with sqlglot and run on the real export sample
``../shared/data/real/gdelt2_20191024143000.export.CSV`` (2,111 records, provenance in SOURCES.md there), loaded
as a table shaped like ``gdelt-bq.gdeltv2.events_partitioned``: the codebook's 61 columns under their names and
BigQuery types, plus the ``_PARTITIONTIME`` pseudo-column (the day of DATEADDED here). The gazetteer is loaded as the
dataset's ``sites`` table from the CSV, as the README's ``bq load`` does. The four views are then compared, row by
row and value by value, with ``import_events(file) -> upload_tables(events, sites)`` for the same rows.

Where the two legitimately differ, and what is compared instead:

* ``line``: the view has no file, so it is NULL; the importer's are the file lines (checked all present).
* ``pos`` and ``sites_named``: BigQuery has only INT64, tables.py says int32; the values are compared.
* sqlglot 29 writes BigQuery's printf-style ``FORMAT('%.1f', x)`` as DuckDB's ``FORMAT``, which takes ``{}``
  placeholders; the test writes it as DuckDB's ``PRINTF`` instead (the only change to sqlglot's output, checked).

Not in the file: rows with a place name but no coordinates (the importer may place them by name, the view cannot,
see the SQL's header; checked absent) and repeated GLOBALEVENTIDs (checked absent; the second test appends three
invented copies of records, loaded later and with another URL, to compare the `#2` numbering).
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from dashboard.core.data.dataset import load_dataset
from dashboard.core.importers import import_events
from dashboard.core.query.tables import INCIDENT_SCHEMA, LINK_SCHEMAS, PLACEMENT_SCHEMA, TABLE_NAMES, upload_tables

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT.parent / "shared" / "data" / "real"
SAMPLE = REAL / "gdelt2_20191024143000.export.CSV"
SQL_FILE = ROOT / "deploy" / "bigquery" / "gdelt_views.sql"
SITES_CSV = ROOT / "geodata" / "sites.csv"

pytestmark = [pytest.mark.real_data,
              pytest.mark.skipif(not SAMPLE.is_file(), reason=f"no real GDELT sample in {REAL}")]

#: GDELT 2.0 events, in file order, with their BigQuery types (codebook V2.0; linwoodc3/gdelt2HeaderRows).
_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code"]
_GEO = [("Type", "INTEGER"), ("FullName", "STRING"), ("CountryCode", "STRING"), ("ADM1Code", "STRING"),
        ("ADM2Code", "STRING"), ("Lat", "FLOAT"), ("Long", "FLOAT"), ("FeatureID", "STRING")]
EVENT_COLUMNS = (
    [("GLOBALEVENTID", "INTEGER"), ("SQLDATE", "INTEGER"), ("MonthYear", "INTEGER"), ("Year", "INTEGER"),
     ("FractionDate", "FLOAT")]
    + [(f"Actor1{a}", "STRING") for a in _ACTOR] + [(f"Actor2{a}", "STRING") for a in _ACTOR]
    + [("IsRootEvent", "INTEGER"), ("EventCode", "STRING"), ("EventBaseCode", "STRING"), ("EventRootCode", "STRING"),
       ("QuadClass", "INTEGER"), ("GoldsteinScale", "FLOAT"), ("NumMentions", "INTEGER"), ("NumSources", "INTEGER"),
       ("NumArticles", "INTEGER"), ("AvgTone", "FLOAT")]
    + [(f"{who}Geo_{g}", t) for who in ("Actor1", "Actor2", "Action") for g, t in _GEO]
    + [("DATEADDED", "INTEGER"), ("SOURCEURL", "STRING")]
)
ARROW_TYPES = {"INTEGER": pa.int64(), "FLOAT": pa.float64(), "STRING": pa.string()}
COLUMN = {name: i for i, (name, _) in enumerate(EVENT_COLUMNS)}
#: The gazetteer as loaded into BigQuery (the README's `bq load` schema).
SITE_TYPES = {"site_id": "VARCHAR", "name": "VARCHAR", "aliases": "VARCHAR", "country": "VARCHAR", "admin1": "VARCHAR",
              "site_type": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE", "coord_precision": "VARCHAR",
              "coord_uncertainty_km": "DOUBLE", "source": "VARCHAR", "notes": "VARCHAR"}
DATASET = "your-project.conflict_dashboard"
SCHEMAS = {
    "incidents": INCIDENT_SCHEMA,
    **{name: pa.schema([("ord", pa.int64()), *fields, ("date", pa.date32()), ("event_type", pa.string()),
                        ("confirmation", pa.string())]) for name, fields in LINK_SCHEMAS.items()},
    "placements": PLACEMENT_SCHEMA,
}
#: Invented sites near places of the sample (Idlib, Damascus): a site's own uncertainty, an `exact` site without
#: one, and a site without coordinates, on top of the real gazetteer.
EXTRA_SITES = pd.DataFrame({
    "site_id": ["ZZ-TEST-IDLIB", "ZZ-TEST-DAMASCUS", "ZZ-TEST-NOWHERE"],
    "name": ["Test Outpost Idlib", "Test Compound Damascus", "Test Camp Nowhere"],
    "aliases": ["", "", ""], "country": ["Syria", "Syria", "Syria"], "admin1": ["Idlib", "Damascus", ""],
    "site_type": ["test", "test", "test"],
    "lat": [35.95, 33.52, np.nan], "lon": [36.62, 36.31, np.nan],
    "coord_precision": ["approximate", "exact", ""], "coord_uncertainty_km": [3.0, np.nan, np.nan],
    "source": ["invented for a test", "invented for a test", "invented for a test"], "notes": ["", "", ""],
})


# -- the two sides ------------------------------------------------------------------------------------------------
def sample_records() -> list[list[str]]:
    with open(SAMPLE, encoding="utf-8", newline="") as handle:
        return [line.rstrip("\r\n").split("\t") for line in handle]


def scope_of(records: list[list[str]], first: int, last: int, countries: tuple[str, ...]) -> list[list[str]]:
    """The records the scope view keeps: SQLDATE in [first, last], ActionGeo_CountryCode in ``countries``."""
    sqldate, country = COLUMN["SQLDATE"], COLUMN["ActionGeo_CountryCode"]
    return [r for r in records if r[sqldate] and first <= int(r[sqldate]) <= last and r[country] in countries]


def events_table(records: list[list[str]], empty_text_as_null: bool) -> pa.Table:
    """The records as GDELT's BigQuery table: typed columns, empty numbers NULL, empty text NULL or ''."""
    assert all(len(r) == len(EVENT_COLUMNS) for r in records)
    columns = {}
    for i, (name, kind) in enumerate(EVENT_COLUMNS):
        raw = [r[i] for r in records]
        if kind == "STRING":
            values = [None if (v == "" and empty_text_as_null) else v for v in raw]
        else:
            convert = int if kind == "INTEGER" else float
            values = [convert(v) if v != "" else None for v in raw]
        columns[name] = pa.array(values, type=ARROW_TYPES[kind])
    added = [pd.Timestamp(r[COLUMN["DATEADDED"]][:8], tz="UTC") for r in records]
    columns["_PARTITIONTIME"] = pa.array(added, type=pa.timestamp("us", tz="UTC"))
    return pa.table(columns)


def importer_tables(path: Path, sites: pd.DataFrame) -> dict[str, pa.Table]:
    result = import_events(path, sites=sites)
    placed_by_name = result.events["source_location_precision"].str.startswith("gazetteer:")
    assert not placed_by_name.any(), "rows placed by name: the view cannot do this (see the SQL's header)"
    return upload_tables(result.events, sites)


def duckdb_statements(sql: str) -> list[str]:
    """The file's statements, transpiled from BigQuery to DuckDB; FORMAT (printf-style in BigQuery) as PRINTF."""
    statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
    plain = sqlglot.transpile(sql, read="bigquery", write="duckdb")
    out = []
    for tree, as_is in zip(statements, plain, strict=True):
        fixed = tree.transform(
            lambda node: exp.Anonymous(this="PRINTF", expressions=[node.this, *node.expressions])
            if isinstance(node, exp.Format) else node)
        text = fixed.sql(dialect="duckdb")
        assert text.replace("PRINTF(", "FORMAT(") == as_is  # the one change made to sqlglot's transpilation
        out.append(text)
    return out


def with_parameters(sql: str, first: int, last: int, countries: tuple[str, ...]) -> str:
    """The SQL file with the parameter block's values replaced (each must be found exactly once)."""
    day = (pd.Timestamp(str(first)) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")  # the partition before the first day
    for pattern, value in ((r"_PARTITIONTIME >= TIMESTAMP '[0-9-]+'", f"_PARTITIONTIME >= TIMESTAMP '{day}'"),
                           (r"SQLDATE BETWEEN \d{8} AND \d{8}", f"SQLDATE BETWEEN {first} AND {last}"),
                           (r"ActionGeo_CountryCode IN \([^)]*\)",
                            "ActionGeo_CountryCode IN (" + ", ".join(f"'{c}'" for c in countries) + ")")):
        sql, found = re.subn(pattern, value, sql)
        assert found == 1, pattern
    return sql


def shipped_countries(sql: str) -> tuple[str, ...]:
    block = re.search(r"ActionGeo_CountryCode IN \(([^)]*)\)", sql).group(1)
    return tuple(re.findall(r"'([A-Z]{2})'", block))


def view_tables(sql: str, events: pa.Table, sites_csv: Path) -> dict[str, pa.Table]:
    """Run the views in DuckDB over ``events`` (as GDELT's table) and the gazetteer CSV (as the dataset's `sites`)."""
    project, dataset = DATASET.split(".")
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute('ATTACH \':memory:\' AS "gdelt-bq"')
        con.execute('CREATE SCHEMA "gdelt-bq".gdeltv2')
        con.register("gdelt_file", events)
        con.execute('CREATE TABLE "gdelt-bq".gdeltv2.events_partitioned AS SELECT * FROM gdelt_file')
        con.execute(f'ATTACH \':memory:\' AS "{project}"')
        con.execute(f'CREATE SCHEMA "{project}".{dataset}')
        columns = ", ".join(f"'{k}': '{v}'" for k, v in SITE_TYPES.items())
        con.execute(f'CREATE TABLE "{project}".{dataset}.sites AS SELECT * FROM read_csv(?, header = true, '
                    f"delim = ',', quote = '\"', escape = '\"', auto_detect = false, columns = {{{columns}}})",
                    [str(sites_csv)])
        for statement in duckdb_statements(sql):
            con.execute(statement)
        return {name: con.sql(f'SELECT * FROM "{project}".{dataset}.gdelt_{name}').to_arrow_table()
                for name in TABLE_NAMES}
    finally:
        con.close()


# -- comparing ----------------------------------------------------------------------------------------------------
def _kind(kind: pa.DataType) -> str:
    """A type as BigQuery has it: one integer type, one string type."""
    if pa.types.is_integer(kind):
        return "INT64"
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return "STRING"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return f"ARRAY<{_kind(kind.value_type)}>"
    return {pa.float64(): "FLOAT64", pa.date32(): "DATE", pa.bool_(): "BOOL"}[kind]


def assert_same_tables(views: dict[str, pa.Table], expected: dict[str, pa.Table]) -> None:
    for name in TABLE_NAMES:
        view, want = views[name], expected[name]
        assert view.schema.names == SCHEMAS[name].names, name
        assert [_kind(f.type) for f in view.schema] == [_kind(f.type) for f in SCHEMAS[name]], name
        keys = [("ord", "ascending")] + ([("pos", "ascending")] if "pos" in view.schema.names else [])
        view, want = view.sort_by(keys), want.sort_by(keys)
        assert view.num_rows == want.num_rows, f"{name}: {view.num_rows} rows, expected {want.num_rows}"
        for column in view.schema.names:
            got, wanted = view[column].to_pylist(), want[column].to_pylist()
            if name == "incidents" and column == "line":
                assert all(v is None for v in got) and all(isinstance(v, int) for v in wanted)
                continue
            if got != wanted:
                bad = [i for i, (a, b) in enumerate(zip(got, wanted)) if a != b]
                raise AssertionError(f"{name}.{column}: {len(bad)} of {len(got)} rows differ, first at ord "
                                     f"{want['ord'][bad[0]]}: view {got[bad[0]]!r}, importer {wanted[bad[0]]!r}")


# -- fixtures -----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gazetteer() -> pd.DataFrame:
    return load_dataset(ROOT / "geodata", strict=False).sites


@pytest.fixture(scope="module")
def records() -> list[list[str]]:
    return sample_records()


@pytest.fixture(scope="module")
def whole_file(records, gazetteer):
    """Parameters covering the whole sample (its dates, every action country in it) and the importer's tables."""
    dates = [int(r[COLUMN["SQLDATE"]]) for r in records]
    countries = tuple(sorted({r[COLUMN["ActionGeo_CountryCode"]] for r in records} - {""}))
    expected = importer_tables(SAMPLE, gazetteer)
    return (min(dates), max(dates), countries), expected


@pytest.fixture(scope="module")
def sql() -> str:
    return SQL_FILE.read_text(encoding="utf-8")


# -- tests --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("empty_text_as_null", [True, False], ids=["empty-text-null", "empty-text-blank"])
def test_views_match_the_importer_on_the_whole_file(sql, records, whole_file, empty_text_as_null):
    (first, last, countries), expected = whole_file
    scoped = scope_of(records, first, last, countries)
    views = view_tables(with_parameters(sql, first, last, countries), events_table(scoped, empty_text_as_null),
                        SITES_CSV)
    assert_same_tables(views, expected)
    # what the comparison covered: most of the file, events linked to a gazetteer site and ones placed on their own
    incidents, placements = views["incidents"], views["placements"]
    assert incidents.num_rows == 2073 and len(records) - len(scoped) == 37  # the rest the importer rejects too
    assert not any(r[COLUMN["ActionGeo_FullName"]] and not r[COLUMN["ActionGeo_Lat"]] for r in records)
    assert len({r[COLUMN["GLOBALEVENTID"]] for r in records}) == len(records)
    kinds = placements["place_kind"].value_counts().to_pylist()
    assert {k["values"] for k in kinds} == {"site", "place"}
    assert len(set(incidents["event_type"].to_pylist())) >= 6


def test_views_match_the_importer_with_the_shipped_countries(sql, records, gazetteer, tmp_path):
    """The SQL file's own countries, a narrower date range, and a gazetteer with invented sites near the events."""
    countries = shipped_countries(sql)
    assert countries == ("IZ", "SY", "JO")
    first, last = 20190924, 20191024
    scoped = scope_of(records, first, last, countries)
    assert 50 < len(scoped) < len(records)
    scoped = scoped + [copy_of(r) for r in scoped[:3]]
    subset = tmp_path / "scoped.export.CSV"
    subset.write_text("".join("\t".join(r) + "\n" for r in scoped), encoding="utf-8")
    sites = pd.concat([gazetteer.drop(columns=["line"], errors="ignore"), EXTRA_SITES], ignore_index=True)
    sites_csv = tmp_path / "sites.csv"
    sites[list(SITE_TYPES)].to_csv(sites_csv, index=False)
    expected = importer_tables(subset, sites)
    views = view_tables(with_parameters(sql, first, last, countries), events_table(scoped, True), sites_csv)
    assert_same_tables(views, expected)
    linked = set(views["incident_sites"]["site_id"].to_pylist())
    assert {"ZZ-TEST-IDLIB", "ZZ-TEST-DAMASCUS", "SY-HASAKAH"} <= linked
    assert sum(i.endswith("#2") for i in views["incidents"]["incident_id"].to_pylist()) == 3


def copy_of(record: list[str]) -> list[str]:
    """An invented repeat of a record: the same event id, loaded a day later, citing another article."""
    copy = list(record)
    copy[COLUMN["DATEADDED"]] = str(int(record[COLUMN["DATEADDED"]]) + 1_000_000)
    copy[COLUMN["SOURCEURL"]] = record[COLUMN["SOURCEURL"]] + "?repeat"
    return copy


@pytest.mark.parametrize("original, broken", [
    ("COALESCE(TRIM(Actor1Name), '')", "COALESCE(TRIM(Actor2Name), '')"),
    ("THEN 'drone'", "THEN 'rocket'"),
    ("FORMAT('%.15g', c.tone)", "FORMAT('%.14g', c.tone)"),
    ("WHEN MOD(CAST(FLOOR(lat * 100) AS INT64), 2) = 0 THEN FLOOR(lat * 100)",
     "WHEN TRUE THEN FLOOR(lat * 100) + 1"),
    ("ORDER BY c.date, c.incident_id", "ORDER BY c.date, c.place"),
], ids=["actor", "event-type", "tone", "cell-rounding", "ord"])
def test_a_wrong_mapping_fails_the_comparison(sql, records, whole_file, original, broken):
    """The comparison has teeth: one mapping changed in the SQL makes it fail."""
    (first, last, countries), expected = whole_file
    assert sql.count(original) == 1
    changed = with_parameters(sql.replace(original, broken), first, last, countries)
    views = view_tables(changed, events_table(scope_of(records, first, last, countries), True), SITES_CSV)
    with pytest.raises(AssertionError):
        assert_same_tables(views, expected)
