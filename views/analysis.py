"""Analysis (facilitators, organisers): every chart of the day under one set of filters."""

import dataclasses
import functools

import streamlit as st

from alkedash import analysis, charts, tables, tags, translation, ui
from alkedash.content import CHANNELS, MAP_ATTRIBUTION, ORG_TYPES, load_region_shapes

ui.require_role("facilitator")
engine = ui.engine()
cat = ui.catalogue()
event = ui.require_event()
LANG = ui.lang()
_ = translation.translator(lang=LANG)
NOT_GIVEN = charts.not_given_label(_)  # the same words as in the tables under the charts
themes = {t.id: f"{t.id}: {t.title(LANG)}" if t.title else t.id for t in event.themes}
regions = {r.code: r.name(LANG) for r in cat.regions}

st.title(_("Analyysi"))
st.caption(
    _(
        "Kaikki kaaviot noudattavat alla olevia rajauksia. Piilotetut (moderoidut) vastaukset eivät ole mukana. "
        "Jokaisen kaavion tiedot ovat taulukkona sen alla, ja taulukon voi ladata CSV-tiedostona."
    )
)

with st.container(border=True):
    c1, c2 = st.columns(2)
    picked_themes = c1.multiselect(
        _("Teema"),
        options=list(themes),
        format_func=themes.__getitem__,
        placeholder=_("Kaikki teemat"),
        key="f-theme",
    )
    questions = {
        q.id: f"{t.id} · {q.prompt(LANG)}"
        for t in event.themes
        if not picked_themes or t.id in picked_themes
        for q in t.questions
    }
    picked_questions = c2.multiselect(
        _("Kysymys"),
        options=list(questions),
        format_func=questions.__getitem__,
        placeholder=_("Kaikki kysymykset"),
        key="f-question",
    )
    c3, c4, c5 = st.columns([1, 2, 2])
    picked_channels = c3.pills(
        _("Kanava"),
        options=[c for c, _text in CHANNELS],
        format_func=lambda c: dict(CHANNELS)[c](LANG),
        selection_mode="multi",
        key="f-channel",
    )
    picked_regions = c4.multiselect(
        _("Maakunta"),
        options=[*regions, analysis.NOT_GIVEN],
        format_func=lambda r: regions.get(r, NOT_GIVEN),
        placeholder=_("Kaikki maakunnat"),
        key="f-region",
    )
    picked_orgs = c5.multiselect(
        _("Organisaation tyyppi"),
        options=[*(o for o, _text in ORG_TYPES), analysis.NOT_GIVEN],
        format_func=lambda o: dict(ORG_TYPES)[o](LANG) if o in dict(ORG_TYPES) else NOT_GIVEN,
        placeholder=_("Kaikki organisaatiotyypit"),
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
m1.metric(_("Vastauksia"), _.number(total["inputs"]))
m2.metric(_("Vastanneita osallistujia"), _.number(total["participants"]))
m3.metric(_("Ideoita"), _.number(total["ideas"]))
if not total["inputs"]:
    st.info(_("Näillä rajauksilla ei ole vastauksia."))
    st.stop()


table = functools.partial(charts.labelled_table, lang=LANG)
chart_with_table = functools.partial(ui.chart_with_table, table_label=_("Taulukko"))
MEASURES = {"participants": _("Vastanneet osallistujat"), "inputs": _("Vastaukset")}


st.header(_("Maakunnat"), divider="gray")
measure = st.segmented_control(
    _("Kartalla"),
    options=list(MEASURES),
    format_func=MEASURES.__getitem__,
    default="participants",
    key="map-measure",
)
by_region = analysis.by_region(engine=engine, filters=filters, regions=list(regions))
silent = [regions[r] for r, n in zip(by_region["region"], by_region["inputs"], strict=True) if r in regions and not n]
chart_with_table(
    figure=charts.region_map(
        data=by_region, geojson=load_region_shapes(), measure=measure or "participants", lang=LANG
    ),
    table=table(data=by_region, regions=regions),
    key="map",
    csv_name=_.pgettext("file name", "maakunnat"),
)
st.caption(MAP_ATTRIBUTION(LANG))
if silent:
    st.markdown(_("**Ei vastauksia näillä rajauksilla:** {regions}", regions=", ".join(silent)))

st.header(_("Sali ja striimi"), divider="gray")
shares = analysis.by_channel(engine=engine, filters=filters)
chart_with_table(
    figure=charts.channel_share_figure(data=shares, themes=list(shares["theme_id"].unique()), lang=LANG),
    table=table(data=shares, themes=themes),
    key="shares",
    csv_name=_.pgettext("file name", "sali-ja-striimi"),
)
rated = analysis.ratings(engine=engine, filters=filters)
for theme in event.themes:
    sub = rated[rated["theme_id"] == theme.id]
    if sub.empty:
        continue
    st.subheader(_("Arviot: {theme}", theme=themes[theme.id]))
    elements = tuple(k for k in cat.frame.keys if k in set(sub["element"]))
    chart_with_table(
        figure=charts.rating_figure(data=sub, frame=cat.frame, elements=elements, lang=LANG, height=420, font_size=14),
        table=table(data=sub, themes=themes, frame=cat.frame),
        key=f"ratings-{theme.id}",
        csv_name=_.pgettext("file name", "arviot-{theme}", theme=theme.id),
    )
words = analysis.distinctive_words(engine=engine, filters=filters)
st.subheader(_("Sanat, joita toinen kanava käyttää selvästi enemmän"))
st.caption(
    _(
        "Sana on mukana, kun sen osuus toisen kanavan teksteistä on tilastollisesti selvästi suurempi "
        "(log-vetosuhde, |z| ≥ {z}). Satunnaiset erot pienissä määrissä eivät näy.",
        z=_.number(1.96, digits=2),
    )
)
if words.empty:
    st.markdown(_("Salin ja striimin sanoissa ei ole selviä eroja näillä rajauksilla."))
for theme in event.themes:
    sub = words[words["theme_id"] == theme.id]
    if sub.empty:
        continue
    st.markdown(f"**{themes[theme.id]}**")
    chart_with_table(
        figure=charts.distinctive_figure(data=sub, lang=LANG),
        table=table(data=sub, themes=themes),
        key=f"words-{theme.id}",
        csv_name=_.pgettext("file name", "sanaerot-{theme}", theme=theme.id),
    )

st.header(_("Idearyhmät"), divider="gray")
st.caption(_("Kunkin teeman ideat ryhmiteltyinä yhteisten sanojen mukaan; sama aineisto antaa aina samat ryhmät."))
for theme in event.themes:
    if filters.themes and theme.id not in filters.themes:
        continue
    ideas = analysis.ideas(engine=engine, filters=dataclasses.replace(filters, themes=(theme.id,)))
    if not ideas:
        continue
    groups = analysis.idea_groups(ideas=ideas)
    title = _.ngettext("{theme} · {n} idea", "{theme} · {n} ideaa", len(ideas), theme=themes[theme.id])
    with st.expander(title, expanded=len(filters.themes) == 1):
        ui.idea_group_list(groups=groups, ideas=ideas, key=f"groups-{theme.id}")
        group_table = analysis.group_table(groups=groups, ideas=ideas)
        ui.csv_download(
            table=group_table.rename(columns=lambda c: tables.COLUMNS[c](LANG) if c in tables.COLUMNS else c),
            name=_.pgettext("file name", "idearyhmat-{theme}", theme=theme.id),
            key=f"csv-groups-{theme.id}",
            label=_("Lataa ryhmät CSV-tiedostona"),
        )

st.header(_("Teemat ja ALKE-kehys"), divider="gray")
matrix = analysis.frame_matrix(engine=engine, filters=filters, elements=cat.frame.keys, keywords=tags.load_keywords())
HEAT = {
    "mean_rating": _("Arvioiden keskiarvo"),
    "tagged": _("Osallistujien merkinnät"),
    "suggested": _("Avainsanojen ehdotukset"),
}
heat = st.segmented_control(
    _("Lämpökartta"),
    options=list(HEAT),
    format_func=HEAT.__getitem__,
    default="mean_rating",
    key="heat-measure",
)
chart_with_table(
    figure=charts.heatmap_figure(data=matrix, measure=heat or "mean_rating", themes=themes, frame=cat.frame, lang=LANG),
    table=table(data=matrix, themes=themes, frame=cat.frame),
    key="heatmap",
    csv_name=_.pgettext("file name", "teemat-ja-kehys"),
)

st.header(_("Vastaukset minuuteittain"), divider="gray")
timeline = analysis.per_minute(engine=engine, filters=filters)
chart_with_table(
    figure=charts.timeline_figure(data=timeline, lang=LANG),
    table=table(data=timeline),
    key="timeline",
    csv_name=_.pgettext("file name", "aikajana"),
)
