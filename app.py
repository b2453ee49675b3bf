"""alkedash: builds the navigation from the visitor's role and language, nothing else."""

import streamlit as st

from alkedash import translation, ui

lang = ui.lang()
_ = translation.translator(lang=lang)
st.set_page_config(page_title=_("ALKE-keskustelut"), page_icon=ui.FAVICON, layout="wide")
ui.accessible_theme(lang=lang)  # caption contrast and <html lang>; the screen page sets its own language

pages = [
    st.Page("views/join.py", title=_("Osallistu"), icon=":material/smartphone:", url_path="join", default=True),
    st.Page("views/programme.py", title=_("Ohjelma"), icon=":material/event_note:", url_path="programme"),
    st.Page("views/timeline.py", title=_("Aikajana"), icon=":material/timeline:", url_path="timeline"),
    st.Page("views/screen.py", title=_("Näyttö"), icon=":material/co_present:", url_path="screen"),
    st.Page("views/privacy.py", title=_("Tietosuoja"), icon=":material/shield:", url_path="privacy"),
    st.Page(
        "views/accessibility.py",
        title=_("Saavutettavuus"),
        icon=":material/accessibility_new:",
        url_path="accessibility",
    ),
    # Reached only by an organisation's own link (/comment?c=CODE), never listed in the navigation.
    st.Page(
        "views/comment.py",
        title=_("Muistioiden kommentointi"),
        icon=":material/rate_review:",
        url_path="comment",
        visibility="hidden",
    ),
]
staff: list[st.Page] = []
if ui.has_role("facilitator"):
    staff.append(st.Page("views/facilitate.py", title=_("Fasilitointi"), icon=":material/tune:", url_path="facilitate"))
    staff.append(st.Page("views/analysis.py", title=_("Analyysi"), icon=":material/monitoring:", url_path="analysis"))
organiser: list[st.Page] = []
if ui.has_role("organiser"):
    organiser.append(st.Page("views/events.py", title=_("Tapahtumat"), icon=":material/event:", url_path="events"))
    organiser.append(st.Page("views/memos.py", title=_("Muistiot"), icon=":material/rate_review:", url_path="memos"))
    organiser.append(
        st.Page("views/summary.py", title=_("Yhteenveto"), icon=":material/summarize:", url_path="summary")
    )
login = st.Page("views/login.py", title=_("Kirjautuminen"), icon=":material/key:", url_path="login")

if staff:  # signed in: the desk's many pages all in view, in a sidebar
    page = st.navigation([*pages, *staff, *organiser, login], position="sidebar")
else:  # a phone: a short bar at the top
    page = st.navigation([*pages, login], position="top")
if page.url_path != "screen":  # the projector's language is the facilitator's choice, made on their page
    ui.language_picker()
page.run()
