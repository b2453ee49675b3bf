"""The word filter: does a text contain a swear word or a slur from `data/blocked_words.csv`?

A hit never refuses or deletes: intake stores the input as held, and it waits for a facilitator
like every input in pre-moderation. So a false hit costs a facilitator one tap, and a miss is
still one tap away from hidden. Matching is on whole words, case-folded and NFKC-normalised
(full-width and ligature look-alikes fold to their letters); each row says whether it matches the
whole word, its start (inflections and compounds) or any part of it.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from alkedash.content import DATA_DIR, LANGS

BLOCKLIST_FILE = DATA_DIR / "blocked_words.csv"
MATCHES = ("word", "prefix", "part")
_COLUMNS = ["lang", "term", "match"]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Terms:
    """One language's terms, arranged so a word is checked with a few set look-ups."""

    words: frozenset[str]
    prefixes: frozenset[str]
    prefix_lengths: tuple[int, ...]
    parts: tuple[str, ...]

    def hit(self, word: str) -> bool:
        if word in self.words:
            return True
        if any(word[:n] in self.prefixes for n in self.prefix_lengths if n <= len(word)):
            return True
        return any(part in word for part in self.parts)


def fold(*, text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _terms(rows: Iterable[tuple[str, str]]) -> Terms:
    by: dict[str, set[str]] = {m: set() for m in MATCHES}
    for term, match in rows:
        by[match].add(term)
    return Terms(
        words=frozenset(by["word"]),
        prefixes=frozenset(by["prefix"]),
        prefix_lengths=tuple(sorted({len(p) for p in by["prefix"]})),
        parts=tuple(sorted(by["part"])),
    )


@functools.cache
def load_blocklist(*, path: Path = BLOCKLIST_FILE) -> dict[str, Terms]:
    """lang -> its terms (the `*` rows included in every language); a bad row names file and line."""
    rows: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGS}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != _COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(_COLUMNS)}, not {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            lang, match = (row["lang"] or "").strip(), (row["match"] or "").strip()
            term = fold(text=(row["term"] or "").strip())
            where = f"{path}, line {line}"
            if lang != "*" and lang not in LANGS:
                raise ValueError(f"{where}: unknown language {lang!r}; expected *, {', '.join(LANGS)}")
            if match not in MATCHES:
                raise ValueError(f"{where}: unknown match {match!r}; expected one of {', '.join(MATCHES)}")
            if _WORD.fullmatch(term) is None:
                raise ValueError(f"{where}: a term is one word of letters, not {term!r}")
            for each in LANGS if lang == "*" else (lang,):
                rows[each].append((term, match))
    return {lang: _terms(found) for lang, found in rows.items()}


def flagged_langs(*, text: str, blocklist: dict[str, Terms]) -> frozenset[str]:
    """The participant languages in which this text has a blocked word (usually none).

    Intake asks before it knows the participant's language, so it gets all of them at once."""
    words = set(_WORD.findall(fold(text=text)))
    return frozenset(lang for lang, terms in blocklist.items() if any(terms.hit(w) for w in words))
