"""Sign-in for facilitators and organisers: one password field; the password says which role."""

import math

import streamlit as st

from alkedash import ui

st.title("Kirjautuminen")
signed_in = ui.role()
if signed_in:
    st.success(f"Olet kirjautunut {ui.ROLE_NAMES[signed_in]}.")
    st.page_link("views/facilitate.py", label="Siirry fasilitointiin", icon=":material/tune:")
    if ui.has_role("organiser"):
        st.page_link("views/summary.py", label="Yhteenveto ja lataukset", icon=":material/summarize:")
    if st.button("Kirjaudu ulos"):
        ui.log_out()
        st.rerun()
    st.stop()

if not any(ui.stored_passwords().values()):
    st.warning(
        "Salasanoja ei ole asetettu. Aseta ympäristömuuttujat `ALKEDASH_FACILITATOR_PASSWORD` ja "
        "`ALKEDASH_ORGANISER_PASSWORD` tai `facilitator_password` ja `organiser_password` tiedostoon "
        "`.streamlit/secrets.toml` (`make run` luo sen)."
    )
    st.stop()

st.caption("Fasilitaattorin salasana avaa fasilitoinnin ja analyysin; järjestäjän salasana lisäksi yhteenvedon.")
with st.form("login"):
    password = st.text_input("Salasana", type="password")
    if st.form_submit_button("Kirjaudu", type="primary"):
        found, wait = ui.log_in(password=password)
        if found:
            st.rerun()
        elif wait:
            st.error(f"Liian monta väärää yritystä. Yritä uudelleen {math.ceil(wait / 60)} minuutin kuluttua.")
        else:
            st.error("Väärä salasana.")
