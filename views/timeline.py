"""Timeline: a series' preparation and events on a date axis, today marked, with its table and
links to the programmes of its events."""

import datetime as dt

import streamlit as st
from babel.dates import format_interval

from alkedash import drafts, events, series, timeline, translation, ui
from alkedash.content import EVENT_ZONE, LANGS, ContentError
from alkedash.translation import LANGUAGE_NAMES

engine = ui.engine()
lang = ui.lang()
_ = translation.translator(lang=lang)
ui.css(
    "h1, h2 {hyphens: auto; overflow-wrap: anywhere;}"
    " .st-key-series-description p {font-size: 1.15rem; max-width: 60rem;}"
    # A series' long Finnish title ("aluekehittämispäätöksen") fits a phone's line whole.
    " @media (max-width: 640px) {h2 {font-size: 1.45rem !important;}}"
)

st.title(_("Aikajana"))
found = series.all_series(engine=engine)
if not found:
    st.info(_("Sarjoja ei ole vielä tallennettu."))
    st.stop()

slugs = [s.slug for s in found]
titles = {s.slug: s.title(lang) for s in found}
event = ui.event_from_url()
# The series the URL names (?series=…), else that of the URL's event, else the newest.
wanted = ui.query_param("series") or (event.event.series if event is not None else None)
if goto := st.session_state.pop("timeline-goto", None):  # a series just created is shown
    st.session_state["timeline-series"] = goto
choice = st.selectbox(
    _("Sarja"),
    options=slugs,
    index=slugs.index(wanted) if wanted in slugs else 0,
    format_func=titles.__getitem__,
    key="timeline-series",
    width=640,
)
info = next(s for s in found if s.slug == choice)

st.header(info.title(lang))
if info.description:
    with st.container(key="series-description"):
        st.markdown(info.description(lang))
items = series.milestones(engine=engine, series=info.slug)
if any(m.tentative for m in items):
    st.caption(_("Alustava ajankohta näkyy katkonaisena palkkina tai onttona merkkinä ja sanana ”alustava”."))

plan = timeline.Plan(info=info, milestones=tuple(items))
today = dt.datetime.now(EVENT_ZONE).date()
ui.chart_with_table(
    figure=timeline.figure(plans=[plan], lang=lang, today=today),
    table=timeline.table(plans=[plan], lang=lang),
    key=f"timeline-{info.slug}",
    csv_name=_.pgettext("file name", "{series}-aikajana", series=info.slug),
)

linked = series.events_of(engine=engine, series=info.slug)
if linked:
    st.subheader(_("Sarjan tapahtumat"))
    for e in linked:
        with st.container(border=True):
            st.markdown(f"**{ui.plain(e.event.name(lang) if e.event.name else e.slug)}**")
            dates = format_interval(e.event.starts, e.event.ends, "yMMMd", locale=_.locale)
            st.caption(f"{dates} · {ui.plain(e.event.venue(lang))}, {ui.plain(e.event.city)}")
            st.page_link(
                "views/programme.py",
                label=_("Avaa ohjelma"),
                icon=":material/event_note:",
                query_params={"code": e.event.join_code, "lang": lang},
            )


def refused(*, heading: str, exc: ContentError) -> None:
    """Why a form was not saved, each problem where the organiser finds it, in their language."""
    if isinstance(exc, series.MilestoneExists | series.SeriesExists):
        reasons = [_("Tunniste on jo käytössä.")]
    else:
        found = getattr(exc, "errors", None) or []
        reasons = [drafts.describe(problem=drafts.Problem.from_error(e), _=_, lang=lang) for e in found] or [str(exc)]
    st.error(heading + "\n" + "\n".join(f"- {r}" for r in reasons))


if ui.has_role("organiser"):
    NEW = ""
    st.subheader(_("Muokkaa aikajanaa"))
    done = st.session_state.pop("timeline-saved", None)
    if done:
        st.success(done)
    names = {NEW: _("Uusi vaihe")}
    names.update({m.key: f"{timeline.when(milestone=m, lang=lang, year=True)}: {m.title(lang)}" for m in items})
    picked = st.selectbox(_("Muokattava vaihe"), list(names), format_func=names.__getitem__, key=f"pick-{info.slug}")
    current = next((m for m in items if m.key == picked), None)
    kinds = list(series.KINDS)
    stored = {e.slug: e.event.name(lang) if e.event.name else e.slug for e in events.all_events(engine=engine)}
    with st.form(f"milestone-{info.slug}-{picked}"):
        key = st.text_input(
            _("Tunniste"),
            value=current.key if current else "",
            help=_("Kirjaimia, numeroita, - ja _; eri kuin sarjan muiden vaiheiden."),
        )
        kind = st.selectbox(
            _("Laji"),
            kinds,
            index=kinds.index(current.kind) if current else 0,
            format_func=lambda k: series.KINDS[k](lang),
        )
        title = {
            code: column.text_input(
                _("Otsikko ({language})", language=LANGUAGE_NAMES[code]), value=current.title(code) if current else ""
            )
            for code, column in zip(LANGS, st.columns(3), strict=True)
        }
        first, second = st.columns(2)
        starts = first.date_input(_("Alkaa"), value=current.starts if current else today, format="DD.MM.YYYY")
        ends = second.date_input(
            _("Päättyy (jos useampi päivä)"), value=current.ends if current else None, format="DD.MM.YYYY"
        )
        place = st.text_input(
            _.pgettext("timeline", "Paikka"), value=(current.place or "") if current else "", max_chars=80
        )
        note = {
            code: column.text_input(
                _("Lisätieto ({language})", language=LANGUAGE_NAMES[code]),
                value=current.note(code) if current and current.note else "",
            )
            for code, column in zip(LANGS, st.columns(3), strict=True)
        }
        tentative = st.checkbox(_("Ajankohta on alustava"), value=current.tentative if current else True)
        options = ["", *stored]
        linked_event = st.selectbox(
            _("Tapahtuma, jota vaihe tarkoittaa"),
            options,
            index=options.index(current.event) if current and current.event in options else 0,
            format_func=lambda slug: stored.get(slug) or _("ei tapahtumaa"),
        )
        saved = st.form_submit_button(_("Tallenna vaihe"), type="primary")
    if saved:
        try:
            milestone = series.milestone_from_form(
                key=key,
                kind=kind,
                title=title,
                starts=starts if isinstance(starts, dt.date) else None,
                ends=ends if isinstance(ends, dt.date) else None,
                place=place,
                note=note,
                tentative=tentative,
                event=linked_event or None,
                source=_("Lomake"),
            )
            if current is None:
                series.add_milestone(engine=engine, series=info.slug, milestone=milestone)
            else:
                series.update_milestone(engine=engine, series=info.slug, key=current.key, milestone=milestone)
        except ContentError as exc:
            refused(heading=_("Vaihetta ei tallennettu:"), exc=exc)
        else:
            st.session_state["timeline-saved"] = _("Vaihe {title} tallennettu.", title=milestone.title(lang))
            st.session_state.pop(f"pick-{info.slug}", None)
            st.rerun()
    if current is not None:
        with st.form(f"remove-{info.slug}-{current.key}"):
            sure = st.checkbox(_("Poista vaihe {title} aikajanalta", title=current.title(lang)))
            if st.form_submit_button(_("Poista vaihe")) and sure:
                series.remove_milestone(engine=engine, series=info.slug, key=current.key)
                st.session_state["timeline-saved"] = _("Vaihe {title} poistettu.", title=current.title(lang))
                st.session_state.pop(f"pick-{info.slug}", None)
                st.rerun()
    with st.expander(_("Sarjan nimi ja kuvaus, tai uusi sarja")):
        which = st.radio(
            _("Sarja"),
            [info.slug, NEW],
            format_func=lambda slug: titles[slug] if slug else _("Uusi sarja"),
            horizontal=True,
            key=f"series-which-{info.slug}",
        )
        editing = info if which else None
        with st.form(f"series-{info.slug}-{which}"):
            slug = st.text_input(
                _("Tunniste"), value=editing.slug if editing else "", disabled=editing is not None, max_chars=40
            )
            title = {
                code: st.text_input(
                    _("Otsikko ({language})", language=LANGUAGE_NAMES[code]),
                    value=editing.title(code) if editing else "",
                )
                for code in LANGS
            }
            description = {
                code: st.text_area(
                    _("Kuvaus ({language})", language=LANGUAGE_NAMES[code]),
                    value=editing.description(code) if editing and editing.description else "",
                    height=90,
                )
                for code in LANGS
            }
            if st.form_submit_button(_("Tallenna sarja"), type="primary"):
                try:
                    saved_series = series.series_from_form(
                        slug=editing.slug if editing else slug, title=title, description=description, source=_("Lomake")
                    )
                    series.save_series(engine=engine, info=saved_series, new=editing is None)
                except ContentError as exc:
                    refused(heading=_("Sarjaa ei tallennettu:"), exc=exc)
                else:
                    st.session_state["timeline-saved"] = _("Sarja {title} tallennettu.", title=saved_series.title(lang))
                    st.session_state["timeline-goto"] = saved_series.slug
                    st.rerun()
