"""Property-based tests (hypothesis) of what participants type, from the phone to every place it is shown.

For any text a phone can send (no lone surrogates: the websocket carries UTF-8), with control
characters, combining marks, zero-width and bidi characters, emoji and markup mixed in:
`intake.clean_text` is safe and stable; `intake.submit` stores the cleaned text or refuses with a code
that reads in Finnish, Swedish and English; and the screen's results, the word cloud and the summary's
HTML page take the stored text without an exception and show it as text, never as markup.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from alkedash import charts, intake, live, report, results, summary
from alkedash.content import LANGS, Catalogue, Event
from alkedash.intake import IDEA_MAX_CHARS, WORD_MAX_CHARS, IntakeError
from alkedash.messages import MESSAGES, message

# Characters chosen to hit the edges: controls (NUL, ESC, NEL, DEL), zero-width and bidi, the soft
# hyphen, combining marks, a character NFC turns into two (U+0958), Hangul jamo that NFC joins, line
# and paragraph separators, emoji with skin tone, variation selector and joiner, private use, markup.
SPECIAL = list(
    "\x00\x07\x1b\x7f\x85\t\n\r\x0b\x0c\u00a0\u00ad\u034f\u0301\u0308\u0327\u0958\u1100\u1161\u11a8"
    "\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202e\u2060\u2066\u2069\u3000\ufe0f\ufeff"
    "\U0001f686\U0001f44d\U0001f3fd\U0001f469\U0001f52c\u2764\U000f0000<>&\"'`*_[]()#=;,"
)
TEXT = st.text(alphabet=st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPECIAL)), max_size=80)
LONG_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=450, max_size=700)
ANY_TEXT = st.one_of(TEXT, TEXT.map(lambda t: t * 8), LONG_TEXT)  # also long enough to be refused
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MARK = "ZQX7"  # makes a stored text findable in a 5 MB page (plotly.js alone holds every short "<a")
# A kept zero-width joiner sits between two pictographs (👩‍🔬); anywhere else it is an invisible character.
PICTOGRAPH_BEFORE = ("\U0001f000", "\U0001faff"), ("\u2600", "\u27bf"), ("\ufe0f", "\ufe0f")
PICTOGRAPH_AFTER = ("\U0001f000", "\U0001faff"), ("\u2600", "\u27bf")


@dataclass(frozen=True)
class Day:
    """The store with theme 1 open, and a way to join a phone; short to print in a failing example."""

    engine: Engine
    event: Event
    catalogue: Catalogue
    join: Callable[..., str]

    def __repr__(self) -> str:
        return f"Day({self.engine.url})"


@pytest.fixture
def day(engine: Engine, live_event: Event, catalogue: Catalogue, join: Callable[..., str]) -> Day:
    return Day(engine=engine, event=live_event, catalogue=catalogue, join=join)


def _within(ch: str, ranges: tuple[tuple[str, str], ...]) -> bool:
    return any(low <= ch <= high for low, high in ranges)


def _emoji_joiner(out: str, i: int) -> bool:
    return 0 < i < len(out) - 1 and _within(out[i - 1], PICTOGRAPH_BEFORE) and _within(out[i + 1], PICTOGRAPH_AFTER)


# --- clean_text ------------------------------------------------------------------------------------


@FAST
@given(raw=ANY_TEXT)
@example(raw="\x00\u200b\u202e<script>\u2066")
@example(raw="\U0001f469\u200d\U0001f52c tutkija\u200d")
def test_clean_text_leaves_no_control_or_invisible_characters_and_no_stray_spaces(raw: str) -> None:
    out = intake.clean_text(text=raw)
    for i, ch in enumerate(out):
        category = unicodedata.category(ch)
        assert category != "Cc" or ch == "\n", (i, ch)
        assert category not in {"Cf", "Cs"} or (ch == "\u200d" and _emoji_joiner(out, i)), (i, ch)
    lines = out.split("\n")
    assert all(line and line == line.strip() and "  " not in line for line in lines) or out == ""
    assert not any(ch.isspace() and ch not in " \n" for ch in out)


@FAST
@given(raw=ANY_TEXT)
@example(raw="Kahvila\u200b\u0301")  # the counterexample, so the failure does not depend on the search
def test_clean_text_is_nfc_and_cleaning_twice_changes_nothing(raw: str) -> None:
    once = intake.clean_text(text=raw)
    assert unicodedata.is_normalized("NFC", once)
    assert intake.clean_text(text=once) == once


# --- submit ------------------------------------------------------------------------------------------


def _stored(engine: Engine, input_id: int) -> tuple[str, bool]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT text, hidden FROM inputs WHERE id = :i"), {"i": input_id}).one()
    return str(found[0]), bool(found[1])


def _expected_refusal(*, kind: str, raw: str) -> str | None:
    """The refusal the rules in the question's help text promise, or None when the text may be stored."""
    cleaned = intake.clean_text(text=raw)
    if kind == "idea":
        return "empty" if not cleaned else "too_long" if len(cleaned) > IDEA_MAX_CHARS else None
    words = [w for w in cleaned.replace(",", " ").replace(";", " ").split() if w]
    if not words:
        return "empty"
    if len(words) > 3:
        return "too_many_words"
    return "word_too_long" if any(len(w) > WORD_MAX_CHARS for w in words) else None


@FAST
@given(raw=ANY_TEXT, kind=st.sampled_from(["idea", "words"]))
@example(raw="\u200b\ufeff \u2060", kind="idea")
@example(raw="yksi, kaksi; kolme neljä", kind="words")
@example(raw="x" * (WORD_MAX_CHARS + 1), kind="words")
def test_submit_stores_exactly_the_cleaned_text_or_refuses_in_every_language(day: Day, raw: str, kind: str) -> None:
    token = day.join()  # a phone of its own for each text: the sending limit per phone plays no part
    try:
        receipt = intake.submit(
            engine=day.engine,
            event=day.event,
            frame_keys=day.catalogue.frame.keys,
            token=token,
            question_id=f"T1-{kind}",
            text=raw,
        )
    except IntakeError as refused:
        assert refused.code == _expected_refusal(kind=kind, raw=raw)
        assert refused.code in MESSAGES
        for lang in LANGS:
            said = message(key=refused.code, lang=lang, **refused.params)
            assert said.strip() and "{" not in said, (lang, said)
        return
    assert _expected_refusal(kind=kind, raw=raw) is None
    assert not receipt.duplicate
    stored, _hidden = _stored(day.engine, receipt.input_id)
    cleaned = intake.clean_text(text=raw)
    assert stored == (cleaned if kind == "idea" else intake.clean_words(text=raw, max_words=3))


# --- showing what was stored ---------------------------------------------------------------------------


def _send(engine: Engine, event: Event, catalogue: Catalogue, token: str, kind: str, raw: str) -> int | None:
    try:
        receipt = intake.submit(
            engine=engine, event=event, frame_keys=catalogue.frame.keys, token=token, question_id=f"T1-{kind}", text=raw
        )
    except IntakeError:
        return None
    return receipt.input_id


def _set_aside(engine: Engine, event: Event, input_id: int) -> None:
    """Hide an example's input once it is checked, so the next example's is the one shown."""
    live.moderate(engine=engine, event=event, input_id=input_id, action="hide", actor="hypothesis")


@SLOW
@given(raw=TEXT)
@example(raw="<script>alert(1)</script>")
@example(raw="<img src=x onerror=alert(1)> & \"quoted\" 'single'")
def test_any_stored_idea_reaches_the_screens_results_and_the_summary_page_as_escaped_text(day: Day, raw: str) -> None:
    input_id = _send(day.engine, day.event, day.catalogue, day.join(), "idea", f"{MARK} {raw}")
    assert input_id is not None  # the mark alone is a valid idea
    stored, hidden = _stored(day.engine, input_id)
    try:
        # What the projector reads for the idea question.
        counts = results.answer_counts(engine=day.engine, event_slug=day.event.slug, question_id="T1-idea")
        assert sum(results.question_total(counts=counts, question_id="T1-idea").values()) >= 1
        results.presence(engine=day.engine, event_slug=day.event.slug, minutes=30)
        top = results.ideas(engine=day.engine, event_slug=day.event.slug, question_ids=["T1-idea"], limit=8)
        assert (stored in list(top["text"])) is not hidden

        page = report.html_page(
            summary=summary.build(
                engine=day.engine, catalogue=day.catalogue, event=day.event, lang="fi", theme_id="T1"
            ),
            catalogue=day.catalogue,
        ).decode("utf-8")
        if "<" in stored or ">" in stored:  # (an escaped "&amp;" still holds the "&amp;" it came from)
            assert stored not in page
        if not hidden:
            assert html.escape(stored) in page
    finally:
        _set_aside(day.engine, day.event, input_id)


@SLOW
@given(raw=TEXT)
@example(raw="<script>alert(1)</script>")
@example(raw="osaaminen <b>vienti</b>")
def test_any_stored_words_answer_gives_a_word_cloud_the_screen_can_draw(day: Day, raw: str) -> None:
    input_id = _send(day.engine, day.event, day.catalogue, day.join(), "words", raw)
    if input_id is None:
        return  # refused: test_submit_... covers refusals
    try:
        counts = results.cloud_words(engine=day.engine, event_slug=day.event.slug, question_id="T1-words")
        for word in counts:
            assert word.count >= 1 and word.display.strip() == word.display != ""
            assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Cs"} for ch in word.display)
        if counts:  # the screen draws a cloud only when there are words (and says "no answers yet" otherwise)
            png = charts.wordcloud_png(words=tuple((w.display, w.count) for w in counts[:80]))
            assert png.startswith(b"\x89PNG")
    finally:
        _set_aside(day.engine, day.event, input_id)


@SLOW
@given(raw=TEXT)
@example(raw="\U0001f686")  # one emoji: the question has an answer, the cloud has no word
def test_any_stored_words_answer_leaves_the_summary_page_printable(day: Day, raw: str) -> None:
    input_id = _send(day.engine, day.event, day.catalogue, day.join(), "words", raw)
    if input_id is None:
        return
    try:
        made = summary.build(engine=day.engine, catalogue=day.catalogue, event=day.event, lang="fi", theme_id="T1")
        page = report.html_page(summary=made, catalogue=day.catalogue).decode("utf-8")
        for word in results.cloud_words(engine=day.engine, event_slug=day.event.slug, question_id="T1-words")[:15]:
            assert f"<td>{html.escape(word.display)}</td>" in page
    finally:
        _set_aside(day.engine, day.event, input_id)
