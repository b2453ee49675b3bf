from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("lang", "frame", "theme"),
    [
        ("fi", "Kestävä elinvoima ja investoinnit", "Luonnon monimuotoisuuden turvaaminen"),
        ("sv", "Hållbar livskraft och investeringar", "Tryggande av den biologiska mångfalden"),
        ("en", "Sustainable vitality and investments", "Safeguarding biodiversity"),
    ],
)
def test_the_programme_shows_frame_themes_memos_and_agenda(app, lang: str, frame: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/programme.py", lang=lang)
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert frame in html
    assert any(theme in s.value for s in at.subheader)
    assert len(at.expander) == 3  # one memo per theme
    assert len(at.dataframe) == 2  # the agenda of both days


@pytest.mark.parametrize(
    ("lang", "dates", "day", "clock"),
    [
        ("fi", "20.–21. maaliskuuta 2025", "torstai 20. maaliskuuta 2025", "11.30–12.00"),
        ("sv", "20–21 mars 2025", "torsdag 20 mars 2025", "11:30–12:00"),
        ("en", "20–21 Mar 2025", "Thursday, 20 March 2025", "11:30–12:00"),
    ],
)
def test_dates_and_times_are_written_as_each_language_writes_them(  # type: ignore[no-untyped-def]
    app, lang: str, dates: str, day: str, clock: str
) -> None:
    at = app(page="views/programme.py", lang=lang)
    assert any(dates in c.value for c in at.caption), [c.value for c in at.caption]
    assert day in [s.value for s in at.subheader]
    times = list(at.dataframe[0].value.iloc[:, 0])
    assert any(str(v).startswith(clock) for v in times), times
    assert all("(" in e.label for e in at.expander)  # "memo (status)" as one translated sentence
