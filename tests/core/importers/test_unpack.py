"""Issue 8, item 2: a zip is unpacked within limits, refused with a reason, and leaves no scratch files behind."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.core.importers import FileRefusedError, UnknownFormatError, import_events
from dashboard.core.importers.unpack import SCRATCH_PREFIX, local_file, remove_orphaned_scratch
from tests.conftest import ROOT

from .conftest import acled_row, acled_text

ROW = acled_text([acled_row(1)]).split("\n", 1)[1]  # one valid data line


def bomb(path: Path, unpacked_mb: int, *, lie_about_size: bool = False) -> Path:
    """A zip of one valid ACLED CSV that unpacks to ``unpacked_mb`` MB of the same row again and again."""
    header = acled_text([]).encode()
    block = (ROW * (1_000_000 // len(ROW) + 1)).encode()[: 1_000_000 - 1_000_000 % len(ROW)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("events.csv")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            member.write(header)
            for _ in range(unpacked_mb):
                member.write(block)
    return path


def scratch_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}{os.getpid()}-*"))


def test_a_zip_bomb_is_refused_by_its_ratio_while_unpacking(tmp_path):
    archive = bomb(tmp_path / "bomb.zip", 300)
    assert archive.stat().st_size < 2_000_000
    before = scratch_folders()
    started = time.perf_counter()
    with pytest.raises(FileRefusedError, match=r"bomb\.zip:events\.csv declares 286\.0 MB from a \d\.\d MB archive: "
                                                r"over 100 times its packed size.*nothing was unpacked"):
        import_events(archive)
    assert time.perf_counter() - started < 2
    assert scratch_folders() == before


def test_a_zip_whose_header_understates_its_size_is_refused(tmp_path):
    """The sizes an archive declares are not trusted: reading stops at the declared size and the CRC fails."""
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.csv", acled_text([acled_row(n) for n in range(20_000)]))
    data = bytearray(path.read_bytes())
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    data[local + 22:local + 26] = (1_000).to_bytes(4, "little")
    data[central + 24:central + 28] = (1_000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(FileRefusedError, match=r"liar\.zip:events\.csv cannot be unpacked: Bad CRC-32"):
        import_events(path)


def test_the_size_limit_applies_whatever_the_ratio(tmp_path):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:  # packed size = unpacked size
        zipped.writestr("events.csv", acled_text([]) + ROW * (30_000_000 // len(ROW)))
    with pytest.raises(FileRefusedError, match=r"big\.zip:events\.csv declares \d\d\.\d MB, more than the 20\.0 MB "
                                                r"accepted here"):
        import_events(archive, max_bytes=20 << 20)
    with pytest.raises(FileRefusedError, match="upload is larger than 1.0 MB"):
        import_events(io.BytesIO(b"x" * 2_000_000), max_bytes=1 << 20)


def test_a_plain_zip_within_the_limits_imports(tmp_path):
    path = tmp_path / "small.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.csv", acled_text([acled_row(n) for n in range(50)]))
    result = import_events(path)
    assert result.report["rows_imported"] == 50
    assert result.report["file"] == "small.zip:events.csv"


@pytest.mark.parametrize("members, message", [
    ({"a.csv": "x", "b.csv": "y"}, "is a zip archive with 2 files; it must hold exactly one"),
    ({}, "is a zip archive with 0 files"),
])
def test_a_zip_without_exactly_one_file_is_refused(tmp_path, members, message):
    path = tmp_path / "several.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    with pytest.raises(FileRefusedError, match=message):
        import_events(path)


def test_scratch_files_go_on_every_way_out(tmp_path):
    before = scratch_folders()
    with pytest.raises(UnknownFormatError):
        import_events(io.BytesIO(b"not,a,known\nformat,at,all\n"))
    assert scratch_folders() == before
    with pytest.raises(RuntimeError):
        with local_file(io.BytesIO(b"abc")) as (local, _):
            assert local.exists()
            raise RuntimeError("stop")
    assert not local.exists() and scratch_folders() == before


def test_scratch_of_a_dead_process_is_removed_and_a_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f"{SCRATCH_PREFIX}{int(dead.stdout)}-abc"
    mine = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-def"
    for folder in (orphan, mine):
        folder.mkdir()
        (folder / "member").write_bytes(b"x" * 1000)
    assert remove_orphaned_scratch(tmp_path) == [orphan]
    assert not orphan.exists() and mine.exists()


def test_a_stopped_command_line_import_leaves_no_scratch(tmp_path):
    """SIGTERM while the unpacked file is read: `python -m dashboard import` unwinds and deletes it."""
    archive = tmp_path / "stored.zip"
    rows = ROW * 200_000  # about 60 MB: several seconds to read
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr("events.csv", acled_text([]) + rows)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "dashboard", "import", str(archive), "--out",
                                str(tmp_path / "out.csv")],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(f"{SCRATCH_PREFIX}*/member")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert not list(tmp_path.glob(f"{SCRATCH_PREFIX}*"))
    assert not (tmp_path / "out.csv").exists()

