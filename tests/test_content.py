from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alkedash.content import DATA_DIR, Catalogue, ContentError, load_catalogue


def test_the_2025_event_has_three_themes_with_every_question_kind(catalogue: Catalogue) -> None:
    event = catalogue.event(join_code="alke25")
    assert event is not None
    assert event.event.room_capacity == 140
    assert str(event.event.starts) == "2025-03-20" and str(event.event.ends) == "2025-03-21"
    assert [t.id for t in event.themes] == ["T1", "T2", "T3"]
    for theme in event.themes:
        assert 3 <= len(theme.questions) <= 4
        assert {q.kind for q in theme.questions} == {"idea", "words", "rating", "poll"}
        assert theme.memo.status == "draft"
        assert theme.title is not None and theme.title("fi")


def test_the_frame_has_three_elements_in_each_group_with_official_wording(catalogue: Catalogue) -> None:
    groups = {
        g: [e.title("fi") for e in catalogue.frame.by_group(g)] for g in ("painopiste", "poikkileikkaava", "edellytys")
    }
    assert groups["painopiste"] == [
        "Kestävä elinvoima ja investoinnit",
        "Hyvinvoiva väestö ja yhteisöt",
        "Vetovoimainen elinympäristö ja monimuotoinen luonto",
    ]
    assert groups["poikkileikkaava"] == ["Kokonaisturvallisuus", "Kansainvälisyys", "Aluelähtöisyys"]
    assert groups["edellytys"] == ["Saavutettavuus", "Työvoiman saatavuus ja työllisyys", "Osaaminen ja sivistys"]
    assert catalogue.frame.element("X1").title("sv") == "Övergripande säkerhet"


def test_all_nineteen_regions_are_known(catalogue: Catalogue) -> None:
    assert len(catalogue.regions) == 19
    assert catalogue.region("MK21") is not None and catalogue.region("MK03") is None


def test_every_text_of_the_event_exists_in_finnish_swedish_and_english(catalogue: Catalogue) -> None:
    event = catalogue.events[0]
    for theme in event.themes:
        for q in theme.questions:
            assert q.prompt("fi") and q.prompt("sv") and q.prompt("en")
        assert len(theme.contents("fi")) == len(theme.contents("sv")) == len(theme.contents("en")) >= 1


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "events" / "alke-2025.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("room_capacity = 140", "room_capacity = -5", "event.room_capacity"),
        ('join_code = "ALKE25"', 'join_code = "a b"', "event.join_code"),
        ('kind = "poll"', 'kind = "quiz"', "themes[1] (id = 'T1').questions"),
        ("starts = 2025-03-20", "starts = 2025-13-40", "not valid TOML"),
        ('owner = ["TEM", "OKM"]', 'owner = ["XYZ"]', "unknown ministry"),
    ],
)
def test_a_broken_event_file_names_the_file_and_the_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    data = _broken_copy(tmp_path, old, new)
    with pytest.raises(ContentError) as err:
        load_catalogue(data_dir=data)
    assert "alke-2025" in str(err.value)
    assert expected in str(err.value)


def test_a_missing_frame_file_is_reported_by_path(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "frame.csv").unlink()
    with pytest.raises(ContentError, match=r"frame\.csv: file is missing"):
        load_catalogue(data_dir=data)
