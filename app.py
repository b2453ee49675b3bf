"""alkedash: builds the navigation from the visitor's role, nothing else."""

import streamlit as st

from alkedash import ui

st.set_page_config(page_title="ALKE-keskustelut", page_icon=ui.FAVICON, layout="wide")

pages = [
    st.Page("views/join.py", title="Osallistu", icon=":material/smartphone:", url_path="join", default=True),
    st.Page("views/programme.py", title="Ohjelma", icon=":material/event_note:", url_path="programme"),
    st.Page("views/screen.py", title="Näyttö", icon=":material/co_present:", url_path="screen"),
    st.Page("views/privacy.py", title="Tietosuoja", icon=":material/shield:", url_path="privacy"),
]
if ui.has_role("facilitator"):
    pages.append(st.Page("views/facilitate.py", title="Fasilitointi", icon=":material/tune:", url_path="facilitate"))
    pages.append(st.Page("views/analysis.py", title="Analyysi", icon=":material/monitoring:", url_path="analysis"))
if ui.has_role("organiser"):
    pages.append(st.Page("views/summary.py", title="Yhteenveto", icon=":material/summarize:", url_path="summary"))
pages.append(st.Page("views/login.py", title="Kirjautuminen", icon=":material/key:", url_path="login"))

st.navigation(pages, position="top").run()
