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
