"""Facilitator: pick the live theme and question, open and close, reveal, moderate, watch participation."""

from typing import Any

import streamlit as st

from alkedash import analysis, invite, live, results, tables, ui
from alkedash.charts import channel_label

ui.require_role("facilitator")
engine = ui.engine()
event = ui.require_event()
KIND = {"idea": "Idea", "words": "Sanapilvi", "rating": "Arviointi 1–5", "poll": "Kysely"}
ACTOR = ui.actor()  # in the moderation log: the sign-on address, or the role

st.title("Fasilitointi")
url = invite.join_url(public_url=ui.settings().public_url, join_code=event.event.join_code)
st.caption(
    f"{event.event.name('fi') if event.event.name else event.slug} · liittymiskoodi **{event.event.join_code}** · {url}"
)
st.page_link("views/screen.py", label="Avaa näyttösivu (projektori)", icon=":material/co_present:")


def act(fn, /, **kwargs: object) -> None:
    """Button callback: the change is stored before the view redraws, so no extra rerun is needed."""
    fn(engine=engine, event=event, **kwargs)


@st.fragment(run_every=5)
def control() -> None:
    state = live.current(engine=engine, event_slug=event.slug)
    presence = results.presence(engine=engine, event_slug=event.slug, minutes=ui.settings().presence_minutes)
    counts = results.answer_counts(engine=engine, event_slug=event.slug)
    by = presence.set_index("channel")
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Salissa nyt",
        f"{by.loc['room', 'present']} / {event.event.room_capacity}",
        help=f"Aktiivisia {ui.settings().presence_minutes} min sisällä; "
        f"liittyneitä yhteensä {by.loc['room', 'joined']}",
    )
    c2.metric(
        "Striimissä nyt", int(by.loc["stream", "present"]), help=f"Liittyneitä yhteensä {by.loc['stream', 'joined']}"
    )
    c3.metric("Vastauksia yhteensä", int(counts["inputs"].sum()) if not counts.empty else 0)
    if by.loc["room", "present"] >= event.event.room_capacity:
        st.warning("Salin enimmäismäärä on täynnä.")
    if state.closed:
        st.error("Tapahtuma on päätetty: puhelimet kertovat sen, eikä uusia vastauksia tallenneta.")
    # A button, like every other control here: a switch redrawn under a new key as the live state
    # moves on was once flipped by the browser without anyone touching it (browser test).
    if state.premoderation:
        st.info("Ennakkomoderointi on päällä: uudet ideat ja sanat näkyvät vasta, kun hyväksyt ne.")
    st.button(
        "Lopeta ennakkomoderointi" if state.premoderation else "Ennakkomoderointi päälle",
        key="premoderation",
        icon=":material/gavel:",
        help="Uudet ideat ja sanat odottavat hyväksyntääsi. Sanasuodattimen tunnistamat kirosanat ja "
        "herjaukset odottavat hyväksyntää aina.",
        on_click=act,
        args=(live.set_premoderation,),
        kwargs={"on": not state.premoderation},
    )
    review(state=state)

    st.subheader("Teema")
    cols = st.columns(len(event.themes))
    for col, theme in zip(cols, event.themes, strict=True):
        current = theme.id == state.theme_id
        label = ("Nyt · " if current else "") + f"{theme.id}: {theme.title('fi') if theme.title else ''}"
        col.button(
            label,
            key=f"theme-{theme.id}",
            type="primary" if current else "secondary",
            width="stretch",
            disabled=current,
            on_click=act,
            args=(live.set_theme,),
            kwargs={"theme_id": theme.id},
        )

    theme = event.theme(state.theme_id)
    if theme is None:
        return
    st.subheader("Kysymykset")
    for q in theme.questions:
        on_screen = q.id == state.question_id
        is_open = q.id in state.open_questions
        n = results.question_total(counts=counts, question_id=q.id)
        with st.container(border=True):
            text, b1, b2 = st.columns([6, 2, 2], vertical_alignment="center")
            badge = " · **näytöllä**" if on_screen else ""
            status = ":green[auki]" if is_open else ":gray[suljettu]"
            text.markdown(f"**{KIND[q.kind]}** · {status}{badge}  \n{q.prompt('fi')}")
            text.caption(" · ".join(f"{channel_label(channel=c, lang='fi')}: {n[c]}" for c in ("room", "stream")))
            b1.button(
                "Sulje" if is_open else "Avaa",
                key=f"open-{q.id}",
                width="stretch",
                type="secondary" if is_open else "primary",
                on_click=act,
                args=(live.set_open,),
                kwargs={"question_id": q.id, "is_open": not is_open},
            )
            b2.button(
                "Näytöllä" if on_screen else "Näytä näytöllä",
                key=f"show-{q.id}",
                width="stretch",
                disabled=on_screen,
                on_click=act,
                args=(live.set_question,),
                kwargs={"question_id": q.id},
            )

    st.subheader("Tulokset näytöllä")
    if state.revealed:
        st.success("Tulokset näkyvät näytöllä.")
        st.button(
            "Piilota tulokset näytöltä",
            key="reveal",
            on_click=act,
            args=(live.set_revealed,),
            kwargs={"revealed": False},
        )
    else:
        st.info("Tulokset ovat piilossa; näytöllä näkyy kysymys ja vastausmäärä.")
        st.button(
            "Näytä tulokset",
            key="reveal",
            type="primary",
            on_click=act,
            args=(live.set_revealed,),
            kwargs={"revealed": True},
        )

    found = event.question(state.question_id)
    if found is None or found[1].kind not in ("idea", "words"):
        return
    st.subheader("Moderointi")
    st.caption(
        "Piilotettu vastaus ei näy näytöllä, puhelimissa eikä tuloksissa. Nostettu idea näkyy näytöllä ensimmäisenä."
    )
    rows = results.inputs_for_moderation(engine=engine, event_slug=event.slug, question_id=found[1].id)
    if rows.empty:
        st.caption("Ei vielä vastauksia.")
    for row in rows.itertuples():
        with st.container(border=True):
            text, b1, b2 = st.columns([6, 2, 2], vertical_alignment="center")
            flags = (" · :red[piilotettu]" if row.hidden else "") + (" · :violet[nostettu]" if row.highlighted else "")
            text.caption(f"#{row.id} · {channel_label(channel=row.channel, lang='fi')}{flags}")
            text.text(row.text)
            flood_button(column=text, input_id=int(row.id))
            b1.button(
                "Palauta" if row.hidden else "Piilota",
                key=f"hide-{row.id}",
                width="stretch",
                on_click=act,
                args=(live.moderate,),
                kwargs={"input_id": int(row.id), "action": "unhide" if row.hidden else "hide", "actor": ACTOR},
            )
            if found[1].kind == "idea":
                b2.button(
                    "Poista nosto" if row.highlighted else "Nosta esiin",
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
        "Piilota kaikki tämän puhelimen vastaukset",
        key=f"flood-{input_id}",
        type="tertiary",
        icon=":material/block:",
        on_click=act,
        args=(live.hide_participant,),
        kwargs={"input_id": input_id, "actor": ACTOR},
    )


def review(*, state: live.LiveView) -> None:
    """Inputs waiting for a decision, oldest first: pre-moderated ones and the word filter's catches."""
    held = results.held_inputs(engine=engine, event_slug=event.slug)
    if held.empty:
        if state.premoderation:
            st.caption("Ei tarkistettavia vastauksia.")
        return
    st.subheader(f"Odottaa tarkistusta ({len(held)})")
    for row in held.itertuples():
        found = event.question(row.question_id)
        prompt = found[1].prompt("fi") if found else row.question_id
        with st.container(border=True):
            text, b1, b2 = st.columns([6, 2, 2], vertical_alignment="center")
            why = " · :orange[sanasuodatin]" if row.flagged else ""
            text.caption(f"#{row.id} · {KIND[row.kind]} · {channel_label(channel=row.channel, lang='fi')}{why}")
            text.text(row.text)
            text.caption(prompt)
            flood_button(column=text, input_id=int(row.id))
            b1.button(
                "Hyväksy",
                key=f"approve-{row.id}",
                type="primary",
                width="stretch",
                on_click=act,
                args=(live.moderate,),
                kwargs={"input_id": int(row.id), "action": "approve", "actor": ACTOR},
            )
            b2.button(
                "Hylkää",
                key=f"reject-{row.id}",
                width="stretch",
                on_click=act,
                args=(live.moderate,),
                kwargs={"input_id": int(row.id), "action": "reject", "actor": ACTOR},
            )


def event_settings() -> None:
    """Ending the day, and the moderation log to keep."""
    state = live.current(engine=engine, event_slug=event.slug)
    st.subheader("Tapahtuman päättäminen")
    if state.closed:
        st.info("Tapahtuma on päätetty. Avaa se uudelleen, jos vastauksia pitää vielä ottaa vastaan.")
        st.button("Avaa tapahtuma uudelleen", on_click=act, args=(live.set_closed,), kwargs={"closed": False})
    else:
        st.caption(
            "Kun tapahtuma on päätetty, puhelimet kertovat sen, eikä uusia vastauksia, peukutuksia tai "
            "liittymisiä enää oteta vastaan."
        )
        st.button(
            "Päätä tapahtuma",
            icon=":material/event_busy:",
            on_click=act,
            args=(live.set_closed,),
            kwargs={"closed": True},
        )
    st.subheader("Moderointiloki")
    log = tables.moderation_log(engine=engine, catalogue=ui.catalogue(), event=event)
    st.caption("Kuka piilotti, palautti, nosti, hyväksyi tai hylkäsi minkäkin vastauksen ja milloin.")
    if log.empty:
        st.caption("Lokissa ei ole vielä merkintöjä.")
        return
    st.dataframe(log, hide_index=True)
    ui.csv_download(table=log, name=f"{event.slug}-moderointiloki", key="log-csv", label="Lataa moderointiloki (CSV)")


@st.fragment(run_every=10)
def groups() -> None:
    """The live theme's ideas gathered into groups by their words, regrouped as ideas arrive."""
    state = live.current(engine=engine, event_slug=event.slug)
    if state.theme_id is None:
        return
    st.subheader("Idearyhmät")
    st.caption(
        "Teeman ideat ryhmiteltyinä yhteisten sanojen mukaan (perusmuodot). "
        "Ryhmät päivittyvät 10 sekunnin välein; piilotetut ideat eivät ole mukana."
    )
    ideas = analysis.ideas(engine=engine, filters=analysis.Filters(event=event.slug, themes=(state.theme_id,)))
    ui.idea_group_list(groups=analysis.idea_groups(ideas=ideas), ideas=ideas, key="live-groups")


steer, grouped, settings = st.tabs(["Ohjaus ja moderointi", "Idearyhmät", "Päättäminen ja loki"])
with steer:
    control()
with grouped:
    groups()
with settings:
    event_settings()
