"""The data URLs' chunked reading: the plan of chunks, and every chunk joined equals the download's rows."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.data.dataset import data_folder, load_dataset
from dashboard.core.query import rows, stream
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters

D1, D2, D3 = dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)


def days(*counts):
    return pd.DataFrame({"date": [D1 + dt.timedelta(days=i) for i in range(len(counts))], "n": list(counts)})


@pytest.mark.parametrize("counts, offset, limit, chunk, expected", [
    ((2, 3, 4), 0, None, 10, [(D1, D3, 0, 9)]),                       # everything fits one chunk
    ((2, 3, 4), 0, None, 5, [(D1, D2, 0, 5), (D3, D3, 0, 4)]),        # whole days up to the chunk size
    ((2, 3, 4), 0, None, 2, [(D1, D1, 0, 2), (D2, D2, 0, 2), (D2, D2, 2, 1), (D3, D3, 0, 2), (D3, D3, 2, 2)]),
    ((2, 3, 4), 3, None, 10, [(D2, D2, 1, 2), (D3, D3, 0, 4)]),        # offset inside a day: that day alone
    ((2, 3, 4), 2, 3, 10, [(D2, D2, 0, 3)]),                           # a page of exactly one day
    ((2, 3, 4), 1, 2, 10, [(D1, D1, 1, 1), (D2, D2, 0, 1)]),           # a page across two partial days
    ((2, 3, 4), 9, 5, 10, []),                                          # past the end
    ((2, 3, 4), 0, 0, 10, []),
    ((), 0, None, 10, []),
])
def test_plan_chunks(counts, offset, limit, chunk, expected):
    planned = [(c.first, c.last, c.skip, c.take) for c in stream.plan_chunks(days(*counts), offset, limit, chunk)]
    assert planned == expected


def test_plan_chunks_refuses_negative_values():
    with pytest.raises(ValueError, match="must not be negative"):
        stream.plan_chunks(days(1), offset=-1)


@pytest.fixture(scope="module")
def bundled():
    return source_for(load_dataset(data_folder()))


FILTERS = [Filters(), Filters(countries=("Syria",)), Filters(start=dt.date(2023, 11, 1), end=dt.date(2024, 1, 31)),
           Filters(types=("rocket",), statuses=("US-official",)), Filters(sites=("IQ-ASAD", "SY-TANF"))]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("chunk", [1, 7, 5000])
def test_chunks_joined_are_the_downloads_rows(bundled, filters, chunk):
    expected = rows.all_rows(bundled, filters)
    got = pd.concat(list(stream.incident_chunks(bundled, filters, chunk_rows=chunk)) or [expected.head(0)])
    assert got["incident_id"].tolist() == expected["incident_id"].tolist()
    assert _plain(got) == _plain(expected)


def _plain(frame: pd.DataFrame) -> list[dict]:
    """Rows as records, any kind of missing value as None (joined chunks may hold None where one frame has NaN)."""
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


@pytest.mark.parametrize("offset, limit", [(0, 10), (10, 10), (5, 33), (100, 50), (122, 5), (123, 5), (0, 1)])
def test_a_page_is_a_slice_of_the_whole(bundled, offset, limit):
    whole = rows.all_rows(bundled, Filters())["incident_id"].tolist()
    page = [i for frame in stream.incident_chunks(bundled, Filters(), offset, limit, chunk_rows=4)
            for i in frame["incident_id"]]
    assert page == whole[offset:offset + limit]


def test_placements_come_with_their_chunk(bundled):
    filters = Filters(countries=("Iraq",))
    expected = rows.all_placements(bundled, filters)
    got = pd.concat([placed for _frame, placed in stream.placed_chunks(bundled, filters, chunk_rows=9)])
    assert got["incident_id"].tolist() == expected["incident_id"].tolist()
    assert got["site_id"].tolist() == expected["site_id"].tolist()


def test_only_chunks_of_whole_days_are_read_without_an_ordering_window():
    planned = stream.plan_chunks(days(2, 3, 9), 1, None, 5)
    assert [(c.first, c.skip, c.take, c.whole) for c in planned] == [
        (D1, 1, 1, False), (D2, 0, 3, True), (D3, 0, 5, False), (D3, 5, 4, False)]
