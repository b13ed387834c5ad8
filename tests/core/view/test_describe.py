"""The sentence that says what a view shows."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.view.describe import describe_filters
from dashboard.core.view.filters import Filters

D = dt.date


@pytest.mark.parametrize(
    "filters, count, expected",
    [
        (Filters(), 123, "123 incidents, 18 Oct 2023 – 13 Nov 2024, all countries, all types"),
        (Filters(start=D(2023, 10, 17), end=D(2023, 11, 23), countries=("Iraq", "Syria")), 70,
         "70 incidents, 17 Oct 2023 – 23 Nov 2023, Iraq and Syria, all types"),
        (Filters(start=D(2023, 11, 1), end=D(2023, 11, 1)), 1, "1 incident, 1 Nov 2023, all countries, all types"),
        (Filters(types=("drone", "rocket"), sites=("SY-TANF",), statuses=("claim-only",)), 0,
         "0 incidents, 18 Oct 2023 – 13 Nov 2024, all countries, at Al-Tanf Garrison, drone or rocket / mortar, "
         "claim only, unconfirmed"),
        (Filters(countries=("Iraq", "Jordan", "Syria")), 5, "5 incidents, 18 Oct 2023 – 13 Nov 2024, Iraq, Jordan and Syria, all types"),
    ],
)
def test_describe(filters, count, expected):
    text = describe_filters(filters, count, D(2023, 10, 18), D(2024, 11, 13), {"SY-TANF": "Al-Tanf Garrison"})
    assert text == expected


# --- the title of the data shown ---------------------------------------------------------------------

from dashboard.core.view.describe import CURATED, CURATED_TITLE, DataPart, dataset_title  # noqa: E402

BUNDLED = DataPart(CURATED, ("Iraq", "Jordan", "Syria"), D(2023, 10, 18), D(2024, 11, 13))
UCDP_IRAQ = DataPart("UCDP GED", ("Iraq",), D(1989, 1, 1), D(2018, 12, 25))
TWELVE = tuple(f"Country {n:02d}" for n in range(12))


@pytest.mark.parametrize(
    "parts, expected",
    [
        ([BUNDLED], CURATED_TITLE),
        ([BUNDLED], "Attacks on US and coalition forces in Iraq, Syria and Jordan"),
        ([DataPart(CURATED)], CURATED_TITLE),
        ([UCDP_IRAQ], "UCDP GED events, Iraq, 1989–2018"),
        ([DataPart("ACLED", TWELVE, D(2022, 1, 1), D(2022, 6, 30))], "ACLED events, 12 countries, 2022"),
        ([DataPart("ACLED", ("Syria", "Iraq"), D(2020, 4, 27), D(2020, 5, 9))], "ACLED events, Iraq and Syria, 2020"),
        ([DataPart("GDELT", ("Iraq", "Syria", "Jordan"), D(2019, 1, 1), D(2019, 10, 24))],
         "GDELT events, Iraq, Jordan and Syria, 2019"),
        ([DataPart("GDELT", ("Iraq", "Syria", "Jordan", "Lebanon"), D(2019, 1, 1), D(2019, 10, 24))],
         "GDELT events, 4 countries, 2019"),
        ([DataPart("UCDP GED", (), None, None)], "UCDP GED events"),
        ([DataPart("UCDP GED", ("",), D(2001, 5, 1), None)], "UCDP GED events"),
        ([BUNDLED, UCDP_IRAQ],
         "Attacks on US and coalition forces in Iraq, Syria and Jordan, with UCDP GED events (Iraq, 1989–2018)"),
        ([UCDP_IRAQ, BUNDLED],
         "Attacks on US and coalition forces in Iraq, Syria and Jordan, with UCDP GED events (Iraq, 1989–2018)"),
        ([BUNDLED, DataPart("ACLED")], "Attacks on US and coalition forces in Iraq, Syria and Jordan, with ACLED events"),
        ([DataPart("UCDP GED", ("Syria",), D(2016, 1, 1), D(2019, 11, 30)), UCDP_IRAQ],
         "UCDP GED events, Iraq and Syria, 1989–2019"),
        ([DataPart("GDELT", ("Iraq",), D(2019, 1, 1), D(2019, 1, 2)), DataPart("ACLED", ("Syria",), D(2020, 1, 1),
                                                                             D(2020, 3, 1))],
         "ACLED and GDELT events, Iraq and Syria, 2019–2020"),
        ([], "No data"),
    ],
)
def test_dataset_title(parts, expected):
    assert dataset_title(parts) == expected


def test_dataset_title_keeps_names_as_written():
    """A country name from an uploaded file reaches the title unchanged: the caller escapes it for its place."""
    part = DataPart("ACLED", ("<b>Iraq</b>",), D(2020, 1, 1), D(2020, 1, 1))
    assert dataset_title([part]) == "ACLED events, <b>Iraq</b>, 2020"


def test_dataset_title_refuses_other_values():
    with pytest.raises(TypeError, match="`parts`"):
        dataset_title(["UCDP GED"])


def test_a_large_count_is_written_with_thousands_separators():
    """As the metric beside it shows it (57,615, not 57615: seen on the Spark page at 1e6 incidents)."""
    from dashboard.core.view.describe import describe_filters
    from dashboard.core.view.filters import Filters

    assert describe_filters(Filters(), 57615, None, None).startswith("57,615 incidents")
