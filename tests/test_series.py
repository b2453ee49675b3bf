"""Series and milestones: the data/series files, seeding them once, reading them, organisers' edits."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alkedash import events, series
from alkedash.content import DATA_DIR, Catalogue, ContentError, Text
from alkedash.models import Milestone

SHIPPED = ["alke-keskustelut-2025", "alke-paatos-2023"]
D = dt.date


def shipped(slug: str) -> series.SeriesFile:
    return next(f for f in series.load_all() if f.series.slug == slug)


def step(slug: str, key: str) -> series.MilestoneInfo:
    return next(m for m in shipped(slug).milestones if m.key == key)


# --- the shipped files --------------------------------------------------------------------------


def test_both_shipped_series_load() -> None:
    assert sorted(f.series.slug for f in series.load_all()) == SHIPPED


@pytest.mark.parametrize(
    ("slug", "key", "starts", "ends", "place"),
    [
        # Seed 002 ("Keskeisiä päivämääriä", tbc)
        ("alke-paatos-2023", "tyopaja-1", D(2023, 8, 23), D(2023, 8, 24), None),
        ("alke-paatos-2023", "tyopaja-2", D(2023, 9, 21), None, "Mikkeli"),
        ("alke-paatos-2023", "tilannekuva-webinaari", D(2023, 10, 31), None, None),
        ("alke-paatos-2023", "tyopaja-3", D(2023, 11, 1), None, "Helsinki"),
        ("alke-paatos-2023", "tyopaja-4", D(2023, 11, 22), D(2023, 11, 23), "Lahti"),
        # Seed 000: the event itself
        ("alke-keskustelut-2025", "alke-2025", D(2025, 3, 20), D(2025, 3, 21), "Helsinki"),
    ],
)
def test_the_shipped_milestones_have_the_seeds_dates_and_places(
    slug: str, key: str, starts: dt.date, ends: dt.date | None, place: str | None
) -> None:
    m = step(slug, key)
    assert (m.starts, m.ends, m.place) == (starts, ends, place)


@pytest.mark.parametrize(
    ("slug", "key", "month"),
    [
        ("alke-paatos-2023", "kuulemiskierros", (2023, 10)),  # "Lokakuu: kuulemiskierros (lausuntopalvelussa)"
        ("alke-paatos-2023", "aune-kasittely", (2023, 12)),  # "Joulukuu: AUNE käsittelee ALKE-päätöksen"
        ("alke-paatos-2023", "vn-kasittely", (2024, 1)),  # "VN-käsittely tammikuussa"
    ],
)
def test_a_month_without_a_day_in_the_seed_is_a_tentative_span_within_that_month(
    slug: str, key: str, month: tuple[int, int]
) -> None:
    m = step(slug, key)
    assert m.tentative and m.is_span
    assert (m.starts.year, m.starts.month) == month == (m.last_day.year, m.last_day.month)


def test_every_2023_date_is_tentative_as_the_seed_says_tbc() -> None:
    assert all(m.tentative for m in shipped("alke-paatos-2023").milestones)


def test_the_2025_preparation_runs_from_the_theme_choice_to_the_event() -> None:
    steps = shipped("alke-keskustelut-2025").milestones
    kinds = [m.kind for m in steps]
    for kind in ("theme_choice", "memo_drafting", "comment_round", "event"):
        assert kind in kinds
    assert steps[0].kind == "theme_choice" and steps[0].starts.year == 2024 and steps[0].starts.month >= 9
    assert steps[-1].event == "alke-2025" and not steps[-1].tentative
    assert all(m.tentative for m in steps if m.kind != "event")  # the seed gives no dates for them
    assert all(m.last_day <= steps[-1].starts for m in steps[:-1])  # all before the event


def test_every_shipped_event_names_a_shipped_series(catalogue: Catalogue) -> None:
    slugs = {f.series.slug for f in series.load_all()}
    assert {e.event.series for e in catalogue.events} <= slugs


def test_every_kind_has_a_label_in_three_languages() -> None:
    kinds = series.MilestoneInfo.model_fields["kind"].annotation.__args__  # type: ignore[union-attr]
    assert set(kinds) == set(series.KINDS)


# --- a file with a mistake ----------------------------------------------------------------------


GOOD = """
[series]
slug = "testisarja"
title = { fi = "Sarja", sv = "Serie", en = "Series" }

[[milestones]]
key = "eka"
kind = "workshop"
starts = 2023-08-23
title = { fi = "Työpaja", sv = "Workshop", en = "Workshop" }

[[milestones]]
key = "toka"
kind = "webinar"
starts = 2023-09-21
ends = 2023-09-22
title = { fi = "Webinaari", sv = "Webbinarium", en = "Webinar" }
"""


def write(tmp_path: Path, text: str, name: str = "testisarja.toml") -> Path:
    folder = tmp_path / "series"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (GOOD.replace('kind = "webinar"', 'kind = "party"'), "milestones[2] (key = 'toka').kind"),
        (GOOD.replace("ends = 2023-09-22", "ends = 2023-09-20"), "milestones[2] (key = 'toka'): Value error, ends"),
        (GOOD.replace('sv = "Webbinarium", ', ""), "milestones[2] (key = 'toka').title.sv: Field required"),
        (GOOD.replace('key = "toka"', 'key = "eka"'), "milestone keys must be unique"),
        (GOOD.replace('slug = "testisarja"', 'slug = "ei kelpaa"'), "series.slug"),
        (GOOD.replace('key = "eka"', f'key = "eka"\nplace = "{"x" * 81}"'), "milestones[1] (key = 'eka').place"),
        (GOOD.replace('key = "eka"', 'key = "eka"\ncolour = "red"'), "milestones[1] (key = 'eka').colour"),
        (GOOD.split("[[milestones]]")[0], "milestones: Field required"),
        (GOOD.replace("starts = 2023-08-23", "starts = 23.8.2023"), "not valid TOML"),
    ],
    ids=["kind", "ends", "title", "keys", "slug", "place", "unknown-field", "no-milestones", "toml"],
)
def test_a_broken_file_is_named_with_the_field_that_is_wrong(tmp_path: Path, broken: str, expected: str) -> None:
    path = write(tmp_path, broken)
    with pytest.raises(ContentError) as exc:
        series.load_all(data_dir=tmp_path)
    assert str(path) in str(exc.value)
    assert expected in str(exc.value), str(exc.value)


def test_two_files_with_one_slug_are_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(ContentError, match="share the series slug"):
        series.load_all(data_dir=tmp_path)


def test_no_series_folder_means_no_series(tmp_path: Path) -> None:
    assert series.load_all(data_dir=tmp_path) == ()


# --- the store ----------------------------------------------------------------------------------


def count(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Milestone)) or 0)


def test_seeding_copies_each_series_once(engine: Engine) -> None:
    assert sorted(series.seed(engine=engine)) == SHIPPED
    assert count(engine) == sum(len(f.milestones) for f in series.load_all())
    assert series.seed(engine=engine) == []  # a second start adds nothing
    assert count(engine) == sum(len(f.milestones) for f in series.load_all())


def test_seeding_never_overwrites_an_organisers_edit(engine: Engine) -> None:
    series.seed(engine=engine)
    moved = step("alke-paatos-2023", "tyopaja-2").model_copy(update={"starts": D(2023, 9, 28), "tentative": False})
    series.update_milestone(engine=engine, series="alke-paatos-2023", key="tyopaja-2", milestone=moved)
    series.remove_milestone(engine=engine, series="alke-paatos-2023", key="vn-kasittely")
    series.seed(engine=engine)
    stored = {m.key: m for m in series.milestones(engine=engine, series="alke-paatos-2023")}
    assert stored["tyopaja-2"].starts == D(2023, 9, 28) and not stored["tyopaja-2"].tentative
    assert "vn-kasittely" not in stored  # not put back either


def test_a_series_seeded_by_another_process_meanwhile_is_no_error(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def raced(**_: Any) -> bool:
        raise IntegrityError("INSERT INTO series", {}, Exception("UNIQUE constraint failed: series.slug"))

    monkeypatch.setattr(series, "transaction", raced)
    assert series.seed(engine=engine) == []


def test_a_new_file_is_seeded_beside_the_stored_series(engine: Engine, tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR / "series", tmp_path / "series")
    series.seed(engine=engine, data_dir=tmp_path)
    write(tmp_path, GOOD)
    assert series.seed(engine=engine, data_dir=tmp_path) == ["testisarja"]


def test_the_readers_give_titles_in_three_languages_and_milestones_in_time_order(engine: Engine) -> None:
    series.seed(engine=engine)
    found = series.all_series(engine=engine)
    assert [s.slug for s in found] == SHIPPED  # the latest first
    assert found[0].title("sv") == "Diskussionerna om regionutveckling 2025"
    assert found[1].description is not None and "AUNE" in found[1].description("en")
    steps = series.milestones(engine=engine, series="alke-paatos-2023")
    assert steps == list(shipped("alke-paatos-2023").milestones)  # stored and read back unchanged
    assert [m.starts for m in steps] == sorted(m.starts for m in steps)
    assert steps[1].title("en") == "Workshop II (broad)"
    assert series.by_slug(engine=engine, slug="alke-paatos-2023") == found[1]
    assert series.by_slug(engine=engine, slug="nope") is None
    assert series.milestones(engine=engine, series="nope") == []


def test_a_series_lists_the_stored_events_its_milestones_link(engine: Engine, catalogue: Catalogue) -> None:
    series.seed(engine=engine)
    assert series.events_of(engine=engine, series="alke-keskustelut-2025") == []  # not stored yet
    events.seed(engine=engine, catalogue=catalogue)
    assert [e.slug for e in series.events_of(engine=engine, series="alke-keskustelut-2025")] == ["alke-2025"]
    assert series.events_of(engine=engine, series="alke-paatos-2023") == []


# --- organisers' edits --------------------------------------------------------------------------


def form(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "key": "tyopaja-5",
        "kind": "workshop",
        "title": {"fi": "Työpaja V", "sv": "Workshop V", "en": "Workshop V"},
        "starts": "2023-12-12",
        "place": "Oulu",
    }
    return {**raw, **changes}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ends": "2023-12-11"}, "ends must not be before starts"),
        ({"kind": "juhlat"}, "kind: Input should be"),
        ({"title": {"fi": "Työpaja V", "sv": "Workshop V", "en": " "}}, "title.en"),
        ({"title": {"fi": "Työpaja V"}}, "title.sv: Field required"),
        ({"starts": "ensi viikolla"}, "starts"),
        ({"key": ""}, "key"),
    ],
)
def test_a_milestone_from_the_form_is_checked_and_named(changes: dict[str, object], expected: str) -> None:
    with pytest.raises(ContentError) as exc:
        series.parse_milestone(raw=form(**changes), source="lomake")
    assert str(exc.value).startswith("lomake: ")
    assert expected in str(exc.value), str(exc.value)


def test_an_organiser_adds_edits_and_removes_a_milestone(engine: Engine) -> None:
    series.seed(engine=engine)
    new = series.parse_milestone(raw=form(), source="lomake")
    series.add_milestone(engine=engine, series="alke-paatos-2023", milestone=new)
    with pytest.raises(series.MilestoneExists):
        series.add_milestone(engine=engine, series="alke-paatos-2023", milestone=new)
    renamed = new.model_copy(update={"key": "tyopaja-v", "title": Text(fi="Työpaja V (laaja)", sv="W", en="W")})
    series.update_milestone(engine=engine, series="alke-paatos-2023", key="tyopaja-5", milestone=renamed)
    stored = {m.key: m for m in series.milestones(engine=engine, series="alke-paatos-2023")}
    assert "tyopaja-5" not in stored and stored["tyopaja-v"].title("fi") == "Työpaja V (laaja)"
    with pytest.raises(series.MilestoneExists):  # renaming onto another milestone's key
        series.update_milestone(
            engine=engine,
            series="alke-paatos-2023",
            key="tyopaja-v",
            milestone=renamed.model_copy(update={"key": "tyopaja-2"}),
        )
    assert series.remove_milestone(engine=engine, series="alke-paatos-2023", key="tyopaja-v")
    assert not series.remove_milestone(engine=engine, series="alke-paatos-2023", key="tyopaja-v")


@pytest.mark.parametrize("where", ["series", "key"])
def test_an_edit_of_something_not_stored_says_what_is_missing(engine: Engine, where: str) -> None:
    series.seed(engine=engine)
    new = series.parse_milestone(raw=form(), source="lomake")
    with pytest.raises(ContentError, match=where):
        if where == "series":
            series.add_milestone(engine=engine, series="ei-ole", milestone=new)
        else:
            series.update_milestone(engine=engine, series="alke-paatos-2023", key="ei-ole", milestone=new)


def from_form(**changes: Any) -> series.MilestoneInfo:
    fields: dict[str, Any] = {
        "key": " tyopaja-5 ",
        "kind": "workshop",
        "title": {"fi": "Työpaja V ", "sv": "Workshop V", "en": "Workshop V"},
        "starts": D(2023, 12, 12),
        "ends": None,
        "place": "  ",
        "note": {"fi": "", "sv": "", "en": ""},
        "tentative": True,
        "event": None,
        "source": "Lomake",
    }
    return series.milestone_from_form(**{**fields, **changes})


def test_the_forms_blank_fields_are_none_and_its_text_trimmed() -> None:
    m = from_form()
    assert (m.key, m.title("fi"), m.place, m.note, m.ends, m.event) == (
        "tyopaja-5",
        "Työpaja V",
        None,
        None,
        None,
        None,
    )
    assert from_form(ends=D(2023, 12, 12)).ends is None  # one day, not a span
    assert from_form(ends=D(2023, 12, 13), event="alke-2025").is_span


def test_a_note_in_one_language_only_is_refused_by_name() -> None:
    with pytest.raises(ContentError, match=r"note\.sv"):
        from_form(note={"fi": "Klo 9–12", "sv": "", "en": ""})


def test_an_organiser_creates_a_series_and_renames_it(engine: Engine) -> None:
    texts = {"fi": "ALKE-keskustelut 2027", "sv": "ALKE-diskussionerna 2027", "en": "ALKE discussions 2027"}
    new = series.series_from_form(slug="alke-2027", title=texts, description=dict.fromkeys(texts, " "), source="lomake")
    assert new.description is None  # three blank descriptions are none
    series.save_series(engine=engine, info=new, new=True)
    with pytest.raises(series.SeriesExists):
        series.save_series(engine=engine, info=new, new=True)
    renamed = new.model_copy(update={"title": Text(fi="ALKE 2027", sv="ALKE 2027", en="ALKE 2027")})
    series.save_series(engine=engine, info=renamed, new=False)
    stored = series.by_slug(engine=engine, slug="alke-2027")
    assert stored is not None and stored.title("fi") == "ALKE 2027"
    assert series.milestones(engine=engine, series="alke-2027") == []


@pytest.mark.parametrize(
    ("slug", "title", "expected"),
    [
        ("uusi sarja", {"fi": "A", "sv": "B", "en": "C"}, "slug"),
        ("uusi", {"fi": "A", "sv": "", "en": "C"}, "title.sv"),
    ],
)
def test_a_series_form_with_a_wrong_field_names_it(slug: str, title: dict[str, str], expected: str) -> None:
    with pytest.raises(ContentError, match=expected):
        series.series_from_form(slug=slug, title=title, description={}, source="lomake")
