"""Facilitator sign-in: a password from the environment or .streamlit/secrets.toml."""

import streamlit as st

from alkedash import ui

st.title("Fasilitaattorin kirjautuminen")
if ui.has_role("facilitator"):
    st.success("Olet kirjautunut fasilitaattorina.")
    st.page_link("views/facilitate.py", label="Siirry fasilitointiin", icon=":material/tune:")
    if st.button("Kirjaudu ulos"):
        ui.log_out()
        st.rerun()
    st.stop()

if ui.settings().facilitator_password is None:
    st.warning(
        "Fasilitaattorin salasanaa ei ole asetettu. Aseta ympäristömuuttuja `ALKEDASH_FACILITATOR_PASSWORD` "
        "tai `facilitator_password` tiedostoon `.streamlit/secrets.toml` (`make run` luo sen)."
    )
    st.stop()

with st.form("login"):
    password = st.text_input("Salasana", type="password")
    if st.form_submit_button("Kirjaudu", type="primary"):
        if ui.log_in(role="facilitator", password=password):
            st.rerun()
        else:
            st.error("Väärä salasana.")
