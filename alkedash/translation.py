"""The interface in Finnish, Swedish and English through gettext catalogues (Babel).

Finnish is the source language: the code is written with Finnish `msgid`s, and
`alkedash/locale/{sv,en}/LC_MESSAGES/alkedash.po` hold the Swedish and English. `make install`
compiles them to `.mo` (`pybabel compile`); a plain checkout whose `.mo` is missing or older than
its `.po` compiles the catalogue in memory instead, so a stale file never shows old wording.
`make messages` extracts the strings again (Babel's keywords: `_`, `N_`, `ngettext`, `pgettext`) and
updates the catalogues; tests/test_translation.py fails when a string lacks a translation.

Event content (frame, themes, memos, questions) is not here: it is written in all three languages
in data/ (alkedash.content.Text). A participant's own text is never translated.
"""

from __future__ import annotations

import functools
import gettext as gnu
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGS = ("fi", "sv", "en")
SOURCE_LANG = "fi"
DOMAIN = "alkedash"
LOCALE_DIR = Path(__file__).with_name("locale")
# Babel locales for dates and numbers: Swedish as written in Finland, British English.
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}  # each in its own language


def N_(text: str) -> str:
    return text


def po_path(*, lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalogue(*, lang: str) -> gnu.NullTranslations:
    """The compiled catalogue of one language; Finnish and unknown languages get the source text."""
    if lang not in LANGS or lang == SOURCE_LANG:
        return gnu.NullTranslations()
    po = po_path(lang=lang)
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return gnu.GNUTranslations(f)
    with po.open("rb") as f:
        messages = read_po(f, locale=LOCALES[lang], domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, messages)
    buf.seek(0)
    return gnu.GNUTranslations(buf)


@dataclass(frozen=True)
class Translator:
    """One language's strings and formats, handed to a page once per run.

    Used as `_ = translation.translator(lang=lang)`; `_("Teksti")`, `_.ngettext("{n} vastaus",
    "{n} vastausta", n)` and `_.pgettext("context", "Teksti")` are what `make messages` extracts
    (Babel's own keywords, plus `N_` for a string marked where it is defined and translated later)."""

    lang: str

    def __call__(self, text: str, /, **params: object) -> str:
        found = catalogue(lang=self.lang).gettext(text)
        return found.format(**params) if params else found

    def ngettext(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        found = catalogue(lang=self.lang).ngettext(singular, plural, count)
        return found.format(n=count, **params)

    def pgettext(self, context: str, text: str, /, **params: object) -> str:
        found = catalogue(lang=self.lang).pgettext(context, text)
        return found.format(**params) if params else found

    @property
    def locale(self) -> str:
        return LOCALES.get(self.lang, LOCALES[SOURCE_LANG])

    def number(self, value: float, /, *, digits: int = 0) -> str:
        """1 234,5 in Finnish and Swedish, 1,234.5 in English."""
        fmt = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=fmt, locale=self.locale)

    def percent(self, share: float, /) -> str:
        return format_percent(share, locale=self.locale)

    def date(self, day: date, /, *, form: str = "long") -> str:
        """20. maaliskuuta 2025 / 20 mars 2025 / 20 March 2025 (form "short": 20.3.2025, 20/03/2025)."""
        return format_date(day, format=form, locale=self.locale)

    def moment(self, when: datetime, /, *, form: str = "short") -> str:
        """A date with its time, e.g. in a log or a download's name."""
        return format_datetime(when, format=form, locale=self.locale)

    def time(self, moment: datetime, /) -> str:
        return format_time(moment, format="short", locale=self.locale)


@functools.cache
def translator(*, lang: str) -> Translator:
    return Translator(lang=lang if lang in LANGS else SOURCE_LANG)


def gettext(*, lang: str, text: str) -> str:
    """One string in one language, for code that has no translator at hand."""
    return catalogue(lang=lang).gettext(text)


@dataclass(frozen=True)
class Gap:
    """A string of the code that a catalogue does not translate (or translates with other placeholders)."""

    lang: str
    msgid: str
    why: str


def gaps(*, root: Path, langs: tuple[str, ...] = ("sv", "en")) -> list[Gap]:
    """Every string extracted from the code under `root` (babel.cfg) that a catalogue lacks, leaves
    empty or fuzzy, or translates with other `{placeholders}`; and entries no code uses any more."""
    import re

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)  # type: ignore[no-untyped-call]
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        root, method_map=method_map, options_map=options_map
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.add((context, text) if context else text)
    fields = re.compile(r"\{(\w*)")
    out: list[Gap] = []
    for lang in langs:
        with po_path(lang=lang).open("rb") as f:
            catalog = read_po(f, locale=LOCALES[lang])
        have: dict[str | tuple[str, str], str] = {}
        for m in catalog:
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strs = m.string if isinstance(m.string, tuple) else (m.string,)
            for i, s in zip(ids, strs, strict=False):
                key: str | tuple[str, str] = (m.context, str(i)) if m.context else str(i)
                have[key] = "" if m.fuzzy else str(s or "")
        for key in sorted(found, key=str):
            text = key[1] if isinstance(key, tuple) else key
            if not have.get(key):
                out.append(Gap(lang=lang, msgid=text, why="not translated"))
            elif set(fields.findall(text)) != set(fields.findall(have[key])):
                out.append(Gap(lang=lang, msgid=text, why=f"other placeholders: {have[key]!r}"))
        out += [Gap(lang=lang, msgid=str(k), why="no longer in the code") for k in have if k not in found]
    return out + hidden_calls(root=root)


KEYWORDS = {"_", "N_", "gettext", "ngettext", "pgettext"}


def hidden_calls(*, root: Path) -> list[Gap]:
    """Translation calls inside an f-string: Babel's extraction (Python 3.11) cannot see them, so
    their text would silently stay Finnish."""
    import ast

    out = []
    for path in [root / "app.py", *sorted((root / "views").glob("*.py")), *sorted((root / "alkedash").glob("*.py"))]:
        if not path.is_file():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
                func = call.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in KEYWORDS:
                    where = f"{path.relative_to(root)}:{call.lineno}"
                    out.append(Gap(lang="*", msgid=where, why="a translation call inside an f-string"))
    return out
