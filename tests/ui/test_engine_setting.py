"""The engine setting as a visitor meets it: the app on the generic engine, and a bad setting as a sentence."""
from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.query.store import write_upload_tables
from dashboard.core.query.tables import UPLOAD_ORD_OFFSET
from tests.conftest import ROOT
from tests.generated import generated_events


def open_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("value, words", [
    ("oracle-ish", ["query engine this server is set to use cannot be used", "duckdb", "spark"]),
    ("spark://127.0.0.1:7077", ["write `spark`", "DASHBOARD_SPARK_MASTER"]),
])
def test_a_bad_engine_setting_is_a_sentence_on_the_page(monkeypatch, mini_data, value, words):
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    monkeypatch.setenv("DASHBOARD_ENGINE", value)
    at = open_app()
    assert not at.exception
    text = at.error[0].value.replace("\\", "")
    assert all(word in text for word in words), text
    assert not at.metric  # nothing half-shown


def test_an_unreachable_master_is_a_sentence_on_the_page(monkeypatch, mini_data):
    import socket

    pytest.importorskip("pyspark")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    monkeypatch.setenv("DASHBOARD_ENGINE", "spark")
    monkeypatch.setenv("DASHBOARD_SPARK_MASTER", f"spark://127.0.0.1:{port}")
    at = open_app()
    assert not at.exception
    assert "cannot be reached" in at.error[0].value


def test_the_app_on_another_engine_shows_the_same_figures_and_names_it(monkeypatch, mini_data, tmp_path):
    """Through an Ibis URL (DuckDB standing in for a warehouse), with events as a Parquet tables folder."""
    from dashboard.core.query.store import open_data

    stored = open_data(mini_data, root=tmp_path / "cache")
    events = generated_events(40, stored.sites, seed=3)
    events["incident_id"] = [f"EV-{i}" for i in range(40)]
    folder = write_upload_tables(events, stored.sites, tmp_path / "shared" / "events", UPLOAD_ORD_OFFSET)
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DASHBOARD_EVENTS", str(folder))
    default = open_app()
    assert not default.exception and not default.error
    expected = metric(default, "Incidents")
    assert expected == str(6 + 40)
    monkeypatch.setenv("DASHBOARD_ENGINE", "duckdb://")
    other = open_app()
    assert not other.exception and not other.error
    assert metric(other, "Incidents") == expected
    assert any("queries answered by duckdb (Ibis)" in caption.value.replace("\\", "") for caption in other.caption)
    shutil.rmtree(folder / "..", ignore_errors=True)


def test_a_repeated_view_does_not_reach_the_engine_again(monkeypatch, mini_data, tmp_path):
    """Answers are cached per view: asking the same view twice runs its queries once (what spares a cluster)."""
    import datetime as dt

    from dashboard.core.view.filters import Filters
    from dashboard.ui import data

    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DASHBOARD_ENGINE", "duckdb://")
    loaded = data.load()
    engine = loaded.shared.engine
    assert engine.label == "duckdb (Ibis)"
    calls = []
    real = engine.run
    monkeypatch.setattr(engine, "run", lambda expr, values=None: calls.append(1) or real(expr, values))
    view = Filters(start=dt.date(2023, 10, 20), end=dt.date(2023, 12, 31), countries=("Syria",))
    first = data.ask(loaded.key, "headline", view)
    asked = len(calls)
    assert asked >= 1
    assert data.ask(loaded.key, "headline", view) == first
    assert len(calls) == asked  # the second time, from the cache
    data.ask(loaded.key, "headline", Filters(countries=("Iraq",)))
    assert len(calls) > asked  # another view is a new question
