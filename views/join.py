"""Participant's phone: join with the code from the QR, answer the live theme, upvote ideas."""

import streamlit as st

from alkedash import intake, live, recent, results, tags, translation, ui
from alkedash.content import CHANNELS, ORG_TYPES, Question
from alkedash.intake import IDEA_MAX_CHARS, WORD_MAX_CHARS, IntakeError

engine = ui.engine()
cat = ui.catalogue()
lang = ui.lang()
t = ui.translator(lang=lang)  # the language read once per run, not from the URL for every string
_ = translation.translator(lang=lang)
# Sizes in rem and no fixed widths: at 200 % zoom on a 360 px phone (a 180 px-wide CSS viewport)
# nothing overflows, the radio rows wrap. One h1 (the event), h2 for the page's parts, h3 for a
# question. The language is picked in the header of every page (ui.language_picker).
ui.css(
    ".block-container {max-width: 40rem; padding-top: 3.5rem;}"
    " h1 {font-size: 1.7rem !important; hyphens: auto; overflow-wrap: anywhere;}"
    " h2 {font-size: 1.35rem !important; overflow-wrap: anywhere;}"
    " h3 {font-size: 1.15rem !important; overflow-wrap: anywhere;}"
    " .stRadio [role=radiogroup] {gap: .25rem .9rem; flex-wrap: wrap;}"
    " .stMarkdown, .stText, [data-testid=stText] {overflow-wrap: anywhere;}"
    " @media (max-width: 260px) {h1 {font-size: 1.3rem !important;} h2 {font-size: 1.15rem !important;}}"
)

event = ui.event_from_url()
if event is None:
    st.title(t("join_title"))
    st.error(t("unknown_event"))
    with st.form("code"):
        code = st.text_input(t("code_label"), max_chars=12)
        if st.form_submit_button(t("code_button")):
            st.query_params["code"] = code.strip().upper()
            st.rerun()
    st.stop()

st.title(event.event.name(lang) if event.event.name else event.slug)
state = live.current(engine=engine, event_slug=event.slug)
if state.closed:
    st.info(t("event_closed"), icon=":material/event_busy:")
    st.stop()
participant = intake.find_participant(engine=engine, event_slug=event.slug, token=ui.sticky_param("p"))

if participant is None:
    st.header(t("join_title"), anchor=False)
    st.caption(t("join_intro"))
    st.page_link("views/privacy.py", label=t("privacy_link"), icon=":material/shield:", query_params={"lang": lang})
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
                try:
                    token = intake.join(
                        engine=engine,
                        event=event,
                        channel=channel,
                        region=region,
                        org_type=org_type,
                        lang=lang,
                        catalogue=cat,
                        client=ui.client(),
                    )
                except IntakeError as exc:
                    st.error(t(exc.code, **exc.params))
                else:
                    st.query_params["code"] = event.event.join_code
                    st.query_params["p"] = token
                    st.rerun()
    st.stop()

st.session_state["seen_version"] = state.version
theme = event.theme(state.theme_id)
where = dict(CHANNELS)[participant.channel](lang)
region = cat.region(participant.region)
st.caption(t("you_are", channel=where) + (f" · {region.name(lang)}" if region else ""))

if theme is None:
    st.info(t("nothing_open"))
    st.stop()

st.caption(t("now_theme"))
st.header(theme.title(lang) if theme.title else theme.id, anchor=False)

# What this phone already answered (poll option or True), refreshed on every full run and kept
# up to date by the submit callback, so a question's own rerun needs no query for it.
answered: dict[str, str | bool] = {
    qid: row.option or True
    for qid, row in intake.my_answers(engine=engine, participant_id=participant.id).items()
    if row.kind in intake.ONE_ANSWER_KINDS
}
st.session_state["answered"] = answered
feedback = st.session_state.setdefault("feedback", {})
# question -> (idea id, its text) of the idea just saved, and -> its suggested frame elements once the
# participant asks to tag it: suggesting means lemmatising, which stays out of the sending run.
saved_ideas = st.session_state.setdefault("saved_ideas", {})
tagging = st.session_state.setdefault("tagging", {})


def names(keys: tuple[str, ...]) -> str:
    return ", ".join(cat.frame.element(k).title(lang) for k in keys)


def start_tagging(qid: str) -> None:
    _input_id, text = saved_ideas[qid]
    tagging[qid] = tags.suggest(text=text, lang=lang, keywords=tags.load_keywords())


def save_tags(qid: str) -> None:
    input_id, _text = saved_ideas.pop(qid)
    tagging.pop(qid, None)
    keys = tuple(st.session_state.get(f"tags-{qid}-{input_id}") or ())
    if not keys:
        return
    try:
        intake.add_tags(
            engine=engine, event=event, frame_keys=cat.frame.keys, token=participant.token, input_id=input_id, tags=keys
        )
    except IntakeError as exc:
        feedback[qid] = ("error", t(exc.code, **exc.params))
        return
    feedback[qid] = ("ok", f"{t('saved')} {t('tags_added', elements=names(keys))}")


def send(question: Question) -> None:
    """The form's callback: it runs before the question redraws, so one submit is one short run."""
    qid = question.id
    ratings = {
        key: value
        for key in (question.elements or cat.frame.keys if question.kind == "rating" else ())
        if (value := st.session_state.get(f"r-{qid}-{key}")) is not None
    }
    try:
        receipt = intake.submit(
            engine=engine,
            event=event,
            frame_keys=cat.frame.keys,
            token=participant.token,
            question_id=qid,
            text=st.session_state.get(f"text-{qid}"),
            option=st.session_state.get(f"opt-{qid}"),
            ratings=ratings,
            lang=lang,
        )
    except IntakeError as exc:
        feedback[qid] = ("error", t(exc.code, **exc.params))
        return
    feedback[qid] = ("ok", t("saved_before" if receipt.duplicate else "saved_held" if receipt.held else "saved"))
    if question.kind == "idea" and not receipt.duplicate:
        saved_ideas[qid] = (receipt.input_id, str(st.session_state.get(f"text-{qid}") or ""))
        tagging.pop(qid, None)
    if question.kind in intake.ONE_ANSWER_KINDS:
        st.session_state["answered"][qid] = st.session_state.get(f"opt-{qid}") or True


@st.fragment
def ask(question: Question) -> None:
    """One question is its own fragment: sending an answer reruns this form, not the whole page."""
    before = st.session_state["answered"].get(question.id)
    if before is not None:
        st.subheader(question.prompt(lang), anchor=False)
        if question.kind == "poll" and isinstance(before, str):
            opt = question.option(before)
            st.success(t("answered_poll", answer=opt.label(lang) if opt else before))
        else:
            st.success(t("answered_rating"))
        return
    with st.form(f"q-{question.id}", clear_on_submit=True):
        st.subheader(question.prompt(lang), anchor=False)
        if question.help:
            st.caption(question.help(lang))
        if question.kind == "idea":
            st.text_area(t("your_idea"), max_chars=IDEA_MAX_CHARS, height=110, key=f"text-{question.id}")
        elif question.kind == "words":
            st.text_input(
                t("your_words", max=question.max_words),
                max_chars=question.max_words * (WORD_MAX_CHARS + 1),
                key=f"text-{question.id}",
            )
        elif question.kind == "poll":
            st.radio(
                question.prompt(lang),
                options=[o.id for o in question.options],
                format_func=lambda o: question.option(o).label(lang),  # type: ignore[union-attr]
                index=None,
                label_visibility="collapsed",
                key=f"opt-{question.id}",
            )
        else:
            st.caption(t("rate_hint"))
            for key in question.elements or cat.frame.keys:
                st.radio(
                    cat.frame.element(key).title(lang),
                    options=[1, 2, 3, 4, 5],
                    index=None,
                    horizontal=True,
                    key=f"r-{question.id}-{key}",
                )
        st.form_submit_button(t("send"), type="primary", width="stretch", on_click=send, args=(question,))
    kind, note = feedback.get(question.id, (None, ""))
    if kind == "ok":
        st.success(note, icon=":material/check_circle:")
    elif kind == "error":
        st.error(note, icon=":material/error:")
    if question.id in saved_ideas:
        tag_idea(question.id)


def tag_idea(qid: str) -> None:
    """After an idea is saved: which parts of the ALKE frame it concerns, with the ones its words
    suggest already chosen. Asked after sending and on request, so sending stays one short run."""
    input_id, _text = saved_ideas[qid]
    if qid not in tagging:
        st.button(t("tag_idea"), key=f"tag-{qid}", icon=":material/label:", on_click=start_tagging, args=(qid,))
        return
    suggested = tagging[qid]
    with st.container(border=True):
        st.pills(
            t("tags_label"),
            options=cat.frame.keys,
            default=list(suggested),
            selection_mode="multi",
            format_func=lambda k: names((k,)),
            key=f"tags-{qid}-{input_id}",
        )
        if suggested:
            st.caption(t("tags_suggested"))
        st.button(t("save_tags"), key=f"save-tags-{qid}", type="primary", on_click=save_tags, args=(qid,))


open_questions = [q for q in theme.questions if q.id in state.open_questions]
if not open_questions:
    st.info(t("nothing_open"))
for q in open_questions:
    ask(q)

idea_questions = [q.id for q in theme.questions if q.kind == "idea"]
PAGE = 10  # ideas per screenful: a phone shows ten, "show more" adds ten


def upvote(input_id: int) -> None:
    try:
        intake.upvote(engine=engine, event=event, token=participant.token, input_id=input_id)
    except IntakeError as exc:
        st.session_state["vote_error"] = t(exc.code, **exc.params)


def show_more() -> None:
    st.session_state["idea-limit"] = st.session_state.get("idea-limit", PAGE) + PAGE


@st.fragment(run_every=ui.settings().phone_refresh_seconds)
def watch() -> None:
    """Every few seconds, one or two small queries and at most one button: has the facilitator moved
    on (then the page redraws), or are there new ideas (then the participant decides when to see
    them, so the list does not jump under a thumb). Redrawing the list on every tick instead cost
    500 phones most of a core. Both numbers are shared by the phones of this process (alkedash.recent)."""
    key = (id(engine), event.slug)
    version = recent.PHONES.get(
        key=(*key, "version"), compute=lambda: live.version(engine=engine, event_slug=event.slug)
    )
    if version > st.session_state.get("seen_version", 0):  # an older shared answer is not news
        st.rerun(scope="app")
    if not idea_questions:
        return
    shown = st.session_state.get("ideas-shown")
    now = recent.PHONES.get(
        key=(*key, "ideas"),
        compute=lambda: results.idea_count(engine=engine, event_slug=event.slug, question_ids=idea_questions),
    )
    if shown is not None and now > shown and st.button(t("new_ideas", n=now - shown), key="ideas-new"):
        st.rerun(scope="app")


@st.fragment
def idea_list() -> None:
    """Others' ideas with a thumb each; redrawn when this phone sorts, upvotes or asks for more."""
    if not idea_questions:
        return
    st.divider()
    st.header(t("ideas_title"), anchor=False)
    order = st.segmented_control(
        _("Ideoiden järjestys"),
        options=["votes", "newest"],
        default="votes",
        key="idea-order",
        label_visibility="collapsed",
        format_func=lambda o: t("sort_top") if o == "votes" else t("sort_new"),
    )
    limit = st.session_state.get("idea-limit", PAGE)
    st.session_state["ideas-shown"] = results.idea_count(
        engine=engine, event_slug=event.slug, question_ids=idea_questions
    )
    listed = results.ideas(
        engine=engine, event_slug=event.slug, question_ids=idea_questions, order=order or "votes", limit=limit + 1
    )
    if listed.empty:
        st.caption(t("no_ideas"))
        return
    mine = intake.voted_ideas(engine=engine, participant_id=participant.id)
    for row in listed.head(limit).itertuples():
        with st.container(border=True):
            star = f"★ {t('highlighted')} · " if row.highlighted else ""
            st.text(row.text)
            votes = _.ngettext("{n} peukku", "{n} peukkua", row.votes)
            meta = f"{star}{votes} · {dict(CHANNELS)[row.channel](lang)}"
            if row.participant_id == participant.id:
                st.caption(f"{meta} · {t('own')}")
            elif row.id in mine:
                st.caption(f"{meta} · :material/check: {t('upvoted')}")
            else:
                st.caption(meta)
                st.button(
                    t("upvote"), key=f"up-{row.id}", icon=":material/thumb_up:", on_click=upvote, args=(int(row.id),)
                )
    if len(listed) > limit:
        st.button(t("show_more"), key="idea-more", on_click=show_more, width="stretch")
    if "vote_error" in st.session_state:
        st.error(st.session_state.pop("vote_error"))


watch()
idea_list()
