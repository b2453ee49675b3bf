from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, text

from alkedash import intake, live, results
from alkedash.content import Catalogue, Event


def _sql(engine: Engine, query: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query), params)]


def test_answer_counts_match_a_direct_count_per_question_and_channel(dataset: Engine, event: Event) -> None:
    counts = results.answer_counts(engine=dataset, event_slug=event.slug)
    direct = _sql(
        dataset, "SELECT question_id, channel, COUNT(*) FROM inputs WHERE NOT hidden GROUP BY question_id, channel"
    )
    got = {(r.question_id, r.channel): r.inputs for r in counts.itertuples()}
    assert got == {(q, c): n for q, c, n in direct}
    assert len(got) == 24  # 12 questions x 2 channels
    one = results.answer_counts(engine=dataset, event_slug=event.slug, question_id="T2-poll")
    assert set(one["question_id"]) == {"T2-poll"}
    assert results.question_total(counts=one, question_id="T2-poll") == {
        c: got[("T2-poll", c)] for c in ("room", "stream")
    }


def test_poll_counts_include_options_nobody_chose(
    engine: Engine, live_event: Event, join, catalogue: Catalogue
) -> None:  # type: ignore[no-untyped-def]
    intake.submit(
        engine=engine,
        event=live_event,
        frame_keys=catalogue.frame.keys,
        token=join(channel="stream"),
        question_id="T1-poll",
        option="timing",
    )
    q = live_event.question("T1-poll")[1]  # type: ignore[index]
    table = results.poll(engine=engine, event_slug=live_event.slug, question_id=q.id, options=[o.id for o in q.options])
    assert len(table) == 2 * len(q.options)
    assert table["votes"].sum() == 1
    assert table.set_index(["option", "channel"]).loc[("timing", "stream"), "votes"] == 1


def test_ratings_give_mean_and_distribution_per_element_and_channel(dataset: Engine, event: Event) -> None:
    table = results.ratings(engine=dataset, event_slug=event.slug, question_id="T2-rating")
    direct = _sql(
        dataset,
        "SELECT r.element, i.channel, COUNT(*), AVG(r.value) FROM ratings r JOIN inputs i ON i.id = r.input_id "
        "WHERE i.question_id = :q GROUP BY r.element, i.channel",
        q="T2-rating",
    )
    for element, channel, n, mean in direct:
        row = table[(table["element"] == element) & (table["channel"] == channel)].iloc[0]
        assert row["answers"] == n
        assert abs(row["mean"] - float(mean)) < 0.01
        assert sum(row[f"n{v}"] for v in range(1, 6)) == n


def test_ideas_are_ordered_by_upvotes_and_hidden_ones_are_left_out(
    engine: Engine,
    live_event: Event,
    join,
    catalogue: Catalogue,  # type: ignore[no-untyped-def]
) -> None:
    keys = catalogue.frame.keys
    a, b, c = (join() for _ in range(3))
    first = intake.submit(
        engine=engine, event=live_event, frame_keys=keys, token=a, question_id="T1-idea", text="Eka"
    ).input_id
    second = intake.submit(
        engine=engine, event=live_event, frame_keys=keys, token=b, question_id="T1-idea", text="Toka"
    ).input_id
    hidden = intake.submit(
        engine=engine, event=live_event, frame_keys=keys, token=c, question_id="T1-idea", text="Roska"
    ).input_id
    for voter in (a, c):
        intake.upvote(engine=engine, event=live_event, token=voter, input_id=second)
    live.moderate(engine=engine, event=live_event, input_id=hidden, action="hide", actor="t")
    shown = results.ideas(engine=engine, event_slug=live_event.slug, question_ids=["T1-idea"])
    assert list(shown["id"]) == [second, first]
    assert list(shown["votes"]) == [2, 0]
    everything = results.ideas(engine=engine, event_slug=live_event.slug, question_ids=["T1-idea"], include_hidden=True)
    assert hidden in set(everything["id"])
    newest = results.ideas(engine=engine, event_slug=live_event.slug, question_ids=["T1-idea"], order="newest")
    assert list(newest["id"]) == [second, first]


def test_presence_counts_room_and_stream_separately(engine: Engine, live_event: Event, join) -> None:  # type: ignore[no-untyped-def]
    for channel in ("room", "room", "stream"):
        join(channel=channel)
    table = results.presence(engine=engine, event_slug=live_event.slug, minutes=30).set_index("channel")
    assert table.loc["room", "present"] == 2 and table.loc["stream", "present"] == 1
    assert table.loc["room", "joined"] == 2


def test_word_texts_skip_hidden_answers(dataset: Engine, event: Event) -> None:
    texts = results.word_texts(engine=dataset, event_slug=event.slug, question_id="T2-words")
    direct = _sql(dataset, "SELECT COUNT(*) FROM inputs WHERE question_id = 'T2-words' AND NOT hidden")
    assert len(texts) == direct[0][0] > 0
    assert all(lang in ("fi", "sv") for _, lang in texts)


def test_question_total_reads_both_channels_from_the_counts() -> None:
    counts = pd.DataFrame(
        [("q", "room", 3), ("q", "stream", 5), ("other", "room", 9)], columns=["question_id", "channel", "inputs"]
    )
    assert results.question_total(counts=counts, question_id="q") == {"room": 3, "stream": 5}
    assert results.question_total(counts=counts, question_id="none") == {"room": 0, "stream": 0}


def test_cloud_words_are_counted_again_only_when_the_answers_change(
    engine: Engine, live_event: Event, join, catalogue: Catalogue
) -> None:  # type: ignore[no-untyped-def]
    def say(text_value: str, question_id: str = "T1-words") -> int:
        return intake.submit(
            engine=engine,
            event=live_event,
            frame_keys=catalogue.frame.keys,
            token=join(),
            question_id=question_id,
            text=text_value,
        ).input_id

    def cloud() -> dict[str, int]:
        words = results.cloud_words(engine=engine, event_slug=live_event.slug, question_id="T1-words")
        return {w.lemma: w.count for w in words}

    first = say("yhteistyö osaaminen")
    second = say("yhteistyö")
    before = results.word_recounts()
    assert cloud() == {"yhteistyö": 2, "osaaminen": 1}
    same = results.cloud_words(engine=engine, event_slug=live_event.slug, question_id="T1-words")
    assert results.cloud_words(engine=engine, event_slug=live_event.slug, question_id="T1-words") is same
    assert results.word_recounts() == before + 1  # unchanged answers: counted once

    say("Parempi yhteistyö ministeriöiden kanssa", question_id="T1-idea")
    cloud()
    assert results.word_recounts() == before + 1  # another question's answer changes nothing here

    say("vienti")
    assert cloud() == {"yhteistyö": 2, "osaaminen": 1, "vienti": 1}
    assert results.word_recounts() == before + 2  # a new answer

    live.moderate(engine=engine, event=live_event, input_id=first, action="hide", actor="t")
    assert cloud() == {"yhteistyö": 1, "vienti": 1}
    assert results.word_recounts() == before + 3  # a hidden answer

    # Show one and hide another between two refreshes: the same number of answers and the same
    # newest one, yet other words; the moderation log tells them apart.
    live.moderate(engine=engine, event=live_event, input_id=first, action="unhide", actor="t")
    live.moderate(engine=engine, event=live_event, input_id=second, action="hide", actor="t")
    assert cloud() == {"yhteistyö": 1, "osaaminen": 1, "vienti": 1}
    assert results.word_recounts() == before + 4
    cloud()
    assert results.word_recounts() == before + 4
