"""The organiser's editable draft of an event: round trip, and problems named where they are."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alkedash import drafts
from alkedash.content import Catalogue, Event
from alkedash.translation import translator


def checked(draft: drafts.Draft, catalogue: Catalogue) -> tuple[Event | None, list[str]]:
    event, problems = drafts.check(raw=drafts.assemble(draft=draft), catalogue=catalogue)
    _ = translator(lang="fi")
    return event, [drafts.describe(problem=p, _=_, lang="fi") for p in problems]


def test_an_event_edited_into_a_draft_and_back_is_the_same_event(event: Event, catalogue: Catalogue) -> None:
    again, problems = checked(drafts.to_draft(event=event), catalogue)
    assert problems == []
    assert again == event


def test_a_blank_draft_names_every_field_still_to_fill_in(catalogue: Catalogue) -> None:
    event, problems = checked(drafts.blank(today=dt.date(2026, 11, 23)), catalogue)
    assert event is None
    assert "Paikka: puuttuu" in problems or any(p.startswith("Paikka") for p in problems)
    assert "Kaupunki: ei voi olla tyhjä" in problems
    assert any(p.startswith("Teema 1 › Kysymys 1 › Kysymys (Suomi)") for p in problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"join_code": "ab"}, "Liittymiskoodi: muoto ei kelpaa (4–12 isoa kirjainta tai numeroa, esim. ALKE26)"),
        ({"room_capacity": 0}, "Salin paikat: pitää olla vähintään 1"),
        ({"ends": dt.date(2025, 3, 1)}, "Tapahtuma: päättymispäivä on ennen alkamispäivää"),
        ({"stream_url": "www.example"}, "Striimin linkki: muoto ei kelpaa (alkaa https://)"),
        ({"slug": "uusi tapahtuma"}, "Tunniste: muoto ei kelpaa (kirjaimia, numeroita ja viivoja, esim. alke-2026)"),
    ],
)
def test_a_wrong_field_is_named_with_what_is_wrong_in_finnish(
    event: Event, catalogue: Catalogue, change: dict[str, object], expected: str
) -> None:
    draft = drafts.to_draft(event=event)
    draft.info.update(change)
    result, problems = checked(draft, catalogue)
    assert result is None
    assert expected in problems


def test_a_poll_with_one_option_and_a_question_without_a_theme_are_named(event: Event, catalogue: Catalogue) -> None:
    draft = drafts.to_draft(event=event)
    poll_id = next(iter(draft.options))
    draft.options[poll_id] = draft.options[poll_id].head(1)
    result, problems = checked(draft, catalogue)
    assert result is None
    assert any("äänestyksessä pitää olla vähintään kaksi vaihtoehtoa" in p for p in problems)
    draft = drafts.to_draft(event=event)
    draft.questions.loc[0, "theme"] = "T9"
    assert any("kysymyksen teemaa ei ole teemoissa" in p for p in checked(draft, catalogue)[1])


def test_new_rows_left_empty_are_ignored_and_filled_ones_kept(event: Event, catalogue: Catalogue) -> None:
    draft = drafts.to_draft(event=event)
    first = event.themes[0].id
    empty = pd.DataFrame([{"fi": None, "sv": None, "en": None}])
    added = pd.DataFrame([{"fi": "Uusi sisältö", "sv": "Nytt innehåll", "en": "New content"}])
    draft.contents[first] = pd.concat([draft.contents[first], empty, added], ignore_index=True)
    result, problems = checked(draft, catalogue)
    assert problems == []
    assert result is not None and result.themes[0].contents("sv")[-1] == "Nytt innehåll"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_problems_read_in_the_organisers_language(event: Event, catalogue: Catalogue, lang: str) -> None:
    draft = drafts.to_draft(event=event)
    draft.info["city"] = " "
    _, problems = drafts.check(raw=drafts.assemble(draft=draft), catalogue=catalogue)
    text = drafts.describe(problem=problems[0], _=translator(lang=lang), lang=lang)
    assert (
        text
        == {
            "fi": "Kaupunki: ei voi olla tyhjä",
            "sv": "Stad: får inte vara tom",
            "en": "City: must not be empty",
        }[lang]
    )
