"""Conflict-incident dashboard: map, filters, count charts and share links over a site gazetteer."""

__version__ = "0.1.0"
