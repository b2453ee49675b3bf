"""The fi / sv / en catalogues: every string of the code translated, dates and numbers per locale."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from alkedash import translation
from alkedash.translation import translator

ROOT = Path(__file__).resolve().parent.parent


def test_every_string_of_the_code_has_a_swedish_and_an_english_translation() -> None:
    gaps = translation.gaps(root=ROOT)
    assert not gaps, (
        "\n".join(f"{g.lang}: {g.why}: {g.msgid!r}" for g in gaps) + "\n(run `make messages`, then translate)"
    )


@pytest.fixture()
def copy_of_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The project's sources and catalogues in a temporary folder, to add a string to."""
    for name in ("app.py", "babel.cfg"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("views", "alkedash"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path / "alkedash" / "locale")
    translation.catalogue.cache_clear()
    yield tmp_path
    translation.catalogue.cache_clear()


@pytest.mark.parametrize(
    ("added", "why"),
    [
        ('_("Uusi painike, jota kukaan ei kääntänyt")\n', "not translated"),
        ('_.ngettext("{n} uusi rivi", "{n} uutta riviä", 2)\n', "not translated"),
        ("label = f\"{_('Piilossa f-merkkijonossa')}\"\n", "a translation call inside an f-string"),
    ],
)
def test_a_string_added_without_translation_is_found(copy_of_the_code: Path, added: str, why: str) -> None:
    with (copy_of_the_code / "views" / "join.py").open("a", encoding="utf-8") as f:
        f.write(added)
    gaps = translation.gaps(root=copy_of_the_code)
    assert gaps and all(g.why == why for g in gaps), gaps
    if why == "not translated":
        assert {g.lang for g in gaps} == {"sv", "en"}


def test_a_translation_with_other_placeholders_is_found(copy_of_the_code: Path) -> None:
    po = copy_of_the_code / "alkedash" / "locale" / "sv" / "LC_MESSAGES" / "alkedash.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Vänta {seconds} s", "Vänta {sekunder} s"), encoding="utf-8")
    gaps = translation.gaps(root=copy_of_the_code)
    assert [g.why.split(":")[0] for g in gaps] == ["other placeholders"] * len(gaps) and gaps


@pytest.mark.parametrize(
    ("lang", "votes_1", "votes_3"),
    [("fi", "1 peukku", "3 peukkua"), ("sv", "1 röst", "3 röster"), ("en", "1 upvote", "3 upvotes")],
)
def test_counts_take_the_languages_own_plural(lang: str, votes_1: str, votes_3: str) -> None:
    _ = translator(lang=lang)
    assert [_.ngettext("{n} peukku", "{n} peukkua", n) for n in (1, 3)] == [votes_1, votes_3]


@pytest.mark.parametrize(
    ("lang", "long_date", "number", "clock"),
    [
        ("fi", "20. maaliskuuta 2025", "1 234,5", "9.05"),
        ("sv", "20 mars 2025", "1 234,5", "09:05"),
        ("en", "20 March 2025", "1,234.5", "09:05"),
    ],
)
def test_dates_times_and_numbers_are_written_as_each_language_writes_them(
    lang: str, long_date: str, number: str, clock: str
) -> None:
    _ = translator(lang=lang)
    assert _.date(date(2025, 3, 20)) == long_date
    assert _.number(1234.5, digits=1).replace("\u00a0", " ").replace("\u202f", " ") == number
    assert _.time(datetime(2025, 3, 20, 9, 5)) == clock


@pytest.mark.parametrize("lang", ["fi", "xx", ""])
def test_finnish_and_unknown_languages_show_the_source_text(lang: str) -> None:
    assert translator(lang=lang)("Kirjoita vastaus ennen lähettämistä.") == "Kirjoita vastaus ennen lähettämistä."


def test_a_catalogue_without_its_compiled_file_is_compiled_in_memory(
    copy_of_the_code: Path,
) -> None:
    assert not list((copy_of_the_code / "alkedash" / "locale").rglob("*.mo"))
    assert translation.gettext(lang="en", text="Kirjoita vastaus ennen lähettämistä.") == (
        "Please write an answer before sending."
    )
