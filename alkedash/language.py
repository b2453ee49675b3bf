"""Words for the word cloud: Finnish, Swedish and English forms counted by lemma.

Participants type a few words on their phones, and "luontokato", "luontokadon" and
"Luontokatoa" must grow one word in the cloud, not three. The event's own key terms come
from a small domain lexicon first, because general lemmatisers get exactly those wrong.
simplemma covers everything else offline. For Finnish, Voikko (the `libvoikko` binding
and Debian's voikko-fi) settles what simplemma only guesses, when it is installed; it is
optional, and without it the module still works.

No Streamlit here: the live screen calls `word_counts` on every refresh, so results are
cached per token and per text.
"""

from __future__ import annotations

import functools
import html
import os
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import stopwordsiso
from simplemma import LanguageDetector
from simplemma.strategies import DefaultStrategy

LANGS: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANG = "fi"
MAX_TOKEN_CHARS = 60  # longer "words" are pasted junk: not lemmatised, not in the cloud


@dataclass(frozen=True, slots=True)
class WordCount:
    """One word of the cloud: `count` is the number of texts that use it."""

    lemma: str
    count: int
    display: str


# --- tokens -------------------------------------------------------------------------------

_CHAR_FIXES = str.maketrans(
    {
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u2019": "'",  # right single quotation mark, as phones type the apostrophe
        "\u02bc": "'",
    }
)
_MARKUP = re.compile(r"<[!/]?[A-Za-z][^<>]{0,500}>|(?:https?://|www\.)\S+|\S+@\S+\.[A-Za-z]{2,}", re.IGNORECASE)
# Finnish inflects acronyms after a colon (EU:n, TKI:hin) and Swedish writes EU:s; only these
# endings join a colon, so "Teema:luonto" stays two words.
_COLON_ENDINGS = (
    "n|s|t|a|ä|ta|tä|na|nä|ja|jä|lla|llä|lle|lta|ltä|ssa|ssä|sta|stä|ksi|hin|han|hen|hyn|"
    "iin|aan|ään|een|ihin|ien|ista|istä|issa|issä|illa|illä|ille|ilta|iltä|ina|inä|iksi|"
    "ineen|kin|nkin|kaan|kään"
)
_WORD = re.compile(rf"[^\W_]+(?:[-'][^\W_]+)*(?::(?:{_COLON_ENDINGS})(?![^\W_]))?")
_SENTENCE_END = re.compile(r"[.!?…]")


def _clean(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    return _MARKUP.sub(" ", unicodedata.normalize("NFC", text).translate(_CHAR_FIXES))


def _scan(text: str) -> list[tuple[str, bool]]:
    """(surface, starts a sentence) for each word; the flag lets phone auto-capitals be ignored."""
    cleaned = _clean(text)
    words: list[tuple[str, bool]] = []
    last_end = 0
    for match in _WORD.finditer(cleaned):
        surface = match.group()
        if not any(ch.isalpha() for ch in surface):
            continue  # numbers, years, "2024-2027"
        initial = not words or bool(_SENTENCE_END.search(cleaned, last_end, match.start()))
        words.append((surface, initial))
        last_end = match.end()
    return words


def tokenize(*, text: str) -> list[str]:
    """Words as typed (NFC, case kept); hyphenated compounds stay whole, numbers drop out."""
    return [surface for surface, _ in _scan(text)]


# --- domain lexicon -------------------------------------------------------------------------


def _back_vowels(word: str) -> bool:
    """Finnish vowel harmony of the ending: the last a/o/u or ä/ö/y decides (compounds too)."""
    for ch in reversed(word):
        if ch in "aou":
            return True
        if ch in "äöy":
            return False
    return False


def _fi_nominal(nominative: str, *, weak: str, strong: str, partitive: str, illative: str) -> tuple[str, ...]:
    """The common singular case forms (and the nominative plural) of a Finnish noun."""
    a = "a" if _back_vowels(nominative) else "ä"
    return (
        nominative,
        f"{weak}n",
        partitive,
        f"{weak}ss{a}",
        f"{weak}st{a}",
        illative,
        f"{weak}ll{a}",
        f"{weak}lt{a}",
        f"{weak}lle",
        f"{strong}n{a}",
        f"{weak}ksi",
        f"{weak}t",
    )


def _fi_uus(nominative: str) -> tuple[str, ...]:
    """-uus/-yys nouns: huoltovarmuus, huoltovarmuuden, huoltovarmuutta, ..."""
    a = "a" if _back_vowels(nominative) else "ä"
    stem = nominative[:-1]
    return _fi_nominal(
        nominative, weak=f"{stem}de", strong=f"{stem}te", partitive=f"{stem}tt{a}", illative=f"{stem}teen"
    )


def _fi_minen(nominative: str) -> tuple[str, ...]:
    """-minen nouns: ennallistaminen, ennallistamisen, ennallistamista, ..."""
    a = "a" if _back_vowels(nominative) else "ä"
    stem = nominative[:-3]
    return _fi_nominal(
        nominative, weak=f"{stem}se", strong=f"{stem}se", partitive=f"{stem}st{a}", illative=f"{stem}seen"
    )


def _fi_us(nominative: str) -> tuple[str, ...]:
    """-us/-ys/-os/-ös nouns: yhteensovitus, yhteensovituksen, yhteensovitusta, ..."""
    a = "a" if _back_vowels(nominative) else "ä"
    stem = f"{nominative[:-1]}kse"
    return _fi_nominal(nominative, weak=stem, strong=stem, partitive=f"{nominative}t{a}", illative=f"{stem}en")


def _fi_vowel(nominative: str) -> tuple[str, ...]:
    """Nouns with an unchanging vowel stem: elinvoima, resilienssi."""
    a = "a" if _back_vowels(nominative) else "ä"
    return _fi_nominal(
        nominative,
        weak=nominative,
        strong=nominative,
        partitive=f"{nominative}{a}",
        illative=f"{nominative}{nominative[-1]}n",
    )


def _sv_forms(base: str, *suffixes: str) -> tuple[str, ...]:
    return (base, *(f"{base}{suffix}" for suffix in suffixes))


# Forms -> lemma. The ALKE decision's frame terms and the discussion themes' key words:
# the words the cloud is about, and the ones general lemmatisers most often miss
# (simplemma alone reads "luontokadon" as "luonto").
_TERMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fi": (
        _fi_nominal(
            "luontokato",
            weak="luontokado",
            strong="luontokato",
            partitive="luontokatoa",
            illative="luontokatoon",
        ),
        _fi_nominal(
            "hyvinvointialue",
            weak="hyvinvointialuee",
            strong="hyvinvointialuee",
            partitive="hyvinvointialuetta",
            illative="hyvinvointialueeseen",
        ),
        _fi_uus("kriisinkestävyys"),
        _fi_uus("huoltovarmuus"),
        _fi_uus("saavutettavuus"),
        _fi_uus("kokonaisturvallisuus"),
        _fi_uus("kansainvälisyys"),
        _fi_uus("aluelähtöisyys"),
        _fi_uus("monimuotoisuus"),
        _fi_uus("vetovoimaisuus"),
        _fi_uus("saatavuus"),
        _fi_uus("työllisyys"),
        _fi_minen("ennallistaminen"),
        _fi_minen("aluekehittäminen"),
        _fi_minen("osaaminen"),
        _fi_us("yhteensovitus"),
        _fi_us("aluekehittämispäätös"),
        _fi_us("sivistys"),
        _fi_vowel("elinvoima"),
        _fi_vowel("vetovoima"),
        _fi_vowel("työvoima"),
        _fi_vowel("resilienssi"),
        # simplemma reads "Kainuun" as a form of "kainu"
        _fi_nominal("kainuu", weak="kainuu", strong="kainuu", partitive="kainuuta", illative="kainuuseen"),
        # simplemma's dictionary has the dialect pronoun "työ" (= te) and so reads työ as "sinä"
        _fi_nominal("työ", weak="työ", strong="työ", partitive="työtä", illative="työhön"),
        # peatlands, a theme-2 key word: "soiden" is not the verb soida, "soita" not soittaa
        (
            *_fi_nominal("suo", weak="suo", strong="suo", partitive="suota", illative="suohon"),
            *("soiden", "soita", "soissa", "soista", "soihin", "soilla", "soilta", "soille", "soina"),
        ),
        # deadlines: "vuoteen 2030 mennessä" is the year, not the bed (vuode)
        ("vuosi", "vuoden", "vuotta", "vuonna", "vuoteen", "vuodessa", "vuodesta", "vuodet", "vuosien", "vuosia"),
        ("tki",),
        ("alke",),
    ),
    "sv": (
        _sv_forms("försörjningsberedskap", "en", "ens"),
        _sv_forms("krisberedskap", "en", "ens"),
        _sv_forms("kristålighet", "en", "ens"),
        _sv_forms("kris", "en", "ens", "er", "erna", "ers"),  # simplemma files "kris" under kria (an essay form)
        _sv_forms("resiliens", "en"),
        _sv_forms("tillgänglighet", "en", "ens"),
        _sv_forms("livskraft", "en", "ens"),
        _sv_forms("mångfald", "en", "ens"),
        _sv_forms("omställning", "en", "ens", "ar"),
        _sv_forms("landskapsförbund", "et", "ets", "en", "ens"),
        _sv_forms("välfärdsområde", "t", "ts", "n", "na", "nas"),
        _sv_forms("regionutveckling", "en", "ens"),
        _sv_forms("regionutvecklingsbeslut", "et", "ets", "en"),
        ("tki",),
        ("alke",),
    ),
    "en": (
        ("resilience",),
        ("accessibility",),
        ("biodiversity",),
        ("tki",),
        ("alke",),
    ),
}
LEXICON: Mapping[str, Mapping[str, str]] = {
    lang: {form: forms[0] for forms in paradigms for form in forms} for lang, paradigms in _TERMS.items()
}
_LEXICON_LEMMAS = frozenset(base for forms in LEXICON.values() for base in forms.values())


# --- stopwords ------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a participant types that say nothing on their own ("pitää", "tarvitaan"), on top of
# stopwords-iso; lemmas, so every inflected form goes with them.
_EXTRA_STOPWORDS: dict[str, frozenset[str]] = {
    "fi": _words(
        "pitää saada tehdä voida tarvita olla tulla täytyä kannattaa joutua esim jne mm ym yms tms ns vrt eli jotta"
    ),
    "sv": _words("bör böra måste behöva behövas kunna vara bli få göra ska skola också osv bl ex dvs mfl etc t"),
    "en": _words("need must should make get also etc eg ie would could will can may"),
}
# stopwords-iso entries that are content in this event's discussions.
_KEEP: dict[str, frozenset[str]] = {
    "fi": frozenset(),
    "sv": frozenset({"beslut"}),
    "en": _words(
        "research information state states system systems value values world young work works "
        "problem problems area areas group groups member members goods interest interests"
    ),
}


def _lang(lang: str) -> str:
    """'sv-FI' -> 'sv'; anything that is not fi/sv/en is read as Finnish, the event's main language."""
    code = lang.strip().casefold().replace("_", "-").split("-")[0]
    return code if code in LANGS else DEFAULT_LANG


def lang_code(*, lang: str) -> str:
    """fi, sv or en for any language code a phone or a row carries (see `_lang`)."""
    return _lang(lang)


@functools.cache
def _stopwords(lang: str) -> frozenset[str]:
    words = {unicodedata.normalize("NFC", w).casefold() for w in stopwordsiso.stopwords(lang)}
    return frozenset((words | _EXTRA_STOPWORDS[lang]) - _KEEP[lang])


def is_stopword(*, word: str, lang: str) -> bool:
    """True for function words and empty verbs that would crowd the cloud (case-insensitive)."""
    folded = unicodedata.normalize("NFC", word).translate(_CHAR_FIXES).strip().casefold()
    return folded in _stopwords(_lang(lang))


# --- simplemma ------------------------------------------------------------------------------

# low_memory: the same lemmas from ~80 MB instead of ~500 MB with all three dictionaries loaded.
_SIMPLEMMA = DefaultStrategy(low_memory=True)
_FI_CLITICS = ("kaan", "kään", "kin", "han", "hän")
_MINEN = re.compile(r"^(.*mi)(?:nen|s[a-zåäö]*)$")  # -minen action nouns and their cases
# Finnish endings that must never be taken for a compound's last word.
_FI_ENDINGS = _words(
    "ssa ssä sta stä lla llä lta ltä lle ksi nsa nsä mme nne tta ttä hin seen siin iden jen ten den kin "
    "kaan kään han hän ineen aan ään een iin oon uun yyn öön ansa änsä ensa ensä"
)


def _known(word: str, lang: str) -> bool:
    return _SIMPLEMMA.is_dictionary_member(word, lang)


def _simplemma_base(word: str) -> str | None:
    """`word` when simplemma's dictionary has it as a base form of its own, else None."""
    if not _known(word, "fi"):
        return None
    found = _SIMPLEMMA.get_lemma(word, "fi")
    return word if found is not None and found.casefold() == word else None


def _fi_plural(word: str) -> str | None:
    """suunnitelmat -> suunnitelma: simplemma's dictionary files a few nominative plurals as base forms."""
    return _simplemma_base(word[:-1]) if word.endswith("t") and len(word) > 4 else None


def _compound_tail(word: str, lang: str) -> str | None:
    """An unknown compound read by its longest known last part: försörjningsberedskapen -> ...beredskap."""
    for start in range(3, len(word) - 3):
        tail = word[start:]
        if tail in _FI_ENDINGS or not _known(tail, lang):
            continue
        tail_lemma = (_SIMPLEMMA.get_lemma(tail, lang) or "").casefold()
        if lang == "fi" and tail_lemma == tail:
            tail_lemma = _fi_plural(tail) or tail_lemma
        if tail_lemma.isalpha():
            return word[:start] + tail_lemma
    return None


def _short_head(word: str, guess: str) -> str | None:
    """Undo simplemma taking a short Finnish compound head for a suffix.

    simplemma's affix step drops trailing letters when the rest is a known word,
    so "luontokadon" becomes "luonto" and "tulevaisuudenusko" "tulevaisuus". When the dropped
    letters are a word of their own, the compound's lemma is the modifier plus that word's lemma.
    """
    lexicon = LEXICON["fi"]
    for size in range(3, 8):
        head, tail = word[:-size], word[-size:]
        if len(head) < 3 or tail in _FI_ENDINGS or not _known(head, "fi"):
            continue
        if tail in lexicon:
            return head + lexicon[tail]
        head_lemma = _SIMPLEMMA.get_lemma(head, "fi")
        tail_lemma = _SIMPLEMMA.get_lemma(tail, "fi") if _known(tail, "fi") else None
        if tail_lemma is None or len(tail_lemma) < 3 or not tail_lemma.isalpha():
            continue
        if head_lemma is not None and head_lemma.casefold() == guess:
            return head + tail_lemma.casefold()
    return None


def _simplemma_guess(word: str, lang: str) -> str:
    if _known(word, lang):
        found = _SIMPLEMMA.get_lemma(word, lang)
        return found.casefold() if found and _WORD.fullmatch(found) else word
    if lang == "fi":
        for clitic in _FI_CLITICS:
            bare = word[: -len(clitic)]
            if word.endswith(clitic) and len(bare) >= 3 and _known(bare, "fi"):
                return _simplemma_guess(bare, "fi")
    guess = _SIMPLEMMA.get_lemma(word, lang)
    if guess is None or not _WORD.fullmatch(guess) or guess.casefold() == word:
        # None, dictionary junk such as "toimiaa.", or an unknown word handed back as it came
        # ("varautumissuunnitelmat"): read it by its compound's last part
        return _compound_tail(word, lang) or word
    guess = guess.casefold()
    if lang == "fi" and guess != word:
        return _short_head(word, guess) or guess
    return guess


def _fi_is_verb(candidate: str) -> bool:
    """A verb's infinitive: Voikko's word class where it is in use, else simplemma's dictionary."""
    analyses = _voikko_analyses(candidate)
    if analyses:
        return any(a.get("CLASS") == "teonsana" and a.get("BASEFORM", "").casefold() == candidate for a in analyses)
    return _simplemma_base(candidate) is not None


# The nominative of the past active participle: the form of the perfect ("on heikentynyt",
# "ovat vähentyneet"), a verb in a statement. The consonant before -ut/-yt/-eet tells the verb type.
_PAST_ACTIVE = re.compile(r"^(.+?)(nn|ll|rr|ss|n)(?:ut|yt|eet)$")
_PAST_ACTIVE_INFINITIVES = {"n": ("", "d"), "nn": ("nn", "t"), "ll": ("ll",), "rr": ("rr",), "ss": ("st",)}


def _fi_participle_verb(word: str) -> str | None:
    """heikentynyt -> heikentyä, heikennyt -> heiketä, noussut -> nousta, saaneet -> saada."""
    match = _PAST_ACTIVE.match(word)
    if match is None:
        return None
    root, consonant = match.groups()
    a = "a" if _back_vowels(word) else "ä"
    for infix in _PAST_ACTIVE_INFINITIVES[consonant]:
        if _fi_is_verb(candidate := f"{root}{infix}{a}"):
            return candidate
    return None


def _geminate(stem: str) -> str:
    """The strong grade of a stem's last k/p/t: herk -> herkk (herkkä), help -> helpp (helppo)."""
    return f"{stem}{stem[-1]}" if stem[-1:] in ("k", "p", "t") else stem


def _fi_comparative_base(word: str) -> str | None:
    """The adjective of a comparative adverb, as Voikko reads it: nopeammin -> nopea, tasaisemmin -> tasainen.

    simplemma's dictionary gives such adverbs now the comparative (nopeampi), now the -sti adverb
    (vahvasti); the positive merges them with the adjective's other forms.
    """
    stem = word[:-4]
    if not word.endswith("mmin") or len(stem) < 5:  # parempi/paremmin (hyvä) stays as simplemma has it
        return None
    a = "a" if _back_vowels(stem) else "ä"
    candidates = [stem]  # nopea, selkeä, joustava
    if stem.endswith("ise"):
        candidates.append(f"{stem[:-2]}nen")  # tasaise- -> tasainen
    if stem.endswith("e"):
        base = stem[:-1]
        candidates += [f"{base}{a}", f"{base}i", f"{_geminate(base)}{a}"]  # vahva, suuri, herkkä
    if stem.endswith(("aa", "ää")):
        base = stem[:-1]
        candidates.append(f"{base[:-2]}{base[-1]}s" if base[-2:-1] == base[-3:-2] else f"{base}s")  # tehokas
    if stem.endswith("ii"):
        candidates.append(f"{stem[:-1]}s")  # tiivii- -> tiivis
    if stem[-1] in "ouyö":
        candidates.append(f"{_geminate(stem[:-1])}{stem[-1]}")  # helpo- -> helppo
    return next((c for c in candidates if _simplemma_base(c) is not None), None)


# The cases of a -minen action noun (kehittämisen, valumista, ennallistamiseen, ...).
_FI_MINEN_CASE = re.compile(
    r"^(.+mi)s(?:en|een|ess[aä]|est[aä]|ell[aä]|elt[aä]|elle|en[aä]|eksi|et|t[aä]|ten|i[aä]|iin|iss[aä]|ist[aä]|"
    r"ill[aä]|ilt[aä]|ille|in[aä]|iksi|ineen)$"
)
# -us/-ys nouns (hiilineutraalius, talous) in the cases built on the -de-/-te- stem.
_FI_US_CASE = re.compile(
    r"^(.{3,}[uy])(?:den|det|dessa|dessä|desta|destä|della|dellä|delta|deltä|delle|deksi|tta|ttä|teen|tena|tenä)$"
)


def _fi_reading(word: str, guess: str) -> str:
    """Prefer the reading a statement most likely means where simplemma's dictionary picked another.

    The same preferences as with Voikko (see `_choose`), so both backends count alike:
    "monipuolista" is the partitive of monipuolinen, not an imperative of monipuolistaa, and
    "heikentävät" the verb heikentää, not the plural of the participle heikentävä. Where simplemma
    knows only the base form, a few regular Finnish endings are undone by rule and the result
    checked against its dictionary: the perfect's participle ("on heikentynyt" -> heikentyä), the
    negative passive ("ei vahvisteta" -> vahvistaa), comparative adverbs, the -minen noun's cases
    and the -us nouns' -de-/-te- stem (hiilineutraaliuteen -> hiilineutraalius).
    """
    participle_read = guess == word or _PAST_ACTIVE.match(guess) is not None or guess.endswith(("a", "ä"))
    if participle_read and (perfect := _fi_participle_verb(word)) is not None:
        return perfect
    if guess == word and (singular := _fi_plural(word)) is not None:
        return singular
    if not _known(word, "fi") and word.endswith(("ta", "tä", "da", "dä")):
        passive = f"{word}{word[-1]}n"  # ei vahvisteta <- vahvistetaan
        verb = (_SIMPLEMMA.get_lemma(passive, "fi") or "").casefold() if _known(passive, "fi") else ""
        if verb.endswith(("a", "ä")) and verb not in (passive, word):
            return verb
    if (adjective := _fi_comparative_base(word)) is not None:
        return adjective
    minen = _FI_MINEN_CASE.match(word)
    if minen and guess.endswith(("a", "ä")) and (noun := _simplemma_base(f"{minen.group(1)}nen")) is not None:
        return noun  # valumista: valuminen, not valuma
    if match := _FI_US_CASE.match(word):  # a known -us noun, or simplemma only cut the case off the stem
        stem = match.group(1)
        # but "perustelutta" and "sormiluutta" are the abessives of the words perustelu and sormiluu
        abessive = word.endswith(("tta", "ttä")) and _simplemma_base(stem) is not None
        if _simplemma_base(f"{stem}s") is not None or (guess in (stem, stem[:-1]) and not abessive):
            return f"{stem}s"
    if word.endswith("isesti") and guess != word:  # aikataulullisesti -> aikataulullinen, as Voikko
        adjective = f"{word[:-5]}nen"
        if _known(adjective, "fi"):
            return adjective
    if word.endswith(("ista", "istä")) and guess.endswith(("staa", "stää")):
        adjective = f"{word[:-3]}nen"
        if _known(adjective, "fi"):
            return adjective
    if word.endswith(("vat", "vät")) and guess == word[:-1]:
        stem = word[:-3]
        for third_person in (f"{stem}{stem[-1:]}", stem):  # heikentää, saa
            if third_person != guess and _known(third_person, "fi"):
                verb = (_SIMPLEMMA.get_lemma(third_person, "fi") or "").casefold()
                if verb.endswith(("a", "ä")) and verb != guess:
                    return verb
    return guess


def _sv_reading(word: str, guess: str) -> str:
    """Keep a Swedish noun that simplemma's dictionary reads as a verb form.

    Its dictionary holds one lemma per form, so "oro" (worry) is filed under oroa (its
    imperative), "öst" (east) under ösa (its supine) and "inflytande" (influence) under inflyta
    (its participle). Where the word has definite forms of its own ("oron", "östen",
    "inflytandet"), it is a noun too, and statements use the noun.
    """
    verb_form = guess in (f"{word}a", f"{word[:-1]}a" if word.endswith("t") else "")  # imperative, supine
    if guess == word or not (verb_form or word.endswith(("ande", "ende"))) or is_stopword(word=word, lang="sv"):
        return guess  # "var" stays vara
    for suffix in ("en", "et", "n", "t"):
        form = f"{word}{suffix}"
        if _known(form, "sv") and (_SIMPLEMMA.get_lemma(form, "sv") or "").casefold() == word:
            return word
    return guess


def _simplemma_lemma(word: str, lang: str) -> str:
    guess = _simplemma_guess(word, lang)
    if lang == "fi":
        return _fi_reading(word, guess)
    return _sv_reading(word, guess) if lang == "sv" else guess


# --- Voikko (optional) ----------------------------------------------------------------------

_VOIKKO_LOCK = threading.Lock()  # a libvoikko handle is not thread-safe; Streamlit runs threads
_voikko_wanted = True


@functools.cache
def _voikko_handle() -> Any:
    """A Voikko instance, or None when the binding or the Finnish dictionary is missing.

    ALKEDASH_VOIKKO=0 leaves Voikko out even where it is installed.
    """
    if os.environ.get("ALKEDASH_VOIKKO", "1") == "0":
        return None
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception:  # ImportError, OSError (no libvoikko.so), VoikkoException (no voikko-fi)
        return None


def _voikko() -> Any:
    return _voikko_handle() if _voikko_wanted else None


def use_voikko(*, enabled: bool) -> bool:
    """Turn Voikko on or off (tests compare both); returns whether it is now in use."""
    global _voikko_wanted
    _voikko_wanted = enabled
    _lemma_cached.cache_clear()
    _analyse.cache_clear()
    return _voikko() is not None


def backend() -> str:
    """Which lemmatisers are in use, for logs and test output."""
    return "voikko+simplemma" if _voikko() is not None else "simplemma"


def _voikko_analyses(word: str) -> list[dict[str, str]]:
    handle = _voikko()
    if handle is None:
        return []
    with _VOIKKO_LOCK:
        found = handle.analyze(word)
    return [{str(k): str(v) for k, v in analysis.items()} for analysis in found]


_FINITE = frozenset({"indicative", "conditional", "potential"})
_NAMES = frozenset({"paikannimi", "etunimi", "sukunimi", "nimi"})


def _choose(word: str, guess: str, analyses: list[dict[str, str]]) -> str:
    """Pick one of Voikko's readings, using simplemma's guess to break ties.

    Without context a form can have several readings. Participants write statements, so a
    finite verb beats a participle ("ratkaisevat" -> ratkaista) and nothing is read as an
    imperative ("monipuolista" -> monipuolinen, not monipuolistaa).
    """
    if any(a.get("MOOD") == "MINEN-infinitive" for a in analyses):
        # Voikko returns the verb; the cloud wants the action noun (ennallistaminen)
        if guess.endswith("minen"):
            return guess
        match = _MINEN.match(word)
        return f"{match.group(1)}nen" if match else guess
    perfect = all(a.get("PARTICIPLE") == "past_active" and a.get("SIJAMUOTO") == "nimento" for a in analyses)
    if perfect and (perfect_verb := _fi_participle_verb(word)) is not None:
        return perfect_verb  # Voikko reads "noussut" only as an adjective; in "on noussut" it is the verb nousta
    if word != guess and _known(word, "fi") and all(a.get("PARTICIPLE", "").startswith("past") for a in analyses):
        return guess  # "on rakennettu": simplemma's verb
    finite = any(a.get("CLASS") == "teonsana" and a.get("MOOD") in _FINITE for a in analyses)
    verb = any(a.get("CLASS") == "teonsana" for a in analyses)
    plain_nominal = any(
        a.get("CLASS", "").startswith(("nimisana", "laatusana")) and "PARTICIPLE" not in a for a in analyses
    )
    common = any(a.get("CLASS") not in _NAMES for a in analyses)
    ranked: list[tuple[int, int, int, int, str]] = []
    for order, analysis in enumerate(analyses):
        base = analysis.get("BASEFORM", "").casefold()
        if not base:
            continue
        penalty = 0
        if analysis.get("MOOD") == "imperative":
            penalty += 1
        if finite and "PARTICIPLE" in analysis and analysis.get("CLASS") != "teonsana":
            penalty += 2
        if plain_nominal and analysis.get("MOOD") == "MA-infinitive":
            penalty += 2  # siirtymään -> siirtymä, not siirtyä
        if verb and analysis.get("PARTICIPLE") == "agent":
            penalty += 2  # harjoittelemalla -> harjoitella, not harjoittelema
        if common and analysis.get("CLASS") in _NAMES:
            penalty += 1
        ranked.append((penalty, base != guess, not _known(base, "fi"), order, base))
    return min(ranked)[-1] if ranked else guess


# --- lemmas ---------------------------------------------------------------------------------


def _lemma_word(word: str, lang: str) -> str:
    """Lemma of a casefolded word without colon endings."""
    if (hit := LEXICON[lang].get(word)) is not None:
        return hit
    if len(word) > MAX_TOKEN_CHARS or not any(ch.isalpha() for ch in word):
        return word
    if "'" in word:
        head, _, ending = word.partition("'")
        if lang == "fi" or ending in ("s", ""):  # show'ssa, region's
            return _lemma_word(head, lang) if head else word
    if "-" in word and not _known(word, lang):
        head, _, tail = word.rpartition("-")
        return f"{head}-{_lemma_word(tail, lang)}"
    guess = _simplemma_lemma(word, lang)
    if lang != "fi":
        return guess
    analyses = _voikko_analyses(word)
    return _choose(word, guess, analyses) if analyses else guess


@functools.lru_cache(maxsize=65536)
def _lemma_cached(token: str, lang: str) -> str:
    word = unicodedata.normalize("NFC", token).translate(_CHAR_FIXES).strip().casefold()
    if ":" in word:
        word = word.split(":", 1)[0]  # EU:n -> eu
    return _lemma_word(word, lang) if word else word


def lemma(*, token: str, lang: str) -> str:
    """Lower-case lemma: domain lexicon first, then simplemma (and Voikko for Finnish)."""
    return _lemma_cached(token, _lang(lang))


def _keep(surface: str, word: str, lang: str) -> bool:
    return (
        1 < len(surface) <= MAX_TOKEN_CHARS
        and len(word) > 1
        and not (is_stopword(word=surface, lang=lang) or is_stopword(word=word, lang=lang))
    )


@functools.lru_cache(maxsize=8192)
def _analyse(text: str, lang: str) -> tuple[tuple[str, str, bool], ...]:
    """(surface, lemma, sentence-initial) for each content word of one text."""
    kept: list[tuple[str, str, bool]] = []
    for surface, initial in _scan(text):
        word = _lemma_cached(surface, lang)
        if _keep(surface, word, lang):
            kept.append((surface, word, initial))
    return tuple(kept)


def content_lemmas(*, text: str, lang: str) -> list[str]:
    """Lemmas of the words that carry meaning, in text order (repeats kept)."""
    return [word for _, word, _ in _analyse(text, _lang(lang))]


# --- counting -------------------------------------------------------------------------------

_Shape = tuple[str, ...]


def _shape(surface: str) -> _Shape:
    """Casing of each hyphen part: 'upper' (TKI), 'title' (Lappi) or 'lower'."""
    core = re.split(r"[:']", surface, maxsplit=1)[0]
    shape: list[str] = []
    for part in core.split("-"):
        if len(part) > 1 and part.isupper():
            shape.append("upper")
        elif part[:1].isupper():
            shape.append("title")
        else:
            shape.append("lower")
    return tuple(shape)


def _display(word: str, shapes: Counter[_Shape]) -> str:
    """The lemma in the casing most participants used (lower case wins a tie)."""
    rank = {"lower": 0, "title": 1, "upper": 2}
    shape = min(shapes, key=lambda s: (-shapes[s], [rank[p] for p in s]))
    parts = word.split("-")
    if len(shape) != len(parts):
        shape = (shape[0],) + ("lower",) * (len(parts) - 1)
    styled = [
        part.upper() if how == "upper" else part[:1].upper() + part[1:] if how == "title" else part
        for part, how in zip(parts, shape, strict=True)
    ]
    return "-".join(styled)


def _vote(surface: str, word: str, initial: bool, lang: str) -> _Shape:
    shape = _shape(surface)
    if initial and shape[0] == "title":
        # a phone capitalises the first word; keep the capital only for a likely proper noun
        folded = surface.casefold()
        if word in _LEXICON_LEMMAS or _known(folded, lang) or not _known(folded.capitalize(), lang):
            shape = ("lower", *shape[1:])
    return shape


def word_counts(*, texts: Iterable[tuple[str, str]]) -> list[WordCount]:
    """Cloud words from (text, lang) pairs: a word counts once per text that uses it.

    Sorted by count (descending), then lemma, so the cloud does not reshuffle between refreshes.
    """
    counts: Counter[str] = Counter()
    shapes: defaultdict[str, Counter[_Shape]] = defaultdict(Counter)
    for text, raw_lang in texts:
        lang = _lang(raw_lang)
        seen: set[str] = set()
        for surface, word, initial in _analyse(text, lang):
            shapes[word][_vote(surface, word, initial, lang)] += 1
            if word not in seen:
                seen.add(word)
                counts[word] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [WordCount(lemma=word, count=n, display=_display(word, shapes[word])) for word, n in ordered]


# --- language -------------------------------------------------------------------------------

# Short words that only one of the three languages uses (so no "on", "en", "i", "men").
_MARKERS: dict[str, frozenset[str]] = {
    "fi": _words(
        "ja ei että ovat myös pitää kun tai mutta se ne olla jo niin kuin tarvitaan sekä eikä oli ole voi "
        "kanssa vain enemmän jotta koska jos vaan meidän meillä tämä nyt tulee pitäisi"
    ),
    "sv": _words(
        "och att är det som ett för med på av till inte den har kan måste bör också om vi vår våra mer "
        "behövs ska skall eller från så sig var"
    ),
    "en": _words(
        "the and of to is are for with in we our more should need needs this that it be not from by at an a "
        "must have has"
    ),
}
_DETECTOR = LanguageDetector(LANGS, lemmatization_strategy=_SIMPLEMMA)
_MIN_WORDS_FOR_DETECTION = 3


def guess_language(*, text: str, default: str = DEFAULT_LANG) -> str:
    """fi, sv or en; a short input keeps `default` unless it is clearly Swedish or English."""
    fallback = _lang(default)
    words = [surface.casefold() for surface in tokenize(text=text)]
    if not words:
        return fallback
    scores = dict.fromkeys(LANGS, 0.0)
    for word in words:
        for lang, markers in _MARKERS.items():
            if word in markers:
                scores[lang] += 1.0
    if "å" in text.casefold():
        scores["sv"] += 1.0
    if len(words) >= _MIN_WORDS_FOR_DETECTION:
        shares = _DETECTOR.proportion_in_each_language(" ".join(words))
        for lang in LANGS:
            scores[lang] += 2.0 * shares.get(lang, 0.0)
    ranked = sorted(LANGS, key=lambda lang: -scores[lang])
    best, runner_up = ranked[0], ranked[1]
    if scores[best] > 0 and scores[best] - scores[runner_up] >= 0.5:
        return best
    return fallback


def warm_up(*, langs: Iterable[str] = LANGS) -> None:
    """Load the dictionaries (seconds for Finnish) before the first participant's word arrives."""
    for lang in langs:
        _lemma_cached("alue", _lang(lang))
    _voikko()
