"""Programme: the ALKE frame, the three themes with their contents and memos, and the agenda."""

import html
from datetime import datetime

import pandas as pd
import streamlit as st
from babel.dates import format_interval

from alkedash import comments, translation, ui
from alkedash.content import FRAME_GROUPS, GROUP_TITLES, MEMO_SECTIONS

cat = ui.catalogue()
lang = ui.lang()
t = ui.translator(lang=lang)
_ = translation.translator(lang=lang)
event = ui.require_event()
info = event.event
ui.css(
    ".frame-card {border-left: 6px solid #00508A; padding: .4rem .8rem; margin-bottom: .5rem; font-size: 1.15rem;"
    " overflow-wrap: anywhere; hyphens: auto;}"
    ' [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #4a4a4a; opacity: 1;}'
    ' [data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) {display: none;}'
)


st.title(info.name(lang) if info.name else event.slug)
# One span as each language writes it: 20.–21. maaliskuuta 2025, 20–21 mars 2025, 20–21 Mar 2025.
dates = format_interval(info.starts, info.ends, "yMMMMd", locale=_.locale)
st.caption(t("venue", venue=info.venue(lang), city=info.city, dates=dates, max=_.number(info.room_capacity)))

st.header(t("frame"))
st.caption(cat.frame.decision(lang))
for col, group in zip(st.columns(3), FRAME_GROUPS, strict=True):
    col.subheader(GROUP_TITLES[group](lang))
    for element in cat.frame.by_group(group):
        col.html(f'<div class="frame-card">{html.escape(element.title(lang))}</div>')

st.header(t("themes"))
ministries = {m.code: m.name(lang) for m in cat.ministries}
memo_status = comments.memo_statuses(engine=ui.engine(), event=event)  # the organiser's moves, else the set-up's
for n, theme in enumerate(event.themes, start=1):
    with st.container(border=True):
        st.subheader(f"{n}. {theme.title(lang) if theme.title else theme.id}")
        owners = ", ".join(ministries.get(o, o) for o in theme.owner)
        st.caption(_("Vastuuministeriö: {ministries}", ministries=owners))
        st.markdown(f"**{t('contents')}**")
        st.markdown("\n".join(f"- {item}" for item in theme.contents(lang)))
        with st.expander(_("Taustamuistio ({status})", status=t("memo_" + memo_status[theme.id]))):
            for field, title in MEMO_SECTIONS:
                st.markdown(f"#### {title(lang)}")
                st.markdown(getattr(theme.memo, field)(lang))

if event.agenda:
    st.header(t("agenda"))
    titles = {th.id: th.title(lang) for th in event.themes if th.title}
    for day in event.days:
        st.subheader(_.date(day, form="full"))
        rows = [
            {
                t("time"): _(
                    "{start}–{end}",
                    start=_.time(datetime.combine(day, item.start)),
                    end=_.time(datetime.combine(day, item.end)),
                ),
                t("item"): item.title(lang) + (f" ({titles[item.theme]})" if item.theme in titles else ""),
                t("note"): item.note(lang) if item.note else "",
            }
            for item in event.agenda
            if item.day == day
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
