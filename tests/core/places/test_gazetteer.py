"""Site resolution on the bundled gazetteer: spellings that are not in it, and places that are not."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.places.gazetteer import Gazetteer
from dashboard.core.places.names import normalise_name
from dashboard.core.data.validate import split_list


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(load_dataset().sites)


# Spellings from the issue and from reports that the gazetteer lists as aliases.
LISTED = [
    ('al-Asad airbase', 'IQ-ASAD'),
    ('Tal Baydar', 'SY-TALLBAYDAR'),
    ('al-Tanf garrison', 'SY-TANF'),
    ('MSS Euphrates', 'SY-EUPHRATES'),
    ('Tower-22', 'JO-TOWER22'),
    ('Victory base', 'IQ-BIAP'),
    ("al-Qa'im", 'STRIKE-QAIM'),
]

# Spellings that are NOT written in geodata/sites.csv (test_unlisted_are_not_in_the_gazetteer checks it):
# they resolve through normalisation and the fuzzy fallback.
UNLISTED = [
    ('Ain al-Asad air base', 'IQ-ASAD'),
    ('Ayn al Asad', 'IQ-ASAD'),
    ('Ein el-Assad', 'IQ-ASAD'),
    ('AIN AL-ASAD AB', 'IQ-ASAD'),
    ('Al Assad airbase', 'IQ-ASAD'),
    ('Tel Beydar', 'SY-TALLBAYDAR'),
    ('Tell Bayder', 'SY-TALLBAYDAR'),
    ('Tall Baidar base', 'SY-TALLBAYDAR'),
    ('At-Tanf base', 'SY-TANF'),
    ('Mission Support Site Euphrates, Syria', 'SY-EUPHRATES'),
    ('Conoco base', 'SY-EUPHRATES'),
    ('Erbil airport', 'IQ-ERBIL-AB'),
    ('Erbil International Airport base', 'IQ-ERBIL-AB'),
    ('Green Village base', 'SY-GREENVILLAGE'),
    ('Al-Shaddadi base', 'SY-SHADDADI'),
    ('Shadaddi', 'SY-SHADDADI'),
    ('PB Shaddadi', 'SY-SHADDADI'),
    ('Rumeilan', 'SY-RLZ'),
    ('Rumalyn LZ', 'SY-RLZ'),
    ('Kharab al Jir', 'SY-KHARABJIR'),
    ('Albukamal', 'STRIKE-ABUKAMAL'),
    ('Al-Malikiya', 'SY-MALIKIYAH'),
    ('Harir airbase', 'IQ-HARIR'),
]

NOT_IN_GAZETTEER = ["Damascus", "Ain al-Arab", "Tal Afar", "Mosul airport", "Kabul airport", "Qamishli",
                    "Tabqa airbase", "Ain Issa", "Palmyra", "Balad air base", "Kobani", "Deir ez-Zor", ""]


@pytest.mark.parametrize("name, site_id", LISTED + UNLISTED)
def test_spelling_resolves_to_site(gazetteer, name, site_id):
    result = gazetteer.resolve(name)
    assert result.status == "resolved", result
    assert result.site_id == site_id


def test_unlisted_are_not_in_the_gazetteer():
    sites = load_dataset().sites
    written = {s.strip().lower() for name, aliases in zip(sites["name"], sites["aliases"])
               for s in [name, *split_list(aliases)]}
    assert not [name for name, _ in UNLISTED if name.lower() in written]
    assert len(UNLISTED) >= 20


@pytest.mark.parametrize("name", NOT_IN_GAZETTEER)
def test_place_not_in_gazetteer_is_unresolved(gazetteer, name):
    result = gazetteer.resolve(name)
    assert result.status == "unresolved" and result.site_id is None


def test_two_sites_equally_matched_is_ambiguous():
    sites = pd.DataFrame({"site_id": ["A", "B"], "name": ["Alpha base", "Alpha camp"], "aliases": ["", ""]})
    result = Gazetteer(sites).resolve("Alpha garrison")
    assert result.status == "ambiguous"
    assert [s for s, _ in result.candidates] == ["A", "B"]


def test_fuzzy_near_tie_is_ambiguous():
    sites = pd.DataFrame({"site_id": ["A", "B"], "name": ["Tall Hamra", "Tall Hamri"], "aliases": ["", ""]})
    assert Gazetteer(sites).resolve("Tel Hamre").status == "ambiguous"


def test_no_spelling_belongs_to_two_sites():
    sites = load_dataset().sites
    owners: dict[str, set[str]] = {}
    for site_id, name, aliases in zip(sites["site_id"], sites["name"], sites["aliases"]):
        for spelling in [name, *split_list(aliases)]:
            owners.setdefault(normalise_name(spelling), set()).add(site_id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_every_site_resolves_by_its_own_name(gazetteer):
    sites = load_dataset().sites
    for site_id, name in zip(sites["site_id"], sites["name"]):
        assert gazetteer.resolve(name).site_id == site_id, name
