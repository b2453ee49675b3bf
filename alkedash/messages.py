# ruff: noqa: E501  (a translation table reads best one message per line)
"""What participants read on their phones and on the projector, in Finnish, Swedish and English.

Refused inputs carry a code (alkedash.intake.IntakeError); the phone turns it into a sentence
here, so bad input is always explained in the participant's own language.
"""

from __future__ import annotations

from alkedash.content import Text

MESSAGES: dict[str, Text] = {
    # intake errors
    "empty": Text(fi="Kirjoita vastaus ennen lähettämistä.", sv="Skriv ett svar innan du skickar.",
                  en="Please write an answer before sending."),
    "too_long": Text(fi="Vastaus on liian pitkä: enintään {max} merkkiä.", sv="Svaret är för långt: högst {max} tecken.",
                     en="The answer is too long: at most {max} characters."),
    "too_many_words": Text(fi="Enintään {max} sanaa, kiitos.", sv="Högst {max} ord, tack.",
                           en="At most {max} words, please."),
    "word_too_long": Text(fi="Yksi sana saa olla enintään {max} merkkiä.", sv="Ett ord får vara högst {max} tecken.",
                          en="One word may be at most {max} characters."),
    "closed": Text(fi="Tämä kysymys ei ole nyt auki. Vastauksesi ei tallentunut.",
                   sv="Frågan är inte öppen nu. Ditt svar sparades inte.",
                   en="This question is not open now. Your answer was not saved."),
    "already_answered": Text(fi="Olet jo vastannut tähän kysymykseen.", sv="Du har redan svarat på den här frågan.",
                             en="You have already answered this question."),
    "bad_option": Text(fi="Valitse yksi vaihtoehdoista.", sv="Välj ett av alternativen.", en="Please pick one of the options."),
    "bad_rating": Text(fi="Arvion pitää olla 1–5.", sv="Bedömningen ska vara 1–5.", en="A rating must be from 1 to 5."),
    "bad_element": Text(fi="Tuntematon arvioitava kohta.", sv="Okänd punkt att bedöma.", en="Unknown item to rate."),
    "unknown_question": Text(fi="Kysymystä ei löydy.", sv="Frågan finns inte.", en="The question does not exist."),
    "unknown_participant": Text(fi="Osallistumistasi ei löytynyt. Liity uudelleen.", sv="Ditt deltagande hittades inte. Gå med på nytt.",
                                en="Your session was not found. Please join again."),
    "unknown_idea": Text(fi="Ideaa ei löydy.", sv="Idén finns inte.", en="The idea does not exist."),
    "own_idea": Text(fi="Omaa ideaa ei voi äänestää.", sv="Du kan inte rösta på din egen idé.",
                     en="You cannot upvote your own idea."),
    "bad_channel": Text(fi="Valitse, osallistutko salissa vai striimin kautta.", sv="Välj om du deltar i salen eller via strömningen.",
                        en="Please choose whether you are in the room or on the stream."),
    "bad_region": Text(fi="Tuntematon maakunta.", sv="Okänt landskap.", en="Unknown region."),
    "bad_org_type": Text(fi="Tuntematon organisaatiotyyppi.", sv="Okänd organisationstyp.", en="Unknown organisation type."),
    "unknown_event": Text(fi="Liittymiskoodia ei tunnistettu. Tarkista koodi näytöltä.",
                          sv="Koden kändes inte igen. Kontrollera koden på skärmen.",
                          en="The join code was not recognised. Check the code on the screen."),
    "store_busy": Text(fi="Palvelu on juuri nyt ruuhkainen. Vastaustasi ei tallennettu – yritä hetken päästä uudelleen.",
                       sv="Tjänsten är överbelastad just nu. Ditt svar sparades inte – försök igen om en stund.",
                       en="The service is busy right now. Your answer was not saved – please try again in a moment."),
    "event_closed": Text(fi="Tapahtuma on päättynyt, eikä uusia vastauksia enää tallenneta. Kiitos osallistumisesta!",
                         sv="Evenemanget har avslutats och nya svar sparas inte längre. Tack för att du deltog!",
                         en="The event has ended and new answers are no longer saved. Thank you for taking part!"),
    "too_fast": Text(fi="Lähetät nopeammin kuin kukaan ehtii lukea. Odota {seconds} s ja lähetä sitten uudelleen.",
                     sv="Du skickar snabbare än någon hinner läsa. Vänta {seconds} s och skicka sedan igen.",
                     en="You are sending faster than anyone can read. Wait {seconds} s, then send again."),
    "join_busy": Text(fi="Tästä verkosta liittyy juuri nyt poikkeuksellisen monta puhelinta. Odota {seconds} s ja yritä uudelleen.",
                      sv="Just nu ansluter ovanligt många telefoner från det här nätverket. Vänta {seconds} s och försök igen.",
                      en="Unusually many phones are joining from this network right now. Wait {seconds} s and try again."),
    "saved_held": Text(fi="Kiitos! Vastauksesi on tallennettu, ja se näkyy muille, kun fasilitaattori on katsonut sen.",
                       sv="Tack! Ditt svar har sparats och syns för andra när facilitatorn har sett det.",
                       en="Thank you! Your answer is saved and others will see it once the facilitator has looked at it."),
    # the phone page
    "join_title": Text(fi="Liity keskusteluun", sv="Delta i diskussionen", en="Join the discussion"),
    "join_intro": Text(fi="Vastaat nimettömästi. Maakunta ja organisaatio ovat vapaaehtoisia.",
                       sv="Du svarar anonymt. Landskap och organisation är frivilliga.",
                       en="You answer anonymously. Region and organisation are optional."),
    "channel": Text(fi="Missä osallistut?", sv="Var deltar du?", en="Where are you taking part?"),
    "region": Text(fi="Maakunta (vapaaehtoinen)", sv="Landskap (frivilligt)", en="Region (optional)"),
    "org_type": Text(fi="Organisaatio (vapaaehtoinen)", sv="Organisation (frivilligt)", en="Organisation (optional)"),
    "not_given": Text(fi="En halua kertoa", sv="Vill inte säga", en="Prefer not to say"),
    "join_button": Text(fi="Liity", sv="Gå med", en="Join"),
    "code_label": Text(fi="Liittymiskoodi", sv="Kod", en="Join code"),
    "code_button": Text(fi="Jatka", sv="Fortsätt", en="Continue"),
    "language": Text(fi="Kieli", sv="Språk", en="Language"),
    "you_are": Text(fi="Osallistut: {channel}", sv="Du deltar: {channel}", en="You are taking part: {channel}"),
    # privacy notice (views/privacy.py, linked from the join form)
    "privacy_link": Text(fi="Tietosuoja: miten vastauksiasi käsitellään", sv="Dataskydd: hur dina svar behandlas",
                         en="Privacy: how your answers are handled"),
    "privacy_title": Text(fi="Tietosuojaseloste", sv="Dataskyddsbeskrivning", en="Privacy notice"),
    "privacy_body": Text(
        fi=("**Rekisterinpitäjä** on tapahtuman järjestäjä, {organiser}.\n\n"
            "**Vastaat nimettömästi.** Emme kysy nimeäsi emmekä tallenna IP-osoitetta tai selaimen tietoja. "
            "Palvelu käyttää vain toimintaansa tarvittavia teknisiä evästeitä, ei seurantaa. Puhelimesi saa satunnaisen tunnisteen, joka on vain sen osoiterivillä; sillä vastauksesi "
            "pysyvät sinun, vaikka lataat sivun uudelleen.\n\n"
            "**Tallennamme** valintasi (salissa tai striimin kautta), vapaaehtoisesti kertomasi maakunnan ja "
            "organisaation tyypin, kielen, vastauksesi, peukutuksesi ja niiden ajan.\n\n"
            "**Käyttötarkoitus:** vastaukset näytetään tapahtuman näytöllä ja niistä kootaan yhteenveto "
            "aluekehittämisen keskusteluista valtioneuvoston ja maakuntien valmistelutyöhön. Fasilitaattori voi "
            "piilottaa asiattoman vastauksen.\n\n"
            "**Säilytys:** tiedot ovat järjestäjän omalla palvelimella. Järjestäjä voi arkistoida ne ja poistaa "
            "tapahtuman kaikki tiedot pysyvästi. Älä kirjoita vastauksiin henkilötietoja."),
        sv=("**Personuppgiftsansvarig** är evenemangets arrangör, {organiser}.\n\n"
            "**Du svarar anonymt.** Vi frågar inte efter ditt namn och sparar varken IP-adress eller uppgifter om "
            "webbläsaren. Tjänsten använder bara tekniska kakor som den behöver för att fungera, ingen spårning. Din telefon får en slumpmässig kod som bara finns i dess adressfält; tack "
            "vare den förblir dina svar dina även om du laddar om sidan.\n\n"
            "**Vi sparar** ditt val (i salen eller via strömningen), landskap och organisationstyp om du anger "
            "dem, språket, dina svar, dina röster och när de gavs.\n\n"
            "**Ändamål:** svaren visas på evenemangets skärm och sammanställs till en sammanfattning av "
            "diskussionerna om regionutveckling för statsrådets och landskapens beredning. Moderatorn kan dölja "
            "ett olämpligt svar.\n\n"
            "**Lagring:** uppgifterna finns på arrangörens egen server. Arrangören kan arkivera dem och radera "
            "alla uppgifter om evenemanget permanent. Skriv inga personuppgifter i svaren."),
        en=("**Controller:** the event's organiser, {organiser}.\n\n"
            "**You answer anonymously.** We do not ask your name and store no IP address or browser details. "
            "The service uses only the technical cookies it needs to work, no tracking. Your phone gets a random code that lives only in its address bar; it keeps your answers "
            "yours when you reload the page.\n\n"
            "**We store** your choice (in the room or on the stream), the region and organisation type if you "
            "give them, your language, your answers, your upvotes and when they were given.\n\n"
            "**Purpose:** the answers are shown on the event's screen and summarised for the Government's and "
            "the regions' preparation of regional development. The facilitator can hide an inappropriate answer.\n\n"
            "**Keeping:** the data is on the organiser's own server. The organiser can archive it and erase all of "
            "the event's data permanently. Please do not write personal data in your answers."),
    ),
    "privacy_contact": Text(fi="Yhteydenotot: {contact}", sv="Kontakt: {contact}", en="Contact: {contact}"),
    "now_theme": Text(fi="Nyt keskustellaan", sv="Nu diskuteras", en="Now discussing"),
    "nothing_open": Text(fi="Odota hetki: fasilitaattori avaa pian seuraavan kysymyksen.",
                         sv="Vänta ett ögonblick: moderatorn öppnar snart nästa fråga.",
                         en="Please wait: the facilitator will open the next question shortly."),
    "send": Text(fi="Lähetä", sv="Skicka", en="Send"),
    "your_idea": Text(fi="Ideasi", sv="Din idé", en="Your idea"),
    "tags_label": Text(fi="Mihin ALKE-päätöksen kohtiin ideasi liittyy? (valinnainen)",
                       sv="Vilka delar av ALKE-beslutet gäller din idé? (frivilligt)",
                       en="Which parts of the ALKE decision does your idea concern? (optional)"),
    "your_words": Text(fi="Sanasi (enintään {max}, erota välilyönnillä tai pilkulla)",
                       sv="Dina ord (högst {max}, skilj med mellanslag eller komma)",
                       en="Your words (at most {max}, separated by spaces or commas)"),
    "rate_hint": Text(fi="1 = ei lainkaan tärkeä, 5 = erittäin tärkeä. Voit jättää kohdan arvioimatta.",
                      sv="1 = inte alls viktigt, 5 = mycket viktigt. Du kan lämna en punkt obesvarad.",
                      en="1 = not at all important, 5 = very important. You may leave an item unrated."),
    "tags_suggested": Text(fi="Valmiiksi valittuina ovat kohdat, joita ideasi sanat ehdottavat.",
                           sv="Förvalda är de delar som orden i din idé föreslår.",
                           en="Preselected are the parts your idea's words suggest."),
    "tag_idea": Text(fi="Liitä ideasi ALKE-päätöksen kohtiin", sv="Koppla din idé till delar av ALKE-beslutet",
                     en="Link your idea to parts of the ALKE decision"),
    "save_tags": Text(fi="Tallenna kohdat", sv="Spara delarna", en="Save the parts"),
    "tags_added": Text(fi="Lisätty: {elements}", sv="Tillagt: {elements}", en="Added: {elements}"),
    "saved": Text(fi="Kiitos! Vastauksesi on tallennettu.", sv="Tack! Ditt svar har sparats.",
                  en="Thank you! Your answer has been saved."),
    "saved_before": Text(fi="Kiitos! Tämä vastaus oli jo tallennettu – se lasketaan vain kerran.",
                         sv="Tack! Svaret var redan sparat – det räknas bara en gång.",
                         en="Thank you! This answer was already saved – it counts only once."),
    "answered_poll": Text(fi="Vastasit: {answer}", sv="Du svarade: {answer}", en="You answered: {answer}"),
    "answered_rating": Text(fi="Kiitos, arviosi on tallennettu.", sv="Tack, din bedömning har sparats.",
                            en="Thank you, your rating has been saved."),
    "ideas_title": Text(fi="Muiden ideat – peukuta parhaita", sv="Andras idéer – rösta på de bästa",
                        en="Others' ideas – upvote the best"),
    "no_ideas": Text(fi="Ei vielä ideoita.", sv="Inga idéer ännu.", en="No ideas yet."),
    "upvote": Text(fi="Peukuta", sv="Rösta", en="Upvote"),
    "upvoted": Text(fi="Peukutettu", sv="Röstat", en="Upvoted"),
    "new_ideas": Text(fi="Uusia ideoita: {n} – näytä", sv="Nya idéer: {n} – visa", en="New ideas: {n} – show"),
    "show_more": Text(fi="Näytä lisää ideoita", sv="Visa fler idéer", en="Show more ideas"),
    "own": Text(fi="Oma ideasi", sv="Din idé", en="Your idea"),
    "votes": Text(fi="{n} peukkua", sv="{n} röster", en="{n} upvotes"),
    "sort_top": Text(fi="Suosituimmat", sv="Populärast", en="Most upvoted"),
    "sort_new": Text(fi="Uusimmat", sv="Nyaste", en="Newest"),
    "highlighted": Text(fi="Nostettu esiin", sv="Lyft fram", en="Highlighted"),
    # the projector screen
    "scan_to_join": Text(fi="Osallistu puhelimella", sv="Delta med telefonen", en="Take part on your phone"),
    "qr_alt": Text(fi="QR-koodi, joka avaa osoitteen {url}", sv="QR-kod som öppnar adressen {url}",
                   en="QR code that opens {url}"),
    "in_room": Text(fi="Salissa", sv="I salen", en="In the room"),
    "on_stream": Text(fi="Striimissä", sv="Via strömningen", en="On the stream"),
    "room_limit": Text(fi="/ {max} paikkaa", sv="/ {max} platser", en="/ {max} seats"),
    "answers_now": Text(fi="Vastauksia: {room} salista · {stream} striimistä",
                        sv="Svar: {room} från salen · {stream} via strömningen",
                        en="Answers: {room} from the room · {stream} from the stream"),
    "waiting_reveal": Text(fi="Vastaa puhelimellasi – tulokset näytetään pian.",
                           sv="Svara med din telefon – resultaten visas snart.",
                           en="Answer on your phone – results will be shown shortly."),
    "no_answers": Text(fi="Ei vielä vastauksia.", sv="Inga svar ännu.", en="No answers yet."),
    "top_ideas": Text(fi="Eniten peukutetut ideat", sv="Idéerna med flest röster", en="Most upvoted ideas"),
    "table": Text(fi="Taulukko", sv="Tabell", en="Table"),
    "word": Text(fi="Sana", sv="Ord", en="Word"),
    "mentions": Text(fi="Mainintoja", sv="Omnämnanden", en="Mentions"),
    "wordcloud_alt": Text(fi="Sanapilvi. Yleisimmät sanat: {words}", sv="Ordmoln. Vanligaste orden: {words}",
                          en="Word cloud. Most common words: {words}"),
    "idea": Text(fi="Idea", sv="Idé", en="Idea"),
    "channel_short": Text(fi="Kanava", sv="Kanal", en="Channel"),
    "upvotes": Text(fi="Peukut", sv="Röster", en="Upvotes"),
    # the programme page
    "programme": Text(fi="Ohjelma", sv="Program", en="Programme"),
    "frame": Text(fi="ALKE-päätöksen kehys", sv="Ramen för regionutvecklingsbeslutet", en="The regional development decision frame"),
    "themes": Text(fi="Keskusteluteemat", sv="Diskussionsteman", en="Discussion themes"),
    "contents": Text(fi="Mahdollisia sisältöjä", sv="Möjliga innehåll", en="Possible contents"),
    "owner": Text(fi="Vastuuministeriö", sv="Ansvarigt ministerium", en="Responsible ministry"),
    "memo": Text(fi="Taustamuistio", sv="Bakgrundspromemoria", en="Background memo"),
    "memo_draft": Text(fi="luonnos", sv="utkast", en="draft"),
    "memo_commented": Text(fi="kommentoitu", sv="kommenterad", en="commented"),
    "memo_final": Text(fi="valmis", sv="slutlig", en="final"),
    "agenda": Text(fi="Päivän ohjelma", sv="Dagens program", en="Agenda"),
    "time": Text(fi="Aika", sv="Tid", en="Time"),
    "item": Text(fi="Ohjelma", sv="Programpunkt", en="Item"),
    "note": Text(fi="Lisätieto", sv="Mer information", en="Note"),
    "venue": Text(fi="{venue}, {city} · {dates} · enintään {max} osallistujaa salissa, tilaisuus striimataan",
                  sv="{venue}, {city} · {dates} · högst {max} deltagare i salen, evenemanget strömmas",
                  en="{venue}, {city} · {dates} · at most {max} people in the room, streamed"),
}  # fmt: skip


def message(*, key: str, lang: str, **params: object) -> str:
    text = MESSAGES[key](lang)
    return text.format(**params) if params else text
