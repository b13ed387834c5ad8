"""The column-wise checker finds exactly what the record-by-record checker finds: same values, same problems, same order."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.core.data import columnar
from dashboard.core.data.columnar import read_checked, typed_frame
from dashboard.core.data.columns import COUNT_COLUMNS, INCIDENT_COLUMNS, SITE_COLUMNS
from dashboard.core.data.validate import load_checked
from tests.conftest import COUNTS, INCIDENTS, SITES

HEADER = [c.name for c in INCIDENT_COLUMNS]


def text_of(rows: list[dict], header=HEADER, newline="\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def record_by_record(path, columns):
    frame, problems = load_checked(path, columns)
    return typed_frame(frame, columns), problems


def assert_same(path, columns=INCIDENT_COLUMNS, expect_columnar=True):
    if expect_columnar:
        assert columnar._read_columnar(path, columns) is not None, "expected the column-wise reader to take this file"
    got_frame, got_problems = read_checked(path, columns)
    want_frame, want_problems = record_by_record(path, columns)
    assert [p.as_dict() for p in got_problems] == [p.as_dict() for p in want_problems]
    pd.testing.assert_frame_equal(got_frame.reset_index(drop=True), want_frame.reset_index(drop=True),
                                  check_dtype=False)


def row(**changes) -> dict:
    return {**INCIDENTS[0], **changes}


BAD_VALUES = {
    "incident_id": ["I 1", "-x", "é1", "I-1", ""],
    "date": ["2023-02-30", "23-10-17", "2023-1-5", "２０２３-10-17", "0999-01-01", "2023-10-17 ", ""],
    "date_certainty": ["Reported", "", "approx"],
    "site_id": ["IQ-A; SY-B", ";IQ-A", "IQ A", "IQ-A;;SY-B", "IQ-A;", "ÍQ-A", "IQ-NOPE"],
    "country": ["Iraq; Syria", "Iraq;;Syria", " Iraq", "Saudi Arabia", "Iraq\u00a0;Syria", "Ирак", ""],
    "event_type": ["Drone", "", "drones"],
    "killed": ["1_000", "+3", " 5", "1e3", "NaN", "-1", "100001", "99999999999999999999", "٣", "0x10", "3.0"],
    "injured": ["007", "-0", "100000"],
    "confirmation": ["us-official", ""],
    "sources": ["http://bad url", "www.example.org", "https://a.org/x ; https://b.org/y", "HTTPS://A.ORG/X",
                "a report ; javascript:alert(1)", "https://a.org/<script>", "", "wire item 12",
                "https://a.org/x\u00a0y"],
    "notes": ['line one\nline two', 'quote " inside', "  padded  ", "\u200bzero width"],
}


@pytest.mark.parametrize("column,value", [(c, v) for c, values in BAD_VALUES.items() for v in values])
def test_every_tricky_value_gives_the_same_result(tmp_path, column, value):
    path = tmp_path / "incidents.csv"
    path.write_text(text_of([row(**{column: value}), row(incident_id="I-2"), row(incident_id="I-3", killed="4")]),
                    encoding="utf-8")
    assert_same(path)


def test_repeated_ids_name_the_first_line(tmp_path):
    path = tmp_path / "incidents.csv"
    rows = [row(incident_id=i) for i in ("A", "B", "A", "bad id", "B", "A")]
    path.write_text(text_of(rows), encoding="utf-8")
    assert_same(path)
    _, problems = read_checked(path, INCIDENT_COLUMNS)
    assert [p.expected for p in problems if p.column == "incident_id"][:2] == \
        ["a unique id; line 2 has it too", "an id of letters, digits, '-', '_' or '.'"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_quoted_newlines_and_a_bom(tmp_path, newline):
    body = text_of([row(notes="first\nsecond"), row(incident_id="I-2")], newline=newline)
    lines = body.split(newline)
    text = newline.join(lines[:2] + ["", ",,,", "   "] + lines[2:])
    path = tmp_path / "incidents.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert_same(path, expect_columnar=False)  # "   " is one field: the record reader handles the file
    path.write_bytes(b"\xef\xbb\xbf" + newline.join(lines[:2] + ["", ",,,,,,,,,,,,,,,"] + lines[2:]).encode())
    assert_same(path)
    frame, _ = read_checked(path, INCIDENT_COLUMNS)
    assert list(frame["line"]) == [2, 6]


@pytest.mark.parametrize("damage", ["a field too many", "a field too few", "bare carriage returns", "not utf-8",
                                    "repeated header", "missing required column", "open quote", "empty file"])
def test_unusual_files_are_read_record_by_record(tmp_path, damage):
    text = text_of([row(), row(incident_id="I-2")])
    data = {
        "a field too many": text.replace("\nI-2,", "\nI-2,extra,"),
        "a field too few": text.replace(",US-official,", ",", 1),
        "bare carriage returns": text.replace("\n", "\r"),
        "repeated header": text.replace("incident_id,date,", "incident_id,incident_id,", 1),
        "missing required column": text.replace("incident_id,date,", "id,date,", 1),
        "open quote": text + '"I-3,2023-10-18\n',
        "empty file": "",
    }.get(damage)
    path = tmp_path / "incidents.csv"
    path.write_bytes(text.encode("utf-8").replace(b"somewhere", b"some\xffwhere") if data is None else data.encode())
    assert columnar._read_columnar(path, INCIDENT_COLUMNS) is None
    assert_same(path, expect_columnar=False)


def test_missing_optional_column_and_an_extra_one(tmp_path):
    header = [h for h in HEADER if h != "notes"] + ["extra"]
    path = tmp_path / "incidents.csv"
    path.write_text(text_of([{**row(), "extra": "x"}], header=header), encoding="utf-8")
    assert_same(path)


@pytest.mark.parametrize("columns,rows,name", [(SITE_COLUMNS, SITES, "sites.csv"), (COUNT_COLUMNS, COUNTS, "counts.csv")])
def test_sites_and_counts(tmp_path, columns, rows, name):
    header = [c.name for c in columns]
    tricky = [{**rows[0], **({"lat": "91", "lon": "1e1", "coord_uncertainty_km": "-2"} if name == "sites.csv"
                             else {"cumulative_total": "1_0", "iraq": "x"})}]
    path = tmp_path / name
    path.write_text(text_of(list(rows) + tricky, header=header), encoding="utf-8")
    assert_same(path, columns)


CELLS = st.sampled_from([v for values in BAD_VALUES.values() for v in values] + ["IQ-A", "Iraq", "drone", "2023-10-18",
                                                                               "3", "reported", "claim-only", "x"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=8))
def test_random_files_give_the_same_result(tmp_path, cells):
    path = tmp_path / "incidents.csv"
    path.write_text(text_of([dict(zip(HEADER, values)) for values in cells]), encoding="utf-8")
    assert_same(path, expect_columnar=False)
