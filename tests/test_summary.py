"""The summary's content: counts against plain SQL, quotes exactly as written, nothing hidden."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import Engine, text

from alkedash import summary
from alkedash.content import Catalogue, Event
from alkedash.summary import WORDING, date_range, moment, number, percent
from tests.conftest import HOSTILE, SECRET

SLUG = "alke-2025"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (4.456, "fi", 1, "4,5"),
        (4.456, "sv", 1, "4,5"),
        (4.456, "en", 1, "4.5"),
        (50_000, "fi", 0, "50\u00a0000"),
        (50_000, "en", 0, "50,000"),
        (0, "fi", 0, "0"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(
    value: float, lang: str, decimals: int, expected: str
) -> None:
    assert number(value, lang=lang, decimals=decimals) == expected


@pytest.mark.parametrize(("lang", "expected"), [("fi", "29\u00a0%"), ("sv", "29\u00a0%"), ("en", "29%")])
def test_percentages_follow_the_language(lang: str, expected: str) -> None:
    assert percent(28.9, lang=lang) == expected


@pytest.mark.parametrize(
    ("starts", "ends", "lang", "expected"),
    [
        (dt.date(2025, 3, 20), dt.date(2025, 3, 21), "fi", "20.–21.3.2025"),
        (dt.date(2025, 3, 20), dt.date(2025, 3, 21), "sv", "20–21.3.2025"),
        (dt.date(2025, 3, 20), dt.date(2025, 3, 21), "en", "20–21 March 2025"),
        (dt.date(2025, 3, 20), dt.date(2025, 3, 20), "fi", "20.3.2025"),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 1), "en", "31 March 2025 – 1 April 2025"),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 1), "fi", "31.3.2025–1.4.2025"),
    ],
)
def test_date_ranges_read_naturally(starts: dt.date, ends: dt.date, lang: str, expected: str) -> None:
    assert date_range(starts=starts, ends=ends, lang=lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("fi", "20.3.2025 klo 10.15"), ("sv", "20.3.2025 kl. 10.15"), ("en", "20 March 2025, 10:15")]
)
def test_moments_are_in_finnish_time(lang: str, expected: str) -> None:
    at = dt.datetime(2025, 3, 20, 8, 15, tzinfo=dt.UTC)  # 10.15 in Helsinki (EET)
    assert moment(at=at, lang=lang) == expected


def test_every_wording_has_the_same_placeholders_in_every_language() -> None:
    for key, wording in WORDING.items():
        fields = {lang: sorted(re.findall(r"{(\w+)}", wording(lang))) for lang in ("fi", "sv", "en")}
        assert fields["fi"] == fields["sv"] == fields["en"], key


def _visible_people(engine: Engine, theme_id: str | None = None) -> dict[str, int]:
    query = "SELECT channel, COUNT(DISTINCT participant_id) FROM inputs WHERE event = :e AND NOT hidden"
    if theme_id:
        query += " AND theme_id = :t"
    with engine.connect() as conn:
        rows = conn.execute(text(query + " GROUP BY channel"), {"e": SLUG, "t": theme_id})
        return {str(c): int(n) for c, n in rows}


def _texts(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT text FROM inputs WHERE event = :e AND NOT hidden AND text IS NOT NULL"), {"e": SLUG}
        )
        return {str(t) for (t,) in rows}


@pytest.fixture(scope="module")
def built(moderated: Engine, catalogue: Catalogue, event: Event) -> dict[str, summary.Summary]:
    return {
        lang: summary.build(engine=moderated, catalogue=catalogue, event=event, lang=lang)
        for lang in ("fi", "sv", "en")
    }


def test_participation_is_counted_from_the_visible_inputs(moderated: Engine, built: dict[str, summary.Summary]) -> None:
    made = built["fi"]
    assert made.people == _visible_people(moderated)
    for part in made.themes:
        assert part.people == _visible_people(moderated, part.theme.id)
    with moderated.connect() as conn:
        visible = conn.execute(
            text("SELECT COUNT(*) FROM inputs WHERE event = :e AND NOT hidden"), {"e": SLUG}
        ).scalar()
    assert made.inputs == visible


def test_every_quote_is_an_input_exactly_as_written(moderated: Engine, built: dict[str, summary.Summary]) -> None:
    stored = _texts(moderated)
    for made in built.values():
        for part in made.themes:
            quoted = [q.text for g in part.groups for q in g.quotes]
            quoted += [q.text for qp in part.questions for q in qp.top_ideas] + [q.text for q in part.highlighted]
            assert quoted and set(quoted) <= stored
            for finding in part.findings:
                for inner in re.findall(r"[”“]([^”“]+)”", finding):
                    assert inner in stored or any(inner == w for w in _words_and_labels(part)), inner


def _words_and_labels(part: summary.ThemePart) -> set[str]:
    """What a finding may quote besides an input: a question, a poll option, a group's words, a word."""
    out = {" · ".join(g.label) for g in part.groups}
    for q in part.questions:
        out |= {q.question.prompt(lang) for lang in ("fi", "sv", "en")}
        out |= {o.label(lang) for o in q.question.options for lang in ("fi", "sv", "en")}
        out |= {w.display for w in q.words}
    return out | {w for q in part.questions for w in (x.display for x in q.words)}


def test_a_hidden_input_is_nowhere_and_a_highlighted_one_is_shown(built: dict[str, summary.Summary]) -> None:
    for made in built.values():
        everything = repr(
            [(p.findings, p.groups, p.highlighted, [q.top_ideas for q in p.questions]) for p in made.themes]
        )
        assert SECRET not in everything
        t1 = made.themes[0]
        assert [q.text for q in t1.highlighted] == [HOSTILE]
        assert made.moderation is None


def test_the_appendix_lists_hidden_inputs_only_when_asked(
    moderated: Engine, catalogue: Catalogue, event: Event
) -> None:
    made = summary.build(engine=moderated, catalogue=catalogue, event=event, moderation_appendix=True)
    assert made.moderation is not None
    hidden = made.moderation[made.moderation["hidden"]]
    assert list(hidden["text"]) == [SECRET]
    assert set(made.moderation["action"]) == {"hide", "highlight"}
    assert set(made.moderation["actor"]) == {"fasilitaattori"}


def test_one_theme_summarises_that_theme_alone(moderated: Engine, catalogue: Catalogue, event: Event) -> None:
    made = summary.build(engine=moderated, catalogue=catalogue, event=event, theme_id="T2")
    assert [p.theme.id for p in made.themes] == ["T2"]
    assert not made.whole_event
    assert made.people == _visible_people(moderated, "T2")
    assert set(made.by_channel["theme_id"]) == {"T2"}


def test_an_unknown_theme_is_refused(moderated: Engine, catalogue: Catalogue, event: Event) -> None:
    with pytest.raises(ValueError, match="no theme"):
        summary.build(engine=moderated, catalogue=catalogue, event=event, theme_id="T9")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_findings_are_written_in_the_asked_language(built: dict[str, summary.Summary], lang: str) -> None:
    made = built[lang]
    opening = WORDING["f_people"](lang).split("{")[0]
    for part in made.themes:
        assert len(part.findings) >= 5
        assert opening in part.findings[0] or part.findings[0].startswith(str(sum(part.people.values())))
        others = [WORDING["f_words"](o).split(":")[0] for o in ("fi", "sv", "en") if o != lang]
        assert not any(o in f for f in part.findings for o in others)


def test_the_same_data_gives_the_same_summary(moderated: Engine, catalogue: Catalogue, event: Event) -> None:
    at = dt.datetime(2025, 3, 21, 15, 0, tzinfo=dt.UTC)
    one = summary.build(engine=moderated, catalogue=catalogue, event=event, made_at=at)
    two = summary.build(engine=moderated, catalogue=catalogue, event=event, made_at=at)
    assert [p.findings for p in one.themes] == [p.findings for p in two.themes]
    assert [p.groups for p in one.themes] == [p.groups for p in two.themes]


def test_an_event_without_answers_says_so(engine: Engine, catalogue: Catalogue, event: Event) -> None:
    made = summary.build(engine=engine, catalogue=catalogue, event=event, lang="en")
    assert made.inputs == 0
    assert all(p.findings == (WORDING["f_nothing"]("en"),) for p in made.themes)
