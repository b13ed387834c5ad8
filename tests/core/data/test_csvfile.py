"""Reading CSV records: line numbers as in the file, encodings, ragged rows."""
from __future__ import annotations

from dashboard.core.data.csvfile import read_csv_records


def test_line_numbers_count_quoted_newlines(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('id,notes\nA,"first line\nsecond line"\nB,plain\n\nC,"x"\n', encoding="utf-8")
    records = read_csv_records(path)
    assert [(line, row["id"]) for line, row in records.records] == [(2, "A"), (4, "B"), (6, "C")]
    assert records.records[0][1]["notes"] == "first line\nsecond line"
    assert not records.problems


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("\ufeffid,name\r\nA,Tall Bayd\u00e2r\r\n".encode("utf-8"))
    records = read_csv_records(path, ("id",))
    assert records.header == ["id", "name"]
    assert records.records == [(2, {"id": "A", "name": "Tall Bayd\u00e2r"})]


def test_wrong_field_count_is_reported_and_row_kept(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,name\nA,one\nB\nC,three,extra\n", encoding="utf-8")
    records = read_csv_records(path)
    assert [p.line for p in records.problems] == [3, 4]
    assert "expected 2 fields" in records.problems[0].expected
    assert [row["id"] for _, row in records.records] == ["A", "B", "C"]


def test_latin1_file_is_reported_with_its_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("id,name\nA,ok\nB,Hesek\xea\n".encode("latin-1"))
    records = read_csv_records(path)
    (problem,) = records.problems
    assert problem.line == 3 and "not valid UTF-8" in problem.expected


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    records = read_csv_records(tmp_path / "absent.csv")
    assert "file not found" in records.problems[0].expected
