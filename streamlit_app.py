"""Entry point, in two roles: the server (the pages and the data URLs under /api) and the pages' script.

``streamlit run streamlit_app.py`` finds ``app`` below and serves it: Streamlit's pages plus the data URLs
(:mod:`dashboard.api.endpoints`). Streamlit then runs this same file as each page's script, as ``__main__``:
page set-up, the filters shared by every page, navigation, and the link to the view.
"""
from pathlib import Path

import streamlit as st

if __name__ != "__main__":  # imported by the server: declare the app and its data URLs
    from dashboard.api.endpoints import DataApi
    from dashboard.api.server import quiet_outside_pages, served_data

    from dashboard.api.limits import SettingError

    quiet_outside_pages()
    try:
        data_api = DataApi(served_data, base_path=st.get_option("server.baseUrlPath"))
    except (SettingError, ValueError) as problem:  # a bad DASHBOARD_API_* setting: say which, do not start
        raise SystemExit(f"The data URLs cannot start: {problem}") from None
    app = st.App(Path(__file__).name, routes=data_api.routes())
else:
    from dashboard.ui import context, state
    from dashboard.ui.errors import run_guarded
    from dashboard.ui.header import render_header, render_metrics, render_share_box

    st.set_page_config(page_title="Conflict incident map", layout="wide")

MAP_PAGE = "Map"


def main() -> None:
    page = st.navigation([
        st.Page("dashboard/app_pages/map_page.py", title=MAP_PAGE, default=True),
        st.Page("dashboard/app_pages/charts_page.py", title="Charts", url_path="charts"),
        st.Page("dashboard/app_pages/data_page.py", title="Data & sources", url_path="data"),
        st.Page("dashboard/app_pages/upload_page.py", title="Import a file", url_path="import"),
        st.Page("dashboard/app_pages/article_page.py", title="Add from an article", url_path="add-article"),
    ])
    loaded, filters = context.prepare(getattr(page, "url_path", "") or "")
    on_map = getattr(page, "title", None) == MAP_PAGE  # (a page outside a Streamlit runtime has no title)
    render_header(loaded, filters, stamp=not on_map)
    if not on_map:  # the map page places the figures beside the map, and the data's date under it
        render_metrics(loaded, filters)
    page.run()
    state.write_url(loaded.vocabulary)
    render_share_box(loaded)


if __name__ == "__main__":
    run_guarded(main)
