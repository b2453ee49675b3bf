"""Memo comments by link (no sign-in: the link's code is the credential): one ministry or regional
council reads each theme's background memo and comments on it section by section, and sees its own
earlier comments, never another organisation's."""

import streamlit as st

from alkedash import comments, events, translation, ui
from alkedash.comments import CommentError
from alkedash.content import EVENT_ZONE, MEMO_SECTIONS
from alkedash.translation import LANGUAGE_NAMES

engine = ui.engine()
cat = ui.catalogue()
lang = ui.lang()
t = ui.translator(lang=lang)
_ = translation.translator(lang=lang)

# A theme's long title as a heading took six lines of a phone's screen.
ui.css(
    "@media (max-width: 640px) {"
    ' [data-testid="stMain"] h1 {font-size: 2.1rem !important;}'
    ' [data-testid="stMain"] h2 {font-size: 1.5rem !important;}'
    ' [data-testid="stMain"] h3 {font-size: 1.25rem !important;}'
    "}"
)
st.title(_("Muistioiden kommentointi"))
try:
    link = comments.resolve(engine=engine, code=ui.query_param("c"))
    event = events.by_slug(engine=engine, slug=link.event)
    if event is None:
        raise CommentError("unknown_event")
except CommentError as exc:
    st.error(_(comments.MESSAGES[exc.code], **exc.params))
    st.stop()
    raise  # unreachable: st.stop() raises

info = event.event
org = comments.organisation_name(catalogue=cat, kind=link.org_kind, code=link.org_code, lang=lang)
kind = comments.kind_name(kind=link.org_kind, lang=lang)
st.caption(
    _(
        "{event} · {dates}",
        event=info.name(lang) if info.name else event.slug,
        dates=_("{start}–{end}", start=_.date(info.starts, form="medium"), end=_.date(info.ends, form="medium")),
    )
)
st.info(_("Kommentoit organisaationa **{org}** ({kind}).", org=ui.plain(org), kind=kind), icon=":material/badge:")
st.markdown(
    _(
        "Lue teeman taustamuistio ja kommentoi sitä kohta kohdalta. Kommenttisi näkyvät vain tapahtuman "
        "järjestäjälle, ja sinä näet vain oman organisaatiosi kommentit. Voit palata tälle sivulle samalla "
        "linkillä. Linkki on kuin salasana: älä jaa sitä organisaatiosi ulkopuolelle."
    )
)

statuses = comments.memo_statuses(engine=engine, event=event)
numbers = {theme.id: n for n, theme in enumerate(event.themes, start=1)}


def theme_label(theme_id: str) -> str:
    theme = event.theme(theme_id)
    title = theme.title(lang) if theme is not None and theme.title else theme_id
    return _("{n}. {theme} ({status})", n=numbers[theme_id], theme=title, status=t("memo_" + statuses[theme_id]))


chosen = st.radio(_("Teema"), options=list(numbers), format_func=theme_label, key="comment-theme")
theme = event.theme(chosen) or event.themes[0]
closed = statuses[theme.id] == "final"


def save(theme_id: str, section: str) -> None:
    """Form callback: stored before the page is drawn again, so the new comment is listed at once;
    the text is kept when it was refused, cleared when it was saved."""
    key = f"{theme_id}-{section}"
    author = st.session_state.get(f"author-{key}") or None
    try:
        receipt = comments.add_comment(
            engine=engine,
            event=event,
            code=link.code,
            theme_id=theme_id,
            section=section,
            text=st.session_state.get(f"text-{key}") or "",
            author=author,
            lang=lang,
        )
    except CommentError as exc:
        st.session_state[f"flash-{key}"] = ("error", _(comments.MESSAGES[exc.code], **exc.params))
        return
    st.session_state[f"text-{key}"] = ""
    if author:  # offered in every section's name field still empty
        for other in (f"author-{th.id}-{part}" for th in event.themes for part, _title in MEMO_SECTIONS):
            if not st.session_state.get(other):
                st.session_state[other] = author
    saved = _("Tämä kommentti oli jo tallennettu.") if receipt.duplicate else _("Kiitos! Kommenttisi on tallennettu.")
    st.session_state[f"flash-{key}"] = ("success", saved)


mine = comments.group(
    found=comments.comments(
        engine=engine, event_slug=event.slug, theme_id=theme.id, org_kind=link.org_kind, org_code=link.org_code
    )
)
own_org = (link.org_kind, link.org_code)

st.header(theme_label(theme.id))
if closed:
    st.warning(_("Tämän teeman muistio on valmis, joten sen kommentointi on päättynyt. Kiitos kommenteista!"))
for section, title in MEMO_SECTIONS:
    key = f"{theme.id}-{section}"
    st.subheader(title(lang))
    memo_col, comment_col = st.columns([3, 2], gap="large")
    with memo_col.container(border=True):
        st.markdown(getattr(theme.memo, section)(lang))
    with comment_col:
        earlier = mine.get(section, {}).get(own_org, [])
        if earlier:
            heading = _.ngettext("Aiempi kommenttisi", "Aiemmat kommenttisi ({n})", len(earlier))
            st.markdown(f"**{heading}**")
            for comment in earlier:
                with st.container(border=True):
                    details = [_.moment(comment.created_at.astimezone(EVENT_ZONE), form="short")]
                    if comment.author:
                        details.append(ui.plain(comment.author))
                    details.append(LANGUAGE_NAMES.get(comment.lang, comment.lang))
                    if comment.handled:
                        details.append(_("järjestäjä on käsitellyt"))
                    st.caption(" · ".join(details))
                    st.text(comment.text)
        flash = st.session_state.pop(f"flash-{key}", None)
        if flash is not None:
            (st.success if flash[0] == "success" else st.error)(flash[1])
        if closed:
            continue
        with st.form(key=f"form-{key}", border=True):
            st.text_area(
                _("Kommenttisi kohtaan ”{section}”", section=title(lang)),
                key=f"text-{key}",
                max_chars=comments.TEXT_MAX_CHARS,
                height=140,
            )
            st.text_input(
                _("Nimesi (vapaaehtoinen)"),
                key=f"author-{key}",
                max_chars=comments.AUTHOR_MAX_CHARS,
                autocomplete="name",
            )
            st.form_submit_button(
                _("Tallenna kommentti"), on_click=save, args=(theme.id, section), icon=":material/send:"
            )
    if section != MEMO_SECTIONS[-1][0]:
        st.divider()
