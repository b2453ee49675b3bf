"""Summary (organisers): the documents to send on, during the day and after it."""

import pandas as pd
import streamlit as st

from alkedash import archive, report, summary, tables, translation, ui
from alkedash.content import LANGS
from alkedash.translation import LANGUAGE_NAMES

ui.require_role("organiser")
engine = ui.engine()
cat = ui.catalogue()
event = ui.require_event()
page_lang = ui.lang()  # the page's own text; `lang` below is the documents' language
_ = translation.translator(lang=page_lang)

st.title(_("Yhteenveto ja lataukset"))
st.caption(
    _(
        "Lataa yhteenveto koko tapahtumasta tai yhdestä teemasta. Tiedostot kootaan latausta painettaessa "
        "tämänhetkisistä vastauksista, joten ne voi ladata myös kesken päivän. Piilotetut (moderoidut) vastaukset "
        "eivät ole mukana, ellei moderointiliitettä valita."
    )
)
whole_event = _("Koko tapahtuma")

with st.container(border=True):
    c1, c2 = st.columns([3, 2])
    scope = c1.selectbox(
        _("Rajaus"),
        options=["", *(t.id for t in event.themes)],
        format_func=lambda t: whole_event if not t else f"{t}: {event.theme(t).title(page_lang)}",  # type: ignore[union-attr]
        key="summary-scope",
    )
    lang = (
        c2.segmented_control(
            _("Yhteenvedon kieli"),
            options=list(LANGS),
            format_func=LANGUAGE_NAMES.__getitem__,
            default="fi",
            key="summary-lang",
        )
        or "fi"
    )
    appendix = st.checkbox(
        _("Moderointiliite: piilotetut vastaukset ja moderointiloki mukaan"),
        key="summary-appendix",
        help=_("Ilman liitettä piilotetut vastaukset jäävät pois kaikista tiedostoista."),
    )

theme_id = scope or None
stem = f"{event.slug}-{theme_id or 'kaikki'}-{lang}"


def _summary() -> summary.Summary:
    return summary.build(
        engine=engine, catalogue=cat, event=event, lang=lang, theme_id=theme_id, moderation_appendix=appendix
    )


def _tables() -> dict[str, pd.DataFrame]:
    return tables.build(
        engine=engine, catalogue=cat, event=event, lang=lang, theme_id=theme_id, moderation_appendix=appendix
    )


downloads = [
    ("Word (.docx)", lambda: report.docx(summary=_summary(), catalogue=cat), "docx", report.DOCX_MIME, "article"),
    ("Excel (.xlsx)", lambda: tables.xlsx(tables=_tables()), "xlsx", tables.XLSX_MIME, "table_view"),
    (_("CSV-tiedostot (.zip)"), lambda: tables.csv_zip(tables=_tables()), "zip", "application/zip", "folder_zip"),
    (_("Verkkosivu (.html)"), lambda: report.html_page(summary=_summary(), catalogue=cat), "html", "text/html", "web"),
]
st.subheader(_("Yhteenveto"))
columns = st.columns(len(downloads))
for column, (label, make, ext, mime, icon) in zip(columns, downloads, strict=True):
    column.download_button(
        label,
        data=make,
        file_name=f"{stem}-yhteenveto.{ext}",
        mime=mime,
        key=f"download-{ext}",
        on_click="ignore",
        icon=f":material/{icon}:",
        width="stretch",
    )
st.caption(
    _(
        "Word ja verkkosivu: osallistuminen, teemoittain muistion rajaus, tulokset kaavioina ja taulukkoina, "
        "idearyhmät, nostot ja luonnos odotetuksi lopputulemaksi. Excel ja CSV: kaikki vastaukset, peukutukset, "
        "arviot, kyselyt, osallistujat, idearyhmät ja moderointi omina taulukoinaan."
    )
)

st.subheader(_("Arkisto"))
st.download_button(
    _("Koko tapahtuman arkisto (.json)"),
    data=lambda: archive.export(engine=engine, event=event),
    file_name=f"{event.slug}-arkisto.json",
    mime="application/json",
    key="download-archive",
    on_click="ignore",
    icon=":material/archive:",
)
st.caption(
    _(
        "Kaikki tapahtuman tiedot, myös piilotetut vastaukset, ilman osallistujien tunnisteita. Arkiston voi tuoda "
        "tyhjään tietokantaan: `python -m alkedash import-archive tiedosto.json`."
    )
)

st.subheader(_("Luonnos: mitä keskustelussa kuultiin"))
if st.toggle(_("Näytä luonnos tässä"), key="summary-preview"):
    with st.spinner(_("Kootaan…")):
        made = _summary()
    for part in made.themes:
        st.markdown(f"**{ui.plain(report.theme_title(part=part, lang=made.lang))}**")
        for finding in part.findings:
            st.text(f"• {finding}")

st.subheader(_("Tietojen poistaminen"))
with st.expander(_("Poista tämän tapahtuman kaikki tiedot pysyvästi")):
    st.markdown(
        _(
            "Poistaa tietokannasta kaikki tapahtuman vastaukset, peukutukset, arviot, osallistujat ja "
            "moderointilokin. Tapahtuman sisältö (teemat, muistiot, kysymykset) säilyy, ja tapahtuma alkaa "
            "tyhjästä. Poistoa ei voi perua: lataa arkisto ensin, jos tiedot pitää säilyttää."
        )
    )
    with st.form("erase"):
        typed = st.text_input(
            _("Kirjoita vahvistukseksi tapahtuman liittymiskoodi ({code})", code=event.event.join_code)
        )
        if st.form_submit_button(_("Poista pysyvästi"), type="primary"):
            if typed.strip().upper() != event.event.join_code:
                st.error(_("Koodi ei täsmää. Mitään ei poistettu."))
            else:
                gone = ui.erase_event(event=event)
                st.success(
                    _(
                        "Poistettu: {inputs} vastausta, {participants} osallistujaa, {votes} peukutusta, "
                        "{ratings} arviota ja {log} moderointimerkintää.",
                        inputs=gone["inputs"],
                        participants=gone["participants"],
                        votes=gone["votes"],
                        ratings=gone["ratings"],
                        log=gone["moderation_log"],
                    )
                )
