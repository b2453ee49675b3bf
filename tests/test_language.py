"""The word pipeline: the cloud must count Finnish (and Swedish) inflected forms as one word.

The accuracy tests read the hand-annotated gold in fixtures/ (copied from shared/data) and a
held-out set written apart from it (fixtures/heldout_*.csv), and print the figures for each backend;
Voikko is optional, so its run is skipped where it is missing.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from pathlib import Path

import pytest

from alkedash import language
from alkedash.language import WordCount, content_lemmas, guess_language, is_stopword, lemma, tokenize, word_counts

FIXTURES = Path(__file__).parent / "fixtures"

# What each backend reached on the gold when this floor was set, less a small margin (about one
# more error). The product goal (PRODUCT_GOAL) is asserted on the held-out inputs instead.
ACCURACY_FLOOR = {
    ("simplemma", "fi"): 97.5,  # reached 98.4 % (182/185)
    ("voikko+simplemma", "fi"): 98.5,  # reached 99.5 % (184/185)
    ("simplemma", "sv"): 98.0,  # reached 100 % (65/65)
    ("voikko+simplemma", "sv"): 98.0,  # Voikko is Finnish only: the same as simplemma
}
# The goal, asserted on the held-out inputs for both backends: the gold above has been
# looked at while the pipeline was built, the held-out inputs only to find general rules.
PRODUCT_GOAL = {"fi": 97.0, "sv": 98.0}


@dataclasses.dataclass(frozen=True)
class GoldToken:
    text_id: str
    lang: str
    token: str
    lemmas: frozenset[str]  # empty: a function word the cloud must drop


def _gold(name: str = "lemma_gold.csv") -> dict[str, list[GoldToken]]:
    by_text: dict[str, list[GoldToken]] = defaultdict(list)
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lemmas = frozenset(filter(None, row["gold_lemma"].split("|")))
            by_text[row["id"]].append(GoldToken(row["id"], row["lang"], row["token"], lemmas))
    return by_text


def _samples(name: str = "sample_inputs.csv") -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- accuracy on the gold -----------------------------------------------------------------------


def _accuracy(*, inputs: str, gold_file: str, backend: str, lang: str) -> float:
    """Share of content tokens whose lemma the gold accepts; prints the figure and every error."""
    gold = _gold(gold_file)
    correct = total = 0
    errors: list[str] = []
    for sample in _samples(inputs):
        if sample["lang"] != lang:
            continue
        surfaces = tokenize(text=sample["text"])
        expected = gold[sample["id"]]
        assert [s.casefold() for s in surfaces] == [g.token for g in expected], sample["id"]
        for surface, item in zip(surfaces, expected, strict=True):
            if not item.lemmas:
                continue
            total += 1
            got = lemma(token=surface, lang=lang)
            if got in item.lemmas:
                correct += 1
            else:
                errors.append(f"{surface} -> {got} (gold {'|'.join(sorted(item.lemmas))})")
    accuracy = 100.0 * correct / total
    print(f"\n[{backend}] {lang}: {correct}/{total} content tokens = {accuracy:.1f} %; errors: {errors or 'none'}")
    return accuracy


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_lemma_accuracy_on_the_gold_inputs_stays_above_the_floor(backend: str, lang: str) -> None:
    accuracy = _accuracy(inputs="sample_inputs.csv", gold_file="lemma_gold.csv", backend=backend, lang=lang)
    assert accuracy >= ACCURACY_FLOOR[(backend, lang)]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_lemma_accuracy_on_held_out_inputs_meets_the_product_goal(backend: str, lang: str) -> None:
    """Inputs the pipeline's lexicon and lists know nothing of, as the steering group's own will be."""
    accuracy = _accuracy(inputs="heldout_inputs.csv", gold_file="heldout_gold.csv", backend=backend, lang=lang)
    assert accuracy >= PRODUCT_GOAL[lang]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_gold_function_word_is_dropped_and_few_content_words_are(lang: str) -> None:
    gold = _gold()
    function_words = kept_function_words = content = 0
    dropped_content: list[str] = []
    for sample in _samples():
        if sample["lang"] != lang:
            continue
        for surface, item in zip(tokenize(text=sample["text"]), gold[sample["id"]], strict=True):
            word = lemma(token=surface, lang=lang)
            dropped = is_stopword(word=surface, lang=lang) or is_stopword(word=word, lang=lang)
            if not item.lemmas:
                function_words += 1
                kept_function_words += not dropped
            else:
                content += 1
                if dropped:
                    dropped_content.append(surface)
    print(
        f"\n[{language.backend()}] {lang}: {function_words - kept_function_words}/{function_words} function words "
        f"dropped; content words dropped as stopwords ({len(dropped_content)}/{content}): {dropped_content}"
    )
    assert kept_function_words == 0
    # the custom list drops empty verbs (pitää, tarvita, saada) that the gold counts as content
    assert len(dropped_content) <= 0.1 * content


# --- tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("TKI-rahoitusta tarvitaan!", ["TKI-rahoitusta", "tarvitaan"]),
        ("ALKE-päätös ja pk-yritykset.", ["ALKE-päätös", "ja", "pk-yritykset"]),
        ("TKI\u2011rahoitus", ["TKI-rahoitus"]),  # a phone's non-breaking hyphen
        ("maa- ja metsätalous", ["maa", "ja", "metsätalous"]),
        ("EU:n rahoitus, EU:s stöd", ["EU:n", "rahoitus", "EU:s", "stöd"]),
        ("Teema:luonto", ["Teema", "luonto"]),
        ("Vuosina 2024–2027 ja 2030-luvulla 5G", ["Vuosina", "ja", "2030-luvulla", "5G"]),
        ("Luonto... metsät?! (suot)", ["Luonto", "metsät", "suot"]),
        ("Helsinki–Tampere", ["Helsinki", "Tampere"]),
        ("don’t stop", ["don't", "stop"]),
    ],
)
def test_tokenize_keeps_hyphenated_compounds_and_drops_punctuation_and_numbers(text: str, tokens: list[str]) -> None:
    assert tokenize(text=text) == tokens


def test_tokenize_normalises_decomposed_letters_to_nfc() -> None:
    decomposed = "Mo\u0308kki ja va\u0308esto\u0308"
    assert tokenize(text=decomposed) == ["Mökki", "ja", "väestö"]


def test_tokenize_strips_html_tags_entities_and_links() -> None:
    text = "<b>Luontokato</b> &amp; metsät https://example.fi/luontokato info@example.fi"
    assert tokenize(text=text) == ["Luontokato", "metsät"]


# --- lemmas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    ["luontokato", "Luontokato", "luontokadon", "luontokatoa", "LUONTOKATOA", "luontokadosta", "luontokatoon"],
)
def test_inflected_forms_of_luontokato_count_as_one_word(form: str) -> None:
    assert lemma(token=form, lang="fi") == "luontokato"


@pytest.mark.parametrize(
    ("token", "lang", "expected"),
    [
        ("kriisinkestävyyttä", "fi", "kriisinkestävyys"),
        ("huoltovarmuuden", "fi", "huoltovarmuus"),
        ("ennallistamisen", "fi", "ennallistaminen"),
        ("elinvoimaa", "fi", "elinvoima"),
        ("saavutettavuutta", "fi", "saavutettavuus"),
        ("resilienssiä", "fi", "resilienssi"),
        ("kokonaisturvallisuuden", "fi", "kokonaisturvallisuus"),
        ("aluelähtöisyyttä", "fi", "aluelähtöisyys"),
        ("yhteensovitusta", "fi", "yhteensovitus"),
        ("TKI", "fi", "tki"),
        ("työ", "fi", "työ"),  # simplemma's dictionary alone says "sinä" (dialect pronoun)
        ("Kainuun", "fi", "kainuu"),
        ("försörjningsberedskapen", "sv", "försörjningsberedskap"),
        ("tillgängligheten", "sv", "tillgänglighet"),
        ("kriståligheten", "sv", "kristålighet"),
        ("resilience", "en", "resilience"),
        ("regions", "en", "region"),
    ],
)
def test_domain_terms_lemmatise_to_their_base_form(token: str, lang: str, expected: str) -> None:
    assert lemma(token=token, lang=lang) == expected


@pytest.mark.parametrize(
    ("token", "lang", "expected"),
    [
        ("TKI-rahoituksen", "fi", "tki-rahoitus"),
        ("TKI-rahoitusta", "fi", "tki-rahoitus"),
        ("ALKE-päätöksessä", "fi", "alke-päätös"),
        ("Pk-yritysten", "fi", "pk-yritys"),
        ("EU-stödet", "sv", "eu-stöd"),
        ("EU:n", "fi", "eu"),
        ("TKI:hin", "fi", "tki"),
        ("EU:s", "sv", "eu"),
    ],
)
def test_compounds_keep_their_prefix_and_acronyms_lose_their_colon_ending(token: str, lang: str, expected: str) -> None:
    assert lemma(token=token, lang=lang) == expected


def test_a_language_code_with_a_region_or_an_unknown_code_is_read_sensibly() -> None:
    assert lemma(token="metsissä", lang="fi-FI") == "metsä"
    assert lemma(token="skogarna", lang="sv_FI") == "skog"
    assert lemma(token="metsissä", lang="de") == "metsä"  # not fi/sv/en: read as Finnish


def test_lemmas_are_cached_for_the_live_screen() -> None:
    lemma(token="metsissä", lang="fi")
    before = language._lemma_cached.cache_info().hits
    lemma(token="metsissä", lang="fi")
    assert language._lemma_cached.cache_info().hits == before + 1


# --- stopwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("ja", "fi", True),
        ("eivät", "fi", True),
        ("pitää", "fi", True),
        ("tarvita", "fi", True),
        ("Saada", "fi", True),
        ("och", "sv", True),
        ("bör", "sv", True),
        ("the", "en", True),
        ("should", "en", True),
        ("luontokato", "fi", False),
        ("metsä", "fi", False),
        ("beslut", "sv", False),
        ("research", "en", False),
    ],
)
def test_is_stopword_knows_function_words_and_empty_verbs(word: str, lang: str, expected: bool) -> None:
    assert is_stopword(word=word, lang=lang) is expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Luontoa ei saa uhrata tuulivoimahankkeiden vuoksi.", "fi", ["luonto", "uhrata", "tuulivoimahanke"]),
        (
            "Kuntien talous on tiukalla, eikä investointeihin riitä rahaa.",
            "fi",
            ["kunta", "talous", "tiukka|tiukalla", "investointi", "riittää", "raha"],
        ),
        (
            "TKI-rahoitusta tarvitaan myös yliopistokaupunkien ulkopuolelle.",
            "fi",
            ["tki-rahoitus", "yliopistokaupunki", "ulkopuoli|ulkopuolelle"],
        ),
        ("Skogarna och våtmarkerna behöver restaureras.", "sv", ["skog", "våtmark", "restaurera"]),
        ("We need more research on the regions", "en", ["research", "region"]),
        ("a b c metsä", "fi", ["metsä"]),
    ],
)
def test_content_lemmas_drops_stopwords_and_one_letter_tokens(text: str, lang: str, expected: list[str]) -> None:
    got = content_lemmas(text=text, lang=lang)
    assert len(got) == len(expected), got
    for word, accepted in zip(got, expected, strict=True):  # "a|b": Voikko and simplemma differ, both fine
        assert word in accepted.split("|"), got


# --- counting -----------------------------------------------------------------------------------


def test_word_counts_merges_case_and_inflection() -> None:
    texts = [("Luontokato!", "fi"), ("luontokadon torjunta", "fi"), ("LUONTOKATOA pitää hillitä", "fi")]
    counts = {w.lemma: w.count for w in word_counts(texts=texts)}
    assert counts["luontokato"] == 3


def test_a_word_repeated_in_one_text_counts_once() -> None:
    result = word_counts(texts=[("Luontokato, luontokato ja luontokadon torjunta", "fi")])
    assert WordCount(lemma="luontokato", count=1, display="luontokato") in result


def test_word_counts_sorts_by_count_then_lemma() -> None:
    texts = [("metsät ja suot", "fi"), ("suot", "fi"), ("vesistöt ja metsät", "fi"), ("Biologisk mångfald", "sv")]
    result = word_counts(texts=texts)
    assert [(w.lemma, w.count) for w in result] == [
        ("metsä", 2),
        ("suo", 2),
        ("biologisk", 1),
        ("mångfald", 1),
        ("vesistö", 1),
    ]


@pytest.mark.parametrize(
    ("texts", "lemma_", "display"),
    [
        ([("TKI-rahoitusta lisää", "fi"), ("Kaivataan TKI-rahoituksen kasvua", "fi")], "tki-rahoitus", "TKI-rahoitus"),
        ([("Luontokato", "fi"), ("Luontokadon pysäyttäminen", "fi")], "luontokato", "luontokato"),
        ([("Tukea Kainuun nuorille", "fi")], "kainuu", "Kainuu"),
        ([("EU:n rahoitus", "fi"), ("Lisää EU-rahaa", "fi"), ("EU", "fi")], "eu", "EU"),
    ],
)
def test_display_is_the_lemma_in_the_casing_participants_used_but_not_a_phone_capital(
    texts: list[tuple[str, str]], lemma_: str, display: str
) -> None:
    shown = {w.lemma: w.display for w in word_counts(texts=texts)}
    assert shown[lemma_] == display


def test_word_count_is_a_frozen_value() -> None:
    item = word_counts(texts=[("metsä", "fi")])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.count = 2  # type: ignore[misc]


def test_word_counts_of_the_sample_inputs_merge_their_repeated_terms(backend: str) -> None:
    counts = {w.lemma: w.count for w in word_counts(texts=[(s["text"], s["lang"]) for s in _samples()])}
    print(f"\n[{backend}] top words: {sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]}")
    assert counts["maakunta"] == 4  # maakuntien x2, maakunnissa x2
    assert counts["luonto"] == 4  # Luonnon x2, Luontoa, Luonnossa
    assert counts["kriisinkestävyys"] == 2
    assert counts["region"] == 2  # regioner, regionerna ("Regionala" is the adjective regional)
    assert counts["investointi"] == 3


# --- language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("Luontokato", "fi", "fi"),
        ("Luontokato", "sv", "sv"),  # one word: the participant's chosen language stands
        ("Tillgänglighet", "fi", "fi"),
        ("Biologisk mångfald", "fi", "sv"),  # å
        ("Kompetens och bildning", "fi", "sv"),
        ("Skills and education", "fi", "en"),
        ("Osaaminen ja sivistys", "en", "fi"),
        ("Investeringar i grön omställning", "fi", "sv"),
        ("Tarvitaan enemmän yhteistyötä kuntien kanssa", "sv", "fi"),
        ("The green transition needs more investment in the regions", "fi", "en"),
        ("Den biologiska mångfalden måste tryggas", "en", "sv"),
        ("Alueellinen resilienssi ja henkinen kriisinkestävyys", "sv", "fi"),
        ("Green transition", "fi", "fi"),  # too short and no function word: not clearly English
        ("", "sv", "sv"),
        ("🙂🙂", "en", "en"),
    ],
)
def test_guess_language_reads_fi_sv_and_en_and_keeps_the_default_for_short_input(
    text: str, default: str, expected: str
) -> None:
    assert guess_language(text=text, default=default) == expected


def test_guess_language_recognises_every_sample_input() -> None:
    wrong = [s["id"] for s in _samples() if guess_language(text=s["text"], default="en") != s["lang"]]
    assert wrong == []


# --- awkward input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "🙂🙂🙂",
        "👍🏽 luontokato 👩‍👩‍👧",
        "<script>alert('x')</script><b>Luontokato</b> &amp; &lt;3 &#x1F600;",
        "- -- --- ... ?!",
        "'",
        "TKI- -rahoitus",
        "EU:n:n",
        "\x00\x01 metsä \u200b\ufeff",
        "a" * 5000,
        "Luonto" * 200,
        "１２３ ＡＢＣ",  # full-width
        "ꙮ ᚠᚢᚦ 漢字 العربية",
        "123 456,7 2024–2027",
    ],
)
def test_awkward_input_does_not_crash(text: str) -> None:
    for lang in ("fi", "sv", "en"):
        tokens = tokenize(text=text)
        lemmas = content_lemmas(text=text, lang=lang)
        assert all(isinstance(t, str) and t for t in tokens)
        assert all(isinstance(w, str) and w for w in lemmas)
        counts = word_counts(texts=[(text, lang)])
        assert all(w.count == 1 and w.display for w in counts)
        assert guess_language(text=text, default=lang) in ("fi", "sv", "en")
    assert tokenize(text="   ") == [] and content_lemmas(text="🙂", lang="fi") == []


def test_the_backend_in_use_is_reported() -> None:
    name = language.backend()
    print(f"\nlemmatiser backend: {name}")
    assert name in ("simplemma", "voikko+simplemma")
