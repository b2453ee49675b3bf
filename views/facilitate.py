"""Facilitator: pick the live theme and question, open and close, reveal, moderate, watch participation."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from alkedash import analysis, invite, live, results, tables, translation, ui
from alkedash.charts import channel_label
from alkedash.translation import N_

ui.require_role("facilitator")
engine = ui.engine()
event = ui.require_event()
lang = ui.lang()
_ = translation.translator(lang=lang)
KIND = {"idea": N_("Idea"), "words": N_("Sanapilvi"), "rating": N_("Arviointi 1–5"), "poll": N_("Kysely")}
ACTOR = ui.actor()  # in the moderation log: the sign-on address, or the role

st.title(_("Fasilitointi"))
url = invite.join_url(public_url=ui.settings().public_url, join_code=event.event.join_code)
st.caption(
    _(
        "{event} · liittymiskoodi **{code}** · {url}",
        event=event.event.name(lang) if event.event.name else event.slug,
        code=event.event.join_code,
        url=url,
    )
)
st.page_link("views/screen.py", label=_("Avaa näyttösivu (projektori)"), icon=":material/co_present:")


def act(fn: Callable[..., None], /, **kwargs: object) -> None:
    """Button callback: the change is stored before the view redraws, so no extra rerun is needed."""
    fn(engine=engine, event=event, **kwargs)


@st.fragment(run_every=5)
def control() -> None:
    state = live.current(engine=engine, event_slug=event.slug)
    presence = results.presence(engine=engine, event_slug=event.slug, minutes=ui.settings().presence_minutes)
    counts = results.answer_counts(engine=engine, event_slug=event.slug)
    by = presence.set_index("channel")
    c1, c2, c3 = st.columns(3)
    room_now = _.number(int(by.loc["room", "present"]))
    c1.metric(
        _("Salissa nyt"),
        f"{room_now} / {_.number(event.event.room_capacity)}",
        help=_(
            "Aktiivisia {minutes} min sisällä; liittyneitä yhteensä {joined}",
            minutes=_.number(ui.settings().presence_minutes),
            joined=_.number(int(by.loc["room", "joined"])),
        ),
    )
    c2.metric(
        _("Striimissä nyt"),
        _.number(int(by.loc["stream", "present"])),
        help=_("Liittyneitä yhteensä {joined}", joined=_.number(int(by.loc["stream", "joined"]))),
    )
    c3.metric(_("Vastauksia yhteensä"), _.number(int(counts["inputs"].sum()) if not counts.empty else 0))
    if by.loc["room", "present"] >= event.event.room_capacity:
        st.warning(_("Salin enimmäismäärä on täynnä."))
    if state.closed:
        st.error(_("Tapahtuma on päätetty: puhelimet kertovat sen, eikä uusia vastauksia tallenneta."))
    # A button, like every other control here: a switch redrawn under a new key as the live state
    # moves on was once flipped by the browser without anyone touching it (browser test).
    if state.premoderation:
        st.info(_("Ennakkomoderointi on päällä: uudet ideat ja sanat näkyvät vasta, kun hyväksyt ne."))
    st.button(
        _("Lopeta ennakkomoderointi") if state.premoderation else _("Ennakkomoderointi päälle"),
        key="premoderation",
        icon=":material/gavel:",
        help=_(
            "Uudet ideat ja sanat odottavat hyväksyntääsi. Sanasuodattimen tunnistamat kirosanat ja "
            "herjaukset odottavat hyväksyntää aina."
        ),
        on_click=act,
        args=(live.set_premoderation,),
        kwargs={"on": not state.premoderation},
    )
    screen_language(state=state)
    review(state=state)

    st.subheader(_("Teema"))
    cols = st.columns(len(event.themes))
    for col, choice in zip(cols, event.themes, strict=True):
        current = choice.id == state.theme_id
        name = f"{choice.id}: {choice.title(lang) if choice.title else ''}"
        label = _("Nyt · {theme}", theme=name) if current else name
        col.button(
            label,
            key=f"theme-{choice.id}",
            type="primary" if current else "secondary",
            width="stretch",
            disabled=current,
            on_click=act,
            args=(live.set_theme,),
            kwargs={"theme_id": choice.id},
        )

    theme = event.theme(state.theme_id)
    if theme is None:
        return
    st.subheader(_("Kysymykset"))
    words = {"on_screen": _("näytöllä"), "open": _("auki"), "closed": _("suljettu")}
    for q in theme.questions:
        on_screen = q.id == state.question_id
        is_open = q.id in state.open_questions
        n = results.question_total(counts=counts, question_id=q.id)
        with st.container(border=True):
            text, b1, b2 = st.columns([6, 2, 2], vertical_alignment="center")
            badge = f" · **{words['on_screen']}**" if on_screen else ""
            status = f":green[{words['open']}]" if is_open else f":gray[{words['closed']}]"
            kind = _(KIND[q.kind])
            text.markdown(f"**{kind}** · {status}{badge}  \n{q.prompt(lang)}")
            text.caption(
                " · ".join(f"{channel_label(channel=c, lang=lang)}: {_.number(n[c])}" for c in ("room", "stream"))
            )
            b1.button(
                _("Sulje") if is_open else _("Avaa"),
                key=f"open-{q.id}",
                width="stretch",
                type="secondary" if is_open else "primary",
                on_click=act,
                args=(live.set_open,),
                kwargs={"question_id": q.id, "is_open": not is_open},
            )
            b2.button(
                _("Näytöllä") if on_screen else _("Näytä näytöllä"),
                key=f"show-{q.id}",
                width="stretch",
                disabled=on_screen,
                on_click=act,
                args=(live.set_question,),
                kwargs={"question_id": q.id},
            )

    st.subheader(_("Tulokset näytöllä"))
    if state.revealed:
        st.success(_("Tulokset näkyvät näytöllä."))
        st.button(
            _("Piilota tulokset näytöltä"),
            key="reveal",
            on_click=act,
            args=(live.set_revealed,),
            kwargs={"revealed": False},
        )
    else:
        st.info(_("Tulokset ovat piilossa; näytöllä näkyy kysymys ja vastausmäärä."))
        st.button(
            _("Näytä tulokset"),
            key="reveal",
            type="primary",
            on_click=act,
            args=(live.set_revealed,),
            kwargs={"revealed": True},
        )

    found = event.question(state.question_id)
    if found is None or found[1].kind not in ("idea", "words"):
        return
    st.subheader(_("Moderointi"))
    st.caption(
        _("Piilotettu vastaus ei näy näytöllä, puhelimissa eikä tuloksissa. Nostettu idea näkyy näytöllä ensimmäisenä.")
    )
    rows = results.inputs_for_moderation(engine=engine, event_slug=event.slug, question_id=found[1].id)
    if rows.empty:
        st.caption(_("Ei vielä vastauksia."))
    hidden, highlighted = _("piilotettu"), _("nostettu")
    for row in rows.itertuples():
        with st.container(border=True):
            text, b1, b2 = st.columns([6, 2, 2], vertical_alignment="center")
            flags = (f" · :red[{hidden}]" if row.hidden else "") + (
                f" · :violet[{highlighted}]" if row.highlighted else ""
            )
            text.caption(f"#{row.id} · {channel_label(channel=row.channel, lang=lang)}{flags}")
            text.text(row.text)
            flood_button(column=text, input_id=int(row.id))
            b1.button(
                _("Palauta") if row.hidden else _("Piilota"),
                key=f"hide-{row.id}",
                width="stretch",
                on_click=act,
                args=(live.moderate,),
                kwargs={"input_id": int(row.id), "action": "unhide" if row.hidden else "hide", "actor": ACTOR},
            )
            if found[1].kind == "idea":
                b2.button(
                    _("Poista nosto") if row.highlighted else _("Nosta esiin"),
                    key=f"hl-{row.id}",
                    width="stretch",
                    on_click=act,
                    args=(live.moderate,),
                    kwargs={
                        "input_id": int(row.id),
                        "actor": ACTOR,
                        "action": "unhighlight" if row.highlighted else "highlight",
                    },
                )


def flood_button(*, column: Any, input_id: int) -> None:
    """Against a phone that floods the room: hide everything it wrote, in one tap."""
    column.button(
        _("Piilota kaikki tämän puhelimen vastaukset"),
        key=f"flood-{input_id}",
        type="tertiary",
        icon=":material/block:",
        on_click=act,
        args=(live.hide_participant,),
        kwargs={"input_id": input_id, "actor": ACTOR},
    )


def screen_language(*, state: live.LiveView) -> None:
    """The projector's language, one button per language named in that language: every screen
    switches on its next refresh; this page stays in the facilitator's own language."""
    heading = _("Näytön kieli")
    st.markdown(f"**{heading}**")
    for col, (code, name) in zip(st.columns(len(translation.LANGS)), translation.LANGUAGE_NAMES.items(), strict=True):
        current = code == state.screen_lang
        col.button(
            name,
            key=f"screen-lang-{code}",
            type="primary" if current else "secondary",
            width="stretch",
            disabled=current,
            help=_("Näyttösivu vaihtaa kieltä seuraavalla päivityksellään."),
            on_click=act,
            args=(live.set_screen_lang,),
            kwargs={"lang": code},
        )


def review(*, state: live.LiveView) -> None:
    """Inputs waiting for a decision, oldest first: pre-moderated ones and the word filter's catches."""
    held = results.held_inputs(engine=engine, event_slug=event.slug)
    if held.empty:
        if state.premoderation:
            st.caption(_("Ei tarkistettavia vastauksia."))
        return
    st.subheader(_("Odottaa tarkistusta ({n})", n=_.number(len(held))))
    filtered = _("sanasuodatin")
    for row in held.itertuples():
        found = event.question(row.question_id)
        prompt = found[1].prompt(lang) if found else row.question_id
        with st.container(border=True):
            text, b1, b2 = st.columns([6, 2, 2], vertical_alignment="center")
            why = f" · :orange[{filtered}]" if row.flagged else ""
            kind = _(KIND[row.kind]) if row.kind in KIND else row.kind
            text.caption(f"#{row.id} · {kind} · {channel_label(channel=row.channel, lang=lang)}{why}")
            text.text(row.text)
            text.caption(prompt)
            flood_button(column=text, input_id=int(row.id))
            b1.button(
                _("Hyväksy"),
                key=f"approve-{row.id}",
                type="primary",
                width="stretch",
                on_click=act,
                args=(live.moderate,),
                kwargs={"input_id": int(row.id), "action": "approve", "actor": ACTOR},
            )
            b2.button(
                _("Hylkää"),
                key=f"reject-{row.id}",
                width="stretch",
                on_click=act,
                args=(live.moderate,),
                kwargs={"input_id": int(row.id), "action": "reject", "actor": ACTOR},
            )


def event_settings() -> None:
    """Ending the day, and the moderation log to keep."""
    state = live.current(engine=engine, event_slug=event.slug)
    st.subheader(_("Tapahtuman päättäminen"))
    if state.closed:
        st.info(_("Tapahtuma on päätetty. Avaa se uudelleen, jos vastauksia pitää vielä ottaa vastaan."))
        st.button(_("Avaa tapahtuma uudelleen"), on_click=act, args=(live.set_closed,), kwargs={"closed": False})
    else:
        st.caption(
            _(
                "Kun tapahtuma on päätetty, puhelimet kertovat sen, eikä uusia vastauksia, peukutuksia tai "
                "liittymisiä enää oteta vastaan."
            )
        )
        st.button(
            _("Päätä tapahtuma"),
            icon=":material/event_busy:",
            on_click=act,
            args=(live.set_closed,),
            kwargs={"closed": True},
        )
    st.subheader(_("Moderointiloki"))
    log = tables.moderation_log(engine=engine, catalogue=ui.catalogue(), event=event, lang=lang)
    st.caption(_("Kuka piilotti, palautti, nosti, hyväksyi tai hylkäsi minkäkin vastauksen ja milloin."))
    if log.empty:
        st.caption(_("Lokissa ei ole vielä merkintöjä."))
        return
    # The times as the translator's dates and times read (translation.Translator.moment), with seconds.
    formats = {"fi": "D.M.YYYY H.mm.ss", "sv": "YYYY-MM-DD HH:mm:ss", "en": "DD/MM/YYYY, HH:mm:ss"}
    when = st.column_config.DatetimeColumn(tables.COLUMNS["time"](lang), format=formats.get(lang, formats["fi"]))
    st.dataframe(log, hide_index=True, column_config={tables.COLUMNS["time"](lang): when})
    ui.csv_download(
        table=log,
        name=_.pgettext("file name", "{event}-moderointiloki", event=event.slug),
        key="log-csv",
        label=_("Lataa moderointiloki (CSV)"),
    )


@st.fragment(run_every=10)
def groups() -> None:
    """The live theme's ideas gathered into groups by their words, regrouped as ideas arrive."""
    state = live.current(engine=engine, event_slug=event.slug)
    if state.theme_id is None:
        return
    st.subheader(_("Idearyhmät"))
    st.caption(
        _(
            "Teeman ideat ryhmiteltyinä yhteisten sanojen mukaan (perusmuodot). "
            "Ryhmät päivittyvät {seconds} sekunnin välein; piilotetut ideat eivät ole mukana.",
            seconds=_.number(10),
        )
    )
    ideas = analysis.ideas(engine=engine, filters=analysis.Filters(event=event.slug, themes=(state.theme_id,)))
    ui.idea_group_list(groups=analysis.idea_groups(ideas=ideas), ideas=ideas, key="live-groups")


steer, grouped, settings = st.tabs([_("Ohjaus ja moderointi"), _("Idearyhmät"), _("Päättäminen ja loki")])
with steer:
    control()
with grouped:
    groups()
with settings:
    event_settings()
