"""The data URLs described for machines: an OpenAPI 3.1 document built from the same names the code reads."""
from __future__ import annotations

from dashboard.core.view.share import BASEMAPS, MAP_VIEWS, OVERLAYS, PARAMETERS, PERIODS, Vocabulary
from dashboard.core.view.timeline import STEPS

#: What each share-link parameter does to a data URL's answer.
SHARE_PARAMETERS = {
    "start": ("First day selected, YYYY-MM-DD (default: the data's first).", {"type": "string", "format": "date"}),
    "end": ("Last day selected, YYYY-MM-DD (default: the data's last).", {"type": "string", "format": "date"}),
    "country": ("Countries, comma-separated; an incident naming any of them is selected.", {"type": "string"}),
    "site": ("Gazetteer site ids, comma-separated (see /api/sites.geojson).", {"type": "string"}),
    "type": ("Event types, comma-separated.", {"type": "string"}),
    "status": ("Confirmation statuses, comma-separated.", {"type": "string"}),
    "period": ("Period of the counts over time (counts.json); the page's chart period.",
               {"type": "string", "enum": list(PERIODS)}),
    "map": ("The map's zoom/lat/lon; cells.geojson takes its zoom when neither zoom nor cell is given.",
            {"type": "string"}),
    "view": ("The map mode; accepted so a share link's query string can be reused, does not change the data.",
             {"type": "string", "enum": list(MAP_VIEWS)}),
    "focus": ("A site the map page opens; accepted, does not change the data.", {"type": "string"}),
    "layers": ("Map layers; accepted, does not change the data.", {"type": "string",
                                                                    "examples": [",".join(OVERLAYS), "none"]}),
    "basemap": ("The basemap; accepted, does not change the data.", {"type": "string", "enum": list(BASEMAPS)}),
    "step": ("The map player's step; accepted, does not change the data.", {"type": "string", "enum": list(STEPS)}),
    "at": ("The map player's shown step; accepted, does not change the data (the whole range is answered).",
           {"type": "string", "format": "date"}),
}
PAGING = {
    "limit": ("Most incidents in this answer (1 to 1,000,000); without it the whole selection streams. "
              "A next page is linked (Link header; 'links' in GeoJSON).", {"type": "integer", "minimum": 1,
                                                                           "maximum": 1_000_000}),
    "offset": ("Incidents to skip, in the answer's order (date, then id).", {"type": "integer", "minimum": 0}),
}
#: The endpoints below /api: summary, media type, and the parameters they read besides the share link's.
ENDPOINTS = {
    "incidents.geojson": ("The selected incidents as a GeoJSON FeatureCollection (RFC 7946): one Point per "
                          "incident and site, at the gazetteer's coordinates with their precision; incidents "
                          "without coordinates are listed in the top-level 'unmapped' member.",
                          "application/geo+json", PAGING),
    "incidents.csv": ("The selected incidents as CSV (UTF-8 with a byte-order mark), one row per incident, as the "
                      "page's CSV download; cells a spreadsheet would run as formulas start with '.",
                      "text/csv", PAGING),
    "counts.json": ("The counts the Charts page shows (over time, per site, country and type, casualties) and "
                    "the running count of attacks beside the officials' reported totals.", "application/json",
                    {"by": ("What the counts over time are split by.",
                            {"type": "string", "enum": ["country", "site", "type", "status", "none"],
                             "default": "country"})}),
    "sites.geojson": ("The gazetteer: one Point per site with its coordinate precision, uncertainty and "
                      "sources, and the number of selected incidents naming it.", "application/geo+json", {}),
    "cells.geojson": ("Incidents counted per square cell, as the map draws them at scale: one Polygon per cell "
                      "with its count, its count per event type and its leading type.", "application/geo+json",
                      {"zoom": ("A map zoom level; the cell is the one the map uses there.",
                                {"type": "integer", "minimum": 0, "maximum": 19}),
                       "cell": ("A cell side in degrees (instead of zoom).", {"type": "number"})}),
}


def openapi_document(root: str, vocabulary: Vocabulary, version: str) -> dict:
    """The OpenAPI 3.1 description of the data URLs served at ``root`` (scheme, host and base path)."""
    shared = [_parameter(name, *SHARE_PARAMETERS[name]) for name in PARAMETERS]
    paths = {}
    for name, (summary, media, extra) in ENDPOINTS.items():
        parameters = shared + [_parameter(key, *value) for key, value in extra.items()]
        paths[f"/api/{name}"] = {"get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "The answer. Headers: ETag, Last-Modified, X-Dataset-Version.",
                        "content": {media: {}}},
                "304": {"description": "Not modified: the If-None-Match header names this answer's ETag."},
                "400": {"description": "A parameter cannot be used: the body names the parameter, the value and "
                                       "what was expected.", "content": {"application/json": {}}},
                "429": {"description": "Too many requests from this address; Retry-After says when to retry.",
                        "content": {"application/json": {}}},
            },
        }}
    paths["/api"] = {"get": {"summary": "This description.",
                             "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Conflict incident dashboard: data URLs", "version": version,
                 "description": "Every view of the dashboard as data, with the share links' query parameters. "
                                f"The data runs from {vocabulary.first} to {vocabulary.last}; "
                                f"countries: {', '.join(vocabulary.countries[:20])}; "
                                f"types: {', '.join(vocabulary.types)}; statuses: {', '.join(vocabulary.statuses)}."},
        "servers": [{"url": root}],
        "paths": paths,
    }


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
