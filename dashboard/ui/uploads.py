"""A file uploaded in this session: imported into temporary Parquet tables, never into the server's data.

The upload limit is one setting, Streamlit's ``server.maxUploadSize`` (MB; in
``.streamlit/config.toml`` or the ``STREAMLIT_SERVER_MAX_UPLOAD_SIZE``
environment variable): the browser refuses a larger file before sending it,
and the app applies the same number to the file unpacked from a zip.
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.core.importers.combine import SOURCE_MODES
from dashboard.core.query.store import write_upload_tables
from dashboard.core.importers.unpack import MB

from dashboard.ui.markdown import escape_markdown

UPLOAD_KEY = "_upload"
SOURCE_KEY = "w_source"
SHOW_UPLOAD_KEY = "_show_new_upload"
WIDGET_GENERATION_KEY = "_upload_widget_generation"
SOURCE_LABELS = {"bundled": "Bundled data only", "uploaded": "Uploaded file only", "both": "Both together"}
UPLOAD_DIR = Path(tempfile.gettempdir()) / "dashboard-uploads"
#: Imported uploads older than this are deleted when another is stored (their sessions have long ended).
UPLOAD_TTL_S = 24 * 3600
_LOG = logging.getLogger(__name__)


def limit_mb() -> int:
    """The largest upload accepted, in MB: Streamlit's ``server.maxUploadSize``."""
    return int(st.get_option("server.maxUploadSize"))


def limit_bytes() -> int:
    """The same limit in bytes, counted as Streamlit counts it (a megabyte is 2**20 bytes)."""
    return limit_mb() * MB


def widget_key() -> str:
    """The uploader's key; it changes after each import so that the widget comes back empty."""
    return f"upload_file_{st.session_state.get(WIDGET_GENERATION_KEY, 0)}"


def content_hash(upload) -> str:
    """SHA-256 (24 hex digits) of a file object, read in blocks (no copy of the whole file)."""
    digest = hashlib.sha256()
    upload.seek(0)
    while block := upload.read(1 << 20):
        digest.update(block)
    upload.seek(0)
    return digest.hexdigest()[:24]


def store(name: str, content_sha: str, events: pd.DataFrame, report: dict, sites: pd.DataFrame) -> None:
    """Keep this session's imported events as query tables in a temporary folder of their own (Parquet).

    The folder is written completely under a scratch name and then renamed, so
    a reader never meets half of it. The pages query it through the shared
    engine as views over these files; nothing is copied into the shared tables.
    """
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    _remove_stale_uploads()
    previous = st.session_state.get(UPLOAD_KEY)
    folder = write_upload_tables(events, sites, UPLOAD_DIR / f"{content_sha[:16]}-{uuid.uuid4().hex[:12]}")
    st.session_state[UPLOAD_KEY] = {"name": name, "sha": content_sha, "path": str(folder),
                                    "mtime": folder.stat().st_mtime_ns, "report": report}
    st.session_state[SHOW_UPLOAD_KEY] = True  # switch the sidebar choice before it is drawn next
    if previous:
        _delete(previous["path"], previous["mtime"])


def _delete(folder: str, stamp: int | None = None) -> None:
    """Drop an upload's tables from the shared engine and delete its files."""
    from dashboard.ui import data

    try:
        data.drop_upload(folder, Path(folder).stat().st_mtime_ns if stamp is None else stamp)
    except (OSError, ValueError):  # already gone, or the data folder cannot be loaded: nothing registered
        pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def release(upload) -> None:
    """Let go of an uploaded file once it is imported (or refused): Streamlit drops its copy of the bytes,
    the widget comes back empty, and freed memory goes back to the system."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None and upload is not None:
            ctx.uploaded_file_mgr.remove_file(ctx.session_id, upload.file_id)
    except (ImportError, AttributeError):  # a Streamlit without this API keeps the bytes until the session ends
        _LOG.warning("could not release an uploaded file early; it is freed when the session ends")
    if upload is not None:
        upload.close()
    st.session_state[WIDGET_GENERATION_KEY] = st.session_state.get(WIDGET_GENERATION_KEY, 0) + 1
    return_memory()


def return_memory() -> None:
    """Collect garbage and hand freed heap back to the operating system (glibc keeps it otherwise)."""
    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _remove_stale_uploads() -> None:
    cutoff = time.time() - UPLOAD_TTL_S
    for path in UPLOAD_DIR.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                _delete(str(path)) if path.is_dir() else path.unlink(missing_ok=True)
        except OSError:
            continue


def current() -> dict | None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload and not Path(upload["path"]).exists():  # the temporary file was cleaned away
        st.session_state.pop(UPLOAD_KEY, None)
        return None
    return upload


def render_source_choice() -> tuple[str, int, str]:
    """The sidebar choice of what to show, when a file was uploaded; returns the key ``data.load`` takes."""
    upload = current()
    if not upload:
        return ("", 0, "bundled")
    with st.sidebar:
        if st.session_state.pop(SHOW_UPLOAD_KEY, False) or SOURCE_KEY not in st.session_state:
            # a file of which no row could be imported is not switched to: there would be nothing to show
            st.session_state[SOURCE_KEY] = "uploaded" if upload["report"].get("rows_imported") else "bundled"
        mode = st.radio(f"Data shown (upload: {escape_markdown(upload['name'])})", SOURCE_MODES, key=SOURCE_KEY,
                        format_func=SOURCE_LABELS.get)
    return (upload["path"], upload["mtime"], mode)


def forget() -> None:
    """Drop this session's upload and delete its imported events."""
    upload = st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(SOURCE_KEY, None)
    if upload:
        _delete(upload["path"], upload["mtime"])
        return_memory()
