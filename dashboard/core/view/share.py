"""The link is the view: turn URL query parameters into a view state, and a view state back into parameters.

Parameters (all optional; a missing one means its default):

========  =====================================================  ==========================
name      value                                                  default
========  =====================================================  ==========================
start     first day shown, ``YYYY-MM-DD``                        first day of the data
end       last day shown, ``YYYY-MM-DD``                         last day of the data
country   countries, comma-separated (``Iraq,Syria``)            all
site      site ids, comma-separated (``IQ-ASAD,SY-TANF``)        all
type      event types, comma-separated (``drone,rocket``)        all
status    confirmation statuses, comma-separated                 all
view      map mode: ``sites`` or ``incidents``                   ``sites``
period    chart period: ``day``, ``week`` or ``month``           ``week``
focus     a site id whose details the map page shows             none
map       map zoom and centre, ``zoom/lat/lon`` (``7/33.8/42.4``)  fitted to the data
layers    optional map layers shown: ``rings``, ``heat``,          ``rings``
          comma-separated, or ``none``
basemap   ``osm`` (OpenStreetMap tiles) or ``borders`` (country   the server's
          borders drawn from the app's own files, no internet)   (``osm`` unless set)
step      time step of the map's player: ``week`` or ``month``   ``week``
at        the step the map shows, ``YYYY-MM-DD`` (its first day)  none: the whole range
========  =====================================================  ==========================

Lists are written in the data's order, so one view has one link; a link
whose values the data does not hold warns and falls back, parameter by
parameter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from dashboard.core.view.filters import Filters
from dashboard.core.view.timeline import DEFAULT_STEP, STEPS
from dashboard.core.data.columns import CAMPAIGN_START
from dashboard.core.data.validate import parse_iso_date

MAP_VIEWS = ("sites", "incidents")
PERIODS = ("day", "week", "month")
DEFAULT_VIEW = "sites"
DEFAULT_PERIOD = "week"
#: Optional layers of the map a link can switch on; the uncertainty rings are on by default.
OVERLAYS = ("rings", "heat")
DEFAULT_OVERLAYS = ("rings",)
#: Basemaps a link can name (drawn by :mod:`dashboard.render.tiles`).
BASEMAPS = ("osm", "borders")
MIN_ZOOM, MAX_ZOOM = 1, 18
PARAMETERS = ("start", "end", "country", "site", "type", "status", "view", "period", "focus", "map", "layers",
              "basemap", "step", "at")
LIST_PARAMETERS = {"country": "countries", "site": "sites", "type": "types", "status": "statuses"}


class LinkWarning(str):
    """One parameter of a link that could not be used as written: the sentence the page shows, and its parts.

    ``parameter``, ``value`` and ``expected`` name what was wrong (the data URLs answer them as a ``400``);
    ``invalid`` is False for a value that was only adjusted without changing what is selected (a start date
    before the data begins).
    """

    parameter: str
    value: str
    expected: str
    invalid: bool

    def __new__(cls, text: str, parameter: str, value: str, expected: str, invalid: bool = True):
        warning = super().__new__(cls, text)
        warning.parameter, warning.value, warning.expected, warning.invalid = parameter, value, expected, invalid
        return warning

    def as_dict(self) -> dict:
        """The problem as the data URLs answer it (their message names the parameter, not the page's fallback)."""
        return {"parameter": self.parameter, "value": self.value, "expected": self.expected,
                "message": f"The parameter '{self.parameter}' is '{self.value}'; expected {self.expected}."}


class LinkError(ValueError):
    """A link whose parameters cannot all be used as written (see :func:`parse_view_strictly`)."""

    def __init__(self, problems: list[LinkWarning]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Vocabulary:
    """What the data holds: the values a shared link may name, and the date span."""

    first: dt.date
    last: dt.date
    countries: tuple[str, ...]
    sites: tuple[str, ...]
    types: tuple[str, ...]
    statuses: tuple[str, ...]

    def choices(self, parameter: str) -> tuple[str, ...]:
        return getattr(self, LIST_PARAMETERS[parameter])


@dataclass(frozen=True)
class MapView:
    """Where the map looks: its zoom level and the latitude and longitude of its centre."""

    zoom: int
    lat: float
    lon: float

    def encode(self) -> str:
        return f"{self.zoom}/{self.lat:.4f}/{self.lon:.4f}"


@dataclass(frozen=True)
class ViewState:
    """Everything a link reopens: the filters, the map (mode, position, layers, basemap, time step), the chart
    period and the focused site."""

    filters: Filters = field(default_factory=Filters)
    view: str = DEFAULT_VIEW
    period: str = DEFAULT_PERIOD
    focus: str | None = None
    map: MapView | None = None
    layers: tuple[str, ...] = DEFAULT_OVERLAYS
    basemap: str | None = None  # None: the server's default basemap
    step: str = DEFAULT_STEP
    at: dt.date | None = None


def parse_view(params: Mapping[str, str | list[str]], vocabulary: Vocabulary,
               extra: tuple[str, ...] = ()) -> tuple[ViewState, list[LinkWarning]]:
    """Read query parameters into a :class:`ViewState`.

    Returns the state and a list of warnings, one per parameter (or value)
    that could not be understood; each such parameter falls back to its
    default, and the other parameters still apply. Unknown parameter names
    are reported too. Dates are clamped to the data's own span (a date
    outside it selects nothing more, and an unbounded span would make the
    charts draw millions of empty periods); a range that misses the data
    altogether falls back to the whole period. Each with a warning.
    """
    warnings: list[LinkWarning] = []
    values = {key: _single(value) for key, value in params.items()}
    allowed = PARAMETERS + tuple(extra)
    for key in sorted(set(values) - set(allowed)):
        warnings.append(LinkWarning(f"Unknown link parameter '{key}' was ignored.", key, values[key],
                                    f"one of the parameters {', '.join(allowed)}"))

    start = _parse_date(values, "start", warnings)
    end = _parse_date(values, "end", warnings)
    if start and end and start > end:
        warnings.append(LinkWarning(f"The link's start date {start} is after its end date {end}; showing the whole "
                                    "period instead.", "start", values["start"].strip(),
                                    f"a date on or before the end date {end}"))
        start = end = None
    start, end = _clamp_dates(start, end, vocabulary, warnings)
    lists = {attr: _parse_list(values, name, vocabulary.choices(name), warnings) for name, attr in LIST_PARAMETERS.items()}
    view = _parse_choice(values, "view", MAP_VIEWS, DEFAULT_VIEW, warnings)
    period = _parse_choice(values, "period", PERIODS, DEFAULT_PERIOD, warnings)
    focus = values.get("focus", "").strip() or None
    if focus is not None:
        matched = _match(focus, vocabulary.sites)
        if matched is None:
            warnings.append(LinkWarning(f"The link names site '{focus}' in 'focus', which is not in the gazetteer; "
                                        "no site is selected.", "focus", focus, "a site id of the gazetteer"))
        focus = matched
    filters = Filters(start=start, end=end, **lists)
    map_view = _parse_map(values, warnings)
    layers = _parse_layers(values, warnings)
    basemap = _parse_choice(values, "basemap", BASEMAPS, None, warnings)
    step = _parse_choice(values, "step", STEPS, DEFAULT_STEP, warnings)
    at = _parse_date(values, "at", warnings)
    if at is not None:
        first, last = start or vocabulary.first, end or vocabulary.last
        if not first <= at <= last:
            warnings.append(LinkWarning(f"The link's 'at' date {at} lies outside the dates shown ({first} to {last}); "
                                        "showing the whole range instead.", "at", values["at"].strip(),
                                        f"a date from {first} to {last}"))
            at = None
    return ViewState(filters=filters, view=view, period=period, focus=focus, map=map_view, layers=layers,
                     basemap=basemap, step=step, at=at), warnings


def parse_view_strictly(params: Mapping[str, str | list[str]], vocabulary: Vocabulary,
                        extra: tuple[str, ...] = ()) -> ViewState:
    """Read query parameters as :func:`parse_view` does, but refuse what it would warn about and fall back from.

    For the data URLs: a link that names a country the data does not hold
    must not answer with every country. ``extra`` names further parameters
    the caller reads itself. Dates before the data begins or after it ends
    are not errors (they select the same incidents). Raises
    :class:`LinkError` listing every problem.
    """
    state, warnings = parse_view(params, vocabulary, extra)
    problems = [warning for warning in warnings if warning.invalid]
    if problems:
        raise LinkError(problems)
    return state


def encode_view(state: ViewState, vocabulary: Vocabulary) -> dict[str, str]:
    """The query parameters of ``state``, defaults left out, lists in the vocabulary's order.

    A missing ``start``/``end`` means "from the first / to the last day of
    the data", so the plain link keeps showing everything as data is added.
    """
    params: dict[str, str] = {}
    filters = state.filters
    if filters.start:
        params["start"] = filters.start.isoformat()
    if filters.end:
        params["end"] = filters.end.isoformat()
    for name, attr in LIST_PARAMETERS.items():
        chosen = getattr(filters, attr)
        if chosen:
            order = {value: index for index, value in enumerate(vocabulary.choices(name))}
            params[name] = ",".join(sorted(chosen, key=lambda v: (order.get(v, len(order)), v)))
    if state.view != DEFAULT_VIEW:
        params["view"] = state.view
    if state.period != DEFAULT_PERIOD:
        params["period"] = state.period
    if state.focus:
        params["focus"] = state.focus
    if state.map is not None:
        params["map"] = state.map.encode()
    if tuple(state.layers) != DEFAULT_OVERLAYS:
        params["layers"] = ",".join(o for o in OVERLAYS if o in state.layers) or "none"
    if state.basemap is not None:
        params["basemap"] = state.basemap
    if state.step != DEFAULT_STEP:
        params["step"] = state.step
    if state.at is not None:
        params["at"] = state.at.isoformat()
    return params


#: The parameters that choose which incidents a view holds (the rest say how the page shows them).
DATA_PARAMETERS = ("start", "end", "country", "site", "type", "status")


def data_query(state: ViewState, vocabulary: Vocabulary, **extra: str) -> dict[str, str]:
    """The query parameters of a data URL for ``state``: its selection (as :func:`encode_view` writes it), and
    ``extra`` (``period`` for the counts, say)."""
    params = {key: value for key, value in encode_view(state, vocabulary).items() if key in DATA_PARAMETERS}
    params.update(extra)
    return params


def with_filters(state: ViewState, **changes) -> ViewState:
    """A copy of ``state`` with some filter fields changed."""
    return replace(state, filters=replace(state.filters, **changes))


def _single(value: str | list[str]) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _parse_date(values: dict[str, str], name: str, warnings: list[str]) -> dt.date | None:
    raw = values.get(name, "").strip()
    if not raw:
        return None
    parsed = parse_iso_date(raw)
    if parsed is None:
        warnings.append(LinkWarning(f"The link's '{name}' date '{raw}' is not a date that exists (expected "
                                    "YYYY-MM-DD); using the default.", name, raw, "a date written YYYY-MM-DD"))
    return parsed


def _clamp_dates(start: dt.date | None, end: dt.date | None, vocabulary: Vocabulary,
                 warnings: list[str]) -> tuple[dt.date | None, dt.date | None]:
    """Dates within the data's span (which opens on 17 Oct 2023 at the latest, the campaign's first day, so
    that the usual link from that day stays as it is); a range entirely outside it becomes the whole period."""
    first, last = min(vocabulary.first, dt.date.fromisoformat(CAMPAIGN_START)), vocabulary.last
    span = f"the data runs from {first} to {last}"
    if (start and start > last) or (end and end < first):
        shown = f"{start or first} to {end or last}"
        name = "start" if start and start > last else "end"
        warnings.append(LinkWarning(f"The link's dates ({shown}) lie outside the data ({span}); showing the whole "
                                    "period instead.", name, str(start if name == "start" else end),
                                    f"dates that overlap the data's, {first} to {last}"))
        return None, None
    if start and start < first:
        warnings.append(LinkWarning(f"The link's start date {start} is before the data begins ({span}); showing "
                                    f"from {first}.", "start", str(start), f"a date from {first}", invalid=False))
        start = None if first == vocabulary.first else first  # None: "from the first day", as a plain link says
    if end and end > last:
        warnings.append(LinkWarning(f"The link's end date {end} is after the data ends ({span}); showing up to "
                                    f"{last}.", "end", str(end), f"a date up to {last}", invalid=False))
        end = None
    return start, end


def _match(value: str, choices: Iterable[str]) -> str | None:
    """``value`` as written in ``choices``, compared without regard to case."""
    by_lower = {choice.lower(): choice for choice in choices}
    return by_lower.get(value.strip().lower())


def _expected_values(name: str, choices: tuple[str, ...], shown: int = 12) -> str:
    """What a list parameter may hold, for a message: the data's values (the first few when there are many)."""
    listed = ", ".join(choices[:shown]) + (f", … ({len(choices):,} in all)" if len(choices) > shown else "")
    return f"{name} values the data holds, comma-separated: {listed}"


def _parse_list(values: dict[str, str], name: str, choices: tuple[str, ...], warnings: list[str]) -> tuple[str, ...]:
    raw = values.get(name, "")
    chosen: list[str] = []
    for part in (p for p in raw.split(",") if p.strip()):
        matched = _match(part, choices)
        if matched is None:
            warnings.append(LinkWarning(f"The link names {name} '{part.strip()}', which is not in the data; it was "
                                        "left out of the filter.", name, part.strip(),
                                        _expected_values(name, choices)))
        elif matched not in chosen:
            chosen.append(matched)
    return tuple(chosen)


def _parse_choice(values: dict[str, str], name: str, choices: tuple[str, ...], default: str | None,
                  warnings: list[str]) -> str | None:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    matched = _match(raw, choices)
    if matched is None:
        fallback = f"'{default}'" if default else "the default"
        warnings.append(LinkWarning(f"The link's '{name}' is '{raw}', not one of {', '.join(choices)}; using "
                                    f"{fallback}.", name, raw, f"one of {', '.join(choices)}"))
        return default
    return matched


def _parse_map(values: dict[str, str], warnings: list[str]) -> MapView | None:
    raw = values.get("map", "").strip()
    if not raw:
        return None
    parts = raw.split("/")
    try:
        if len(parts) != 3:
            raise ValueError
        zoom, lat, lon = int(parts[0]), float(parts[1]), float(parts[2])
    except ValueError:
        zoom = lat = lon = None
    if zoom is None or not (MIN_ZOOM <= zoom <= MAX_ZOOM and -85.0 <= lat <= 85.0 and -180.0 <= lon <= 180.0) \
            or lat != lat or lon != lon:
        expected = (f"zoom/latitude/longitude (a zoom from {MIN_ZOOM} to {MAX_ZOOM}, latitude within ±85, "
                    "longitude within ±180, e.g. 7/33.8/42.4)")
        warnings.append(LinkWarning(f"The link's 'map' is '{raw}', not {expected}; the map is fitted to the data "
                                    "instead.", "map", raw, expected))
        return None
    return MapView(zoom=zoom, lat=round(lat, 4), lon=round(lon, 4))


def _parse_layers(values: dict[str, str], warnings: list[str]) -> tuple[str, ...]:
    raw = values.get("layers", "").strip()
    if not raw:
        return DEFAULT_OVERLAYS
    if raw.lower() == "none":
        return ()
    chosen = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        matched = _match(part, OVERLAYS)
        if matched is None:
            warnings.append(LinkWarning(f"The link names layer '{part}', not one of {', '.join(OVERLAYS)} (or "
                                        "'none'); it was left out.", "layers", part,
                                        f"one of {', '.join(OVERLAYS)} (or 'none')"))
        elif matched not in chosen:
            chosen.append(matched)
    return tuple(o for o in OVERLAYS if o in chosen)
