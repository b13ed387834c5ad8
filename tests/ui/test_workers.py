"""The extraction worker gives way to the server: it runs at a lower CPU priority than the process that
serves the pages (on two cores a long extraction otherwise slows another visitor's map by seconds)."""
from __future__ import annotations

import os

import pytest

from dashboard.ui import workers


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities on this system")
def test_the_worker_runs_at_a_lower_priority_than_the_server():
    own = os.nice(0)
    worker = workers._pool().submit(os.nice, 0).result(timeout=60)
    assert worker == min(own + workers.NICENESS, 19)
