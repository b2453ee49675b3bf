"""The accessibility statement (laki digitaalisten palvelujen tarjoamisesta 306/2019), in the visitor's
language. Its facts (conformance, known gaps, dates, the supervisory authority) are in
alkedash/accessibility.py; the feedback contact is a setting (ALKEDASH_ACCESSIBILITY_CONTACT)."""

import streamlit as st

from alkedash import accessibility, translation, ui

ui.css(
    ".block-container {max-width: 44rem;} h1 {font-size: 1.7rem !important; hyphens: auto;}"
    " h2 {font-size: 1.3rem !important; hyphens: auto;}"
)
cat = ui.catalogue()
lang = ui.lang()
_ = translation.translator(lang=lang)
event = ui.event_from_url()
organiser = cat.ministry_name(code=event.event.organiser if event is not None else "TEM", lang=lang)
found = ui.settings()

st.title(_("Saavutettavuusseloste"))
st.markdown(
    _(
        "Tämä saavutettavuusseloste koskee aluekehittämisen keskustelujen osallistumispalvelua osoitteessa "
        "{url}: osallistumissivua puhelimelle, ohjelmaa, tapahtuman näyttösivua, tietosuojaselostetta sekä "
        "fasilitaattorien ja järjestäjien sivuja. Palvelun tarjoaa {organiser}. Saavutettavuudesta säädetään "
        "laissa digitaalisten palvelujen tarjoamisesta (306/2019).",
        url=ui.plain(found.public_url),
        organiser=ui.plain(organiser),
    )
)

st.header(_("Palvelun saavutettavuuden tila"), divider="gray")
st.markdown(_(accessibility.CONFORMANCE_TEXTS[accessibility.CONFORMANCE]))

st.header(_("Sisällöt, jotka eivät ole saavutettavia"), divider="gray")
if accessibility.KNOWN_GAPS:
    items = []
    for gap in accessibility.KNOWN_GAPS:
        text = ui.plain(_(gap.text))
        if gap.criteria:
            criteria = _.ngettext(
                "WCAG-kriteeri {criteria}",
                "WCAG-kriteerit {criteria}",
                len(gap.criteria),
                criteria=", ".join(gap.criteria),
            )
            text = f"{text} ({criteria})"
        items.append(f"- {text}")
    st.markdown("\n".join(items))
else:
    st.markdown(_("Emme tiedä palvelussa olevan saavutettavuuspuutteita."))

st.header(_("Miten seloste on laadittu"), divider="gray")
st.markdown(
    _(
        "Seloste perustuu palvelun kehittäjien tekemään itsearviointiin. Jokainen sivu tarkistetaan kaikilla "
        "kolmella kielellä automaattisilla axe-core-testeillä Chromium-selaimessa, ja sivujen käyttö pelkällä "
        "näppäimistöllä ja 200 prosentin suurennuksella on tarkistettu käsin."
    )
)
st.markdown(
    _(
        "Seloste on laadittu {prepared}. Sitä on päivitetty viimeksi {updated}.",
        prepared=_.date(accessibility.PREPARED),
        updated=_.date(accessibility.UPDATED),
    )
)

st.header(_("Palaute saavutettavuudesta"), divider="gray")
contact = (found.accessibility_contact or "").strip()
if contact:
    st.markdown(
        _(
            "Huomasitko puutteen palvelun saavutettavuudessa, tai tarvitsetko sisältöä toisessa muodossa? "
            "Kerro siitä meille: {contact}. Vastaamme 14 päivän kuluessa.",
            contact=ui.plain(contact),
        )
    )
else:
    st.markdown(
        _(
            "Huomasitko puutteen palvelun saavutettavuudessa, tai tarvitsetko sisältöä toisessa muodossa? "
            "Kerro siitä tapahtuman järjestäjälle, {organiser}. Vastaamme 14 päivän kuluessa.",
            organiser=ui.plain(organiser),
        )
    )

st.header(_("Valvontaviranomainen"), divider="gray")
st.markdown(
    _(
        "Jos et saa vastausta 14 päivän kuluessa tai vastaus ei tyydytä sinua, voit tehdä ilmoituksen "
        "valvontaviranomaiselle. Sieltä kerrotaan tarkemmin, miten ilmoituksen voi tehdä ja miten asia käsitellään."
    )
)
authority = accessibility.SUPERVISOR
website = authority.websites.get(lang, authority.websites["fi"])
name = ui.plain(_(authority.name))
st.markdown(
    "  \n".join(
        [
            f"**{name}**",
            _("Verkkosivusto: {website}", website=website),
            _("Sähköposti: {email}", email=authority.email),
            _("Puhelinvaihde: {phone}", phone=authority.phone),
        ]
    )
)
