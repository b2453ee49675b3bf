"""The timeline page: the series of the URL's event, the other one a choice away, the figure with its
table, and links to the programmes of the series' events; in Finnish, Swedish and English."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from alkedash import series


def spec(at) -> dict:  # type: ignore[no-untyped-def, type-arg]
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("lang", "title", "series_2025", "series_2023", "columns"),
    [
        (
            "fi",
            "Aikajana",
            "Aluekehittämisen keskustelut 2025",
            "Valtioneuvoston aluekehittämispäätöksen valmistelu 2023",
            ["Ajankohta", "Vaihe", "Laji", "Paikka", "Tila", "Lisätietoja"],
        ),
        (
            "sv",
            "Tidslinje",
            "Diskussionerna om regionutveckling 2025",
            "Beredningen av statsrådets regionutvecklingsbeslut 2023",
            ["Tidpunkt", "Skede", "Typ", "Plats", "Status", "Mer information"],
        ),
        (
            "en",
            "Timeline",
            "Regional development discussions 2025",
            "Preparing the Government regional development decision, 2023",
            ["Date", "Milestone", "Kind", "Place", "Status", "More information"],
        ),
    ],
)
def test_the_page_shows_the_events_series_and_switches_to_the_other(  # type: ignore[no-untyped-def]
    app, lang: str, title: str, series_2025: str, series_2023: str, columns: list[str]
) -> None:
    at = app(page="views/timeline.py", code="ALKE25", lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    assert at.header[0].value == series_2025  # the series of the URL's event
    (choice,) = at.selectbox
    assert choice.options == [series_2025, series_2023]  # both shipped series, the latest first
    table = at.dataframe[0].value
    assert list(table.columns) == columns and len(table) == 7
    assert "20.–21.3." in json.dumps(spec(at), ensure_ascii=False) or lang != "fi"

    choice.select_index(1).run()
    assert not at.exception
    assert at.header[0].value == series_2023
    table = at.dataframe[0].value
    assert len(table) == 8
    assert "Mikkeli" in set(table[columns[3]])
    assert "Lahti" in set(table[columns[3]])


def test_the_chart_marks_today_and_the_caption_explains_tentative_dates(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", lang="en")
    figure = spec(at)
    today = [a for a in figure["layout"]["annotations"] if a.get("name") == "today"]
    assert len(today) == 1 and "Today" in today[0]["text"]
    assert any("tbc" in c.value for c in at.caption)
    assert len(at.expander) == 1  # the table beside the chart


def test_the_series_event_links_to_its_programme(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", lang="sv")
    assert at.subheader[0].value == "Seriens evenemang"
    (link,) = at.get("page_link")
    assert link.proto.label == "Öppna programmet"
    assert link.proto.page.endswith("programme")
    assert "code=ALKE25" in link.proto.query_string and "lang=sv" in link.proto.query_string
    at.selectbox[0].select_index(1).run()  # the 2023 decision has no event stored
    assert not at.get("page_link") and not at.subheader


def test_a_series_named_in_the_url_is_shown_first(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", series="alke-paatos-2023", lang="fi")
    assert at.header[0].value == "Valtioneuvoston aluekehittämispäätöksen valmistelu 2023"


def test_an_organisers_edit_shows_on_the_page(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", lang="fi")  # the first run seeds the series
    moved = next(
        m for m in series.milestones(engine=app.engine, series="alke-keskustelut-2025") if m.key == "kommentointi-vn"
    )
    series.update_milestone(
        engine=app.engine,
        series="alke-keskustelut-2025",
        key="kommentointi-vn",
        milestone=moved.model_copy(update={"place": "Kuopio"}),
    )
    at.run()
    assert "Kuopio" in set(at.dataframe[0].value["Paikka"])


# --- the organiser's edits ----------------------------------------------------------------------


def test_a_visitor_sees_no_editing(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", lang="fi")
    assert not at.get("form") and "Muokkaa aikajanaa" not in [s.value for s in at.subheader]


def fill_new(at, *, starts: dt.date, ends: dt.date | None) -> None:  # type: ignore[no-untyped-def]
    at.text_input[0].input("tyopaja-5")
    for box, text in zip(at.text_input[1:4], ["Työpaja V", "Workshop V", "Workshop V"], strict=True):
        box.input(text)
    at.date_input[0].set_value(starts)
    at.date_input[1].set_value(ends)
    at.text_input[4].input("Oulu")


def test_an_organiser_adds_a_milestone_and_sees_it_on_the_timeline(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", series="alke-paatos-2023", role="organiser", lang="fi")
    assert "Muokkaa aikajanaa" in [s.value for s in at.subheader]
    fill_new(at, starts=dt.date(2023, 12, 12), ends=None)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("Työpaja V tallennettu" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert len(table) == 9 and "Oulu" in set(table["Paikka"])
    stored = {m.key: m for m in series.milestones(engine=app.engine, series="alke-paatos-2023")}
    assert stored["tyopaja-5"].starts == dt.date(2023, 12, 12) and stored["tyopaja-5"].tentative


def test_a_milestone_ending_before_it_starts_is_refused_with_the_field_named(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", series="alke-paatos-2023", role="organiser", lang="en")
    fill_new(at, starts=dt.date(2023, 12, 12), ends=dt.date(2023, 12, 10))
    at.button[0].click().run()
    assert not at.exception
    (error,) = at.error
    assert error.value == "The milestone was not saved:\n- the last day is before the first day"
    assert len(at.dataframe[0].value) == 8  # nothing written


def test_an_organiser_edits_and_removes_a_milestone(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", role="organiser", lang="sv")
    pick = next(s for s in at.selectbox if s.label == "Skede att redigera")
    pick.select_index(1).run()  # the first milestone: the theme choice
    assert at.text_input[0].value == "teemojen-valinta"
    at.text_input[4].input("Helsingfors")  # its place
    next(b for b in at.button if b.label == "Spara skedet").click().run()
    assert not at.exception
    first = series.milestones(engine=app.engine, series="alke-keskustelut-2025")[0]
    assert (first.key, first.place) == ("teemojen-valinta", "Helsingfors")

    next(s for s in at.selectbox if s.label == "Skede att redigera").select_index(1).run()
    at.checkbox[-1].check()
    next(b for b in at.button if b.label == "Ta bort skedet").click().run()
    assert not at.exception
    assert "teemojen-valinta" not in {
        m.key for m in series.milestones(engine=app.engine, series="alke-keskustelut-2025")
    }
    assert len(at.dataframe[0].value) == 6


def test_an_organiser_creates_a_new_series_and_the_page_shows_it(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/timeline.py", code="ALKE25", role="organiser", lang="fi")
    at.radio[-1].set_value("").run()  # "Uusi sarja"
    series_box = at.text_input[-4:]  # the series form: id, then the title in three languages
    series_box[0].input("alke-2027")
    for box, text in zip(series_box[1:], ("ALKE 2027", "ALKE 2027 sv", "ALKE 2027 en"), strict=True):
        box.input(text)
    at.button[-1].click().run()
    assert not at.exception
    assert "Sarja ALKE 2027 tallennettu." in [s.value for s in at.success]
    assert at.header[0].value == "ALKE 2027"
    stored = series.by_slug(engine=app.engine, slug="alke-2027")
    assert stored is not None and stored.title("en") == "ALKE 2027 en"
