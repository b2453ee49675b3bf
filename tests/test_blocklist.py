from __future__ import annotations

from pathlib import Path

import pytest

from alkedash import blocklist


@pytest.mark.parametrize(
    ("text", "langs"),
    [
        ("Lisää junia Kajaaniin", set()),
        ("Vitun hyvä idea", {"fi", "sv", "en"}),  # a * row: every participant language
        ("paskapuhetta koko hanke", {"fi", "sv", "en"}),  # prefix: compounds and inflections
        ("helvetisti rahaa", {"fi", "sv", "en"}),
        ("FUCKING trains", {"fi", "sv", "en"}),  # case folded
        ("ｆｕｃｋ", {"fi", "sv", "en"}),  # full-width letters fold to their ASCII (NFKC)
        ("clusterfuck", {"fi", "sv", "en"}),  # a part row: anywhere in a word
        ("fy fan vad dåligt", {"sv"}),  # Swedish only: "fan" is an English word too
        ("Det här är skit", {"sv"}),
        ("slutet är bra", {"en"}),  # "slut" is Swedish for "end": an English row only
        ("kuusi kuusta ja tuuli", set()),  # Finnish words that merely contain a short term
        ("mulkoilla ja runko", set()),
        ("Scunthorpe and analysis", set()),
        ("", set()),
    ],
)
def test_a_text_is_flagged_in_the_languages_whose_list_it_trips(text: str, langs: set[str]) -> None:
    assert blocklist.flagged_langs(text=text, blocklist=blocklist.load_blocklist()) == langs


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("lang,word,match\n", "header"),
        ("lang,term,match\nde,scheisse,word\n", "unknown language"),
        ("lang,term,match\nfi,vittu,contains\n", "unknown match"),
        ("lang,term,match\nfi,kaksi sanaa,word\n", "one word"),
    ],
)
def test_a_bad_row_in_the_list_is_named_with_its_line(tmp_path: Path, rows: str, message: str) -> None:
    path = tmp_path / "blocked.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        blocklist.load_blocklist(path=path)
