"""Streamlit widgets, cached loaders and layout: the only package that imports streamlit."""
