"""The actor list is valid and cited; its names are found in text, backers told apart."""
from __future__ import annotations

import pytest

from dashboard.core.data.dataset import BUNDLED_DATA
from dashboard.core.articles.actors import ACTOR_KINDS, find_actors, load_actors
from dashboard.core.data.problems import DataValidationError
from dashboard.core.data.validate import is_http_url

from .conftest import assert_spans


def test_bundled_actor_list_is_valid_and_every_row_cites_a_url(actors):
    assert actors["actor_id"].is_unique
    assert set(actors["kind"]) <= set(ACTOR_KINDS)
    for row in actors.itertuples():
        assert row.source and all(is_http_url(s) for s in row.source), row.actor_id
    for needed in ("KH", "IRI", "HAN", "KSS", "HAAA", "IRGC", "US"):
        assert needed in set(actors["actor_id"])


@pytest.mark.parametrize("sentence, text, actor_id", [
    ("Kataib Hezbollah denied it.", "Kataib Hezbollah", "KH"),
    ("Kata'ib Hizballah denied it.", "Kata'ib Hizballah", "KH"),
    ("KATAIB HEZBOLLAH denied it.", "KATAIB HEZBOLLAH", "KH"),
    ("The KH leader spoke.", "KH", "KH"),
    ("The Islamic Resistance in Iraq claimed it.", "Islamic Resistance in Iraq", "IRI"),
    ("The IRI claimed it.", "IRI", "IRI"),
    ("Harakat al-Nujaba warned.", "Harakat al-Nujaba", "HAN"),
    ("Kataib Sayyid al-Shuhada was designated.", "Kataib Sayyid al-Shuhada", "KSS"),
    ("Harakat Ansar Allah al-Awfiya was blamed.", "Harakat Ansar Allah al-Awfiya", "HAAA"),
    ("Iran's Revolutionary Guards trained them.", "Iran's Revolutionary Guards", "IRGC"),
    ("The IRGC trained them.", "IRGC", "IRGC"),
    ("U.S. Central Command said.", "U.S. Central Command", "US"),
    ("The U.S.-led coalition said.", "U.S.-led coalition", "COALITION"),
])
def test_actor_names(actors, sentence, text, actor_id):
    found = find_actors(sentence, actors)
    assert [(f["text"], f["actor_id"]) for f in found] == [(text, actor_id)]
    assert_spans(found, sentence)


@pytest.mark.parametrize("sentence", [
    "Hezbollah fired from Lebanon.",          # the Lebanese group is not Kataib Hezbollah
    "The Islamic Resistance in Lebanon said.",
    "Tell us what happened.",                  # 'us' is not the United States
    "The iri and kh in lower case.",           # acronyms only in capitals
    "The Irgcx code.",
])
def test_words_that_are_not_listed_actors(actors, sentence):
    assert find_actors(sentence, actors) == []


@pytest.mark.parametrize("sentence, role", [
    ("Iran-backed militias attacked.", "backer"),
    ("Militias backed by the IRGC attacked.", "backer"),
    ("Iran denied any role.", "named"),
])
def test_backer_role(actors, sentence, role):
    assert find_actors(sentence, actors)[0]["role"] == role


def test_bad_actor_file_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text((BUNDLED_DATA / "actors.csv").read_text(encoding="utf-8").replace(",armed group,", ",militia,", 1),
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_actors(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (2, "kind", "militia")
