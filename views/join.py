"""Participant's phone: join with the code from the QR, answer the live theme, upvote ideas."""

import streamlit as st

from alkedash import intake, live, results, ui
from alkedash.content import CHANNELS, LANGS, ORG_TYPES, Question
from alkedash.intake import IDEA_MAX_CHARS, WORD_MAX_CHARS, IntakeError

engine = ui.engine()
cat = ui.catalogue()
lang = ui.lang()
t = ui.t
ui.css(
    ".block-container {max-width: 40rem; padding-top: 3.5rem;} h1 {font-size: 1.7rem !important;}"
    " .stRadio [role=radiogroup] {gap: .25rem .9rem;}"
)

choice = st.segmented_control(
    t("language"),
    options=list(LANGS),
    default=lang,
    format_func=str.upper,
    key="lang-pick",
    label_visibility="collapsed",
)
if choice and choice != lang:
    st.query_params["lang"] = choice
    st.rerun()

event = ui.event_from_url()
if event is None:
    st.error(t("unknown_event"))
    with st.form("code"):
        code = st.text_input(t("code_label"), max_chars=12)
        if st.form_submit_button(t("code_button")):
            st.query_params["code"] = code.strip().upper()
            st.rerun()
    st.stop()

st.title(event.event.name(lang) if event.event.name else event.slug)
participant = intake.find_participant(engine=engine, event_slug=event.slug, token=ui.sticky_param("p"))

if participant is None:
    st.subheader(t("join_title"))
    st.caption(t("join_intro"))
    with st.form("join"):
        channel = st.radio(
            t("channel"), options=[c for c, _ in CHANNELS], format_func=lambda c: dict(CHANNELS)[c](lang), index=None
        )
        region = st.selectbox(
            t("region"),
            options=[r.code for r in cat.regions],
            format_func=lambda c: cat.region(c).name(lang),  # type: ignore[union-attr]
            index=None,
            placeholder=t("not_given"),
        )
        org_type = st.selectbox(
            t("org_type"),
            options=[o for o, _ in ORG_TYPES],
            format_func=lambda o: dict(ORG_TYPES)[o](lang),
            index=None,
            placeholder=t("not_given"),
        )
        if st.form_submit_button(t("join_button"), type="primary", width="stretch"):
            if channel is None:
                st.error(t("bad_channel"))
            else:
                token = intake.join(
                    engine=engine,
                    event=event,
                    channel=channel,
                    region=region,
                    org_type=org_type,
                    lang=lang,
                    catalogue=cat,
                )
                st.query_params["code"] = event.event.join_code
                st.query_params["p"] = token
                st.rerun()
    st.stop()

state = live.current(engine=engine, event_slug=event.slug)
st.session_state["seen_version"] = state.version
theme = event.theme(state.theme_id)
where = dict(CHANNELS)[participant.channel](lang)
region = cat.region(participant.region)
st.caption(t("you_are", channel=where) + (f" · {region.name(lang)}" if region else ""))

if theme is None:
    st.info(t("nothing_open"))
    st.stop()

st.caption(t("now_theme"))
st.subheader(theme.title(lang) if theme.title else theme.id)

answers = intake.my_answers(engine=engine, participant_id=participant.id)
feedback = st.session_state.setdefault("feedback", {})


def ask(question: Question) -> None:
    """One question as one form: one rerun per submit, cleared after sending."""
    before = answers.get(question.id)
    if question.kind in intake.ONE_ANSWER_KINDS and before is not None:
        st.markdown(f"**{question.prompt(lang)}**")
        if question.kind == "poll" and before.option:
            opt = question.option(before.option)
            st.success(t("answered_poll", answer=opt.label(lang) if opt else before.option))
        else:
            st.success(t("answered_rating"))
        return
    with st.form(f"q-{question.id}", clear_on_submit=True):
        st.markdown(f"**{question.prompt(lang)}**")
        if question.help:
            st.caption(question.help(lang))
        text = option = None
        ratings: dict[str, int] = {}
        if question.kind == "idea":
            text = st.text_area(t("your_idea"), max_chars=IDEA_MAX_CHARS, height=110)
        elif question.kind == "words":
            text = st.text_input(
                t("your_words", max=question.max_words), max_chars=question.max_words * (WORD_MAX_CHARS + 1)
            )
        elif question.kind == "poll":
            option = st.radio(
                question.prompt(lang),
                options=[o.id for o in question.options],
                format_func=lambda o: question.option(o).label(lang),  # type: ignore[union-attr]
                index=None,
                label_visibility="collapsed",
            )
        else:
            st.caption(t("rate_hint"))
            for key in question.elements or cat.frame.keys:
                value = st.radio(
                    cat.frame.element(key).title(lang),
                    options=[1, 2, 3, 4, 5],
                    index=None,
                    horizontal=True,
                    key=f"r-{question.id}-{key}",
                )
                if value is not None:
                    ratings[key] = value
        if st.form_submit_button(t("send"), type="primary", width="stretch"):
            try:
                receipt = intake.submit(
                    engine=engine,
                    event=event,
                    frame_keys=cat.frame.keys,
                    token=participant.token,
                    question_id=question.id,
                    text=text,
                    option=option,
                    ratings=ratings,
                )
            except IntakeError as exc:
                feedback[question.id] = ("error", ui.t(exc.code, **exc.params))
            else:
                feedback[question.id] = ("ok", t("saved_before" if receipt.duplicate else "saved"))
                if question.kind in intake.ONE_ANSWER_KINDS:
                    st.rerun()
    kind, note = feedback.get(question.id, (None, ""))
    if kind == "ok":
        st.success(note, icon=":material/check_circle:")
    elif kind == "error":
        st.error(note, icon=":material/error:")


open_questions = [q for q in theme.questions if q.id in state.open_questions]
if not open_questions:
    st.info(t("nothing_open"))
for q in open_questions:
    ask(q)

idea_questions = [q.id for q in theme.questions if q.kind == "idea"]


def upvote(input_id: int) -> None:
    try:
        intake.upvote(engine=engine, event=event, token=participant.token, input_id=input_id)
    except IntakeError as exc:
        st.session_state["vote_error"] = ui.t(exc.code, **exc.params)


@st.fragment(run_every=ui.settings().phone_refresh_seconds)
def others_ideas() -> None:
    """Refreshes by itself; when the facilitator changes what is open, the whole page redraws."""
    if live.version(engine=engine, event_slug=event.slug) != st.session_state.get("seen_version"):
        st.rerun(scope="app")
    if not idea_questions:
        return
    st.divider()
    st.subheader(t("ideas_title"))
    order = st.segmented_control(
        t("ideas_title"),
        options=["votes", "newest"],
        default="votes",
        key="idea-order",
        label_visibility="collapsed",
        format_func=lambda o: t("sort_top") if o == "votes" else t("sort_new"),
    )
    listed = results.ideas(
        engine=engine, event_slug=event.slug, question_ids=idea_questions, order=order or "votes", limit=50
    )
    if listed.empty:
        st.caption(t("no_ideas"))
        return
    mine = intake.voted_ideas(engine=engine, participant_id=participant.id)
    for row in listed.itertuples():
        with st.container(border=True):
            if row.highlighted:
                st.caption(f"★ {t('highlighted')}")
            st.text(row.text)
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.caption(t("votes", n=row.votes) + f" · {dict(CHANNELS)[row.channel](lang)}")
            if row.participant_id == participant.id:
                right.caption(t("own"))
            elif row.id in mine:
                right.button(t("upvoted"), key=f"up-{row.id}", icon=":material/check:", disabled=True, width="stretch")
            else:
                right.button(
                    t("upvote"),
                    key=f"up-{row.id}",
                    icon=":material/thumb_up:",
                    width="stretch",
                    on_click=upvote,
                    args=(int(row.id),),
                )
    if "vote_error" in st.session_state:
        st.error(st.session_state.pop("vote_error"))


others_ideas()
