"""Events (organisers): every event in the database; create, edit, clone, export and import a set-up."""

import datetime as dt
from typing import Literal

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from alkedash import comments, drafts, events, live, series, translation, ui
from alkedash.content import EVENT_ZONE, LANGS, MEMO_SECTIONS, ContentError, Event
from alkedash.translation import LANGUAGE_NAMES, N_

ui.require_role("organiser")
engine = ui.engine()
cat = ui.catalogue()
lang = ui.lang()
_ = translation.translator(lang=lang)
today = dt.datetime.now(EVENT_ZONE).date()
NEW = "__new__"
stored = events.all_events(engine=engine)
names = {e.slug: e.event.name(lang) if e.event.name else e.slug for e in stored}


def when(event: Event) -> str:
    if event.event.ends < today:
        return _("Mennyt")
    return _("Käynnissä") if event.event.starts <= today else _("Tuleva")


st.title(_("Tapahtumat"))
st.caption(
    _(
        "Kaikki tietokannan tapahtumat. Liittymiskoodi valitsee, mihin tapahtumaan puhelin osallistuu. "
        "Menneen tapahtuman asetukset säilyvät sellaisinaan: sen voi kloonata seuraavan pohjaksi."
    )
)
overview = pd.DataFrame(
    [
        {
            _("Tapahtuma"): names[e.slug],
            _("Päivät"): f"{_.date(e.event.starts, form='medium')} – {_.date(e.event.ends, form='medium')}",
            _("Kaupunki"): e.event.city,
            _("Liittymiskoodi"): e.event.join_code,
            _("Sarja"): e.event.series or "",
            _("Vaihe"): when(e),
            _("Osallistuminen"): _("Suljettu")
            if live.current(engine=engine, event_slug=e.slug).closed
            else _("Avoinna"),
        }
        for e in stored
    ]
)
st.dataframe(overview, hide_index=True)

if flash := st.session_state.pop("events-flash", None):
    st.success(flash, icon=":material/check_circle:")

if goto := st.session_state.pop("events-goto", None):  # set by a save or a clone in the run before
    st.session_state["events-choice"] = goto
choice = st.selectbox(
    _("Valitse tapahtuma"),
    options=[*names, NEW],
    format_func=lambda slug: _("+ Uusi tapahtuma") if slug == NEW else names[slug],
    key="events-choice",
)
event = events.by_slug(engine=engine, slug=choice) if choice != NEW else None
revision = events.revision(engine=engine, slug=choice) if event else None
# Where each memo is (draft, commented, final) as the Muistiot page moved it.
memo_stages = comments.memo_statuses(engine=engine, event=event) if event else {}


def draft_for(*, event: Event | None) -> tuple[str, drafts.Draft]:
    """The draft being edited and the prefix of its widgets' keys: a saved revision starts fresh widgets."""
    if event is not None:
        prefix = f"ev-{event.slug}-{revision}-"
        if prefix not in st.session_state:
            st.session_state[prefix] = drafts.to_draft(event=event)
        return prefix, st.session_state[prefix]
    if "events-new" not in st.session_state:
        st.session_state["events-new"] = (1, drafts.blank(today=today))
    n, draft = st.session_state["events-new"]
    return f"ev-new-{n}-", draft


def start_new(*, draft: drafts.Draft) -> None:
    n = st.session_state.get("events-new", (0, None))[0] + 1
    st.session_state["events-new"] = (n, draft)
    st.session_state["events-goto"] = NEW


def show_problems(problems: list[str]) -> None:
    st.error(
        _("Tapahtumaa ei tallennettu. Korjaa nämä:") + "\n" + "\n".join(f"- {p}" for p in problems),
        icon=":material/error:",
    )


def read_only(*, event: Event) -> None:
    info = event.event
    st.info(
        _(
            "Tapahtuma on päättynyt {date}: sen asetuksia voi katsoa, viedä ja kloonata, ei muuttaa.",
            date=_.date(info.ends),
        ),
        icon=":material/lock:",
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Kenttä"): [_("Paikka"), _("Kaupunki"), _("Salin paikat"), _("Liittymiskoodi"), _("Striimin linkki")],
                _("Arvo"): [
                    info.venue(lang),
                    info.city,
                    _.number(info.room_capacity),
                    info.join_code,
                    info.stream_url or "–",
                ],
            }
        ),
        hide_index=True,
    )
    for theme in event.themes:
        with st.expander(theme.title(lang) if theme.title else theme.id):
            st.markdown("\n".join(f"- {item}" for item in theme.contents(lang)))
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Tunniste"): [q.id for q in theme.questions],
                        _("Tyyppi"): [_(drafts.KIND_LABELS[q.kind]) for q in theme.questions],
                        _("Kysymys"): [q.prompt(lang) for q in theme.questions],
                    }
                ),
                hide_index=True,
            )


def info_tab(*, prefix: str, draft: drafts.Draft, existing: bool) -> dict[str, object]:
    d = draft.info
    info: dict[str, object] = {}
    c1, c2, c3 = st.columns(3)
    info["slug"] = c1.text_input(
        _("Tunniste"),
        value=d["slug"],
        key=prefix + "slug",
        disabled=existing,
        help=_("Pysyvä tunniste, jolla vastaukset tallentuvat; ei muutu tallennuksen jälkeen."),
    )
    info["join_code"] = c2.text_input(
        _("Liittymiskoodi"), value=d["join_code"], key=prefix + "code", help=_(drafts.JOIN_CODE_HINT), max_chars=12
    )
    series_titles = {s.slug: s.title(lang) for s in series.all_series(engine=engine)}
    series_options = ["", *series_titles, *([d["series"]] if d["series"] and d["series"] not in series_titles else [])]
    info["series"] = c3.selectbox(
        _("Sarja"),
        options=series_options,
        index=series_options.index(d["series"]) if d["series"] in series_options else 0,
        format_func=lambda s: series_titles.get(s, s) or _("Ei sarjaa"),
        key=prefix + "series",
        help=_("Sarjat ja niiden vaiheet muokataan Aikajana-sivulla."),
    )
    for code, column in zip(LANGS, st.columns(3), strict=True):
        info[f"name_{code}"] = column.text_input(
            _("Nimi ({language})", language=LANGUAGE_NAMES[code]), value=d[f"name_{code}"], key=prefix + "name-" + code
        )
    c1, c2, c3, c4 = st.columns(4)
    info["starts"] = c1.date_input(_("Alkaa"), value=d["starts"], key=prefix + "starts", format="DD.MM.YYYY")
    info["ends"] = c2.date_input(_("Päättyy"), value=d["ends"], key=prefix + "ends", format="DD.MM.YYYY")
    info["city"] = c3.text_input(_("Kaupunki"), value=d["city"], key=prefix + "city")
    info["room_capacity"] = c4.number_input(
        _("Salin paikat"), min_value=1, max_value=100_000, value=int(d["room_capacity"]), step=10, key=prefix + "cap"
    )
    for code, column in zip(LANGS, st.columns(3), strict=True):
        info[f"venue_{code}"] = column.text_input(
            _("Paikka ({language})", language=LANGUAGE_NAMES[code]),
            value=d[f"venue_{code}"],
            key=prefix + "venue-" + code,
        )
    c1, c2, c3 = st.columns([1, 2, 1])
    info["streamed"] = c1.checkbox(_("Striimataan"), value=bool(d["streamed"]), key=prefix + "streamed")
    info["stream_url"] = c2.text_input(
        _("Striimin linkki"), value=d["stream_url"], key=prefix + "stream", help=_(drafts.STREAM_HINT)
    )
    ministries = [m.code for m in cat.ministries]
    info["organiser"] = c3.selectbox(
        _("Järjestäjä"),
        options=ministries,
        index=ministries.index(d["organiser"]) if d["organiser"] in ministries else 0,
        format_func=lambda code: f"{code} – {cat.ministry_name(code=code, lang=lang)}",
        key=prefix + "organiser",
    )
    return info


def language_columns(
    column: str, label: str, *, width: Literal["small", "medium", "large"] | None = None
) -> dict[str, ColumnConfig]:
    """A table's three text columns `column`_fi, _sv and _en, headed by `label` (a message with {language})."""
    return {
        f"{column}_{code}": st.column_config.TextColumn(_(label, language=LANGUAGE_NAMES[code]), width=width)
        for code in LANGS
    }


def themes_tab(
    *, prefix: str, draft: drafts.Draft
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    st.caption(
        _(
            "Teeman tunniste (esim. T1) yhdistää sen kysymyksiin ja ohjelmaan. Otsikon voi jättää tyhjäksi, jos "
            "tunniste on virallinen termi (T1–T3). Vastuuministeriöt lyhenteinä pilkuin erotettuina, esim. TEM, OKM."
        )
    )
    themes = st.data_editor(
        draft.themes,
        num_rows="dynamic",
        hide_index=True,
        key=prefix + "themes",
        column_config={
            "id": st.column_config.TextColumn(_("Tunniste"), required=True, max_chars=40),
            **language_columns("title", N_("Otsikko ({language})")),
            "owner": st.column_config.TextColumn(_("Vastuuministeriöt")),
        },
    )
    contents: dict[str, pd.DataFrame] = {}
    memos: dict[str, dict[str, str]] = {}
    for theme_id in [str(t) for t in themes["id"].dropna() if str(t).strip()]:
        base = draft.contents.get(theme_id, pd.DataFrame(columns=drafts.TEXT3))
        memo = draft.memos.get(theme_id, {})
        with st.expander(_("Teema {id}: sisällöt ja taustamuistio", id=theme_id)):
            st.markdown("**" + _("Mahdollisia sisältöjä") + "**")
            contents[theme_id] = st.data_editor(
                base,
                num_rows="dynamic",
                hide_index=True,
                key=f"{prefix}contents-{theme_id}",
                column_config={
                    code: st.column_config.TextColumn(LANGUAGE_NAMES[code], width="large") for code in LANGS
                },
            )
            status = memo_stages.get(theme_id, draft.memo_status.get(theme_id, "draft"))
            stage = ui.t("memo_" + status)
            st.markdown("**" + _("Taustamuistio") + f"** · {stage}")
            st.caption(
                _("Markdown on sallittu. Muistion vaihetta (luonnos, kommentoitu, valmis) muutetaan Muistiot-sivulla.")
            )
            edited: dict[str, str] = {}
            for code, tab in zip(LANGS, st.tabs([LANGUAGE_NAMES[c] for c in LANGS]), strict=True):
                with tab:
                    for key, title in MEMO_SECTIONS:
                        edited[f"{key}_{code}"] = st.text_area(
                            title(code),
                            value=memo.get(f"{key}_{code}", ""),
                            key=f"{prefix}memo-{theme_id}-{key}-{code}",
                            height=140,
                        )
            memos[theme_id] = edited
    return themes, contents, memos


def questions_tab(
    *, prefix: str, draft: drafts.Draft, theme_ids: list[str]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    st.caption(
        _(
            "Kysymyksen tunniste ei saa muuttua, kun siihen on vastattu. Viitekehyksen osat (vain arviolle) "
            "lyhenteinä, esim. P1, E2; tyhjä = kaikki yhdeksän. Äänestyksen vaihtoehdot annetaan alla."
        )
    )
    questions = st.data_editor(
        draft.questions,
        num_rows="dynamic",
        hide_index=True,
        key=prefix + "questions",
        column_config={
            "theme": st.column_config.SelectboxColumn(_("Teema"), options=theme_ids, required=True),
            "id": st.column_config.TextColumn(_("Tunniste"), required=True, max_chars=40),
            "kind": st.column_config.SelectboxColumn(
                _("Tyyppi"),
                options=list(drafts.QUESTION_KINDS),
                required=True,
                help=_("idea, words (sanapilvi), rating (arvio), poll (äänestys)"),
            ),
            **language_columns("prompt", N_("Kysymys ({language})"), width="large"),
            **language_columns("help", N_("Ohje ({language})")),
            "max_words": st.column_config.NumberColumn(_("Sanoja enintään"), min_value=1, max_value=10, step=1),
            "elements": st.column_config.TextColumn(_("Viitekehyksen osat")),
        },
    )
    options: dict[str, pd.DataFrame] = {}
    polls = [
        str(q["id"]) for q in questions.to_dict("records") if q.get("kind") == "poll" and str(q.get("id") or "").strip()
    ]
    for poll_id in polls:
        st.markdown("**" + _("Äänestyksen {id} vaihtoehdot", id=poll_id) + "**")
        options[poll_id] = st.data_editor(
            draft.options.get(poll_id, pd.DataFrame(columns=drafts.OPTION_COLUMNS)),
            num_rows="dynamic",
            hide_index=True,
            key=f"{prefix}options-{poll_id}",
            column_config={
                "id": st.column_config.TextColumn(_("Tunniste"), required=True, max_chars=40),
                **{code: st.column_config.TextColumn(LANGUAGE_NAMES[code], width="medium") for code in LANGS},
            },
        )
    return questions, options


def agenda_tab(*, prefix: str, draft: drafts.Draft, theme_ids: list[str]) -> pd.DataFrame:
    st.caption(_("Ohjelman päivien pitää olla tapahtuman päivien sisällä. Teema on vapaaehtoinen."))
    return st.data_editor(
        draft.agenda,
        num_rows="dynamic",
        hide_index=True,
        key=prefix + "agenda",
        column_config={
            "day": st.column_config.DateColumn(_("Päivä"), format="DD.MM.YYYY", required=True),
            "start": st.column_config.TimeColumn(_("Alkaa klo"), format="HH:mm", required=True),
            "end": st.column_config.TimeColumn(_("Päättyy klo"), format="HH:mm", required=True),
            **language_columns("title", N_("Otsikko ({language})"), width="medium"),
            "theme": st.column_config.SelectboxColumn(_("Teema"), options=["", *theme_ids]),
            **language_columns("note", N_("Huomautus ({language})")),
        },
    )


def save(*, draft: drafts.Draft, existing: Event | None) -> None:
    raw = drafts.assemble(draft=draft)
    checked, problems = drafts.check(raw=raw, catalogue=cat)
    if checked is None:
        show_problems([drafts.describe(problem=p, _=_, lang=lang) for p in problems])
        return
    try:
        if existing is None:
            events.create(engine=engine, event=checked, actor=ui.actor())
            st.session_state.pop("events-new", None)
        else:
            events.update_event(engine=engine, event=checked, actor=ui.actor(), expected_revision=revision or 0)
    except events.StaleEdit:
        st.error(
            _("Joku muu tallensi tapahtuman sillä välin. Lataa sivu nähdäksesi hänen muutoksensa."),
            icon=":material/sync_problem:",
        )
        return
    except events.EventExists as exc:
        taken = _("Tunniste {value} on jo toisen tapahtuman käytössä.", value=exc.value)
        if exc.field == "join_code":
            taken = _("Liittymiskoodi {value} on jo toisen tapahtuman käytössä.", value=exc.value)
        show_problems([taken])
        return
    except ContentError as exc:
        show_problems([str(exc)])
        return
    st.session_state["events-flash"] = _(
        "Tallennettu: {name}", name=checked.event.name(lang) if checked.event.name else checked.slug
    )
    st.session_state["events-goto"] = checked.slug
    st.rerun()


def clone_and_files(*, event: Event | None) -> None:
    if event is not None:
        st.subheader(_("Kloonaa seuraavan tapahtuman pohjaksi"))
        with st.form(f"clone-{event.slug}"):
            c1, c2, c3 = st.columns(3)
            slug = c1.text_input(_("Uuden tunniste"), value=f"{event.slug}-kopio", help=_(drafts.SLUG_HINT))
            code = c2.text_input(_("Uuden liittymiskoodi"), max_chars=12, help=_(drafts.JOIN_CODE_HINT))
            starts = c3.date_input(
                _("Alkaa"), value=max(today, event.event.starts) + dt.timedelta(days=30), format="DD.MM.YYYY"
            )
            if st.form_submit_button(_("Kloonaa ja avaa muokattavaksi"), icon=":material/content_copy:"):
                raw = events.clone_document(
                    event=event, slug=slug.strip(), join_code=code.strip().upper(), starts=starts
                )
                copy, problems = drafts.check(raw=raw, catalogue=cat)
                if copy is None:
                    show_problems([drafts.describe(problem=p, _=_, lang=lang) for p in problems])
                else:
                    start_new(draft=drafts.to_draft(event=copy))
                    st.session_state["events-flash"] = _("Kopio on luonnos: tallenna se, kun tiedot ovat valmiit.")
                    st.rerun()
        st.subheader(_("Vie tiedostoksi"))
        st.download_button(
            _("Lataa asetukset (TOML)"),
            data=events.export_toml(event=event).encode("utf-8"),
            file_name=f"{event.slug}.toml",
            mime="application/toml",
            icon=":material/download:",
            on_click="ignore",
            key=f"export-{event.slug}",
        )
    st.subheader(_("Tuo tiedostosta"))
    upload = st.file_uploader(_("Tapahtuman asetukset (TOML)"), type=["toml"], key="events-import")
    if upload is not None:
        try:
            imported = events.import_toml(text=upload.getvalue().decode("utf-8"), catalogue=cat, source=upload.name)
        except (ContentError, UnicodeDecodeError) as exc:
            st.error(_("Tiedostoa ei voitu lukea:") + f"\n\n```\n{exc}\n```", icon=":material/error:")
        else:
            st.write(
                _(
                    "Tiedostossa on tapahtuma {name} ({slug}).",
                    name=imported.event.name(lang) if imported.event.name else imported.slug,
                    slug=imported.slug,
                )
            )
            if st.button(
                _("Avaa muokattavaksi uutena tapahtumana"), key="events-import-open", icon=":material/upload_file:"
            ):
                start_new(draft=drafts.to_draft(event=imported))
                st.rerun()


if event is not None and events.is_past(event=event, today=today):
    st.header(names[event.slug])
    read_only(event=event)
    clone_and_files(event=event)
    st.stop()

prefix, draft = draft_for(event=event)
st.header(names[event.slug] if event else _("Uusi tapahtuma"))
if event is not None:
    closed = live.current(engine=engine, event_slug=event.slug).closed
    c1, c2 = st.columns([3, 1])
    c1.write(
        _("Osallistuminen on suljettu: puhelimet kertovat tapahtuman päättyneen.")
        if closed
        else _("Osallistuminen on avoinna: liittymiskoodilla {code} pääsee vastaamaan.", code=event.event.join_code)
    )
    if c2.button(_("Avaa osallistumiselle") if closed else _("Sulje osallistuminen"), key=f"{prefix}closed"):
        live.set_closed(engine=engine, event=event, closed=not closed)
        st.rerun()
    code = {"code": event.event.join_code, "lang": lang}
    with st.container(horizontal=True, gap="medium"):
        st.page_link(
            "views/facilitate.py", label=_("Fasilitoi tätä tapahtumaa"), icon=":material/tune:", query_params=code
        )
        st.page_link("views/programme.py", label=_("Ohjelma"), icon=":material/event_note:", query_params=code)
        st.page_link("views/memos.py", label=_("Muistiot"), icon=":material/rate_review:", query_params=code)
        st.page_link("views/join.py", label=_("Osallistumissivu"), icon=":material/smartphone:", query_params=code)

tabs = st.tabs([_("Perustiedot"), _("Teemat ja muistiot"), _("Kysymykset"), _("Ohjelma"), _("Kloonaa, vie ja tuo")])
with tabs[0]:
    info = info_tab(prefix=prefix, draft=draft, existing=event is not None)
with tabs[1]:
    themes, contents, memos = themes_tab(prefix=prefix, draft=draft)
theme_ids = [str(t).strip() for t in themes["id"].dropna() if str(t).strip()]
with tabs[2]:
    questions, options = questions_tab(prefix=prefix, draft=draft, theme_ids=theme_ids)
with tabs[3]:
    agenda = agenda_tab(prefix=prefix, draft=draft, theme_ids=theme_ids)
with tabs[4]:
    clone_and_files(event=event)

edited = drafts.Draft(
    info=info,
    themes=themes,
    contents=contents,
    memos=memos,
    memo_status=draft.memo_status,
    questions=questions,
    options=options,
    agenda=agenda,
)
if st.button(_("Tallenna tapahtuma"), type="primary", icon=":material/save:", key=f"{prefix}save"):
    save(draft=edited, existing=event)
