"""A file uploaded in this session: imported into a temporary Parquet file, never into the server's data."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.core.atomic import atomic_path
from dashboard.core.imported import SOURCE_MODES

UPLOAD_KEY = "_upload"
SOURCE_KEY = "w_source"
SHOW_UPLOAD_KEY = "_show_new_upload"
#: Largest upload accepted, in MB (the server's own cap is server.maxUploadSize in .streamlit/config.toml).
LIMIT_MB = 150
SOURCE_LABELS = {"bundled": "Bundled data only", "uploaded": "Uploaded file only", "both": "Both together"}
UPLOAD_DIR = Path(tempfile.gettempdir()) / "dashboard-uploads"


def store(name: str, content_sha: str, events: pd.DataFrame, report: dict) -> None:
    """Keep the imported events of this session's upload in a temporary Parquet file."""
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    path = UPLOAD_DIR / f"{content_sha}.parquet"
    with atomic_path(path) as temporary:
        events.to_parquet(temporary, index=False)
    st.session_state[UPLOAD_KEY] = {"name": name, "sha": content_sha, "path": str(path),
                                    "mtime": path.stat().st_mtime_ns, "report": report}
    st.session_state[SHOW_UPLOAD_KEY] = True  # switch the sidebar choice before it is drawn next


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


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
            st.session_state[SOURCE_KEY] = "uploaded"
        mode = st.radio(f"Data shown (upload: {upload['name']})", SOURCE_MODES, key=SOURCE_KEY,
                        format_func=SOURCE_LABELS.get)
    return (upload["path"], upload["mtime"], mode)


def forget() -> None:
    st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(SOURCE_KEY, None)
