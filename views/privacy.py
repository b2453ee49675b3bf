"""The privacy notice, in the participant's language: what is stored, what is not, and why."""

import streamlit as st

from alkedash import ui

ui.css(
    ".block-container {max-width: 40rem;} h1 {font-size: 1.7rem !important; hyphens: auto; overflow-wrap: anywhere;}"
    ' [data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) {display: none;}'
)
cat = ui.catalogue()
lang = ui.lang()
event = ui.event_from_url()
name = cat.ministry_name(code=event.event.organiser if event is not None else "TEM", lang=lang)

st.title(ui.t("privacy_title"))
st.markdown(ui.t("privacy_body", organiser=ui.plain(name)))
contact = ui.settings().contact_email
if contact:
    st.markdown(ui.t("privacy_contact", contact=ui.plain(contact)))
