"""The data URLs: every view of the dashboard as GeoJSON, CSV or JSON, with the share links' query parameters.

``/api/incidents.geojson``, ``/api/incidents.csv``, ``/api/counts.json``,
``/api/sites.geojson``, ``/api/cells.geojson`` and ``/api`` (their OpenAPI
description). Starlette routes served by the app's own server (``st.App``);
this module imports no Streamlit: the server hands it a function returning
the data every session shares (:class:`ServedData`).

Every answer carries the dataset's version (a hash of the data files'
contents) in ``X-Dataset-Version``, an ``ETag`` (that version, the path and
the parameters) and ``Last-Modified``; a matching ``If-None-Match`` gets
``304``. A parameter the share links would warn about is a ``400`` with a
JSON body naming it; whole selections stream in chunks
(:mod:`dashboard.core.query.stream`) and are paged by ``limit`` and ``offset``.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import logging
from dataclasses import dataclass
from typing import Callable, Iterator
from urllib.parse import urlencode

import pandas as pd
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from dashboard.api import limits
from dashboard.api.spool import Spool, spool_bytes
from dashboard.api.openapi import ENDPOINTS, openapi_document
from dashboard.core.data.exports import csv_parts, html_safe_json, json_value
from dashboard.core.data.feeds import cells_geojson, geojson_parts, sites_geojson
from dashboard.core.query import counts, mapping, page_data, stream
from dashboard.core.query.engine import Source
from dashboard.core.query.store import cache_root
from dashboard.core.view.map_window import CELL_SIZES, MAX_ZOOM, MIN_ZOOM, cell_size, coarser, zoom_for_extent
from dashboard.core.view.share import (LIST_PARAMETERS, LinkError, LinkWarning, ViewState, Vocabulary,
                                       parse_view_strictly)

LOG = logging.getLogger(__name__)
#: Most incidents one page may ask for (``limit``); without ``limit`` the whole selection streams.
MAX_LIMIT = 1_000_000
#: Most cells ``/api/cells.geojson`` answers with an explicit ``cell``; chosen sizes are coarsened below the map's.
MAX_CELLS = 50_000
GROUPS = {"country": "country", "site": "site_id", "type": "event_type", "status": "confirmation", "none": None}
JSON_TYPE, GEOJSON_TYPE, CSV_TYPE = "application/json", "application/geo+json", "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ServedData:
    """What the data URLs answer from: the server's data (never a visitor's upload) and its version."""

    source: Source
    sites: pd.DataFrame
    official_counts: pd.DataFrame
    vocabulary: Vocabulary
    version: str
    changed: dt.datetime | None


class ApiProblem(Exception):
    """An answer other than 200: its status, JSON body and headers."""

    def __init__(self, status: int, body: dict, headers: dict | None = None):
        super().__init__(body.get("error", ""))
        self.status, self.body, self.headers = status, body, headers or {}


def bad_parameters(problems: list[LinkWarning]) -> ApiProblem:
    return ApiProblem(400, {"error": "invalid parameter" + ("s" if len(problems) > 1 else ""),
                            "problems": [problem.as_dict() for problem in problems]})


class DataApi:
    """The routes and what they share: the data provider, the settings and the rate limiter."""

    def __init__(self, provider: Callable[[], ServedData], settings: limits.ApiSettings | None = None,
                 base_path: str = "", spool: Spool | None = None):
        self.provider = provider
        self.spool = spool or Spool(cache_root() / "api-answers", spool_bytes())
        self.settings = settings or limits.ApiSettings.from_env()
        self.limiter = limits.RateLimiter(self.settings.rate_per_minute, self.settings.burst, self.settings.streams)
        self.base = "/" + base_path.strip("/") if base_path.strip("/") else ""

    def routes(self) -> list[Route]:
        handlers = {"incidents.geojson": self.incidents_geojson, "incidents.csv": self.incidents_csv,
                    "counts.json": self.counts_json, "sites.geojson": self.sites, "cells.geojson": self.cells}
        routes = [Route(f"{self.base}/api", self._wrap(self.describe), methods=["GET", "HEAD", "OPTIONS"]),
                  Route(f"{self.base}/api/", self._wrap(self.describe), methods=["GET", "HEAD", "OPTIONS"])]
        routes += [Route(f"{self.base}/api/{name}", self._wrap(handler, ranges_free=name.startswith("incidents.")),
                         methods=["GET", "HEAD", "OPTIONS"]) for name, handler in handlers.items()]
        routes.append(Route(f"{self.base}/api/{{rest:path}}", self._wrap(self.not_found),
                            methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]))
        return routes

    # -- the frame every answer goes through ----------------------------------------------------
    def _wrap(self, handler, ranges_free: bool = False):
        """The endpoint around ``handler``: client address, OPTIONS, the rate limit, read-only, errors as JSON, CORS.

        ``ranges_free``: a byte-range request is not counted here (GDAL reads a kept answer in many ranges); the
        handler counts it when it has to make the answer (:meth:`_charge`).
        """
        def endpoint(request: Request) -> Response:
            address = limits.client_address(request.client.host if request.client else None,
                                            request.headers.get("x-forwarded-for"), self.settings.trusted_proxies)
            if request.method == "OPTIONS":
                return self._cors(Response(status_code=204, headers={
                    "Allow": "GET, HEAD, OPTIONS", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
                    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
                    "Access-Control-Max-Age": "600"}))
            try:
                if not (ranges_free and "range" in request.headers):
                    self._charge(address)
                if request.method not in ("GET", "HEAD"):
                    raise ApiProblem(405, {"error": "method not allowed",
                                           "message": "The data URLs are read-only: use GET."},
                                     {"Allow": "GET, HEAD, OPTIONS"})
                response = handler(request, address)
            except ApiProblem as problem:
                response = JSONResponse(problem.body, problem.status, headers=problem.headers)
                self._versioned(response)
            except Exception:  # never a traceback to a visitor; the log has it
                LOG.exception("data URL %s failed", request.url.path)
                response = JSONResponse({"error": "internal error",
                                         "message": "The server could not answer; the problem is in its log."}, 500)
            return self._cors(response)
        return endpoint

    def _charge(self, address: str) -> None:
        """Count a request of ``address``; raise a 429 when it is over the limit."""
        wait = self.limiter.take(address)
        if wait:
            raise ApiProblem(429, {"error": "too many requests",
                                   "message": f"This address may make {self.settings.rate_per_minute} requests a "
                                              f"minute ({self.settings.burst} at once); try again in "
                                              f"{limits.retry_after(wait)} s."},
                             {"Retry-After": limits.retry_after(wait)})

    def _versioned(self, response: Response) -> None:
        """Give an error answer the dataset's version too (every answer carries it), when the data can be read."""
        try:
            response.headers["X-Dataset-Version"] = self.provider().version
        except Exception:  # the data itself cannot be read: the answer stays without a version
            LOG.exception("the dataset's version could not be read for an error answer")

    def _cors(self, response: Response) -> Response:
        origin = self.settings.cors_origin
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Link, X-Dataset-Version"
            if origin != "*":
                response.headers["Vary"] = "Origin"
        return response

    def _validated(self, request: Request, data: ServedData, extra: tuple[str, ...] = ()) -> ViewState:
        params = {key: request.query_params.getlist(key) for key in request.query_params.keys()}
        try:
            return parse_view_strictly(params, data.vocabulary, extra)
        except LinkError as error:
            raise bad_parameters(error.problems) from None

    def _cached(self, request: Request, data: ServedData) -> tuple[dict, Response | None]:
        """The version headers of an answer, and a ``304`` when the client holds it already."""
        query = urlencode(sorted(request.query_params.multi_items()))
        tag = '"' + hashlib.sha256(f"{data.version}\0{request.url.path}\0{query}".encode()).hexdigest()[:32] + '"'
        headers = {"ETag": tag, "X-Dataset-Version": data.version, "Cache-Control": "no-cache"}
        if data.changed is not None:
            headers["Last-Modified"] = email.utils.format_datetime(data.changed.astimezone(dt.timezone.utc),
                                                                   usegmt=True)
        if _matches(request.headers.get("if-none-match"), tag) or (
                "if-none-match" not in request.headers
                and _not_modified_since(request.headers.get("if-modified-since"), data.changed)):
            return headers, Response(status_code=304, headers=headers)
        return headers, None

    def _json(self, request: Request, data: ServedData, make: Callable[[], dict], media_type: str = JSON_TYPE):
        headers, unchanged = self._cached(request, data)
        if unchanged is not None:
            return unchanged
        return Response(html_safe_json(make()).encode("utf-8"), media_type=media_type, headers=headers)

    # -- the endpoints ----------------------------------------------------------------------------
    def describe(self, request: Request, address: str) -> Response:
        data = self.provider()
        root = str(request.base_url).rstrip("/") + self.base
        return self._json(request, data, lambda: openapi_document(root, data.vocabulary, data.version))

    def not_found(self, request: Request, address: str) -> Response:
        names = ", ".join(f"{self.base}/api/{name}" for name in ENDPOINTS)
        raise ApiProblem(404, {"error": "not found", "message": f"{request.url.path} is not a data URL; "
                                                                 f"they are {self.base}/api and {names}."})

    def incidents_geojson(self, request: Request, address: str) -> Response:
        return self._incidents(request, address, "geojson")

    def incidents_csv(self, request: Request, address: str) -> Response:
        return self._incidents(request, address, "csv")

    def _incidents(self, request: Request, address: str, kind: str) -> Response:
        data = self.provider()
        state = self._validated(request, data, ("limit", "offset"))
        offset, limit = _paging(request)
        headers, unchanged = self._cached(request, data)
        if unchanged is not None:
            return unchanged
        filters = state.filters
        days = stream.day_counts(data.source, filters)
        matched = int(days["n"].sum())
        links = self._links(request, offset, limit, matched)
        headers.update({"X-Total-Count": str(matched)})
        if links:
            headers["Link"] = ", ".join(f'<{link["href"]}>; rel="{link["rel"]}"' for link in links)
        if kind == "csv":
            stem = f"incidents_{filters.start or 'all'}_{filters.end or 'all'}"
            headers["Content-Disposition"] = f'inline; filename="{stem}.csv"'
        media = GEOJSON_TYPE if kind == "geojson" else CSV_TYPE
        file_like = request.method == "HEAD" or "range" in request.headers
        kept = self.spool.get(headers["ETag"], "." + kind) if file_like else None
        if kept is not None:
            return FileResponse(kept, media_type=media, headers=headers)
        if "range" in request.headers:  # not counted on the way in (see _wrap): this one makes the answer
            self._charge(address)
        if not self.limiter.open_stream(address):
            raise ApiProblem(429, {"error": "too many answers at once",
                                   "message": f"This address may have {self.settings.streams} whole-selection "
                                              "answers running at once; wait for one to finish."},
                             {"Retry-After": "5"})
        if kind == "geojson":
            def tail(written: int, unmapped: list[str]) -> dict:
                return {"numberMatched": matched, "numberReturned": written, "offset": offset, "links": links,
                        "dataset_version": data.version}
            pairs = stream.placed_chunks(data.source, filters, offset, limit, days=days)
            body = geojson_parts(pairs, data.sites, tail)
        else:
            body = csv_parts(stream.incident_chunks(data.source, filters, offset, limit, days=days), data.sites)
        body = self._released(body, address)
        if file_like:  # GDAL (QGIS, sf, geopandas) asks for the size, then for byte ranges: answer from a file
            try:
                path = self.spool.keep(headers["ETag"], "." + kind, body)
            finally:
                body.close()
            return FileResponse(path, media_type=media, headers=headers)
        return StreamingResponse(body, media_type=media, headers=headers)

    def _released(self, parts: Iterator[bytes], address: str) -> "_Running":
        """``parts``, counting as one running answer of ``address`` until the last is sent or the client left."""
        return _Running(parts, lambda: self.limiter.close_stream(address))

    def _links(self, request: Request, offset: int, limit: int | None, matched: int) -> list[dict]:
        if limit is None:
            return []
        links = []
        params = [(key, value) for key, value in request.query_params.multi_items() if key not in ("offset", "limit")]
        url = str(request.url.replace(query=""))
        if offset + limit < matched:
            links.append({"rel": "next", "href": url + "?" + urlencode(params + [("limit", limit),
                                                                               ("offset", offset + limit)])})
        if offset > 0:
            links.append({"rel": "prev", "href": url + "?" + urlencode(params + [("limit", limit),
                                                                               ("offset", max(0, offset - limit))])})
        return links

    def counts_json(self, request: Request, address: str) -> Response:
        data = self.provider()
        state = self._validated(request, data, ("by",))
        by = _choice(request, "by", GROUPS, "country")
        vocabulary, filters = data.vocabulary, state.filters

        def make() -> dict:
            start = pd.Timestamp(filters.start or vocabulary.first)
            end = pd.Timestamp(filters.end or vocabulary.last)
            charts = page_data.chart_data(data.source, filters, data.sites, data.official_counts, state.period,
                                          start, end)
            over_time = charts["over_time"] if by == "country" else counts.count_by_period(
                data.source, filters, charts["period"], start, end, by=GROUPS[by])
            if GROUPS[by] and GROUPS[by] != by:
                over_time = over_time.rename(columns={GROUPS[by]: by})
            headline = counts.headline(data.source, filters)
            official = data.official_counts[[c for c in data.official_counts.columns if c != "line"]]
            return {
                "dataset_version": data.version,
                "view": {"start": start.date(), "end": end.date(), "period": charts["period"],
                         "period_note": charts["note"], "by": by,
                         **{name: list(getattr(filters, attr)) for name, attr in LIST_PARAMETERS.items()}},
                "headline": headline,
                "over_time": _records(over_time),
                "per_country": _records(charts["per_country"]),
                "per_site": _records(charts["per_site"]),
                "per_type": _records(charts["per_type"]),
                "casualties": _records(charts["casualties"]),
                "attacks_against_officials": {
                    "note": "The running count of attacks since 17 Oct 2023 (the filters' dates are ignored, as "
                            "officials counted from that day) beside each total officials reported.",
                    "daily": _records(charts["daily"]), "comparison": _records(charts["comparison"]),
                    "official_counts": _records(official)},
            }
        return self._json(request, data, make)

    def sites(self, request: Request, address: str) -> Response:
        data = self.provider()
        state = self._validated(request, data)

        def make() -> dict:
            per_site = counts.count_by(data.source, state.filters, "site_id")
            collection = sites_geojson(data.sites, dict(zip(per_site["site_id"], per_site["count"])))
            return {**collection, "dataset_version": data.version}
        return self._json(request, data, make, GEOJSON_TYPE)

    def cells(self, request: Request, address: str) -> Response:
        data = self.provider()
        state = self._validated(request, data, ("zoom", "cell"))
        zoom, cell = _integer(request, "zoom", MIN_ZOOM, MAX_ZOOM), _cell(request)
        if zoom is not None and cell is not None:
            raise bad_parameters([LinkWarning("Give either 'zoom' or 'cell', not both.", "cell",
                                              request.query_params["cell"], "no 'cell' when 'zoom' is given")])
        filters = state.filters

        def make() -> dict:
            size, chosen = cell, "cell"
            if size is None:
                level = zoom if zoom is not None else state.map.zoom if state.map is not None else None
                chosen = "zoom" if zoom is not None else "map" if level is not None else "fitted"
                if level is None:
                    level = zoom_for_extent(mapping.overview(data.source, filters)["extent"])
                size = cell_size(level)
                while mapping.cell_count(data.source, filters, size) > page_data.MAX_CELLS and coarser(size):
                    size = coarser(size)
            elif (n := mapping.cell_count(data.source, filters, size)) > MAX_CELLS:
                raise bad_parameters([LinkWarning(
                    f"A cell of {size:g}° gives {n:,} cells for this selection, more than {MAX_CELLS:,}.", "cell",
                    request.query_params["cell"], f"a larger cell: one of {', '.join(f'{s:g}' for s in CELL_SIZES)}")])
            collection = cells_geojson(mapping.grid_cells(data.source, filters, size), size)
            return {**collection, "cell_size_deg": size, "cell_size_from": chosen, "dataset_version": data.version}
        return self._json(request, data, make, GEOJSON_TYPE)


class _Running:
    """An answer's pieces that call ``release`` exactly once: after the last piece, on ``close``, or when dropped
    unread (a client that leaves before the first piece: a generator's ``finally`` would never run then)."""

    def __init__(self, parts: Iterator[bytes], release: Callable[[], None]):
        self._parts, self._release = parts, release

    def __iter__(self) -> "_Running":
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._parts)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            close = getattr(self._parts, "close", None)
            if close is not None:
                close()
            release()

    def __del__(self) -> None:
        self.close()


def _records(frame: pd.DataFrame) -> list[dict]:
    """A small result as JSON-ready rows (as the exports write cells: dates ``YYYY-MM-DD``, missing ``null``)."""
    return [{str(key): json_value(value) for key, value in record.items()} for record in frame.to_dict("records")]


def _one(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad_parameters([LinkWarning(f"'{name}' is given {len(values)} times.", name, ",".join(values),
                                          "one value")])
    return values[0].strip()


def _integer(request: Request, name: str, low: int, high: int) -> int | None:
    raw = _one(request, name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise bad_parameters([LinkWarning(f"'{name}' is '{raw}', not a whole number from {low:,} to {high:,}.",
                                          name, raw, f"a whole number from {low:,} to {high:,}")])
    return int(raw)


def _paging(request: Request) -> tuple[int, int | None]:
    offset = _integer(request, "offset", 0, 10 ** 12) or 0
    limit = _integer(request, "limit", 1, MAX_LIMIT)
    return offset, limit


def _choice(request: Request, name: str, choices, default: str) -> str:
    raw = _one(request, name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in choices:
        raise bad_parameters([LinkWarning(f"'{name}' is '{raw}', not one of {', '.join(choices)}.", name, raw,
                                          f"one of {', '.join(choices)}")])
    return raw.lower()


def _cell(request: Request) -> float | None:
    raw = _one(request, "cell")
    if raw is None or raw == "":
        return None
    expected = f"a cell side in degrees, one of {', '.join(f'{s:g}' for s in CELL_SIZES)}"
    try:
        value = float(raw)
    except ValueError:
        value = None
    matched = next((size for size in CELL_SIZES if value is not None and abs(size - value) < 1e-12), None)
    if matched is None:
        raise bad_parameters([LinkWarning(f"'cell' is '{raw}', not {expected}.", "cell", raw, expected)])
    return matched


def _matches(header: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (weak comparison, as RFC 9110 asks for it) or is ``*``."""
    if not header:
        return False
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def _not_modified_since(header: str | None, changed: dt.datetime | None) -> bool:
    if not header or changed is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.timezone.utc)
    return changed.replace(microsecond=0) <= since
