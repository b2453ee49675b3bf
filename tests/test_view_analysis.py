from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alkedash import analysis, demo
from alkedash.analysis import Filters
from alkedash.content import Catalogue, Event
from tests.conftest import still_finnish

VIEWS = Path(__file__).resolve().parent.parent / "views"


def test_without_the_role_the_analysis_page_is_not_in_the_navigation(app) -> None:  # type: ignore[no-untyped-def]
    at = app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/analysis.py")


def test_run_directly_without_the_role_the_analysis_page_refuses(app) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(str(VIEWS / "analysis.py"), default_timeout=30).run()
    assert "vain fasilitaattoreille" in at.error[0].value
    assert not at.title and not at.metric


def test_before_any_input_the_page_says_so_instead_of_drawing_empty_charts(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/analysis.py", role="facilitator", code="ALKE25")
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    assert at.info[0].value == "Näillä rajauksilla ei ole vastauksia."


def _metrics(at: AppTest) -> list[int]:
    """The headline numbers, read past the locale's digit grouping (1 234, 1,234)."""
    return [int("".join(ch for ch in m.value if ch.isdigit())) for m in at.metric]


def test_every_filter_changes_the_headline_to_the_databases_own_count(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=15)
    at = app(page="views/analysis.py", role="facilitator", code="ALKE25")
    assert not at.exception
    assert at.title[0].value == "Analyysi"
    expected = analysis.totals(engine=app.engine, filters=Filters(event=event.slug))
    assert _metrics(at) == [expected["inputs"], expected["participants"], expected["ideas"]]
    steps = [
        ("f-theme", ["T2"], {"themes": ("T2",)}),
        ("f-question", ["T2-idea"], {"themes": ("T2",), "questions": ("T2-idea",)}),
        ("f-channel", ["stream"], {"themes": ("T2",), "questions": ("T2-idea",), "channels": ("stream",)}),
    ]
    for key, value, kwargs in steps:
        widget = at.multiselect(key) if key != "f-channel" else at.button_group(key)
        widget.set_value(value).run()
        assert not at.exception
        want = analysis.totals(engine=app.engine, filters=Filters(event=event.slug, **kwargs))  # type: ignore[arg-type]
        assert _metrics(at) == [want["inputs"], want["participants"], want["ideas"]], key
    assert 0 < _metrics(at)[0] < expected["inputs"]


def test_each_chart_has_its_table_and_a_csv_of_that_table(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=12)
    at = app(page="views/analysis.py", role="facilitator", code="ALKE25")
    assert not at.exception
    charts = at.get("plotly_chart")
    tables = at.dataframe
    assert len(charts) >= 6
    assert len(tables) == len(charts)
    region_table = tables[0].value
    assert list(region_table.columns) == ["Maakunta", "Osallistujia", "Vastauksia"]
    assert len(region_table) == len(catalogue.regions) + 1
    assert "Aluerajat: Maanmittauslaitos" in " ".join(c.value for c in at.caption)


def _legend_title(at: AppTest, index: int) -> str:
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return str(spec["layout"]["legend"]["title"]["text"])


def test_the_map_can_show_inputs_instead_of_participants(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=8)
    at = app(page="views/analysis.py", role="facilitator", code="ALKE25")
    assert _legend_title(at, 0) == "Osallistujia"
    at.button_group("map-measure").set_value("inputs").run()
    assert not at.exception
    assert _legend_title(at, 0) == "Vastauksia"


@pytest.mark.parametrize(("measure", "colourbar"), [("tagged", "Osuus (%)"), ("suggested", "Osuus (%)")])
def test_the_heatmap_switches_between_ratings_ticks_and_suggestions(
    app, catalogue: Catalogue, event: Event, measure: str, colourbar: str
) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=8)
    at = app(page="views/analysis.py", role="facilitator", code="ALKE25")
    at.button_group("heat-measure").set_value(measure).run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = next(spec for spec in specs if spec["data"] and spec["data"][0].get("type") == "heatmap")
    assert heat["data"][0]["colorbar"]["title"]["text"] == colourbar


def finnish_left(at: AppTest, *, lang: str) -> list[str]:
    """Rendered UI texts that are still a Finnish source string the catalogue translates otherwise."""
    shown = [
        *(e.value for e in (*at.title, *at.header, *at.subheader, *at.caption, *at.info, *at.markdown)),
        *(e.label for e in (*at.metric, *at.expander, *at.multiselect, *at.button_group)),
        *(e.placeholder for e in at.multiselect),
        *(option for group in at.button_group for option in group.options),
        *(e.proto.label for e in at.get("download_button")),
    ]
    return still_finnish(shown, lang=lang)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", {"title": "Analys", "none": "Det finns inga svar med dessa avgränsningar.",
                "metrics": ["Svar", "Deltagare som svarat", "Idéer"],
                "filters": ["Tema", "Fråga", "Landskap", "Organisationstyp"],
                "headers": ["Landskap", "Salen och strömningen", "Idégrupper",
                            "Teman och ramen för regionutvecklingsbeslutet", "Svar per minut"],
                "map": "På kartan", "groups": "Ladda ned grupperna som CSV-fil"}),
        ("en", {"title": "Analysis", "none": "There are no inputs with these filters.",
                "metrics": ["Inputs", "Participants who answered", "Ideas"],
                "filters": ["Theme", "Question", "Region", "Organisation type"],
                "headers": ["Regions", "Room and stream", "Idea groups",
                            "Themes and the regional development decision frame", "Inputs per minute"],
                "map": "On the map", "groups": "Download the groups as a CSV file"}),
    ],
)  # fmt: skip
def test_the_analysis_page_speaks_swedish_and_english(  # type: ignore[no-untyped-def]
    app, catalogue: Catalogue, event: Event, lang: str, words: dict[str, object]
) -> None:
    at = app(page="views/analysis.py", role="facilitator", code="ALKE25", lang=lang)
    assert not at.exception
    assert at.title[0].value == words["title"]
    assert at.info[0].value == words["none"]
    assert not finnish_left(at, lang=lang)
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=12)
    at.run()
    assert not at.exception
    assert [m.label for m in at.metric] == words["metrics"]
    assert [m.label for m in at.multiselect] == words["filters"]
    assert [h.value for h in at.header] == words["headers"]
    assert at.button_group("map-measure").label == words["map"]
    assert words["groups"] in [d.proto.label for d in at.get("download_button")]
    theme = event.themes[0]
    assert theme.title is not None and theme.title(lang) in at.multiselect("f-theme").options[0]
    assert any(theme.title(lang) in e.label for e in at.expander)  # "T1: … · 9 idéer"
    region = catalogue.regions[0].name(lang)
    assert region in list(at.dataframe[0].value.iloc[:, 0])  # the map's table names regions in that language
    assert not finnish_left(at, lang=lang)
