"""Frame-element suggestions for ideas: the keyword lists in data/ and the matching in alkedash.tags.

The ideas below are written the way participants write them: inflected, in compounds, in all
three languages. They run with both lemmatisers, because the keywords are lemmatised by
whichever one is in use and must still meet the ideas' words.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from alkedash import tags
from alkedash.content import DATA_DIR, LANGS
from alkedash.tags import load_keywords, suggest

KEYWORDS_CSV = DATA_DIR / "frame_keywords.csv"
FRAME_ORDER = ("P1", "P2", "P3", "X1", "X2", "X3", "E1", "E2", "E3")


def _rows() -> list[dict[str, str]]:
    with KEYWORDS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _suggest(text: str, lang: str) -> tuple[str, ...]:
    return suggest(text=text, lang=lang, keywords=load_keywords())


IDEAS = [
    ("fi", "Raideyhteydet Itä-Suomeen on saatava kuntoon", ("E1",)),
    ("fi", "Huoltovarmuus ja varautuminen kriiseihin maakunnissa", ("X1", "X3")),
    ("fi", "Nopeat junayhteydet ja toimiva laajakaista koko maahan", ("E1",)),
    ("fi", "Korkeakoulujen ja yritysten yhteistyötä pitää lisätä", ("P1", "E3")),
    ("fi", "Ennallistamisen kustannukset eivät saa kaatua maanomistajille", ("P3",)),
    ("fi", "Nuorten harrastusmahdollisuudet vahvistavat yhteisöllisyyttä", ("P2",)),
    ("fi", "Työperäistä maahanmuuttoa tarvitaan hoitoalalle", ("X2", "E2")),
    ("fi", "Metsäteollisuuden investoinnit ja hiilinielut on sovitettava yhteen", ("P1", "P3")),
    ("fi", "Kyberturvallisuus ja sähkönjakelun häiriöt ovat todellisia riskejä", ("X1",)),
    ("fi", "Osaavan työvoiman saatavuus on suurin pullonkaula yrityksille", ("P1", "E2", "E3")),
    ("sv", "Skogarnas mångfald måste tryggas", ("P3",)),
    ("sv", "Bättre tågförbindelser mellan Vasa och Helsingfors", ("E1",)),
    ("sv", "Kommunerna ska ha en tydlig roll i beredskapen", ("X1", "X3")),
    ("sv", "Arbetskraftsinvandringen måste underlättas", ("X2", "E2")),
    ("sv", "Ungdomarnas psykiska hälsa oroar", ("P2",)),
    ("en", "Rail connections to eastern Finland must be improved", ("E1",)),
    ("en", "Biodiversity loss threatens forests and lakes", ("P3",)),
    ("en", "Preparedness for crises needs regional cooperation", ("X1", "X3")),
    ("en", "Skilled labour shortage holds back companies", ("P1", "E2", "E3")),
]


@pytest.mark.parametrize(("lang", "text", "expected"), IDEAS, ids=[text[:40] for _, text, _ in IDEAS])
def test_a_realistic_idea_gets_the_elements_it_is_about(backend: str, lang: str, text: str, expected: tuple[str, ...]):
    assert _suggest(text, lang) == expected, backend


@pytest.mark.parametrize(
    ("lang", "word", "element"),
    [
        ("fi", "raideyhteyksiä", "E1"),  # raideyhteys
        ("fi", "huoltovarmuuden", "X1"),  # huoltovarmuus
        ("fi", "metsissä", "P3"),  # metsä
        ("fi", "maakuntiin", "X3"),  # maakunta
        ("fi", "työllisyyttä", "E2"),  # työllisyys
        ("fi", "yliopistoille", "E3"),  # yliopisto
        ("sv", "kriserna", "X1"),  # kris, which simplemma reads as "kria" on its own
        ("sv", "skogarna", "P3"),  # skog
        ("sv", "tillväxten", "P1"),  # tillväxt
        ("sv", "järnvägen", "E1"),  # järnväg (simplemma reads the plural "järnvägar" as "järnvägare")
        ("en", "crises", "X1"),  # crisis
        ("en", "universities", "E3"),  # university
    ],
)
def test_an_inflected_form_matches_its_base_form_keyword(backend: str, lang: str, word: str, element: str):
    assert element in _suggest(word, lang)


@pytest.mark.parametrize(
    ("lang", "word", "element"),
    [
        ("fi", "kyberturvallisuus", "X1"),  # ...turvallisuus
        ("fi", "terveysturvallisuutta", "X1"),
        ("fi", "joukkoliikenteen", "E1"),  # ...liikenne
        ("fi", "ammattikorkeakoulut", "E3"),  # ...koulu
        ("sv", "cybersäkerheten", "X1"),  # ...säkerhet
        ("sv", "flygförbindelserna", "E1"),  # ...förbindelse
        ("sv", "yrkesutbildning", "E3"),  # ...utbildning
    ],
)
def test_a_compound_matches_a_keyword_at_its_end(lang: str, word: str, element: str):
    assert element in _suggest(word, lang)


def test_short_keywords_and_prefixes_do_not_match_inside_other_words():
    # "alue" (X3) has four letters: a suojelualue is nature (P3), not regional orientation
    assert _suggest("suojelualueet", "fi") == ("P3",)
    # Swedish o- turns security into uncertainty
    assert "X1" not in _suggest("osäkerheten", "sv")
    # English compounds are separate words: "signature" is no "nature"
    assert _suggest("signature", "en") == ()


def test_a_hyphenated_word_matches_by_its_parts():
    assert _suggest("TKI-rahoitusta", "fi") == ("P1",)
    assert "P2" in _suggest("sote-alalla", "fi")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Hyvää päivää kaikille"),
        ("fi", "Kiitos, tämä oli hyvä"),
        ("sv", "Tack för en bra dag"),
        ("en", "Good morning everyone"),
        ("fi", ""),
        ("fi", "!!! 2025"),
    ],
)
def test_an_idea_without_keywords_gets_no_suggestion(lang: str, text: str):
    assert _suggest(text, lang) == ()


def test_at_most_three_elements_ranked_by_hits_and_listed_in_frame_order():
    # E3 three hits, E1 two, X1 and P3 one each: the two single hits tie, P3 comes first in the frame
    text = "Koulutus, yliopistot ja tutkimus; rautatiet ja satamat; metsät; kriisit"
    assert _suggest(text, "fi") == ("P3", "E1", "E3")
    # four single hits: the first three in frame order
    assert _suggest("luonto, kriisi, rautatie, koulutus", "fi") == ("P3", "X1", "E1")


def test_a_suggestion_never_has_more_than_three_elements_and_is_in_frame_order():
    keywords = load_keywords()
    position = {key: n for n, key in enumerate(FRAME_ORDER)}
    for lang, text, _ in IDEAS:
        found = suggest(text=text, lang=lang, keywords=keywords)
        assert len(found) <= tags.MAX_SUGGESTIONS
        assert list(found) == sorted(found, key=position.__getitem__)


def test_the_same_idea_always_gets_the_same_suggestion():
    text = "Investoinnit vihreään siirtymään tuovat työpaikkoja pienemmillekin paikkakunnille."
    first = _suggest(text, "fi")
    tags._load.cache_clear()  # a fresh read of the file, as in a new process
    assert [_suggest(text, "fi") for _ in range(3)] == [first] * 3
    assert first == ("P1", "E2")


def test_a_regional_language_code_reads_as_its_language():
    assert _suggest("Skogarnas mångfald måste tryggas", "sv-FI") == ("P3",)


def test_the_frame_order_comes_from_the_frame_file():
    assert tags.frame_keys() == FRAME_ORDER


def test_every_element_has_keywords_in_all_three_languages():
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    for row in _rows():
        counts[row["element"], row["lang"]] += 1
    for element in FRAME_ORDER:
        for lang in LANGS:
            assert 10 <= counts[element, lang] <= 30, (element, lang, counts[element, lang])
    assert {element for element, _ in counts} == set(FRAME_ORDER)


def test_the_keyword_file_is_sorted_and_has_no_duplicates():
    rows = [(row["element"], row["lang"], row["keyword"]) for row in _rows()]
    key = lambda r: (FRAME_ORDER.index(r[0]), LANGS.index(r[1]), r[2])  # noqa: E731
    assert rows == sorted(rows, key=key)
    assert len(rows) == len(set(rows))


def test_every_keyword_typed_alone_is_suggested_its_element(backend: str):
    """A keyword that the lemmatiser drops (a stopword) or reads apart from itself would never match."""
    keywords = load_keywords()
    missed = [
        (row["element"], row["lang"], row["keyword"])
        for row in _rows()
        if row["element"] not in suggest(text=row["keyword"], lang=row["lang"], keywords=keywords)
    ]
    assert missed == [], backend


def test_the_keywords_are_loaded_once(backend: str):
    assert load_keywords() is load_keywords()


def _write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_an_unknown_element_in_the_keyword_file_is_a_clear_error(tmp_path: Path):
    path = _write(tmp_path / "kw.csv", "element,lang,keyword\nP1,fi,investointi\nP9,fi,kasvu\n")
    with pytest.raises(ValueError, match=r"line 3 \(P9,fi,kasvu\): unknown frame element 'P9'"):
        load_keywords(path=path)


def test_an_unknown_language_or_a_phrase_in_the_keyword_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ValueError, match=r"line 2 .*unknown language 'de'"):
        load_keywords(path=_write(tmp_path / "de.csv", "element,lang,keyword\nP1,de,wachstum\n"))
    with pytest.raises(ValueError, match=r"line 2 .*one word"):
        load_keywords(path=_write(tmp_path / "phrase.csv", "element,lang,keyword\nP1,fi,vihreä siirtymä\n"))
    with pytest.raises(ValueError, match="header"):
        load_keywords(path=_write(tmp_path / "header.csv", "key,lang,word\nP1,fi,kasvu\n"))


def test_a_keyword_file_of_ones_own_is_used(tmp_path: Path):
    path = _write(tmp_path / "kw.csv", "element,lang,keyword\nE1,fi,lossi\nP3,fi,saaristo\n")
    keywords = load_keywords(path=path)
    assert suggest(text="Lossit ja saaristo", lang="fi", keywords=keywords) == ("P3", "E1")
    assert suggest(text="Lossit", lang="sv", keywords=keywords) == ()
