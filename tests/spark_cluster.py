"""A real Spark standalone cluster on 127.0.0.1 (one master, two workers), from the classes the pyspark package ships.

For the ``-m spark`` tests and ``benchmarks/bench_query.py --spark``. Each
process is started in its own process group, so stopping the cluster also
stops the executors its workers started; :meth:`SparkCluster.stop` is safe to
call twice and runs at interpreter exit as well, so a failing test never
leaves a cluster behind.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

#: Each worker's cores and memory (two workers on a 2-core machine: one core each).
WORKER_CORES = 1
WORKER_MEMORY = "2g"
EXECUTOR_MEMORY = "1500m"
START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spark_home() -> Path:
    """Where the pyspark package keeps Spark's jars and launch scripts."""
    import pyspark

    return Path(pyspark.__file__).parent


def java_ok() -> bool:
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


class SparkCluster:
    """A standalone master and ``workers`` workers, started by :meth:`start` and stopped by :meth:`stop`."""

    def __init__(self, workers: int = 2, folder: Path | None = None):
        self.workers = workers
        self.folder = Path(folder or tempfile.mkdtemp(prefix="spark-cluster-"))
        self.port = free_port()
        self.master_url = f"spark://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        self.started_s: float | None = None

    def env(self) -> dict:
        home = spark_home()
        return dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1",
                    SPARK_LOG_DIR=str(self.folder / "logs"), SPARK_WORKER_DIR=str(self.folder / "work"),
                    SPARK_NO_DAEMONIZE="1", PYSPARK_PYTHON=os.environ.get("PYSPARK_PYTHON", _python()))

    def _launch(self, name: str, *arguments: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")
        process = subprocess.Popen([str(spark_home() / "bin" / "spark-class"), *arguments], env=self.env(),
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def start(self) -> "SparkCluster":
        started = time.perf_counter()
        atexit.register(self.stop)
        self._launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                     "--port", str(self.port), "--webui-port", str(free_port()))
        self._wait_port(self.port)
        for i in range(self.workers):
            self._launch(f"worker-{i}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                         "--cores", str(WORKER_CORES), "--memory", WORKER_MEMORY, "--webui-port", str(free_port()),
                         "--work-dir", str(self.folder / f"work-{i}"), self.master_url)
        self._wait_workers()
        self.started_s = time.perf_counter() - started
        return self

    def session_conf(self) -> dict[str, str]:
        """What a driver connecting to this cluster sets (also as environment for the app)."""
        return {"spark.executor.memory": EXECUTOR_MEMORY, "spark.driver.host": "127.0.0.1",
                "spark.driver.bindAddress": "127.0.0.1"}

    def _wait_port(self, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the Spark master did not listen on {port} within {START_TIMEOUT_S} s: {self.logs()}")

    def _wait_workers(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        log = self.folder / "master.log"
        while time.monotonic() < deadline:
            self._check_alive()
            if log.is_file() and log.read_text(errors="replace").count("Registering worker") >= self.workers:
                return
            time.sleep(0.3)
        raise RuntimeError(f"{self.workers} workers did not register within {START_TIMEOUT_S} s: {self.logs()}")

    def _check_alive(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"a Spark process exited with {process.returncode}: {self.logs()}")

    def registered_workers(self) -> int:
        log = self.folder / "master.log"
        return log.read_text(errors="replace").count("Registering worker") if log.is_file() else 0

    def logs(self, tail: int = 2000) -> str:
        parts = []
        for path in sorted(self.folder.glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-tail:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=10)
        self.processes.clear()

    def running(self) -> bool:
        return any(process.poll() is None for process in self.processes)


def _python() -> str:
    import sys

    return sys.executable
