"""Projector: QR to join, who is here, and the live question's results, redrawn every few seconds.

Read from the back of a 140-seat room: the question in 2.6rem type (57 px at 1600 x 900), results
and ideas in 1.6rem, charts at 24 px, and text at 7:1 or more against the white background.
The language is the URL's `?lang=` if it names one, else the one the facilitator chose for the
projector (live state `screen_lang`); a change is followed on the next refresh, the whole page.
"""

import html
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st

from alkedash import charts, invite, live, recent, results, translation, ui
from alkedash.content import LANGS

engine = ui.engine()
cat = ui.catalogue()
event = ui.require_event()
T = TypeVar("T")


def shared(what: Hashable, compute: Callable[[], T]) -> T:
    """Read once per moment for all screens of this process (alkedash.recent); callers do not modify it."""
    return recent.SCREENS.get(key=(id(engine), event.slug, what), compute=compute)


def screen_language(*, asked: str | None, chosen: str) -> str:
    """The URL's language if it names one of ours, else the facilitator's choice for the projector."""
    if asked in LANGS:
        return str(asked)
    return chosen if chosen in LANGS else "fi"


asked = ui.query_param("lang")
chosen = shared("state", lambda: live.current(engine=engine, event_slug=event.slug)).screen_lang
lang = screen_language(asked=asked, chosen=chosen)
t = ui.translator(lang=lang)
_ = translation.translator(lang=lang)

ui.css(
    """
    header[data-testid="stHeader"] {display: none;}
    .block-container {padding-top: 1.2rem; max-width: 100%;}
    html, body, [data-testid="stAppViewContainer"] {font-size: 22px; color: #1a1a1a;}
    .scr-title {font-size: 1.3rem; color: #1a1a1a; margin: 0;}
    .scr-theme {font-size: 1.9rem; font-weight: 700; line-height: 1.2; margin: .2rem 0 .5rem 0; color: #1a1a1a;}
    h1.scr-question {font-size: 2.6rem; font-weight: 700; line-height: 1.2; color: #00335c; margin: 0 0 .6rem 0;
        padding: 0; letter-spacing: normal;}
    .scr-count {text-align: center; font-size: 1.6rem; line-height: 1.25; color: #1a1a1a; margin-top: 1rem;}
    .scr-count p {margin: 0 0 .8rem 0;}
    .scr-count b {font-size: 2.6rem;}
    .scr-answers {font-size: 1.6rem; color: #1a1a1a; margin: 0 0 .4rem 0;}
    .scr-wait {font-size: 2rem; padding: 2rem; border: 3px dashed #00508A; border-radius: 1rem; text-align: center;
        color: #1a1a1a;}
    h2.scr-heading {font-size: 1.9rem; font-weight: 700; color: #1a1a1a; margin: .4rem 0 .6rem 0; padding: 0;}
    .scr-join {text-align: center; font-size: 1.4rem; color: #1a1a1a;}
    .scr-join img {width: 100%; max-width: 300px; height: auto;}
    .scr-join .code {font-size: 2.6rem; font-weight: 700; letter-spacing: .08em; color: #1a1a1a;}
    .scr-join .url {font-size: 1.2rem; color: #1a1a1a; overflow-wrap: anywhere;}
    ol.scr-ideas {font-size: 1.6rem; line-height: 1.35; padding-left: 2.4rem; color: #1a1a1a;}
    ol.scr-ideas li {margin-bottom: .7rem;}
    .scr-meta {font-size: 1.3rem; color: #1a1a1a;}
    .scr-star {color: #7a3d8f; font-weight: 700;}
    [data-testid="stImage"] img {max-height: 56vh; object-fit: contain;}
    [data-testid="stImageCaption"], [data-testid="stCaptionContainer"] {font-size: 1.3rem; color: #1a1a1a; opacity: 1;}
    [data-testid="stExpander"] summary, [data-testid="stExpander"] summary p {font-size: 1.3rem; color: #1a1a1a;}
    """
)

ui.page_lang(lang=lang)  # the facilitator's choice, not the visitor's that app.py set
charts.prepare_wordcloud()  # in the page load, not in the refresh that first reveals a cloud
url = invite.join_url(public_url=ui.settings().public_url, join_code=event.event.join_code)
main, side = st.columns([4, 1], gap="large")
with side:
    st.html(
        f'<div class="scr-join"><strong>{html.escape(t("scan_to_join"))}</strong><br>'
        f'<img src="{invite.qr_data_uri(url=url)}" alt="{html.escape(t("qr_alt", url=url))}"><br>'
        f'<span class="code">{html.escape(event.event.join_code)}</span><br>'
        f'<span class="url">{html.escape(invite.short_url(url=url)).replace("/?", "/<wbr>?")}</span></div>'
    )


def idea_list(*, question_id: str) -> None:
    top = shared(
        ("ideas", question_id),
        lambda: results.ideas(engine=engine, event_slug=event.slug, question_ids=[question_id], limit=8),
    )
    if top.empty:
        st.html(f'<p class="scr-wait">{html.escape(t("no_answers"))}</p>')
        return
    top = pd.concat([top[top["highlighted"]], top[~top["highlighted"]]])
    items = []
    for row in top.itertuples():
        star = f'<span class="scr-star">★ {html.escape(t("highlighted"))}</span> ' if row.highlighted else ""
        votes = _.ngettext("{n} peukku", "{n} peukkua", int(row.votes))
        meta = f"{votes} · {charts.channel_label(channel=row.channel, lang=lang)}"
        items.append(f'<li>{star}{html.escape(row.text)}<br><span class="scr-meta">{html.escape(meta)}</span></li>')
    heading = html.escape(t("top_ideas"))
    st.html(f'<h2 class="scr-heading">{heading}</h2><ol class="scr-ideas">{"".join(items)}</ol>')
    with st.expander(t("table")):
        st.dataframe(
            pd.DataFrame(
                {
                    t("idea"): top["text"],
                    t("upvotes"): top["votes"],
                    t("channel_short"): [charts.channel_label(channel=c, lang=lang) for c in top["channel"]],
                }
            ),
            hide_index=True,
        )


def word_cloud(*, question_id: str) -> None:
    # Counted again only when the question's answers changed, and the cloud drawn only for new counts.
    counts = shared(
        ("words", question_id),
        lambda: results.cloud_words(engine=engine, event_slug=event.slug, question_id=question_id),
    )
    if not counts:
        st.html(f'<p class="scr-wait">{html.escape(t("no_answers"))}</p>')
        return
    top = counts[:80]
    png = charts.wordcloud_png(words=tuple((w.display, w.count) for w in top))
    st.image(png, caption=t("wordcloud_alt", words=", ".join(w.display for w in top[:10])), width="stretch")
    with st.expander(t("table")):
        st.dataframe(
            pd.DataFrame({t("word"): [w.display for w in top], t("mentions"): [w.count for w in top]}), hide_index=True
        )


@st.fragment(run_every=ui.settings().screen_refresh_seconds)
def live_panel() -> None:
    state = shared("state", lambda: live.current(engine=engine, event_slug=event.slug))
    if screen_language(asked=asked, chosen=state.screen_lang) != lang:
        # The facilitator switched the projector's language: draw the whole page again, the QR's
        # caption beside this fragment included, not only the part that refreshes.
        st.rerun(scope="app")
    found = event.question(state.question_id)
    minutes = ui.settings().presence_minutes
    presence = shared("presence", lambda: results.presence(engine=engine, event_slug=event.slug, minutes=minutes))
    here = dict(zip(presence["channel"], presence["present"], strict=True))
    with side:  # under the QR: the main column keeps its height for the question and its results
        st.html(
            f'<div class="scr-count"><p>{html.escape(t("in_room"))}<br><b>{_.number(here["room"])}</b> '
            f"{html.escape(t('room_limit', max=_.number(event.event.room_capacity)))}</p>"
            f"<p>{html.escape(t('on_stream'))}<br><b>{_.number(here['stream'])}</b></p></div>"
        )
        st.progress(min(1.0, here["room"] / event.event.room_capacity))
    with main:
        st.html(f'<p class="scr-title">{html.escape(event.event.name(lang) if event.event.name else event.slug)}</p>')
        if found is None:
            st.html(f'<p class="scr-wait">{html.escape(t("nothing_open"))}</p>')
            return
        theme, question = found
        answered = shared(
            ("answered", question.id),
            lambda: results.question_total(
                counts=results.answer_counts(engine=engine, event_slug=event.slug, question_id=question.id),
                question_id=question.id,
            ),
        )
        so_far = t("answers_now", room=_.number(answered["room"]), stream=_.number(answered["stream"]))
        st.html(
            f'<p class="scr-theme">{html.escape(theme.title(lang) if theme.title else theme.id)}</p>'
            f'<h1 class="scr-question">{html.escape(question.prompt(lang))}</h1>'
            f'<p class="scr-answers">{html.escape(so_far)}</p>'
        )
        if not state.revealed:
            st.html(f'<p class="scr-wait">{html.escape(t("waiting_reveal"))}</p>')
            return
        if question.kind == "idea":
            idea_list(question_id=question.id)
        elif question.kind == "words":
            word_cloud(question_id=question.id)
        elif question.kind == "rating":
            elements = question.elements or cat.frame.keys
            data = shared(
                ("ratings", question.id),
                lambda: results.ratings(engine=engine, event_slug=event.slug, question_id=question.id),
            )
            ui.chart_with_table(
                figure=charts.rating_figure(
                    data=data, frame=cat.frame, elements=elements, lang=lang, height=120 + 60 * len(elements), big=True
                ),
                table=charts.rating_table(data=data, frame=cat.frame, elements=elements, lang=lang),
                key="rating",
                table_label=t("table"),
            )
        else:
            options = [o.id for o in question.options]
            data = shared(
                ("poll", question.id),
                lambda: results.poll(engine=engine, event_slug=event.slug, question_id=question.id, options=options),
            )
            ui.chart_with_table(
                figure=charts.poll_figure(
                    data=data, question=question, lang=lang, height=140 + 70 * len(options), big=True
                ),
                table=charts.poll_table(data=data, question=question, lang=lang),
                key="poll",
                table_label=t("table"),
            )


live_panel()
