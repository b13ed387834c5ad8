"""Share links: query parameters to view state and back, with warnings for what cannot be understood."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

import pytest

from dashboard.core.view.filters import Filters
from dashboard.core.view.share import MapView, ViewState, Vocabulary, encode_view, parse_view

D = dt.date
VOCAB = Vocabulary(first=D(2023, 10, 18), last=D(2024, 11, 13), countries=("Iraq", "Jordan", "Syria"),
                   sites=("IQ-ASAD", "SY-TANF", "SY-TALLBAYDAR"), types=("drone", "rocket", "us_strike"),
                   statuses=("US-official", "local-official", "claim-only"))

# (query string, expected state) — each query string is also the canonical encoding of its state
ROUND_TRIPS = [
    ("", ViewState()),
    ("start=2023-10-17&end=2023-11-23", ViewState(Filters(start=D(2023, 10, 17), end=D(2023, 11, 23)))),
    ("start=2023-11-01", ViewState(Filters(start=D(2023, 11, 1)))),
    ("country=Iraq%2CSyria", ViewState(Filters(countries=("Iraq", "Syria")))),
    ("site=IQ-ASAD%2CSY-TALLBAYDAR", ViewState(Filters(sites=("IQ-ASAD", "SY-TALLBAYDAR")))),
    ("type=drone%2Cus_strike&status=claim-only", ViewState(Filters(types=("drone", "us_strike"), statuses=("claim-only",)))),
    ("view=incidents&period=month", ViewState(view="incidents", period="month")),
    ("focus=SY-TANF", ViewState(focus="SY-TANF")),
    ("start=2023-11-01&end=2023-11-07&country=Syria&site=SY-TANF&type=drone&status=US-official&view=incidents&period=day&focus=SY-TANF",
     ViewState(Filters(D(2023, 11, 1), D(2023, 11, 7), ("Syria",), ("SY-TANF",), ("drone",), ("US-official",)),
               "incidents", "day", "SY-TANF")),
    ("map=7%2F33.8000%2F42.4150", ViewState(map=MapView(7, 33.8, 42.415))),
    ("map=12%2F-33.8000%2F-170.0000", ViewState(map=MapView(12, -33.8, -170.0))),
    ("layers=heat", ViewState(layers=("heat",))),
    ("layers=rings%2Cheat", ViewState(layers=("rings", "heat"))),
    ("layers=none", ViewState(layers=())),
    ("basemap=borders", ViewState(basemap="borders")),
    ("step=month&at=2024-01-01", ViewState(step="month", at=D(2024, 1, 1))),
    ("at=2023-11-13", ViewState(at=D(2023, 11, 13))),
    ("start=2023-11-01&end=2023-11-30&view=incidents&focus=SY-TANF&map=9%2F33.5000%2F38.6000&layers=heat"
     "&basemap=borders&step=month&at=2023-11-01",
     ViewState(Filters(D(2023, 11, 1), D(2023, 11, 30)), "incidents", focus="SY-TANF", map=MapView(9, 33.5, 38.6),
               layers=("heat",), basemap="borders", step="month", at=D(2023, 11, 1))),
]


@pytest.mark.parametrize("query, state", ROUND_TRIPS)
def test_query_parses_to_state(query, state):
    parsed, warnings = parse_view(dict(parse_qsl(query)), VOCAB)
    assert warnings == []
    assert parsed == state


@pytest.mark.parametrize("query, state", ROUND_TRIPS)
def test_state_encodes_to_query(query, state):
    assert urlencode(encode_view(state, VOCAB)) == query


@pytest.mark.parametrize("query, state", ROUND_TRIPS)
def test_round_trip(query, state):
    parsed, _ = parse_view(encode_view(state, VOCAB), VOCAB)
    assert parsed == state


def test_encoding_orders_lists_like_the_vocabulary():
    state = ViewState(Filters(countries=("Syria", "Iraq")))
    assert encode_view(state, VOCAB) == {"country": "Iraq,Syria"}


def test_values_are_matched_without_regard_to_case():
    state, warnings = parse_view({"country": "iraq", "site": "sy-tanf", "view": "Incidents"}, VOCAB)
    assert warnings == [] and state.filters.countries == ("Iraq",) and state.filters.sites == ("SY-TANF",)
    assert state.view == "incidents"


# (parameters, words the one warning must contain, the state that results)
BAD = [
    ({"start": "2023-02-30"}, "'start' date '2023-02-30' is not a date that exists", ViewState()),
    ({"end": "yesterday"}, "'end' date 'yesterday'", ViewState()),
    ({"start": "2023-12-01", "end": "2023-11-01"}, "is after its end date", ViewState()),
    ({"site": "IQ-NOWHERE"}, "site 'IQ-NOWHERE', which is not in the data", ViewState()),
    ({"site": "SY-TANF,IQ-NOWHERE"}, "site 'IQ-NOWHERE'", ViewState(Filters(sites=("SY-TANF",)))),
    ({"country": "Lebanon"}, "country 'Lebanon'", ViewState()),
    ({"type": "bomb"}, "type 'bomb'", ViewState()),
    ({"status": "confirmed"}, "status 'confirmed'", ViewState()),
    ({"view": "globe"}, "'view' is 'globe', not one of sites, incidents", ViewState()),
    ({"period": "year"}, "'period' is 'year'", ViewState()),
    ({"focus": "XX"}, "site 'XX' in 'focus'", ViewState()),
    ({"zoom": "5"}, "Unknown link parameter 'zoom'", ViewState()),
    ({"map": "7/33.8"}, "'map' is '7/33.8', not zoom/latitude/longitude", ViewState()),
    ({"map": "30/33.8/42"}, "a zoom from 1 to 18", ViewState()),
    ({"map": "7/95/42"}, "latitude within", ViewState()),
    ({"map": "7/nan/42"}, "'map' is '7/nan/42'", ViewState()),
    ({"map": "seven/1/2"}, "'map' is 'seven/1/2'", ViewState()),
    ({"layers": "rings,glow"}, "layer 'glow'", ViewState(layers=("rings",))),
    ({"basemap": "satellite"}, "'basemap' is 'satellite', not one of osm, borders", ViewState()),
    ({"step": "day"}, "'step' is 'day', not one of week, month", ViewState()),
    ({"at": "2030-01-01"}, "'at' date 2030-01-01 lies outside the dates shown", ViewState()),
    ({"start": "2023-12-01", "at": "2023-11-06"}, "'at' date 2023-11-06 lies outside",
     ViewState(Filters(start=D(2023, 12, 1)))),
    ({"at": "soon"}, "'at' date 'soon'", ViewState()),
    ({"start": "2023-11-01", "type": "bomb"}, "type 'bomb'", ViewState(Filters(start=D(2023, 11, 1)))),
]


@pytest.mark.parametrize("params, words, expected", BAD)
def test_bad_parameter_warns_and_falls_back(params, words, expected):
    state, warnings = parse_view(params, VOCAB)
    assert len(warnings) == 1 and words in warnings[0], warnings
    assert state == expected


def test_repeated_parameter_is_read_as_a_list():
    state, warnings = parse_view({"country": ["Iraq", "Syria"]}, VOCAB)
    assert warnings == [] and state.filters.countries == ("Iraq", "Syria")
