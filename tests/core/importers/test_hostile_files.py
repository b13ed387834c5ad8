"""Issue 8, items 4 and 5: hostile headers and records are refused or rejected quickly, with a reason."""
from __future__ import annotations

import io
import time

import pytest

from dashboard.core.importers import UnknownFormatError, import_events
from dashboard.core.importers.detect import MAX_COLUMNS, MAX_FIELD_CHARS, _unique_names

from .conftest import acled_row, acled_text


@pytest.mark.parametrize("header, columns", [
    ("x," * 16_000, "16,001"),  # 48 KB: 34.6 s before the fix
    (",," * 60_000, "120,001"),
    ("event_id_cnty,event_date," + "y," * 1_000_000, "more than 131,0\\d\\d"),  # a million columns: UFuncTypeError on every page
])
def test_a_header_with_too_many_columns_is_refused_at_once(header, columns):
    started = time.perf_counter()
    with pytest.raises(UnknownFormatError, match=rf"upload has {columns} columns in its first line; the importer reads "
                                                 rf"files of at most {MAX_COLUMNS} columns"):
        import_events(io.BytesIO((header + "\n1,2\n").encode()))
    assert time.perf_counter() - started < 2


def test_unique_names_take_linear_time():
    names = ["x", ""] * 50_000
    started = time.perf_counter()
    unique = _unique_names(names)
    assert time.perf_counter() - started < 1
    assert unique[:5] == ["x", "_unnamed_1", "x_2", "_unnamed_3", "x_3"]
    assert len(set(unique)) == len(unique)
    assert _unique_names(["a", "a_2", "a", "A"]) == ["a", "a_2", "a_3", "a_4"]


def test_a_field_longer_than_the_csv_module_reads_rejects_its_record_only():
    """An irregular file (a stray quote) goes through the csv module; a 17 MB field rejects that record alone."""
    rows = [acled_row(n) for n in range(1, 6)] + [acled_row(6, notes='he said "x" then')]
    rows += [acled_row(7, notes="n, " * (MAX_FIELD_CHARS // 3 + 10))] + [acled_row(8), acled_row(9)]
    text = acled_text(rows).replace('"he said ""x"" then"', 'he said "x" then')
    result = import_events(io.BytesIO(text.encode()))
    report = result.report
    assert report["rows_read"] == 9
    assert report["rows_imported"] + report["rows_rejected"] == report["rows_read"]
    rejected = [r for r in report["rejections"] if r["kind"] == "unreadable"]
    assert [r["line"] for r in rejected] == [8]
    assert "field larger than field limit" in rejected[0]["reason"]
    assert {"ACLED-TST6", "ACLED-TST8", "ACLED-TST9"} <= set(result.events["incident_id"])
    assert "ACLED-TST7" not in set(result.events["incident_id"])


def test_a_long_field_on_the_second_line_is_read():
    rows = [acled_row(1, notes="n" * 200_000)] + [acled_row(n) for n in range(2, 10)]
    result = import_events(io.BytesIO(acled_text(rows).encode()))
    assert result.report["rows_imported"] == 9
    assert len(result.events.loc[result.events["incident_id"] == "ACLED-TST1", "notes"].iloc[0]) == 200_000


@pytest.mark.parametrize("encoding, order", [("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")])
def test_utf16_without_a_byte_order_mark_is_named(encoding, order):
    data = acled_text([acled_row(1)]).encode(encoding)
    with pytest.raises(UnknownFormatError, match=f"looks like UTF-16 \\({order}\\) without a byte-order mark"):
        import_events(io.BytesIO(data))


def test_binary_with_nul_bytes_is_still_called_so():
    with pytest.raises(UnknownFormatError, match="holds NUL bytes: it is not a text"):
        import_events(io.BytesIO(bytes(range(256)) * 10))
