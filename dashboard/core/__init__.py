"""Pure data logic, one folder per job: data (files, checks, loading, saving), places (names, gazetteer, join),
view (filters, share links, descriptions), query (the engine and every query), importers, articles.

Nothing here imports streamlit, folium or altair (tests/test_layers.py checks it).
"""
