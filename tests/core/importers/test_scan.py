"""The byte scan finds the same records, lines and field counts as Python's csv module."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from dashboard.core.importers.scan import count_fields, scan_records

TEXTS = [
    ("plain", "a,b,c\n1,2,3\n4,5,6\n"),
    ("no final newline", "a,b\n1,2\n3,4"),
    ("quoted newline", 'a,b\n1,"x\ny"\n2,z\n'),
    ("quoted CRLF and separators", 'a,b\r\n"1,\r\n2",y\r\n3,z\r\n'),
    ("doubled quotes", 'a,b\n"say ""hi""",2\n"""",3\n'),
    ("empty lines", "a,b\n\n1,2\r\n\r\n\n3,4\n"),
    ("line of spaces", "a,b\n  \n1,2\n"),
    ("empty quoted fields", 'a,b,c\n"","",""\n,,\n'),
    ("byte-order mark", "\ufeffa,b\n1,2\n"),
    ("non-ASCII", "a,b\nHesek\u00ea,\u0634\u0627\u0645\n"),
    ("open quote at end", 'a,b\n1,"never closed\nstill open'),
]


def csv_module_view(text: str) -> list[tuple[int, int]]:
    out, start = [], 1
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    for row in reader:
        if row:
            out.append((start, len(row)))
        start = reader.line_num + 1
    return out


@pytest.mark.parametrize("name, text", TEXTS, ids=[t[0] for t in TEXTS])
@pytest.mark.parametrize("block_size", [1, 3, 7, 1 << 20])
def test_scan_matches_csv_module(name, text, block_size, tmp_path):
    path = tmp_path / "x.csv"
    data = text.encode("utf-8")
    path.write_bytes(data)
    index = scan_records(path, block_size=block_size)
    assert index.irregular is None
    offset = 3 if index.bom else 0
    fields = count_fields(data[offset:], index.starts - offset)
    assert list(zip(index.lines.tolist(), fields.tolist())) == csv_module_view(text)
    assert index.open_quote_at_eof == (name == "open quote at end")


@pytest.mark.parametrize("text, words", [
    ('a,b\n1,x"y\n', "double quote in the middle of an unquoted field (line 2"),
    ("a,b\r1,2\r", "bare carriage return ends line 1"),
])
@pytest.mark.parametrize("block_size", [1, 5, 1 << 20])
def test_irregular_files_are_flagged(text, words, block_size, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode())
    assert words in scan_records(path, block_size=block_size).irregular


@pytest.mark.parametrize("block_size", [1, 2, 1 << 20])
def test_first_invalid_utf8_byte_is_located(block_size, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("a,b\n1,\u00e9\n2,".encode() + b"\xe9\n")
    assert scan_records(path, block_size=block_size).utf8_error == (3, 11)


def test_unquoted_mode_ignores_quotes(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_bytes(b'1\t"a\t2\n3\tb\t4\n')
    index = scan_records(path, separator="\t", quoting=False)
    assert index.lines.tolist() == [1, 2] and index.irregular is None
    assert count_fields(path.read_bytes(), index.starts, "\t", quoting=False).tolist() == [3, 3]


@pytest.mark.parametrize("separator, block_size", [(",,", 10), ("\u00e9", 10), (",", 0)])
def test_bad_arguments_are_named(separator, block_size, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n")
    with pytest.raises(ValueError, match="`separator`|`block_size`"):
        scan_records(path, separator=separator, block_size=block_size)


def test_large_random_file_matches_csv_module(tmp_path):
    rng = np.random.default_rng(3)
    pieces = ["x", "y z", "", "a,b", 'q"q', "l1\nl2", "r\r\ns"]
    rows = [[pieces[k] for k in rng.integers(0, len(pieces), 4)] for _ in range(3000)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["h1", "h2", "h3", "h4"]] + rows)
    path = tmp_path / "x.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    index = scan_records(path, block_size=997)
    fields = count_fields(path.read_bytes(), index.starts)
    assert list(zip(index.lines.tolist(), fields.tolist())) == csv_module_view(buffer.getvalue())
