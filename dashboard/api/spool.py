"""Whole answers kept on disk for clients that read a URL as a file: GDAL (QGIS, R's sf, geopandas) asks for its
size first (``HEAD``) and then reads byte ranges, which a stream cannot give.

An answer is written once, chunk by chunk (memory stays bounded), to a file
named by its ``ETag`` (which holds the dataset's version, so a new version
never meets an old file), then renamed into place: a reader never sees half a
file. The folder is bounded: the answers read least recently are deleted first.
"""
from __future__ import annotations

import os
import re
import threading
import uuid
from pathlib import Path
from typing import Iterable

#: Disk the kept answers may use together (``DASHBOARD_API_SPOOL_MB``, default 2,048 MB).
SPOOL_ENV = "DASHBOARD_API_SPOOL_MB"
DEFAULT_SPOOL_MB = 2048


class Spool:
    """A folder of whole answers by ETag, at most ``max_bytes`` together (the newest answer is always kept)."""

    def __init__(self, folder: Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, tag: str, suffix: str) -> Path:
        name = re.sub(r"[^0-9a-f]", "", tag.lower())
        if not name:
            raise ValueError(f"`tag` was {tag!r} but is expected to hold hex digits")
        return self.folder / f"{name}{suffix}"

    def get(self, tag: str, suffix: str) -> Path | None:
        """The kept answer for ``tag``, marked as just read; None when there is none."""
        path = self.path(tag, suffix)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        return path

    def keep(self, tag: str, suffix: str, parts: Iterable[bytes]) -> Path:
        """Write ``parts`` as the answer for ``tag`` (once, when several requests ask at the same time)."""
        with self._guard:
            lock = self._locks.setdefault(tag, threading.Lock())
        try:
            with lock:
                return self.get(tag, suffix) or self._write(tag, suffix, parts)
        finally:
            with self._guard:  # one lock per answer being written, not one per answer ever written
                if self._locks.get(tag) is lock and not lock.locked():
                    del self._locks[tag]

    def _write(self, tag: str, suffix: str, parts: Iterable[bytes]) -> Path:
        """Write ``parts`` to a scratch file, rename it into place, and trim the folder to its bound."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(tag, suffix)
        scratch = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
        try:
            with scratch.open("wb") as handle:
                for part in parts:
                    handle.write(part)
            os.replace(scratch, target)
        finally:
            scratch.unlink(missing_ok=True)
        self._trim(keep=target)
        return target

    def _trim(self, keep: Path) -> None:
        files = []
        for path in self.folder.iterdir():
            if path.name.startswith(".") or path == keep:
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _t, size, _p in files) + keep.stat().st_size
        for _mtime, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size


def spool_bytes(environ=None) -> int:
    """The spool's size limit in bytes from ``$DASHBOARD_API_SPOOL_MB``."""
    raw = (os.environ if environ is None else environ).get(SPOOL_ENV, "").strip()
    if raw and (not raw.isdigit() or int(raw) < 1):
        raise ValueError(f"{SPOOL_ENV} was {raw!r} but is expected to be a whole number of megabytes, at least 1")
    return (int(raw) if raw else DEFAULT_SPOOL_MB) << 20
