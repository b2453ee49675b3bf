"""Analysis (facilitators, organisers): every chart of the day under one set of filters."""

import dataclasses
import functools

import streamlit as st

from alkedash import analysis, charts, tags, ui
from alkedash.content import CHANNELS, MAP_ATTRIBUTION, ORG_TYPES, load_region_shapes

ui.require_role("facilitator")
engine = ui.engine()
cat = ui.catalogue()
event = ui.require_event()
LANG = "fi"
themes = {t.id: f"{t.id}: {t.title(LANG)}" if t.title else t.id for t in event.themes}
regions = {r.code: r.name(LANG) for r in cat.regions}

st.title("Analyysi")
st.caption(
    "Kaikki kaaviot noudattavat alla olevia rajauksia. Piilotetut (moderoidut) vastaukset eivät ole mukana. "
    "Jokaisen kaavion tiedot ovat taulukkona sen alla, ja taulukon voi ladata CSV-tiedostona."
)

with st.container(border=True):
    c1, c2 = st.columns(2)
    picked_themes = c1.multiselect(
        "Teema", options=list(themes), format_func=themes.__getitem__, placeholder="Kaikki teemat", key="f-theme"
    )
    questions = {
        q.id: f"{t.id} · {q.prompt(LANG)}"
        for t in event.themes
        if not picked_themes or t.id in picked_themes
        for q in t.questions
    }
    picked_questions = c2.multiselect(
        "Kysymys", options=list(questions), format_func=questions.__getitem__, placeholder="Kaikki", key="f-question"
    )
    c3, c4, c5 = st.columns([1, 2, 2])
    picked_channels = c3.pills(
        "Kanava",
        options=[c for c, _ in CHANNELS],
        format_func=lambda c: dict(CHANNELS)[c](LANG),
        selection_mode="multi",
        key="f-channel",
    )
    picked_regions = c4.multiselect(
        "Maakunta",
        options=[*regions, analysis.NOT_GIVEN],
        format_func=lambda r: regions.get(r, "Ei kerrottu"),
        placeholder="Kaikki maakunnat",
        key="f-region",
    )
    picked_orgs = c5.multiselect(
        "Organisaation tyyppi",
        options=[*(o for o, _ in ORG_TYPES), analysis.NOT_GIVEN],
        format_func=lambda o: dict(ORG_TYPES)[o](LANG) if o in dict(ORG_TYPES) else "Ei kerrottu",
        placeholder="Kaikki",
        key="f-org",
    )

filters = analysis.Filters(
    event=event.slug,
    themes=tuple(picked_themes),
    questions=tuple(q for q in picked_questions if q in questions),
    channels=tuple(picked_channels or ()),
    regions=tuple(picked_regions),
    org_types=tuple(picked_orgs),
)
total = analysis.totals(engine=engine, filters=filters)
m1, m2, m3 = st.columns(3)
m1.metric("Vastauksia", total["inputs"])
m2.metric("Vastanneita osallistujia", total["participants"])
m3.metric("Ideoita", total["ideas"])
if not total["inputs"]:
    st.info("Näillä rajauksilla ei ole vastauksia.")
    st.stop()


table = functools.partial(charts.labelled_table, lang=LANG)


st.header("Maakunnat", divider="gray")
measure = st.segmented_control(
    "Kartalla",
    options=["participants", "inputs"],
    format_func=lambda m: "Vastanneet osallistujat" if m == "participants" else "Vastaukset",
    default="participants",
    key="map-measure",
)
by_region = analysis.by_region(engine=engine, filters=filters, regions=list(regions))
silent = [regions[r] for r, n in zip(by_region["region"], by_region["inputs"], strict=True) if r in regions and not n]
ui.chart_with_table(
    figure=charts.region_map(
        data=by_region, geojson=load_region_shapes(), measure=measure or "participants", lang=LANG
    ),
    table=table(data=by_region, regions=regions),
    key="map",
    csv_name="maakunnat",
)
st.caption(MAP_ATTRIBUTION(LANG))
if silent:
    st.markdown("**Ei vastauksia näillä rajauksilla:** " + ", ".join(silent))

st.header("Sali ja striimi", divider="gray")
shares = analysis.by_channel(engine=engine, filters=filters)
ui.chart_with_table(
    figure=charts.channel_share_figure(data=shares, themes=list(shares["theme_id"].unique()), lang=LANG),
    table=table(data=shares, themes=themes),
    key="shares",
    csv_name="sali-ja-striimi",
)
rated = analysis.ratings(engine=engine, filters=filters)
for theme in event.themes:
    sub = rated[rated["theme_id"] == theme.id]
    if sub.empty:
        continue
    st.subheader(f"Arviot: {themes[theme.id]}")
    elements = tuple(k for k in cat.frame.keys if k in set(sub["element"]))
    ui.chart_with_table(
        figure=charts.rating_figure(data=sub, frame=cat.frame, elements=elements, lang=LANG, height=420, font_size=14),
        table=table(data=sub, themes=themes, frame=cat.frame),
        key=f"ratings-{theme.id}",
        csv_name=f"arviot-{theme.id}",
    )
words = analysis.distinctive_words(engine=engine, filters=filters)
st.subheader("Sanat, joita toinen kanava käyttää selvästi enemmän")
st.caption(
    "Sana on mukana, kun sen osuus toisen kanavan teksteistä on tilastollisesti selvästi suurempi "
    "(log-vetosuhde, |z| ≥ 1,96). Satunnaiset erot pienissä määrissä eivät näy."
)
if words.empty:
    st.markdown("Salin ja striimin sanoissa ei ole selviä eroja näillä rajauksilla.")
for theme in event.themes:
    sub = words[words["theme_id"] == theme.id]
    if sub.empty:
        continue
    st.markdown(f"**{themes[theme.id]}**")
    ui.chart_with_table(
        figure=charts.distinctive_figure(data=sub, lang=LANG),
        table=table(data=sub, themes=themes),
        key=f"words-{theme.id}",
        csv_name=f"sanaerot-{theme.id}",
    )

st.header("Idearyhmät", divider="gray")
st.caption("Kunkin teeman ideat ryhmiteltyinä yhteisten sanojen mukaan; sama aineisto antaa aina samat ryhmät.")
for theme in event.themes:
    if filters.themes and theme.id not in filters.themes:
        continue
    ideas = analysis.ideas(engine=engine, filters=dataclasses.replace(filters, themes=(theme.id,)))
    if not ideas:
        continue
    groups = analysis.idea_groups(ideas=ideas)
    with st.expander(f"{themes[theme.id]} · {len(ideas)} ideaa", expanded=len(filters.themes) == 1):
        ui.idea_group_list(groups=groups, ideas=ideas, key=f"groups-{theme.id}")
        ui.csv_download(
            table=analysis.group_table(groups=groups, ideas=ideas),
            name=f"idearyhmat-{theme.id}",
            key=f"csv-groups-{theme.id}",
            label="Lataa ryhmät CSV-tiedostona",
        )

st.header("Teemat ja ALKE-kehys", divider="gray")
matrix = analysis.frame_matrix(engine=engine, filters=filters, elements=cat.frame.keys, keywords=tags.load_keywords())
heat = st.segmented_control(
    "Lämpökartta",
    options=["mean_rating", "tagged", "suggested"],
    format_func={
        "mean_rating": "Arvioiden keskiarvo",
        "tagged": "Osallistujien merkinnät",
        "suggested": "Avainsanojen ehdotukset",
    }.__getitem__,
    default="mean_rating",
    key="heat-measure",
)
ui.chart_with_table(
    figure=charts.heatmap_figure(data=matrix, measure=heat or "mean_rating", themes=themes, frame=cat.frame, lang=LANG),
    table=table(data=matrix, themes=themes, frame=cat.frame),
    key="heatmap",
    csv_name="teemat-ja-kehys",
)

st.header("Vastaukset minuuteittain", divider="gray")
timeline = analysis.per_minute(engine=engine, filters=filters)
ui.chart_with_table(
    figure=charts.timeline_figure(data=timeline, lang=LANG),
    table=table(data=timeline),
    key="timeline",
    csv_name="aikajana",
)
