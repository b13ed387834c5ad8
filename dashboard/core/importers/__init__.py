"""Import conflict-event files from ACLED, UCDP GED and GDELT into the dashboard's event schema.

Use :func:`import_events` (one call does everything) and :func:`write_events`
to save the result; :mod:`.schema` documents the columns produced. Pure
pandas/pyarrow/geopandas: nothing here imports streamlit or folium.
"""
from dashboard.core.importers.detect import Layout, UnknownFormatError, detect_layout
from dashboard.core.importers.report import Rejection, format_summary
from dashboard.core.importers.run import ImportResult, import_events
from dashboard.core.importers.event_columns import EVENT_COLUMNS
from dashboard.core.importers.unpack import FileRefusedError
from dashboard.core.importers.writer import write_events, write_report

__all__ = [
    "EVENT_COLUMNS", "FileRefusedError", "ImportResult", "Layout", "Rejection", "UnknownFormatError", "detect_layout",
    "format_summary", "import_events", "write_events", "write_report",
]
