"""The app on the Spark cluster, in headless Chromium: a share link shows the Incidents an independent count gives.

The app runs with ``DASHBOARD_ENGINE=spark`` and the cluster's master on the
generated million-incident folder; the expected figure is counted with pandas
over that folder's ``incidents.csv`` (not through the query layer).
"""
from __future__ import annotations

import time

import pandas as pd
import pytest

from tests.browser.conftest import (ARTIFACTS, assert_no_exception, assert_offline, metric_box, running_server,
                                    skip_without_browser)

pytestmark = [pytest.mark.spark, pytest.mark.slow]
skip_without_browser()

START, END, COUNTRY = "2024-01-01", "2024-03-31", "Syria"
#: The first page on Spark asks a few dozen queries of a million rows on two one-core workers.
FIRST_PAGE_TIMEOUT_MS = 300_000


def independent_count(folder, start: str, end: str, country: str) -> int:
    frame = pd.read_csv(folder / "incidents.csv", usecols=["date", "country"], dtype=str, keep_default_na=False)
    inside = (frame["date"] >= start) & (frame["date"] <= end)
    named = frame["country"].str.split(";").map(lambda values: country in [v.strip() for v in values])
    return int((inside & named).sum())


def test_a_share_link_on_spark_shows_the_independent_count(cluster, million, new_context, offline):
    folder, cache = million
    expected = independent_count(folder, START, END, COUNTRY)
    assert expected > 10_000
    env = {"DASHBOARD_DATA": str(folder), "DASHBOARD_CACHE": str(cache), "DASHBOARD_ENGINE": "spark",
           "DASHBOARD_SPARK_MASTER": cluster.master_url, "SPARK_LOCAL_IP": "127.0.0.1"}
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(ARTIFACTS / "streamlit-spark.log", env) as (base, _process):
        page = new_context().new_page()
        started = time.perf_counter()
        page.goto(f"{base}/?country={COUNTRY}&start={START}&end={END}")
        value = metric_box(page, "Incidents").locator('[data-testid="stMetricValue"]')
        value.first.wait_for(timeout=FIRST_PAGE_TIMEOUT_MS)
        shown = int(value.first.inner_text().strip().replace(",", ""))
        seconds = time.perf_counter() - started
        page.get_by_text("queries answered by Spark").first.wait_for(timeout=FIRST_PAGE_TIMEOUT_MS)
        page.screenshot(path=str(ARTIFACTS / "spark-share-link.png"), full_page=True)
        assert shown == expected
        assert_no_exception(page)
        assert_offline(offline)
        print(f"first page of the share link on Spark: {seconds:.1f} s")
        (ARTIFACTS / "spark-first-page.txt").write_text(f"{seconds:.1f} s, Incidents {shown:,}\n")
