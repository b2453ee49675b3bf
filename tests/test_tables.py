"""The raw tables as a reader opens them: the workbook with openpyxl, the CSV files with csv."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from alkedash import tables
from alkedash.content import EVENT_ZONE, Catalogue, Event
from alkedash.models import Input
from tests.conftest import HOSTILE, SECRET

SLUG = "alke-2025"
SHEETS = {
    "fi": ["Tietoja", "Vastaukset", "Peukutukset", "Arviot", "Kyselyt", "Osallistujat", "Idearyhmät", "Moderointi"],
    "sv": ["Om filen", "Svar", "Röster", "Bedömningar", "Enkäter", "Deltagare", "Idégrupper", "Moderering"],
    "en": ["About", "Inputs", "Upvotes", "Ratings", "Polls", "Participants", "Idea groups", "Moderation"],
}


def _count(engine: Engine, query: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(query), {"e": SLUG, **params}).scalar() or 0)


VISIBLE_INPUTS = "SELECT COUNT(*) FROM inputs WHERE event = :e AND NOT hidden"
VISIBLE_VOTES = "SELECT COUNT(*) FROM votes v JOIN inputs i ON i.id = v.input_id WHERE i.event = :e AND NOT i.hidden"
VISIBLE_RATINGS = (
    "SELECT COUNT(*) FROM ratings r JOIN inputs i ON i.id = r.input_id WHERE i.event = :e AND NOT i.hidden"
)


@pytest.fixture(scope="module")
def workbooks(moderated: Engine, catalogue: Catalogue, event: Event) -> dict[str, openpyxl.Workbook]:
    return {
        lang: openpyxl.load_workbook(
            io.BytesIO(tables.xlsx(tables=tables.build(engine=moderated, catalogue=catalogue, event=event, lang=lang)))
        )
        for lang in ("fi", "sv", "en")
    }


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_table_is_a_sheet_named_in_the_readers_language(
    workbooks: dict[str, openpyxl.Workbook], lang: str
) -> None:
    assert workbooks[lang].sheetnames == SHEETS[lang]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_sheet_has_a_frozen_header_and_a_filter_over_all_rows(
    workbooks: dict[str, openpyxl.Workbook], lang: str
) -> None:
    for sheet in workbooks[lang].worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last_column = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last_column}{max(sheet.max_row, 2)}", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title


def test_the_rows_are_the_visible_rows_of_the_database(
    moderated: Engine, workbooks: dict[str, openpyxl.Workbook]
) -> None:
    book = workbooks["fi"]
    assert book["Vastaukset"].max_row - 1 == _count(moderated, VISIBLE_INPUTS)
    assert book["Peukutukset"].max_row - 1 == _count(moderated, VISIBLE_VOTES)
    ratings = book["Arviot"]
    assert ratings.max_row - 1 == _count(moderated, VISIBLE_INPUTS + " AND kind = 'rating'")
    given = [v for row in ratings.iter_rows(min_row=2, min_col=8, values_only=True) for v in row if v is not None]
    assert len(given) == _count(moderated, VISIBLE_RATINGS) and set(given) <= {1, 2, 3, 4, 5}
    assert book["Osallistujat"].max_row - 1 == _count(moderated, "SELECT COUNT(*) FROM participants WHERE event = :e")
    polls = book["Kyselyt"]
    header = [c.value for c in polls[1]]
    total = sum(row[header.index("Yhteensä")] for row in polls.iter_rows(min_row=2, values_only=True))
    assert total == _count(moderated, VISIBLE_INPUTS + " AND kind = 'poll'")


def test_times_are_real_spreadsheet_times_in_finnish_time(
    moderated: Engine, workbooks: dict[str, openpyxl.Workbook]
) -> None:
    with Session(moderated) as s:
        stored = s.scalar(select(Input.created_at).where(Input.event == SLUG).order_by(Input.id).limit(1))
    assert stored is not None
    cell = workbooks["fi"]["Vastaukset"].cell(row=2, column=2)
    assert cell.is_date
    assert cell.value == stored.astimezone(EVENT_ZONE).replace(tzinfo=None, microsecond=0)


def test_codes_are_shown_as_words(workbooks: dict[str, openpyxl.Workbook]) -> None:
    sheet = workbooks["sv"]["Svar"]
    header = [c.value for c in sheet[1]]
    channels = {row[header.index("Kanal")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert channels == {"I salen", "Via strömningen"}
    regions = {row[header.index("Landskap")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Nyland" in regions and "MK01" not in regions


def test_a_formula_in_an_input_stays_text_and_hidden_inputs_stay_out(workbooks: dict[str, openpyxl.Workbook]) -> None:
    sheet = workbooks["fi"]["Vastaukset"]
    header = [c.value for c in sheet[1]]
    column = header.index("Teksti") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    hostile = [c for c in cells if c.value == HOSTILE]
    assert len(hostile) == 1 and hostile[0].data_type == "s"
    assert not any(c.value == SECRET for c in cells)


def test_the_appendix_adds_hidden_inputs_with_their_flag(moderated: Engine, catalogue: Catalogue, event: Event) -> None:
    built = tables.build(engine=moderated, catalogue=catalogue, event=event, lang="en", moderation_appendix=True)
    inputs = built["Inputs"]
    assert len(inputs) == _count(moderated, "SELECT COUNT(*) FROM inputs WHERE event = :e")
    assert list(inputs.loc[inputs["Hidden"] == "yes", "Text"]) == [SECRET]
    log = built["Moderation"]
    assert set(log["Action"]) == {"hidden", "highlighted"} and SECRET in set(log["Text"])


def test_without_the_appendix_the_log_shows_actions_but_no_hidden_text(
    moderated: Engine, catalogue: Catalogue, event: Event
) -> None:
    log = tables.build(engine=moderated, catalogue=catalogue, event=event, lang="en")["Moderation"]
    assert len(log) == 2 and "Text" not in log.columns


def test_one_theme_keeps_only_that_themes_rows(moderated: Engine, catalogue: Catalogue, event: Event) -> None:
    built = tables.build(engine=moderated, catalogue=catalogue, event=event, lang="fi", theme_id="T3")
    assert set(built["Vastaukset"]["Teema"]) == {event.theme("T3").title("fi")}  # type: ignore[union-attr]
    assert len(built["Vastaukset"]) == _count(moderated, VISIBLE_INPUTS + " AND theme_id = :t", t="T3")
    answered = "SELECT COUNT(DISTINCT participant_id) FROM inputs WHERE event = :e AND NOT hidden AND theme_id = :t"
    assert len(built["Osallistujat"]) == _count(moderated, answered, t="T3")


def test_the_csv_zip_holds_the_same_tables_and_defuses_formulas(
    moderated: Engine, catalogue: Catalogue, event: Event
) -> None:
    built = tables.build(engine=moderated, catalogue=catalogue, event=event, lang="fi")
    with zipfile.ZipFile(io.BytesIO(tables.csv_zip(tables=built))) as zf:
        names = zf.namelist()
        assert names == [
            "01-tietoja.csv", "02-vastaukset.csv", "03-peukutukset.csv", "04-arviot.csv", "05-kyselyt.csv",
            "06-osallistujat.csv", "07-idearyhmat.csv", "08-moderointi.csv",
        ]  # fmt: skip
        raw = zf.read("02-vastaukset.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte-order mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == _count(moderated, VISIBLE_INPUTS)
    texts = [r["Teksti"] for r in rows]
    assert "'" + HOSTILE in texts and HOSTILE not in texts and SECRET not in texts


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+358 40", "'+358 40"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("Hyvä idea", "Hyvä idea")],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(value: str, expected: str) -> None:
    assert tables._csv_cell(value) == expected
