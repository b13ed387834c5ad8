"""A process's resident memory as the tests and benchmarks read it: VmRSS of it and its descendants, from /proc,
and a thread that records the peak while something runs."""
from __future__ import annotations

import threading
from pathlib import Path


def rss_kb(pid: int) -> int:
    """VmRSS of ``pid`` and its descendants, in kB (a process gone meanwhile counts 0)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


class PeakSampler(threading.Thread):
    """The highest :func:`rss_kb` of ``pid`` from its start to :meth:`stop`, sampled every ``interval_s``."""

    def __init__(self, pid: int, interval_s: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval_s, self.peak, self.done = pid, interval_s, rss_kb(pid), threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval_s):
            self.peak = max(self.peak, rss_kb(self.pid))

    def stop(self) -> int:
        """Stop sampling; the peak in kB (the last reading included)."""
        self.done.set()
        self.join()
        self.peak = max(self.peak, rss_kb(self.pid))
        return self.peak
