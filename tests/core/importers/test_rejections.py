"""Each kind of bad row gives one exact rejection (line, column, reason), and the rows still add up."""
from __future__ import annotations

import csv
import io

import pytest

from dashboard.core.importers import import_events

from .conftest import ACLED_HEADER, FIXTURES, acled_row, acled_text

GOOD = [acled_row(1)]


def with_row(**values) -> str:
    """A file of one good row (line 2) and one row changed by ``values`` (line 3)."""
    return acled_text(GOOD + [acled_row(2, **values)])


def raw_line(line: str) -> str:
    """A file of one good row (line 2) and ``line`` as written (line 3)."""
    return acled_text(GOOD) + line


ROW_TEXT = ",".join(acled_row(2).values())

# case, file text, [(line, column, reason)] expected, rows imported
CASES = [
    ("missing id", with_row(event_id_cnty=""),
     [(3, "event_id_cnty", "a value is required in this column")], 1),
    ("missing country", with_row(country=""), [(3, "country", "a value is required in this column")], 1),
    ("date that does not exist", with_row(event_date="2023-02-30"),
     [(3, "event_date", "a date written as the rest of the file (%Y-%m-%d)")], 1),
    ("date in no format", with_row(event_date="soon"),
     [(3, "event_date", "a date written as the rest of the file (%Y-%m-%d)")], 1),
    ("latitude not a number", with_row(latitude="north"), [(3, "latitude", "a decimal number of degrees")], 1),
    ("latitude out of range", with_row(latitude="95.5"),
     [(3, "latitude", "a number of degrees between -90 and 90")], 1),
    ("longitude out of range", with_row(longitude="-181"),
     [(3, "longitude", "a number of degrees between -180 and 180")], 1),
    ("latitude without longitude", with_row(longitude=""),
     [(3, "longitude", "a longitude, since latitude is given")], 1),
    ("fatalities in words", with_row(fatalities="two"), [(3, "fatalities", "a whole number of at least 0")], 1),
    ("negative fatalities", with_row(fatalities="-1"), [(3, "fatalities", "a whole number of at least 0")], 1),
    ("fractional fatalities", with_row(fatalities="1.5"), [(3, "fatalities", "a whole number of at least 0")], 1),
    ("no coordinates, no place", with_row(latitude="", longitude="", location=""),
     [(3, "location", "coordinates or a place name (the row has neither)")], 1),
    ("too few fields", raw_line("TST9,2023-10-18,2023\n"),
     [(3, None, "3 fields where the header has 31 (a record cut short, or a line break outside quotes?)")], 1),
    ("too many fields", raw_line(ROW_TEXT + ",surplus\n"),
     [(3, None, "32 fields where the header has 31 (a separator inside a value that is not quoted?)")], 1),
    ("line of spaces", raw_line("   \n"),
     [(3, None, "1 fields where the header has 31 (a record cut short, or a line break outside quotes?)")], 1),
    ("file ends inside quotes", raw_line(ROW_TEXT.rsplit(",Invented note.", 1)[0] + ',"Invented note, cut'),
     [(3, None, "the file ends inside a quoted field that opens in this record (a truncated file, or a quote "
                "never closed)")], 1),
    ("record cut after actor1", raw_line("TST9,2023-10-18,2023,1,Political violence,Battles,Armed clash,Group X"
                                         + "," * 23 + "\n"),
     [(3, "actor1", "the record stops after column 'actor1': every later field is empty (a truncated file?)")], 1),
]


@pytest.mark.parametrize("case, text, expected, imported", CASES, ids=[c[0] for c in CASES])
def test_bad_row_gives_exact_rejection(case, text, expected, imported, tmp_path, sites):
    path = tmp_path / "acled.csv"
    path.write_text(text, encoding="utf-8", newline="")
    report = import_events(path, sites=sites).report
    assert [(r["line"], r["column"], r["reason"]) for r in report["rejections"]] == expected
    assert report["rows_imported"] == imported
    assert report["rows_imported"] + report["rows_rejected"] == report["rows_read"] == imported + 1


def multi_line_file() -> str:
    """A note spanning three lines (2-4), a blank line (5), then a bad row on line 6."""
    rows = [acled_row(1, notes="first line\nsecond line\nthird line")]
    return acled_text(rows) + "\n" + ",".join(acled_row(2, latitude="north").values()) + "\n"


LINE_CASES = [
    ("quoted newlines and a blank line", multi_line_file(), "utf-8", 6, "byte scan + pyarrow"),
    ("CRLF", acled_text([acled_row(1, notes="a\r\nb"), acled_row(2, latitude="north")], newline="\r\n"),
     "utf-8", 4, "byte scan + pyarrow"),
    ("byte-order mark", "\ufeff" + with_row(latitude="north"), "utf-8", 3, "byte scan + pyarrow"),
    ("stray quote inside an unquoted field",
     acled_text([acled_row(1, location="Example-town"), acled_row(2, notes="x\ny"),
                 acled_row(3, latitude="north")]).replace("Example-town", 'Example"town'),
     "utf-8", 5, "csv module"),
    ("old Mac line ends", with_row(latitude="north").replace("\n", "\r"), "utf-8", 3, "csv module"),
]


@pytest.mark.parametrize("case, text, encoding, bad_line, method", LINE_CASES, ids=[c[0] for c in LINE_CASES])
@pytest.mark.parametrize("chunk_records", [1, 2, 50_000])
def test_line_numbers_are_exact(case, text, encoding, bad_line, method, chunk_records, tmp_path, sites):
    path = tmp_path / "acled.csv"
    path.write_bytes(text.encode(encoding))
    report = import_events(path, sites=sites, chunk_records=chunk_records).report
    assert [(r["line"], r["column"]) for r in report["rejections"]] == [(bad_line, "latitude")]
    assert report["reader"]["method"] == method
    assert report["rows_imported"] + report["rows_rejected"] == report["rows_read"]


def test_stray_quote_is_kept_as_written_and_bom_is_reported(tmp_path, sites):
    path = tmp_path / "acled.csv"
    text = acled_text([acled_row(1, location="Example-town")]).replace("Example-town", 'Example"town')
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    result = import_events(path, sites=sites)
    assert result.events["place"].tolist() == ['Example"town']
    assert (result.report["encoding"], result.report["encoding_note"]) == ("utf-8", "UTF-8 with a byte-order mark")


def test_hxl_row_counts_as_a_line_but_not_as_a_row(tmp_path, sites):
    hashtags = ",".join("#event+code" if c == "event_id_cnty" else "" for c in ACLED_HEADER) + "\n"
    text = with_row(latitude="north")
    header, rest = text.split("\n", 1)
    path = tmp_path / "hdx.csv"
    path.write_text(header + "\n" + hashtags + rest, encoding="utf-8")
    report = import_events(path, sites=sites).report
    assert report["rows_read"] == 2 and [r["line"] for r in report["rejections"]] == [4]
    assert "HXL hashtag row on line 2" in report["layout_flags"]


def test_latin1_file_falls_back_and_reports_it(tmp_path, sites):
    path = tmp_path / "latin.csv"
    text = acled_text([acled_row(1), acled_row(2, location="Hesek\u00ea", notes="caf\u00e9 \u2019quoted\u2019")])
    path.write_bytes(text.encode("cp1252"))
    result = import_events(path, sites=sites)
    assert result.report["encoding"] == "cp1252"
    assert result.report["encoding_note"] == (
        "not valid UTF-8 (first bad byte on line 3); read as Windows-1252 (Latin-1)")
    assert list(result.events["place"]) == ["Exampletown", "Hesek\u00ea"]
    assert result.events["notes"].iloc[1] == "caf\u00e9 \u2019quoted\u2019"


def test_bytes_that_are_not_cp1252_are_read_as_latin1(tmp_path, sites):
    path = tmp_path / "latin.csv"
    path.write_bytes(acled_text([acled_row(1, location="Hesek\u00ea\u0081")]).encode("latin-1"))
    result = import_events(path, sites=sites)
    assert result.report["encoding"] == "latin-1" and result.events["place"].iloc[0] == "Hesek\u00ea\u0081"


def test_date_end_before_start_is_rejected(tmp_path, sites):
    with open(FIXTURES / "ucdp_ged231_49col.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["date_end"] = "1980-01-01"
    rows[2]["date_end"] = "someday"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "ged.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = import_events(path, sites=sites).report
    assert [(r["line"], r["column"], r["reason"]) for r in report["rejections"]] == [
        (3, "date_end", "a date not before date_start"),
        (4, "date_end", "a date written as the rest of the file (%Y-%m-%d)"),
    ]
    assert report["rows_imported"] == 1


def test_many_bad_rows_are_counted_beyond_the_listed_ones(tmp_path, sites, monkeypatch):
    monkeypatch.setattr("dashboard.core.importers.report.MAX_LISTED", 5)
    monkeypatch.setattr("dashboard.core.importers.run.Rejections.__init__.__defaults__", (5,))
    path = tmp_path / "bad.csv"
    path.write_text(acled_text([acled_row(k, latitude="north") for k in range(20)] + GOOD), encoding="utf-8")
    report = import_events(path, sites=sites).report
    assert report["rows_rejected"] == 20 and report["rejections_by_kind"] == {"bad_coordinate": 20}
    assert report["rejections_listed"] == len(report["rejections"]) == 5
    assert all(r["reason"] for r in report["rejections"])
