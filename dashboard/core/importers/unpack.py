"""Bring a file to import onto local disk, unpacking a zip with limits, in a scratch folder that never outlives us.

A zip a stranger uploads may expand a thousandfold (a 9.6 MB archive of 2.2 GB
of valid CSV took the server to 12 GB). The member is therefore copied in
blocks and refused as soon as it passes either limit: the unpacked size
(``max_bytes``) or the ratio of unpacked size to the archive's size on disk
(``max_ratio``; CSV exports compress 5 to 20 times, a bomb hundreds of times).
The sizes the archive declares are checked first but not trusted.

Scratch folders are named ``import-<pid>-...`` in the temporary directory and
removed on every way out of :func:`local_file`, exceptions included. A process
killed outright cannot clean up after itself, so each new import first removes
the scratch folders of processes that no longer run.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Largest unpacked member accepted by default (the command line; the app passes its upload limit).
MAX_UNPACKED_BYTES = 8 << 30
#: Largest ratio of unpacked member to archive accepted.
MAX_RATIO = 100
#: Unpacked sizes up to this are always accepted whatever the ratio (a tiny archive of a small file).
RATIO_FLOOR_BYTES = 10 << 20
SCRATCH_PREFIX = "import-"
#: Bytes in a megabyte as Streamlit counts ``server.maxUploadSize`` (2**20), so that the app's limit is its limit.
MB = 1 << 20
_BLOCK = 1 << 20


class FileRefusedError(ValueError):
    """The file is refused before or while it is read (too large, a zip bomb, not one file, ...)."""


@contextmanager
def local_file(path, max_bytes: int = MAX_UNPACKED_BYTES, max_ratio: float = MAX_RATIO) -> Iterator[tuple[Path, str]]:
    """A path on disk for ``path`` and the name to show for it: the file itself, a copy of a file object,
    or the one member of a zip archive, unpacked within the limits. Scratch files go when the block ends."""
    remove_orphaned_scratch()
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        if hasattr(path, "read"):
            name = Path(getattr(path, "name", "upload") or "upload").name
            local = folder / "upload"
            _copy_limited(path, local, max_bytes, None, name, (max_bytes, max_ratio, max_bytes))
        else:
            local = Path(path)
            name = local.name
            if not local.is_file():
                raise FileNotFoundError(f"`path` was {str(path)!r} but no such file exists")
        if zipfile.is_zipfile(local):
            local, name = _unzip_single(local, folder, name, max_bytes, max_ratio)
        yield local, name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unzip_single(archive: Path, folder: Path, name: str, max_bytes: int, max_ratio: float) -> tuple[Path, str]:
    archive_bytes = archive.stat().st_size
    allowed = min(max_bytes, max(int(max_ratio * archive_bytes), RATIO_FLOOR_BYTES))
    try:
        zipped = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRefusedError(f"{name} is not a readable zip archive ({exc})") from None
    with zipped:
        members = [m for m in zipped.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX")]
        if len(members) != 1:
            raise FileRefusedError(f"{name} is a zip archive with {len(members)} files; it must hold exactly one")
        member = members[0]
        shown = f"{name}:{member.filename}"
        limits = (max_bytes, max_ratio, allowed)
        if member.file_size > allowed:
            raise FileRefusedError(_too_large(shown, member.file_size, archive_bytes, limits, "declares"))
        target = folder / "member"
        try:
            with zipped.open(member) as source:
                _copy_limited(source, target, allowed, archive_bytes, shown, limits)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
            raise FileRefusedError(f"{shown} cannot be unpacked: {exc}") from None
    return target, shown


def _copy_limited(source, target: Path, allowed: int, archive_bytes: int | None, shown: str, limits: tuple) -> None:
    """Copy ``source`` to ``target`` in blocks; stop and delete ``target`` when it passes ``allowed`` bytes."""
    written = 0
    try:
        with open(target, "wb") as out:
            while block := source.read(_BLOCK):
                written += len(block)
                if written > allowed:
                    raise FileRefusedError(_too_large(shown, written, archive_bytes, limits, "unpacks to"))
                out.write(block)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _too_large(shown: str, size: int, archive_bytes: int | None, limits: tuple, verb: str) -> str:
    max_bytes, max_ratio, allowed = limits
    if archive_bytes is None:
        return f"{shown} is larger than {_mb(allowed)}, the most accepted here"
    over = "more than " if verb == "unpacks to" else ""
    stopped = "it was not unpacked further" if verb == "unpacks to" else "nothing was unpacked"
    if allowed < max_bytes:
        return (f"{shown} {verb} {over}{_mb(size)} from a {_mb(archive_bytes)} archive: over {max_ratio:g} times its "
                f"packed size, which no CSV export needs (a zip bomb?); {stopped}")
    return f"{shown} {verb} {over}{_mb(size)}, more than the {_mb(max_bytes)} accepted here; {stopped}"


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


def remove_orphaned_scratch(folder: str | Path | None = None) -> list[Path]:
    """Delete the ``import-<pid>-*`` scratch folders of processes that no longer run; return what was deleted."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = path.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and path.is_dir() and not _running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
