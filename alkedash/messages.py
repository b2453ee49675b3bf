# ruff: noqa: E501  (a translation table reads best one message per line)
"""What participants read on their phones and on the projector, in Finnish, Swedish and English.

Refused inputs carry a code (alkedash.intake.IntakeError); the phone turns it into a sentence
here, so bad input is always explained in the participant's own language.
"""

from __future__ import annotations

from alkedash.translation import N_, gettext

MESSAGES: dict[str, str] = {
    # intake errors
    "empty": N_("Kirjoita vastaus ennen lähettämistä."),
    "too_long": N_("Vastaus on liian pitkä: enintään {max} merkkiä."),
    "too_many_words": N_("Enintään {max} sanaa, kiitos."),
    "word_too_long": N_("Yksi sana saa olla enintään {max} merkkiä."),
    "closed": N_("Tämä kysymys ei ole nyt auki. Vastauksesi ei tallentunut."),
    "already_answered": N_("Olet jo vastannut tähän kysymykseen."),
    "bad_option": N_("Valitse yksi vaihtoehdoista."),
    "bad_rating": N_("Arvion pitää olla 1–5."),
    "bad_element": N_("Tuntematon arvioitava kohta."),
    "unknown_question": N_("Kysymystä ei löydy."),
    "unknown_participant": N_("Osallistumistasi ei löytynyt. Liity uudelleen."),
    "unknown_idea": N_("Ideaa ei löydy."),
    "own_idea": N_("Omaa ideaa ei voi äänestää."),
    "bad_channel": N_("Valitse, osallistutko salissa vai striimin kautta."),
    "bad_region": N_("Tuntematon maakunta."),
    "bad_org_type": N_("Tuntematon organisaatiotyyppi."),
    "unknown_event": N_("Liittymiskoodia ei tunnistettu. Tarkista koodi näytöltä."),
    "store_busy": N_("Palvelu on juuri nyt ruuhkainen. Vastaustasi ei tallennettu – yritä hetken päästä uudelleen."),
    "event_closed": N_("Tapahtuma on päättynyt, eikä uusia vastauksia enää tallenneta. Kiitos osallistumisesta!"),
    "too_fast": N_("Lähetät nopeammin kuin kukaan ehtii lukea. Odota {seconds} s ja lähetä sitten uudelleen."),
    "join_busy": N_("Tästä verkosta liittyy juuri nyt poikkeuksellisen monta puhelinta. Odota {seconds} s ja yritä uudelleen."),
    "saved_held": N_("Kiitos! Vastauksesi on tallennettu, ja se näkyy muille, kun fasilitaattori on katsonut sen."),
    # the phone page
    "join_title": N_("Liity keskusteluun"),
    "join_intro": N_("Vastaat nimettömästi. Maakunta ja organisaatio ovat vapaaehtoisia."),
    "channel": N_("Missä osallistut?"),
    "region": N_("Maakunta (vapaaehtoinen)"),
    "org_type": N_("Organisaatio (vapaaehtoinen)"),
    "not_given": N_("En halua kertoa"),
    "join_button": N_("Liity"),
    "code_label": N_("Liittymiskoodi"),
    "code_button": N_("Jatka"),
    "you_are": N_("Osallistut: {channel}"),
    # privacy notice (views/privacy.py, linked from the join form)
    "privacy_link": N_("Tietosuoja: miten vastauksiasi käsitellään"),
    "privacy_title": N_("Tietosuojaseloste"),
    "privacy_body": N_(
        "**Rekisterinpitäjä** on tapahtuman järjestäjä, {organiser}.\n\n"
        "**Vastaat nimettömästi.** Emme kysy nimeäsi emmekä tallenna IP-osoitetta tai selaimen tietoja. Palvelu käyttää vain toimintaansa tarvittavia teknisiä evästeitä, ei seurantaa. Puhelimesi saa satunnaisen tunnisteen, joka on vain sen osoiterivillä; sillä vastauksesi pysyvät sinun, vaikka lataat sivun uudelleen.\n\n"
        "**Tallennamme** valintasi (salissa tai striimin kautta), vapaaehtoisesti kertomasi maakunnan ja organisaation tyypin, kielen, vastauksesi, peukutuksesi ja niiden ajan.\n\n"
        "**Käyttötarkoitus:** vastaukset näytetään tapahtuman näytöllä ja niistä kootaan yhteenveto aluekehittämisen keskusteluista valtioneuvoston ja maakuntien valmistelutyöhön. Fasilitaattori voi piilottaa asiattoman vastauksen.\n\n"
        "**Säilytys:** tiedot ovat järjestäjän omalla palvelimella. Järjestäjä voi arkistoida ne ja poistaa tapahtuman kaikki tiedot pysyvästi. Älä kirjoita vastauksiin henkilötietoja."
    ),
    "privacy_contact": N_("Yhteydenotot: {contact}"),
    "now_theme": N_("Nyt keskustellaan"),
    "nothing_open": N_("Odota hetki: fasilitaattori avaa pian seuraavan kysymyksen."),
    "send": N_("Lähetä"),
    "your_idea": N_("Ideasi"),
    "tags_label": N_("Mihin ALKE-päätöksen kohtiin ideasi liittyy? (valinnainen)"),
    "your_words": N_("Sanasi (enintään {max}, erota välilyönnillä tai pilkulla)"),
    "rate_hint": N_("1 = ei lainkaan tärkeä, 5 = erittäin tärkeä. Voit jättää kohdan arvioimatta."),
    "tags_suggested": N_("Valmiiksi valittuina ovat kohdat, joita ideasi sanat ehdottavat."),
    "tag_idea": N_("Liitä ideasi ALKE-päätöksen kohtiin"),
    "save_tags": N_("Tallenna kohdat"),
    "tags_added": N_("Lisätty: {elements}"),
    "saved": N_("Kiitos! Vastauksesi on tallennettu."),
    "saved_before": N_("Kiitos! Tämä vastaus oli jo tallennettu – se lasketaan vain kerran."),
    "answered_poll": N_("Vastasit: {answer}"),
    "answered_rating": N_("Kiitos, arviosi on tallennettu."),
    "ideas_title": N_("Muiden ideat – peukuta parhaita"),
    "no_ideas": N_("Ei vielä ideoita."),
    "upvote": N_("Peukuta"),
    "upvoted": N_("Peukutettu"),
    "new_ideas": N_("Uusia ideoita: {n} – näytä"),
    "show_more": N_("Näytä lisää ideoita"),
    "own": N_("Oma ideasi"),
    "sort_top": N_("Suosituimmat"),
    "sort_new": N_("Uusimmat"),
    "highlighted": N_("Nostettu esiin"),
    # the projector screen
    "scan_to_join": N_("Osallistu puhelimella"),
    "qr_alt": N_("QR-koodi, joka avaa osoitteen {url}"),
    "in_room": N_("Salissa"),
    "on_stream": N_("Striimissä"),
    "room_limit": N_("/ {max} paikkaa"),
    "answers_now": N_("Vastauksia: {room} salista · {stream} striimistä"),
    "waiting_reveal": N_("Vastaa puhelimellasi – tulokset näytetään pian."),
    "no_answers": N_("Ei vielä vastauksia."),
    "top_ideas": N_("Eniten peukutetut ideat"),
    "table": N_("Taulukko"),
    "word": N_("Sana"),
    "mentions": N_("Mainintoja"),
    "wordcloud_alt": N_("Sanapilvi. Yleisimmät sanat: {words}"),
    "idea": N_("Idea"),
    "channel_short": N_("Kanava"),
    "upvotes": N_("Peukut"),
    # the programme page
    "programme": N_("Ohjelma"),
    "frame": N_("ALKE-päätöksen kehys"),
    "themes": N_("Keskusteluteemat"),
    "contents": N_("Mahdollisia sisältöjä"),
    "owner": N_("Vastuuministeriö"),
    "memo": N_("Taustamuistio"),
    "memo_draft": N_("luonnos"),
    "memo_commented": N_("kommentoitu"),
    "memo_final": N_("valmis"),
    "agenda": N_("Päivän ohjelma"),
    "time": N_("Aika"),
    "item": N_("Ohjelmakohta"),
    "note": N_("Lisätieto"),
    "venue": N_("{venue}, {city} · {dates} · enintään {max} osallistujaa salissa, tilaisuus striimataan"),
}  # fmt: skip


def message(*, key: str, lang: str, **params: object) -> str:
    text = gettext(lang=lang, text=MESSAGES[key])
    return text.format(**params) if params else text
