"""Fixtures of the deployment tests: a copy of the bundled data folder, the cluster launcher, nginx's access log.

The browser, its offline routing and fresh contexts are the browser tests' own fixtures, imported from
tests/browser/conftest.py (with its report hook, so a fixture can tell whether the test failed).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import (ARTIFACTS, ROOT, _free_port, _stop, app_env, new_context,  # noqa: F401
                                    offline, pytest_runtest_makereport)

from deploy.cluster import COOKIE

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
CLUSTER_TIMEOUT_S = 120
FIGURES = ARTIFACTS / "proxy-figures.json"
#: One line of the access log (deploy/nginx/dashboard.conf.template's `log_format dashboard`).
LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ upstream=(?P<upstream>.*?) '
                      r'upstream_status=(?P<upstream_status>.*?) affinity=(?P<affinity>\S+) ')


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((path for path in NGINX_CANDIDATES if Path(path).exists()), None)


def skip_without_nginx() -> None:
    """Skip the calling test module when nginx is missing (call at module level)."""
    if nginx_binary() is None:
        pytest.skip("nginx is missing (Debian's nginx; scripts/test.sh installs it with apt-get)",
                    allow_module_level=True)


def copy_data_folder(target: Path) -> Path:
    """A data folder holding a copy of geodata/ (without backups) and seeds/, as DASHBOARD_DATA reads it."""
    shutil.copytree(ROOT / "geodata", target, ignore=shutil.ignore_patterns("backups"))
    shutil.copytree(ROOT / "seeds", target / "seeds")
    return target


@dataclass
class Cluster:
    """A running `python -m deploy.cluster run`: its process, the state it wrote (cluster.json), its folder."""

    process: subprocess.Popen
    state: dict
    run_dir: Path

    @property
    def url(self) -> str:
        return self.state["url"]

    @property
    def readers(self) -> list[dict]:
        return [app for app in self.state["apps"] if app["role"] == "reader"]

    @property
    def editor(self) -> dict:
        return next(app for app in self.state["apps"] if app["role"] == "editor")

    def log(self) -> list[dict]:
        """The access log's lines so far, parsed; ``served_by`` is the last upstream tried (the one that answered)."""
        entries = []
        for line in Path(self.state["access_log"]).read_text(errors="replace").splitlines():
            found = LOG_LINE.search(line)
            if found:
                entry = found.groupdict()
                entry["served_by"] = entry["upstream"].split(",")[-1].strip()
                entries.append(entry)
        return entries


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    """Two readers and the editor on a copy of the bundled data, nginx in front, started by the launcher users run.

    The launcher runs in a process group of its own with everything it starts, so the teardown stops all of them
    (SIGTERM, then SIGKILL), also when the test failed. Its logs are copied to test-artifacts/<module>-*.
    """
    base = tmp_path_factory.mktemp("cluster")
    data = copy_data_folder(base / "data")
    run_dir = base / "run"
    command = [sys.executable, "-m", "deploy.cluster", "run", "--readers", "2", "--data", str(data),
               "--cache", str(base / "cache"), "--listen", f"127.0.0.1:{_free_port()}", "--run-dir", str(run_dir),
               "--nginx", nginx_binary()]
    output = base / "cluster.out"
    with open(output, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=app_env(), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        state_file = run_dir / "cluster.json"
        deadline = time.monotonic() + CLUSTER_TIMEOUT_S
        while not state_file.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the cluster did not start (launcher exit code {process.poll()}):\n"
                            + output.read_text(errors="replace"))
            time.sleep(0.2)  # poll interval
        yield Cluster(process, json.loads(state_file.read_text()), run_dir)
    finally:
        _stop(process)
        ARTIFACTS.mkdir(exist_ok=True)
        module = request.module.__name__.rpartition(".")[2]
        for name in ("access.log", "error.log", "reader-1.log", "reader-2.log", "editor.log"):
            if (run_dir / name).exists():
                shutil.copy(run_dir / name, ARTIFACTS / f"{module}-{name}")
        shutil.copy(output, ARTIFACTS / f"{module}-cluster.out")


def record_figures(figures: dict) -> None:
    """Add ``figures`` to test-artifacts/proxy-figures.json (the README quotes them) and print them."""
    ARTIFACTS.mkdir(exist_ok=True)
    recorded = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    recorded.update(figures)
    FIGURES.write_text(json.dumps(recorded, indent=2) + "\n")
    print("\n" + json.dumps(figures, indent=2))


def affinity_of(context) -> str:
    """The value of nginx's affinity cookie in a browser context (the key of its requests in the access log)."""
    values = [cookie["value"] for cookie in context.cookies() if cookie["name"] == COOKIE]
    assert len(values) == 1, f"affinity cookie {COOKIE!r}: {context.cookies()}"
    return values[0]
