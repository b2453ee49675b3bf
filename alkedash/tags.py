"""Frame elements suggested for an idea from keyword lists in data/frame_keywords.csv.

A participant may tick the ALKE frame elements (P1…E3) an idea concerns; most will not, so
the app suggests them from the idea's words. The lists are base forms in fi/sv/en and the
idea's words are lemmatised the same way (`alkedash.language`), so "raideyhteyksiä" finds the
keyword "raideyhteys". Finnish and Swedish glue words into compounds, so a keyword also
matches a word that ends with it ("kyberturvallisuus" is a kind of "turvallisuus"), but only
keywords of `MIN_SUFFIX_CHARS` letters or more after a head of `MIN_HEAD_CHARS`, so short words
("tie", "alue") and prefixes (Swedish "o-säkerhet") do not match by accident.

Suggestions are not stored (see `models.Tag`): a better list improves old ideas too.
No Streamlit and no database here.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from alkedash import language
from alkedash.content import DATA_DIR, LANGS, load_frame

Keywords = Mapping[str, Mapping[str, frozenset[str]]]

KEYWORDS_FILE = DATA_DIR / "frame_keywords.csv"
MAX_SUGGESTIONS = 3
MIN_SUFFIX_CHARS = 5  # "alue" must not match every "suojelualue", nor "tie" every word ending in -tie
MIN_HEAD_CHARS = 3  # a compound's first part; Swedish "osäkerhet" (uncertainty) is not a "säkerhet"
# English writes compounds apart or with a hyphen; a suffix there is another word ("signature").
SUFFIX_LANGS = frozenset({"fi", "sv"})
_COLUMNS = ["element", "lang", "keyword"]


@functools.cache
def frame_keys() -> tuple[str, ...]:
    """P1…E3 in the decision's order, from data/frame.csv, the one place that defines them."""
    frame, _terms = load_frame(path=DATA_DIR / "frame.csv")
    return frame.keys


@functools.cache
def _load(path: Path, backend: str) -> Keywords:
    """Parse and lemmatise once per file and lemmatiser (tests switch Voikko on and off)."""
    del backend  # part of the cache key only
    known = frame_keys()
    found: dict[str, dict[str, set[str]]] = {lang: {} for lang in LANGS}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != _COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(_COLUMNS)}, not {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            element = (row["element"] or "").strip()
            lang = (row["lang"] or "").strip()
            keyword = unicodedata.normalize("NFC", row["keyword"] or "").strip().casefold()
            where = f"{path}, line {line} ({element},{lang},{keyword})"
            if element not in known:
                raise ValueError(f"{where}: unknown frame element {element!r}; expected one of {', '.join(known)}")
            if lang not in LANGS:
                raise ValueError(f"{where}: unknown language {lang!r}; expected one of {', '.join(LANGS)}")
            if not keyword or any(ch.isspace() for ch in keyword):
                raise ValueError(f"{where}: a keyword is one word (a base form), not empty and not a phrase")
            # The base form as written and as the lemmatiser reads it: an inflected form in an idea
            # may lemmatise to either (simplemma reads Swedish "kris" as "kria" but "kriser" as "kris").
            for form in {keyword, language.lemma(token=keyword, lang=lang)}:
                found[lang].setdefault(form, set()).add(element)
    frozen = {
        lang: MappingProxyType({form: frozenset(keys) for form, keys in forms.items()}) for lang, forms in found.items()
    }
    return MappingProxyType(frozen)


def load_keywords(*, path: Path = KEYWORDS_FILE) -> Keywords:
    """lang -> keyword lemma -> frame element keys; cached, so every idea on a screen reuses it.

    A bad row (unknown element or language, a phrase) raises ValueError naming the file and line.
    """
    return _load(path, language.backend())  # no resolve(): a file-system call per idea costs GIL hand-overs under load


def _elements_of(word: str, forms: Mapping[str, frozenset[str]], suffixes: bool) -> frozenset[str]:
    """Elements whose keyword is the word, a hyphen part of it, or (fi/sv) the end of a compound."""
    hits: set[str] = set()
    for part in {word, *word.split("-")}:
        hits |= forms.get(part, frozenset())
    if suffixes:
        # every ending of the word that leaves a head of a few letters: raide|yhteys, o|säkerhet is too short
        for start in range(MIN_HEAD_CHARS, len(word) - MIN_SUFFIX_CHARS + 1):
            hits |= forms.get(word[start:], frozenset())
    return frozenset(hits)


def suggest(*, text: str, lang: str, keywords: Keywords) -> tuple[str, ...]:
    """At most three frame elements for an idea, the most-hit ones, listed in frame order.

    Each content word counts once per element it matches; a tie goes to the element earlier in
    the frame, so the same text always gets the same suggestion.
    """
    code = language.lang_code(lang=lang)
    forms = keywords.get(code, {})
    if not forms:
        return ()
    hits: Counter[str] = Counter()
    for word in language.content_lemmas(text=text, lang=code):
        hits.update(_elements_of(word, forms, code in SUFFIX_LANGS))
    order = {key: n for n, key in enumerate(frame_keys())}
    ranked = sorted(hits, key=lambda key: (-hits[key], order.get(key, len(order))))
    return tuple(sorted(ranked[:MAX_SUGGESTIONS], key=lambda key: order.get(key, len(order))))
