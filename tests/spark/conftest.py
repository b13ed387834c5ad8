"""The ``-m spark`` group: a real standalone cluster on 127.0.0.1 and a generated data set of 1,000,000 incidents.

Both are made once for the package's tests. The cluster is stopped by the
fixture's teardown when the last of them is done, which pytest runs also when
a test fails (and by ``atexit`` should the session itself end on an error).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.spark_cluster import SparkCluster, java_ok

#: At least a million incidents, as the issue asks; DASHBOARD_SPARK_TEST_ROWS may raise it.
ROWS = int(float(os.environ.get("DASHBOARD_SPARK_TEST_ROWS", "1e6")))


def skip_without_spark() -> None:
    pytest.importorskip("pyspark", reason="the Spark packages are missing: pip install -r requirements-spark.txt")
    if not java_ok():
        pytest.skip("Java is missing (Debian: openjdk-17-jre-headless; scripts/test.sh installs it)")


@pytest.fixture(scope="package")
def million(tmp_path_factory) -> tuple[Path, Path]:
    """A generated data folder of ROWS incidents and the cache holding its Parquet tables: ``(folder, cache)``."""
    from dashboard.core.query.store import open_data
    from tests.generated import generated_folder

    base = tmp_path_factory.mktemp("spark-data")
    folder = generated_folder(base / "data", ROWS)
    open_data(folder, root=base / "cache")
    return folder, base / "cache"


@pytest.fixture(scope="package")
def cluster(tmp_path_factory):
    """One master and two workers; stopped at the end of the session, also after a failure."""
    skip_without_spark()
    cluster = SparkCluster(workers=2, folder=tmp_path_factory.mktemp("spark-cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
    assert not cluster.running()


# The browser fixtures of tests/browser/ (one Chromium per session, offline routing, fresh contexts).
from tests.browser.conftest import new_context, offline  # noqa: E402,F401 (`browser` is tests/conftest.py's)
