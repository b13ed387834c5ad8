"""Pure data logic: schema, loading and validation, gazetteer, join, filters, aggregates, share links.

Nothing in this package imports streamlit or folium.
"""
