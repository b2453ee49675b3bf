"""Timeline: a series' preparation and events on a date axis, today marked, with its table and
links to the programmes of its events."""

import datetime as dt

import streamlit as st
from babel.dates import format_interval

from alkedash import series, timeline, translation, ui
from alkedash.content import EVENT_ZONE

engine = ui.engine()
lang = ui.lang()
_ = translation.translator(lang=lang)
ui.css(
    "h1 {hyphens: auto; overflow-wrap: anywhere;} .st-key-series-description p {font-size: 1.15rem; max-width: 60rem;}"
)

st.title(_("Aikajana"))
found = series.all_series(engine=engine)
if not found:
    st.info(_("Sarjoja ei ole vielä tallennettu."))
    st.stop()

slugs = [s.slug for s in found]
titles = {s.slug: s.title(lang) for s in found}
event = ui.event_from_url()
# The series the URL names (?series=…), else that of the URL's event, else the newest.
wanted = ui.query_param("series") or (event.event.series if event is not None else None)
choice = st.selectbox(
    _("Sarja"),
    options=slugs,
    index=slugs.index(wanted) if wanted in slugs else 0,
    format_func=titles.__getitem__,
    key="timeline-series",
    width=640,
)
info = next(s for s in found if s.slug == choice)

st.header(info.title(lang))
if info.description:
    with st.container(key="series-description"):
        st.markdown(info.description(lang))
items = series.milestones(engine=engine, series=info.slug)
if any(m.tentative for m in items):
    st.caption(_("Alustava ajankohta näkyy katkonaisena palkkina tai onttona merkkinä ja sanana ”alustava”."))

plan = timeline.Plan(info=info, milestones=tuple(items))
today = dt.datetime.now(EVENT_ZONE).date()
ui.chart_with_table(
    figure=timeline.figure(plans=[plan], lang=lang, today=today),
    table=timeline.table(plans=[plan], lang=lang),
    key=f"timeline-{info.slug}",
    csv_name=_.pgettext("file name", "{series}-aikajana", series=info.slug),
)

linked = series.events_of(engine=engine, series=info.slug)
if linked:
    st.subheader(_("Sarjan tapahtumat"))
    for e in linked:
        with st.container(border=True):
            st.markdown(f"**{ui.plain(e.event.name(lang) if e.event.name else e.slug)}**")
            dates = format_interval(e.event.starts, e.event.ends, "yMMMd", locale=_.locale)
            st.caption(f"{dates} · {ui.plain(e.event.venue(lang))}, {ui.plain(e.event.city)}")
            st.page_link(
                "views/programme.py",
                label=_("Avaa ohjelma"),
                icon=":material/event_note:",
                query_params={"code": e.event.join_code, "lang": lang},
            )
