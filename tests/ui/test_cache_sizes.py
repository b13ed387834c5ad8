"""No full-dataset object goes through st.cache_data: every value it pickles or unpickles on a rerun is small.

Before the query layer, each rerun unpickled the whole dataset and its join from st.cache_data (48 MB at
100,000 incidents). The pages now cache only answers (counts, a page of rows, a map's layers); the data
lives once per process behind st.cache_resource, which does not pickle.
"""
from __future__ import annotations

import pickle

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.generated import generated_folder

INCIDENTS = 100_000
#: The largest pickle allowed: a page of 500 table rows is about 0.2 MB; the data at this size is over 30 MB.
LIMIT_BYTES = 2 * 2**20
PAGES = ["dashboard/app_pages/map_page.py", "dashboard/app_pages/charts_page.py", "dashboard/app_pages/data_page.py"]


class RecordingPickle:
    """Streamlit's cache_data module's ``pickle``, noting the size of everything it pickles and unpickles."""

    def __init__(self):
        self.sizes: list[int] = []

    def dumps(self, value, *args, **kwargs):
        data = pickle.dumps(value, *args, **kwargs)
        self.sizes.append(len(data))
        return data

    def loads(self, data, *args, **kwargs):
        self.sizes.append(len(data))
        return pickle.loads(data, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(pickle, name)


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    return generated_folder(tmp_path_factory.mktemp("data-1e5"), INCIDENTS)


@pytest.mark.slow
def test_reruns_pickle_only_small_answers(monkeypatch, big_folder, tmp_path):
    import streamlit.runtime.caching.cache_data_api as cache_data_api

    recording = RecordingPickle()
    monkeypatch.setattr(cache_data_api, "pickle", recording)
    monkeypatch.setenv("DASHBOARD_DATA", str(big_folder))
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    at.run()
    assert not at.exception
    assert str(next(m.value for m in at.metric if m.label == "Incidents")).replace(",", "") == str(INCIDENTS)
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        at.run()  # a rerun with nothing changed: answers come back from the cache (unpickled)
        assert not at.exception, at.exception
    assert recording.sizes, "nothing went through st.cache_data"
    assert max(recording.sizes) < LIMIT_BYTES, f"largest pickle {max(recording.sizes):,} bytes"
