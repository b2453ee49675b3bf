"""Sign-in for facilitators and organisers: one password field, and the password says which role; or,
where it is configured, the organisation's single sign-on, and the e-mail address says which role."""

import math
import re

import streamlit as st

from alkedash import translation, ui


def address(*, email: str) -> str:
    """An e-mail address as markdown shown as given: in a code span, fenced by more backticks than it
    holds, on one line (a blank line would end the span). Escaping alone is not enough, for Streamlit
    still turns an address into a link."""
    email = " ".join(email.split())
    longest = max((len(run) for run in re.findall(r"`+", email)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {email} {fence}" if longest else f"{fence}{email}{fence}"


lang = ui.lang()
_ = translation.translator(lang=lang)

st.title(_("Kirjautuminen"))
signed_in = ui.role()
sso_user = ui.sso_user()
if signed_in:
    st.success(_(ui.SIGNED_IN[signed_in]))
    if sso_user is not None and sso_user.email:
        st.caption(_("Organisaation tunnus: {address}", address=address(email=sso_user.email)))
    st.page_link("views/facilitate.py", label=_("Siirry fasilitointiin"), icon=":material/tune:")
    if ui.has_role("organiser"):
        st.page_link("views/summary.py", label=_("Yhteenveto ja lataukset"), icon=":material/summarize:")
    if st.button(_("Kirjaudu ulos")):
        ui.log_out()
    st.stop()

sso = ui.sso_configured()
if sso_user is not None:  # signed in through single sign-on, but no list names the address
    who = address(email=sso_user.email) if sso_user.email else _("(tunnuksesta ei saatu sähköpostiosoitetta)")
    lines = [_("Olet kirjautunut tunnuksella {who}, mutta sinulla ei ole fasilitaattorin oikeuksia.", who=who)]
    if sso_user.verified is False:
        lines.append(_("Tunnistuspalvelu ei ole vahvistanut osoitetta."))
    lines.append(_("Pyydä oikeuksia järjestäjältä."))
    st.warning(" ".join(lines))
    if st.button(_("Kirjaudu ulos"), key="sso-logout"):
        ui.log_out()

passwords = any(ui.stored_passwords().values())
if not passwords and not sso:
    st.warning(
        _(
            "Salasanoja ei ole asetettu. Aseta ympäristömuuttujat `ALKEDASH_FACILITATOR_PASSWORD` ja "
            "`ALKEDASH_ORGANISER_PASSWORD` tai `facilitator_password` ja `organiser_password` tiedostoon "
            "`.streamlit/secrets.toml` (`make run` luo sen)."
        )
    )
    st.stop()

if passwords:
    st.caption(_("Fasilitaattorin salasana avaa fasilitoinnin ja analyysin; järjestäjän salasana lisäksi yhteenvedon."))
    with st.form("login"):
        password = st.text_input(_("Salasana"), type="password")
        if st.form_submit_button(_("Kirjaudu"), type="primary"):
            found, wait = ui.log_in(password=password)
            if found:
                st.rerun()
            elif wait:
                st.error(
                    _.ngettext(
                        "Liian monta väärää yritystä. Yritä uudelleen {n} minuutin kuluttua.",
                        "Liian monta väärää yritystä. Yritä uudelleen {n} minuutin kuluttua.",
                        math.ceil(wait / 60),
                    )
                )
            else:
                st.error(_("Väärä salasana."))
if sso and sso_user is None:
    if passwords:
        st.caption(_("Tai kirjaudu organisaatiosi tunnuksella: sähköpostiosoitteesi ratkaisee, mitä saat tehdä."))
    else:
        st.caption(_("Kirjaudu organisaatiosi tunnuksella: sähköpostiosoitteesi ratkaisee, mitä saat tehdä."))
    if st.button(_("Kirjaudu organisaation tunnuksella"), icon=":material/badge:"):
        st.login()
