"""The event archive: export → import into an empty database gives back the same day.

The source is conftest's `moderated` dataset (the shared demo dataset with a highlighted idea full
of markup and a hidden one), built once per database kind and kept here as its archive and its
rows: each test imports that archive into a fresh empty database of the same kind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from alkedash import archive, intake, live, report, summary, tables
from alkedash.__main__ import main
from alkedash.archive import ArchiveError
from alkedash.content import Catalogue, Event
from tests.conftest import HOSTILE, SECRET, fresh_engine

Rows = dict[str, list[dict[str, Any]]]


def stored(engine: Engine, *, tokens: bool = False) -> Rows:
    """Every row of every archived table, by primary key, read straight from the store."""
    out: Rows = {}
    with engine.connect() as conn:
        for model in archive.MODELS:
            table = archive._table(model)
            rows = [dict(r._mapping) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
            if not tokens:
                for row in rows:
                    row.pop("token", None)
            out[table.name] = rows
    return out


def without_export_time(data: bytes) -> bytes:
    stripped, n = re.subn(rb'"exported_at": "[^"]*"', b'"exported_at": ""', data)
    assert n == 1
    return stripped


@dataclass(frozen=True)
class Source:
    kind: str
    archive: bytes
    rows: Rows
    tokens: frozenset[str]
    hidden: frozenset[int]
    highlighted: frozenset[int]
    summary: tuple[bytes, dict[str, pd.DataFrame]]  # the HTML summary and the tables, with the appendix


MADE_AT = dt.datetime(2025, 3, 21, 16, 0, tzinfo=dt.UTC)


def summarised(engine: Engine, catalogue: Catalogue, event: Event) -> tuple[bytes, dict[str, pd.DataFrame]]:
    """What the summary page would hand out: the HTML report (every number and chart) and the tables."""
    made = summary.build(engine=engine, catalogue=catalogue, event=event, moderation_appendix=True, made_at=MADE_AT)
    listed = tables.build(engine=engine, catalogue=catalogue, event=event, moderation_appendix=True, made_at=MADE_AT)
    return report.html_page(summary=made, catalogue=catalogue), listed


@pytest.fixture(scope="module")
def source(moderated: Engine, event: Event, catalogue: Catalogue) -> Source:
    """conftest's shared dataset with a highlighted and a hidden idea, as its archive and its rows."""
    rows = stored(moderated)
    return Source(
        kind=moderated.dialect.name,
        archive=archive.export(engine=moderated, event=event),
        rows=rows,
        tokens=frozenset(r["token"] for r in stored(moderated, tokens=True)["participants"]),
        hidden=frozenset(r["id"] for r in rows["inputs"] if r["hidden"]),
        highlighted=frozenset(r["id"] for r in rows["inputs"] if r["highlighted"]),
        summary=summarised(moderated, catalogue, event),
    )


@pytest.fixture
def target(source: Source, tmp_path: Path) -> Iterator[Engine]:
    """An empty database at head, of the source's kind."""
    eng = fresh_engine(kind=source.kind, path=tmp_path / "target.db")
    yield eng
    eng.dispose()


def empty(engine: Engine) -> bool:
    return not any(stored(engine).values())


# --- round trip -------------------------------------------------------------------------------------


def test_an_imported_archive_exports_again_as_the_same_json(source: Source, target: Engine) -> None:
    result = archive.load(engine=target, data=source.archive)
    again = archive.export(engine=target, event=result.event)
    assert without_export_time(again) == without_export_time(source.archive)


def test_an_imported_archive_gives_the_same_summary_and_tables(
    source: Source, target: Engine, catalogue: Catalogue
) -> None:
    imported = archive.load(engine=target, data=source.archive)
    page, listed = summarised(target, catalogue, imported.event)
    assert page == source.summary[0]
    assert list(listed) == list(source.summary[1])
    for name, table in listed.items():
        pd.testing.assert_frame_equal(table, source.summary[1][name], obj=name)


def test_an_import_gives_back_every_row_with_its_id_and_only_the_tokens_new(source: Source, target: Engine) -> None:
    archive.load(engine=target, data=source.archive)
    assert stored(target) == source.rows
    tokens = [r["token"] for r in stored(target, tokens=True)["participants"]]
    assert len(set(tokens)) == len(tokens) == len(source.tokens)
    assert not set(tokens) & source.tokens


def test_an_import_returns_the_archived_event_content_and_the_counts(
    source: Source, target: Engine, event: Event
) -> None:
    result = archive.load(engine=target, data=source.archive)
    assert result.event == event
    assert result.event_slug == "alke-2025"
    assert dict(result.counts) == {name: len(source.rows[name]) for name in archive.TABLES}
    assert result.schema == archive.schema_head()
    assert all(result.counts[name] for name in ("participants", "inputs", "ratings", "votes", "moderation_log"))


def test_the_archive_is_indented_json_in_a_fixed_order(source: Source) -> None:
    doc = json.loads(source.archive.decode("utf-8"))
    assert list(doc) == [*archive.HEADER, *archive.TABLES]
    assert (doc["format"], doc["version"], doc["schema"]) == (archive.FORMAT, archive.VERSION, archive.schema_head())
    assert source.archive.startswith(b'{\n  "format": "alkedash-archive",\n')
    assert [r["id"] for r in doc["inputs"]] == sorted(r["id"] for r in doc["inputs"])
    assert doc["inputs"][0]["created_at"].endswith("+00:00")


def test_the_archive_holds_no_participant_token(source: Source) -> None:
    doc = json.loads(source.archive)
    assert doc["participants"] and all("token" not in row for row in doc["participants"])
    assert not [token for token in source.tokens if token.encode() in source.archive]


def test_hidden_inputs_are_archived_and_imported_with_their_flag(source: Source, target: Engine) -> None:
    doc = json.loads(source.archive)
    assert [r["hidden"] for r in doc["inputs"] if r["text"] == SECRET] == [True]
    assert [r["highlighted"] for r in doc["inputs"] if r["text"] == HOSTILE] == [True]
    assert {r["id"] for r in doc["inputs"] if r["hidden"]} == source.hidden
    archive.load(engine=target, data=source.archive)
    inputs = stored(target)["inputs"]
    assert {r["id"] for r in inputs if r["hidden"]} == source.hidden
    assert {r["id"] for r in inputs if r["highlighted"]} == source.highlighted


def test_an_archive_holds_only_its_own_events_rows(engine: Engine, live_event: Event, catalogue: Catalogue) -> None:
    other = live_event.model_copy(update={"event": live_event.event.model_copy(update={"slug": "alke-2024"})})
    for ev in (live_event, other):
        live.ensure_event(engine=engine, event=ev)
        live.set_open(engine=engine, event=ev, question_id="T1-idea", is_open=True)
        token = intake.join(
            engine=engine, event=ev, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
        )
        intake.submit(
            engine=engine,
            event=ev,
            frame_keys=catalogue.frame.keys,
            token=token,
            question_id="T1-idea",
            text=f"Idea of {ev.slug}",
            tags=[catalogue.frame.keys[0]],
        )
    doc = json.loads(archive.export(engine=engine, event=live_event))
    assert [r["text"] for r in doc["inputs"]] == ["Idea of alke-2025"]
    assert [r["event"] for r in doc["participants"]] == ["alke-2025"]
    assert [r["input_id"] for r in doc["input_tags"]] == [doc["inputs"][0]["id"]]
    assert {r["event"] for r in doc["question_status"]} == {"alke-2025"}
    assert [r["event"] for r in doc["live_state"]] == ["alke-2025"]


# --- refusals ---------------------------------------------------------------------------------------


def test_a_second_import_is_refused_and_changes_nothing(source: Source, target: Engine) -> None:
    archive.load(engine=target, data=source.archive)
    before = stored(target, tokens=True)
    with pytest.raises(ArchiveError, match="the database already has data for event 'alke-2025'"):
        archive.load(engine=target, data=source.archive)
    assert stored(target, tokens=True) == before


def test_a_database_whose_app_already_started_the_event_is_not_empty(
    source: Source, target: Engine, event: Event
) -> None:
    live.ensure_event(engine=target, event=event)  # what the app does at its start
    with pytest.raises(ArchiveError, match=r"already has data for event 'alke-2025' \(live_state, question_status\)"):
        archive.load(engine=target, data=source.archive)


def edited(change: Callable[[dict[str, Any]], object]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        doc = json.loads(data)
        change(doc)
        return json.dumps(doc, ensure_ascii=False).encode()

    return apply


def same_id(doc: dict[str, Any]) -> None:
    doc["inputs"][0]["id"] = doc["inputs"][1]["id"] = 1


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], "not valid JSON, the file may be truncated or damaged"),
        (lambda data: b"", "not valid JSON, the file may be truncated or damaged"),
        (lambda data: b"\xff" + data, "not an alkedash archive: not UTF-8 text"),
        (lambda data: b'["alkedash-archive"]', "not an alkedash archive"),
        (edited(lambda d: d.update(format="alkedash-backup")), "not an alkedash archive"),
        (edited(lambda d: d.update(version=2)), "archive version 2 is newer than this alkedash (1)"),
        (edited(lambda d: d.update(version="1")), "archive version '1' is not one this alkedash knows (1)"),
        (edited(lambda d: d.pop("votes")), "the archive lacks the section(s) 'votes'"),
        (edited(lambda d: d.update(comments=[])), "unknown section(s) 'comments' in the archive"),
        (edited(lambda d: d["event"].update(themes=[])), "the archive's event content is invalid"),
        (edited(lambda d: d.update(exported_at="yesterday")), "exported_at 'yesterday' is not an ISO-8601 date-time"),
        (edited(lambda d: d.update(inputs={})), "inputs: not a list of rows"),
        (edited(lambda d: d["inputs"][11].update(mood="good")), "row 12 of inputs: column 'mood' is unknown"),
        (edited(lambda d: d["participants"][0].update(token="abc")), "row 1 of participants: column 'token' is never"),
        (edited(lambda d: d["inputs"][0].pop("created_at")), "row 1 of inputs: column 'created_at' is missing"),
        (edited(lambda d: d["inputs"][0].update(kind=None)), "row 1 of inputs: column 'kind' must not be empty"),
        (edited(lambda d: d["inputs"][0].update(hidden="no")), "row 1 of inputs: column 'hidden' is not true or false"),
        (edited(lambda d: d["inputs"][0].update(id="1")), "row 1 of inputs: column 'id' is not a whole number"),
        (edited(lambda d: d["inputs"][0].update(option="x" * 41)), "column 'option' is longer than 40 characters"),
        (
            edited(lambda d: d["votes"][0].update(created_at="2025-03-20T11:01:09")),
            "row 1 of votes: column 'created_at' '2025-03-20T11:01:09' has no time zone",
        ),
        (
            edited(lambda d: d["inputs"][0].update(event="alke-2024")),
            "row 1 of inputs: event 'alke-2024' is not the archive's event 'alke-2025'",
        ),
        (edited(same_id), "row 2 of inputs: id 1 appears twice"),
        (
            edited(lambda d: d["votes"][0].update(input_id=10**9)),
            "row 1 of votes: input_id 1000000000 is not among the archive's inputs",
        ),
    ],
    ids=[
        "truncated",
        "empty",
        "not UTF-8",
        "not an object",
        "wrong format",
        "newer version",
        "version not a number",
        "missing section",
        "unknown section",
        "invalid event content",
        "bad export time",
        "table not a list",
        "unknown column",
        "token column",
        "missing column",
        "empty required column",
        "not a boolean",
        "not an integer",
        "too long",
        "naive datetime",
        "row of another event",
        "duplicate id",
        "dangling reference",
    ],
)
def test_a_damaged_or_foreign_file_is_refused_with_a_clear_message_and_nothing_stored(
    source: Source, target: Engine, damage: Callable[[bytes], bytes], message: str
) -> None:
    with pytest.raises(ArchiveError) as err:
        archive.load(engine=target, data=damage(source.archive))
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert empty(target)


def test_rows_of_another_event_holding_the_same_ids_stop_the_whole_import(
    source: Source, target: Engine, event: Event, catalogue: Catalogue
) -> None:
    other = event.model_copy(update={"event": event.event.model_copy(update={"slug": "alke-2024"})})
    intake.join(engine=target, event=other, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue)
    before = stored(target, tokens=True)
    with pytest.raises(ArchiveError, match="participants could not be stored, nothing was imported"):
        archive.load(engine=target, data=source.archive)
    assert stored(target, tokens=True) == before


# --- other schema revisions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "check"),
    [
        (lambda d: d.update(schema="0001"), lambda rows, source: rows == source.rows),
        (
            lambda d: [row.pop("highlighted") for row in d["inputs"]],
            lambda rows, source: not any(r["highlighted"] for r in rows["inputs"]),
        ),
    ],
    ids=["another revision id", "a column with a default left out"],
)
def test_an_archive_of_another_schema_revision_imports_when_its_columns_are_known(
    source: Source,
    target: Engine,
    change: Callable[[dict[str, Any]], object],
    check: Callable[[Rows, Source], bool],
) -> None:
    archive.load(engine=target, data=edited(change)(source.archive))
    assert check(stored(target), source)


# --- after the import -------------------------------------------------------------------------------


def test_new_answers_after_an_import_take_new_ids(source: Source, target: Engine, catalogue: Catalogue) -> None:
    ev = archive.load(engine=target, data=source.archive).event
    theme = ev.themes[0]
    live.set_theme(engine=target, event=ev, theme_id=theme.id)
    for q in theme.questions:
        live.set_open(engine=target, event=ev, question_id=q.id, is_open=True)
    token = intake.join(
        engine=target, event=ev, channel="stream", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    idea = intake.submit(
        engine=target,
        event=ev,
        frame_keys=catalogue.frame.keys,
        token=token,
        question_id=f"{theme.id}-idea",
        text="Uusi idea tuonnin jälkeen",
        tags=[catalogue.frame.keys[0]],
    )
    rating = next(q for q in theme.questions if q.kind == "rating")
    intake.submit(
        engine=target,
        event=ev,
        frame_keys=catalogue.frame.keys,
        token=token,
        question_id=rating.id,
        ratings=dict.fromkeys(rating.elements or catalogue.frame.keys, 4),
    )
    archived_idea = next(
        r["id"]
        for r in source.rows["inputs"]
        if r["question_id"] == f"{theme.id}-idea" and r["id"] not in source.hidden
    )
    assert intake.upvote(engine=target, event=ev, token=token, input_id=archived_idea)
    live.moderate(engine=target, event=ev, input_id=idea.input_id, action="highlight", actor="test")
    now = stored(target)
    for name in ("participants", "inputs", "ratings", "input_tags", "votes", "moderation_log"):
        newest = max(r["id"] for r in source.rows[name])
        assert [r for r in now[name] if r["id"] > newest], name
        assert [r for r in now[name] if r["id"] <= newest] == source.rows[name], name


# --- command line -----------------------------------------------------------------------------------


def test_the_command_line_imports_and_exports_an_archive(
    source: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whichever engine wrote it, the archive moves into SQLite files and back out unchanged."""
    given, written = tmp_path / "given.json", tmp_path / "written.json"
    given.write_bytes(source.archive)
    monkeypatch.setenv("ALKEDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'first.db'}")
    assert main(["import-archive", str(given)]) == 0
    out = capsys.readouterr().out
    assert f"inputs: {len(source.rows['inputs']):,}" in out
    assert "event content: stored as archived" in out  # the empty database had no set-up of it
    assert main(["export-archive", "--event", "alke-2025", str(written)]) == 0
    assert without_export_time(written.read_bytes()) == without_export_time(source.archive)
    monkeypatch.setenv("ALKEDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    assert main(["import-archive", str(written)]) == 0
    capsys.readouterr()
    assert main(["import-archive", str(written)]) == 2
    err = capsys.readouterr().err
    assert err == "Archive error: the database already has data for event 'alke-2025' " + (
        "(participants, inputs, live_state, question_status, moderation_log); import into an empty database\n"
    )


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["import-archive", "{file}"], b'{"format": "alkedash-arch', "Archive error: not valid JSON"),
        (["import-archive", "{file}"], None, "Archive error: cannot read"),
        (["export-archive", "--event", "alke-1999", "{file}"], None, "Archive error: no event 'alke-1999'"),
    ],
    ids=["truncated file", "no such file", "unknown event"],
)
def test_the_command_line_reports_an_archive_error_in_one_line_with_exit_code_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    content: bytes | None,
    message: str,
) -> None:
    monkeypatch.setenv("ALKEDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    file = tmp_path / "archive.json"
    if content is not None:
        file.write_bytes(content)
    assert main([a.format(file=file) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


# --- erasing ------------------------------------------------------------------------------------------


def test_erasing_an_event_deletes_every_row_of_it_and_nothing_of_another(
    source: Source, target: Engine, catalogue: Catalogue, event: Event
) -> None:
    archive.load(engine=target, data=source.archive)
    other = event.model_copy(
        update={"event": event.event.model_copy(update={"slug": "alke-2024", "join_code": "ALKE24"})}
    )
    live.ensure_event(engine=target, event=other)
    live.set_open(engine=target, event=other, question_id="T1-idea", is_open=True)
    token = intake.join(
        engine=target, event=other, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    kept = intake.submit(
        engine=target, event=other, frame_keys=catalogue.frame.keys, token=token, question_id="T1-idea", text="Jää"
    )
    # the other event's own upvote stays
    voter = intake.join(
        engine=target, event=other, channel="stream", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    intake.upvote(engine=target, event=other, token=voter, input_id=kept.input_id)

    counts = archive.erase(engine=target, event_slug=event.slug)

    assert counts["inputs"] == len(source.rows["inputs"]) and counts["participants"] == len(source.rows["participants"])
    assert counts["votes"] == len(source.rows["votes"]) and counts["ratings"] == len(source.rows["ratings"])
    left = stored(target)
    assert {r["event"] for name in ("participants", "inputs", "live_state", "question_status") for r in left[name]} == {
        "alke-2024"
    }
    assert [r["text"] for r in left["inputs"]] == ["Jää"] and len(left["votes"]) == 1
    assert archive.load(engine=target, data=source.archive).counts == {n: len(source.rows[n]) for n in archive.TABLES}
