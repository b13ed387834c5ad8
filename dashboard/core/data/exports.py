"""Turn the filtered incidents into files to download: CSV for spreadsheets, GeoJSON for GIS, KML for Google Earth."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from typing import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from dashboard.core.data.columns import (ALL_EVENT_COLOURS, ALL_EVENT_TYPES, INCIDENT_COLUMNS, LIST_SEPARATOR,
                                         SOURCE_SEPARATOR, STATUS_LABELS)
from dashboard.core.data.validate import is_http_url
from dashboard.core.places.join import GAZETTEER_SITE

INCIDENT_FIELDS = tuple(column.name for column in INCIDENT_COLUMNS)
CSV_COLUMNS = (
    "incident_id", "date", "date_certainty", "place", "site_ids", "site_names", "country", "event_type", "actor",
    "casualties", "killed", "killed_max", "injured", "injured_max", "confirmation", "sources", "notes",
)
#: Per-placement fields added to the incident's own in GeoJSON and KML; the incident's
#: ``site_id`` tuple is renamed ``site_ids`` so ``site_id`` can name the placement's site.
PLACEMENT_FIELDS = ("site_id", "site_name", "site_country", "coord_precision", "uncertainty_km", "sites_named")
PLACEMENT_NEEDED = ("incident_id", "site_id", "site_name", "country", "lat", "lon", "coord_precision",
                    "uncertainty_km", "sites_named")

#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
#: (OWASP's list, plus the full-width forms some East Asian locales accept).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
KML_ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_JSON_FOR_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def neutralise_cell(text: str) -> str:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula.

    Leading spaces do not hide a trigger: ``" =1+1"`` is neutralised too.
    """
    return "'" + text if text.lstrip(" ").startswith(FORMULA_TRIGGERS) else text


def html_safe_json(value, indent: int | None = None) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element and still parses to ``value``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so ``</script>`` in data cannot end the
    element; U+2028 and U+2029 are escaped for old JavaScript parsers.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False, default=_json_default)
    return re.sub("[<>&\u2028\u2029]", lambda match: _JSON_FOR_HTML[match.group()], text)


def incidents_csv(incidents: pd.DataFrame, sites: pd.DataFrame) -> bytes:
    """The incidents as a CSV file, one row per incident.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The (filtered) incidents, as :func:`dashboard.core.data.dataset.load_dataset` gives them; rows
        are written in the order given.
    sites : pandas.DataFrame
        The gazetteer, for the ``site_names`` column.

    Returns
    -------
    bytes
        UTF-8 **with a byte-order mark**: without it Excel on Windows reads a CSV in the
        computer's ANSI code page and garbles Arabic place names; LibreOffice, Google Sheets and
        ``pandas.read_csv`` read the mark as such. A multi-site incident stays one row, its
        ``site_ids``, ``site_names`` and ``country`` ``;``-joined (names in the order of the ids)
        and ``sources`` ``" ; "``-joined. There are no coordinates: an incident at several sites
        has several points, so they are in the GeoJSON and KML exports, one feature per site.
        Text cells a spreadsheet would run as a formula get a leading ``'``
        (:func:`neutralise_cell`); numbers are written as numbers, negative ones included.
    """
    return b"".join(csv_parts([incidents], sites))


def csv_parts(frames: Iterable[pd.DataFrame], sites: pd.DataFrame) -> Iterator[bytes]:
    """:func:`incidents_csv` written piece by piece: the byte-order mark and header, then each frame's rows.

    ``frames`` may be an iterator of chunks (the data URLs stream them); each piece is written as it comes.
    """
    _check_columns(sites, "sites", ("site_id", "name"))
    names = dict(zip(sites["site_id"], sites["name"]))
    yield ("\ufeff" + _csv_text([CSV_COLUMNS])).encode("utf-8")
    for incidents in frames:
        _check_columns(incidents, "incidents", INCIDENT_FIELDS)
        if not len(incidents):
            continue
        site_ids = [tuple(value or ()) for value in incidents["site_id"]]
        columns = []
        for column in CSV_COLUMNS:
            if column == "site_ids":
                cells = [neutralise_cell(LIST_SEPARATOR.join(ids)) for ids in site_ids]
            elif column == "site_names":
                cells = [neutralise_cell(LIST_SEPARATOR.join(str(names.get(s, "")) for s in ids)) for ids in site_ids]
            else:
                cells = _csv_column(column, incidents[column])
            columns.append(cells)
        yield _csv_text(zip(*columns)).encode("utf-8")


def _csv_column(column: str, series: pd.Series) -> list:
    """A column's CSV cells, as :func:`_csv_cell` writes them one by one (a column at a time: much faster)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return ["" if value is None or value != value else value
                for value in series.dt.strftime("%Y-%m-%d").astype(object).tolist()]
    values = series.astype(object).tolist()
    if pd.api.types.is_float_dtype(series):
        return ["" if value != value else value for value in values]
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return ["" if value is None or value is pd.NA else value for value in values]
    return [neutralise_cell(value) if isinstance(value, str) else _csv_cell(column, value) for value in values]


def _csv_text(lines) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue()


def placements_with_country(placements: pd.DataFrame, incidents: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """The placements with the ``country`` of each place, which the GeoJSON and KML writers name.

    The engine's placements table has no such column: a gazetteer site's is
    the gazetteer's, an imported event's own place's is the event's.
    Placements that already carry it are returned as they are.
    """
    if "country" in placements.columns:
        return placements
    of_site = dict(zip(sites["site_id"], sites["country"]))
    of_incident = dict(zip(incidents["incident_id"], incidents["country"].map(LIST_SEPARATOR.join)))
    country = [of_site.get(site, "") if kind == GAZETTEER_SITE else of_incident.get(incident, "")
               for incident, site, kind in zip(placements["incident_id"], placements["site_id"],
                                               placements["place_kind"])]
    return placements.assign(country=country)


def incidents_geojson(incidents: pd.DataFrame, placements: pd.DataFrame) -> bytes:
    """The placed incidents as a GeoJSON FeatureCollection (RFC 7946).

    Parameters
    ----------
    incidents : pandas.DataFrame
        The (filtered) incidents; placements of incidents not in it are left out.
    placements : pandas.DataFrame
        ``JoinResult.placements`` of :func:`dashboard.core.places.join.join_incidents`.

    Returns
    -------
    bytes
        UTF-8 JSON. One Point feature per placement, at ``[lon, lat]`` exactly as in the
        gazetteer; an incident at three sites gives three features sharing ``incident_id``,
        with ``sites_named`` = 3, so readers can count incidents. Properties are the incident's
        fields (dates ``YYYY-MM-DD``, lists as arrays, missing values ``null``; its site tuple as
        ``site_ids``) and the placement's ``site_id``, ``site_name``, ``site_country``,
        ``coord_precision``, ``uncertainty_km`` and ``sites_named``. Incidents without any
        placement are listed in the foreign member ``"unmapped"`` (``count``, ``incident_ids``).
        ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. so the file can also be pasted into
        a web page's script; JSON readers get the text back unchanged.
    """
    features, unmapped = placed_features(incidents, placements)
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "unmapped": {
            "count": len(unmapped),
            "incident_ids": unmapped,
            "note": UNMAPPED_NOTE,
        },
    }
    return html_safe_json(collection).encode("utf-8")


def placed_features(incidents: pd.DataFrame, placements: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """The features of :func:`incidents_geojson` for ``incidents`` and the ids of those with no placement.

    Converted a column at a time (five times faster than record by record on a chunk of thousands: the data
    URLs stream millions); each feature's properties are those :func:`_feature_fields` gives the KML.
    """
    _check_columns(incidents, "incidents", INCIDENT_FIELDS)
    _check_columns(placements, "placements", PLACEMENT_NEEDED)
    ids = incidents["incident_id"].tolist()
    if len(set(ids)) != len(ids):
        raise ValueError(f"`incidents` has repeated incident_id values {incidents['incident_id'][incidents['incident_id'].duplicated()].tolist()}")
    names = [("site_ids" if name == "site_id" else name) for name in INCIDENT_FIELDS]
    columns = [_json_column(incidents[name]) for name in INCIDENT_FIELDS]
    by_id = {incident_id: dict(zip(names, values)) for incident_id, values in zip(ids, zip(*columns))}
    placed = placements[placements["incident_id"].isin(by_id)]
    own = {"site_id": placed["site_id"].tolist(), "site_name": _json_column(placed["site_name"]),
           "site_country": _json_column(placed["country"]), "coord_precision": _json_column(placed["coord_precision"]),
           "uncertainty_km": _json_column(placed["uncertainty_km"]), "sites_named": _json_column(placed["sites_named"])}
    features = []
    for incident_id, lon, lat, *values in zip(placed["incident_id"].tolist(), placed["lon"].tolist(),
                                              placed["lat"].tolist(), *own.values()):
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                         "properties": {**by_id[incident_id], **dict(zip(own, values))}})
    with_place = set(placed["incident_id"].tolist())
    return features, [incident_id for incident_id in ids if incident_id not in with_place]


def _json_column(series: pd.Series) -> list:
    """A column as JSON values, as :func:`json_value` gives them cell by cell."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if value is None or value != value else value for value in
                series.dt.strftime("%Y-%m-%d").astype(object).tolist()]
    values = series.astype(object).tolist()
    if pd.api.types.is_float_dtype(series):
        return [None if value != value else value for value in values]
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return [None if value is None or value is pd.NA else value for value in values]
    out = []
    for value in values:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            out.append(list(value))
        else:
            out.append(json_value(value))
    return out


UNMAPPED_NOTE = "incidents in this export whose sites have no coordinates; they are not features"


def incidents_kml(incidents: pd.DataFrame, placements: pd.DataFrame, title: str,
                  colours: Mapping[str, str] | None = None) -> bytes:
    """The placed incidents as KML 2.2 for Google Earth.

    Parameters
    ----------
    incidents, placements : pandas.DataFrame
        As for :func:`incidents_geojson`.
    title : str
        The document's name.
    colours : mapping, optional
        Event type -> ``#RRGGBB``; default :data:`ALL_EVENT_COLOURS` (curated and imported types).

    Returns
    -------
    bytes
        UTF-8 XML built with :mod:`xml.etree.ElementTree`, so every text is XML-escaped (no
        CDATA). One Folder per event type and one Placemark per placement, each with
        ``<TimeStamp><when>YYYY-MM-DD</when></TimeStamp>`` for the time slider and the fields
        in ExtendedData (as data, unchanged). Google Earth renders descriptions as HTML, so
        they are built from ``html.escape``-d text (escaped twice in the file) with links only
        from http(s) URLs, and a BalloonStyle shows the description alone, so names and
        ExtendedData never reach a balloon as HTML. The Document's description lists the
        incidents that have no coordinates.
    """
    if not isinstance(title, str):
        raise TypeError(f"`title` was {title!r} but is expected to be a str")
    colours = ALL_EVENT_COLOURS if colours is None else colours
    by_id, rows, unmapped = _placed(incidents, placements)
    root = ET.Element("kml", xmlns=KML_NAMESPACE)
    document = _sub(root, "Document")
    _sub(document, "name", title)
    _sub(document, "description", _document_html(len(by_id), len(rows), unmapped))
    for event_type in ALL_EVENT_TYPES:
        _add_style(document, event_type, colours.get(event_type, ALL_EVENT_COLOURS["unknown"]))
    folders: dict[str, list[dict]] = {}
    for placement in rows:
        event_type = by_id[placement["incident_id"]]["event_type"]
        folders.setdefault(event_type if event_type in ALL_EVENT_TYPES else "unknown", []).append(placement)
    for event_type in ALL_EVENT_TYPES:
        if event_type in folders:
            folder = _sub(document, "Folder")
            _sub(folder, "name", ALL_EVENT_TYPES[event_type])
            for placement in folders[event_type]:
                _add_placemark(folder, by_id[placement["incident_id"]], placement, event_type)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _check_columns(frame: pd.DataFrame, name: str, needed) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"`{name}` was a {type(frame).__name__} but is expected to be a pandas DataFrame")
    missing = [column for column in needed if column not in frame.columns]
    if missing:
        raise ValueError(f"`{name}` lacks column(s) {missing}; it has {list(frame.columns)}")


def _placed(incidents: pd.DataFrame, placements: pd.DataFrame) -> tuple[dict, list[dict], list[str]]:
    """Incidents by id, the placements of those incidents, and the ids of incidents with none."""
    _check_columns(incidents, "incidents", INCIDENT_FIELDS)
    _check_columns(placements, "placements", PLACEMENT_NEEDED)
    duplicated = incidents["incident_id"][incidents["incident_id"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"`incidents` has repeated incident_id values {duplicated}")
    by_id = {record["incident_id"]: record for record in incidents.to_dict("records")}
    rows = [p for p in placements[list(PLACEMENT_NEEDED)].to_dict("records") if p["incident_id"] in by_id]
    placed = {p["incident_id"] for p in rows}
    return by_id, rows, [incident_id for incident_id in by_id if incident_id not in placed]


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _day(value) -> str:
    return value.strftime("%Y-%m-%d")


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, (tuple, set, np.ndarray)):
        return list(value)
    raise TypeError(f"{value!r} ({type(value).__name__}) cannot be written as JSON")


def json_value(value):
    """A cell as a JSON value: lists for tuples, ``YYYY-MM-DD`` for dates, None for missing."""
    if isinstance(value, (tuple, list)):
        return [json_value(v) for v in value]
    if _missing(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return _day(value)
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return _json_default(value)
    return value


def _feature_fields(incident: dict, placement: dict) -> dict:
    fields = {("site_ids" if name == "site_id" else name): json_value(incident[name]) for name in INCIDENT_FIELDS}
    fields.update({
        "site_id": placement["site_id"],
        "site_name": json_value(placement["site_name"]),
        "site_country": json_value(placement["country"]),
        "coord_precision": json_value(placement["coord_precision"]),
        "uncertainty_km": json_value(placement["uncertainty_km"]),
        "sites_named": json_value(placement["sites_named"]),
    })
    return fields


def _csv_cell(column: str, value):
    if isinstance(value, (tuple, list)):
        separator = SOURCE_SEPARATOR if column == "sources" else LIST_SEPARATOR
        return neutralise_cell(separator.join(str(v) for v in value))
    if _missing(value):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return _day(value)
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        return value  # a number stays a number, negative or not
    return neutralise_cell(str(value))


# --- KML -------------------------------------------------------------------------------------

def _xml_text(value) -> str:
    """Text XML 1.0 can hold: control characters other than tab and newlines are dropped."""
    return _XML_ILLEGAL.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text=None, **attrib) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _kml_colour(colour: str) -> str:
    """``#RRGGBB`` -> KML's ``aabbggrr``."""
    match = re.fullmatch(r"#?([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})", colour)
    if not match:
        raise ValueError(f"`colours` has {colour!r} but is expected to hold colours written #RRGGBB")
    red, green, blue = match.groups()
    return f"ff{blue}{green}{red}".lower()


def _add_style(document: ET.Element, event_type: str, colour: str) -> None:
    style = _sub(document, "Style", id=f"event-{event_type}")
    icon_style = _sub(style, "IconStyle")
    _sub(icon_style, "color", _kml_colour(colour))
    _sub(_sub(icon_style, "Icon"), "href", KML_ICON)
    _sub(_sub(style, "LabelStyle"), "scale", "0")
    _sub(_sub(style, "BalloonStyle"), "text", "$[description]")


def _add_placemark(folder: ET.Element, incident: dict, placement: dict, event_type: str) -> None:
    mark = _sub(folder, "Placemark")
    _sub(mark, "name", f"{incident['incident_id']} · {placement['site_name']}")
    _sub(mark, "Snippet", "", maxLines="0")
    _sub(mark, "description", _placemark_html(incident, placement))
    if not _missing(incident["date"]):
        _sub(_sub(mark, "TimeStamp"), "when", _day(incident["date"]))
    _sub(mark, "styleUrl", f"#event-{event_type}")
    extended = _sub(mark, "ExtendedData")
    for name, value in _feature_fields(incident, placement).items():
        if isinstance(value, list):
            value = (SOURCE_SEPARATOR if name == "sources" else LIST_SEPARATOR).join(str(v) for v in value)
        _sub(_sub(extended, "Data", name=name), "value", "" if value is None else value)
    coordinates = f"{float(placement['lon'])!r},{float(placement['lat'])!r}"
    _sub(_sub(mark, "Point"), "coordinates", coordinates)


def _figure(low, high) -> str:
    if _missing(low):
        return ""
    return f"{low}–{high}" if not _missing(high) and high != low else f"{low}"


def _source_html(source: str) -> str:
    text = source.strip()
    if is_http_url(text):
        return f'<a href="{html.escape(text, quote=True)}">{html.escape(text)}</a>'
    return html.escape(text)


def _placemark_html(incident: dict, placement: dict) -> str:
    """The balloon: an HTML fragment in which every text from data is escaped."""
    e = html.escape
    date = "" if _missing(incident["date"]) else _day(incident["date"])
    lines = [
        ("Date", f"{date} ({incident['date_certainty']})"),
        ("Type", ALL_EVENT_TYPES.get(incident["event_type"], incident["event_type"])),
        ("Status", STATUS_LABELS.get(incident["confirmation"], incident["confirmation"])),
        ("Place", incident["place"]),
        ("Site", f"{placement['site_name']} ({placement['site_id']}), {placement['coord_precision']}, "
                 f"±{placement['uncertainty_km']:g} km"),
        ("Actor", incident["actor"]),
        ("Casualties", incident["casualties"]),
        ("Killed", _figure(incident["killed"], incident["killed_max"])),
        ("Injured", _figure(incident["injured"], incident["injured_max"])),
        ("Notes", incident["notes"]),
    ]
    body = "<br>".join(f"<b>{label}</b>: {e(str(value))}" for label, value in lines
                       if not _missing(value) and str(value).strip())
    parts = [f"<h3>{e(str(incident['incident_id']))} · {e(str(placement['site_name']))}</h3>", f"<p>{body}</p>"]
    if placement["sites_named"] > 1:
        parts.append(f"<p>One of {int(placement['sites_named'])} sites this incident names; "
                     "it has one placemark per located site.</p>")
    sources = [s for s in (incident["sources"] or ()) if str(s).strip()]
    if sources:
        parts.append("<p><b>Sources</b>:<br>" + "<br>".join(_source_html(str(s)) for s in sources) + "</p>")
    return "".join(parts)


def _document_html(incidents: int, placemarks: int, unmapped: list[str]) -> str:
    text = (f"<p>{incidents} incident{'s' if incidents != 1 else ''}, {placemarks} placemark"
            f"{'s' if placemarks != 1 else ''} (an incident at several sites has one placemark per site).</p>")
    if unmapped:
        text += (f"<p>Not on the map ({len(unmapped)}, no site coordinates): "
                 f"{html.escape(', '.join(str(i) for i in unmapped))}.</p>")
    return text
