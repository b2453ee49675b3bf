"""Series of events and milestones: the preparation timeline (the 2023 regional development decision,
the 2025 discussion days with their theme choice, memos and comment rounds).

A series is data, not code: data/series/*.toml are seeds, copied into the database once when their
slug is new there and never over an organiser's edit. A mistake in a file is reported with the file
and the field that is wrong. The timeline page and its figure (alkedash.timeline) read the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import StringConstraints, ValidationError, model_validator
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alkedash import events
from alkedash.content import DATA_DIR, ContentError, Event, Ident, Strict, Text, field_path, read_toml
from alkedash.db import transaction
from alkedash.models import Milestone, Series

MilestoneKind = Literal[
    "workshop",
    "consultation",
    "webinar",
    "meeting",
    "decision",
    "theme_choice",
    "memo_drafting",
    "comment_round",
    "event",
]
KINDS: dict[str, Text] = {
    "workshop": Text(fi="Työpaja", sv="Workshop", en="Workshop"),
    "consultation": Text(fi="Kuulemiskierros", sv="Remissrunda", en="Consultation round"),
    "webinar": Text(fi="Webinaari", sv="Webbinarium", en="Webinar"),
    "meeting": Text(fi="Kokous", sv="Möte", en="Meeting"),
    "decision": Text(fi="Käsittely ja päätös", sv="Behandling och beslut", en="Consideration and decision"),
    "theme_choice": Text(fi="Teemojen valinta", sv="Val av teman", en="Choice of themes"),
    "memo_drafting": Text(fi="Muistioiden laadinta", sv="Promemorior skrivs", en="Memo drafting"),
    "comment_round": Text(fi="Kommentointikierros", sv="Kommentarsrunda", en="Comment round"),
    "event": Text(fi="Tilaisuus", sv="Evenemang", en="Event"),
}
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class MilestoneInfo(Strict):
    """One step on a series' timeline; `ends` only for a span of days."""

    key: Ident
    kind: MilestoneKind
    title: Text
    starts: dt.date
    ends: dt.date | None = None
    place: Place | None = None
    note: Text | None = None
    tentative: bool = False  # "tbc": planned, not fixed
    event: Ident | None = None  # the slug of the event this milestone is

    @model_validator(mode="after")
    def _dates(self) -> MilestoneInfo:
        if self.ends is not None and self.ends < self.starts:
            raise ValueError("ends must not be before starts")
        return self

    @property
    def last_day(self) -> dt.date:
        return self.ends or self.starts

    @property
    def is_span(self) -> bool:
        return self.ends is not None and self.ends > self.starts


class SeriesInfo(Strict):
    slug: Ident
    title: Text
    description: Text | None = None
    organiser: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)] = "TEM"


class SeriesFile(Strict):
    """What one data/series file holds: the series and its milestones."""

    series: SeriesInfo
    milestones: tuple[MilestoneInfo, ...]

    @model_validator(mode="after")
    def _keys_unique(self) -> SeriesFile:
        if not self.milestones:
            raise ValueError("a series needs at least one [[milestones]]")
        keys = [m.key for m in self.milestones]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"milestone keys must be unique within the series: {dup}")
        return self


def _problems(*, exc: ValidationError, raw: dict[str, Any], source: str) -> ContentError:
    """Every problem named by its field, the way an organiser finds it in the file or the form."""
    lines = [f"{source}: {len(exc.errors())} problem(s)"]
    for err in exc.errors():
        where = field_path(tuple(err["loc"]), _keyed(raw)).replace("(id = ", "(key = ")
        lines.append(f"  - {where}: {err['msg']}")
    found = ContentError("\n".join(lines))
    found.errors = exc.errors()  # type: ignore[attr-defined]  # for a form: each problem in the organiser's words
    return found


def _keyed(raw: dict[str, Any]) -> dict[str, Any]:
    """content.field_path labels list items by their `id`; a milestone's is its `key`."""
    items = raw.get("milestones")
    if not isinstance(items, list):
        return raw
    labelled = [{**m, "id": m.get("key")} if isinstance(m, dict) else m for m in items]
    return {**raw, "milestones": labelled}


def series_from_dict(*, raw: dict[str, Any], source: str) -> SeriesFile:
    try:
        return SeriesFile.model_validate(raw)
    except ValidationError as exc:
        raise _problems(exc=exc, raw=raw, source=source) from exc


def parse_milestone(*, raw: dict[str, Any], source: str) -> MilestoneInfo:
    """A milestone from the organiser's form: ends not before starts, a known kind, a title in all
    three languages; a clear message naming the field if not."""
    try:
        return MilestoneInfo.model_validate(raw)
    except ValidationError as exc:
        raise _problems(exc=exc, raw=raw, source=source) from exc


def milestone_from_form(
    *,
    key: str,
    kind: str,
    title: dict[str, str],
    starts: dt.date | None,
    ends: dt.date | None,
    place: str,
    note: dict[str, str],
    tentative: bool,
    event: str | None,
    source: str,
) -> MilestoneInfo:
    """The organiser's form as a milestone: blank place, note and event are none, a note is in all
    three languages or none; then checked as parse_milestone checks it."""
    raw: dict[str, Any] = {
        "key": key.strip(),
        "kind": kind,
        "title": {lang: text.strip() for lang, text in title.items()},
        "starts": starts,
        "tentative": tentative,
    }
    if ends is not None and ends != starts:
        raw["ends"] = ends
    if place.strip():
        raw["place"] = place.strip()
    if any(text.strip() for text in note.values()):
        raw["note"] = {lang: text.strip() for lang, text in note.items()}
    if event:
        raw["event"] = event
    return parse_milestone(raw=raw, source=source)


def load_series(*, path: Path) -> SeriesFile:
    return series_from_dict(raw=read_toml(path=path), source=str(path))


def load_all(*, data_dir: Path = DATA_DIR) -> tuple[SeriesFile, ...]:
    """Every file under data/series, validated; two files with one slug are an error. No folder, no series."""
    found = tuple(load_series(path=p) for p in sorted((data_dir / "series").glob("*.toml")))
    slugs = [f.series.slug for f in found]
    dup = sorted({s for s in slugs if slugs.count(s) > 1})
    if dup:
        raise ContentError(f"{data_dir / 'series'}: two files share the series slug {dup}")
    return found


# --- the store -----------------------------------------------------------------------------------


def _json(text: Text | None) -> str | None:
    return text.model_dump_json() if text is not None else None


def _text(stored: str | None) -> Text | None:
    return Text.model_validate_json(stored) if stored else None


def _milestone_row(*, series: str, milestone: MilestoneInfo) -> Milestone:
    return Milestone(series=series, key=milestone.key, **_milestone_values(milestone=milestone))


def _milestone_values(*, milestone: MilestoneInfo) -> dict[str, Any]:
    return {
        "kind": milestone.kind,
        "title": _json(milestone.title),
        "starts": milestone.starts,
        "ends": milestone.ends,
        "place": milestone.place,
        "note": _json(milestone.note),
        "tentative": milestone.tentative,
        "event": milestone.event,
    }


def seed(*, engine: Engine, data_dir: Path = DATA_DIR) -> list[str]:
    """Copy data/series into the store where the slug is new; return the slugs copied in. A series
    already stored is left as it is (an organiser may have edited its milestones). Safe at every
    start and from several processes at once."""
    added = []
    for found in load_all(data_dir=data_dir):
        try:
            if transaction(engine=engine, work=functools.partial(_insert_if_missing, found=found)):
                added.append(found.series.slug)
        except IntegrityError:
            pass  # another process seeded it meanwhile
    return added


def _insert_if_missing(s: Session, *, found: SeriesFile) -> bool:
    info = found.series
    if s.get(Series, info.slug) is not None:
        return False
    s.add(
        Series(slug=info.slug, title=_json(info.title), description=_json(info.description), organiser=info.organiser)
    )
    s.flush()  # the series before its milestones (their foreign key)
    s.add_all(_milestone_row(series=info.slug, milestone=m) for m in found.milestones)
    s.flush()
    return True


def _series_info(row: Series) -> SeriesInfo:
    title = _text(row.title)
    assert title is not None  # the column is NOT NULL
    return SeriesInfo(slug=row.slug, title=title, description=_text(row.description), organiser=row.organiser)


def _milestone_info(row: Milestone) -> MilestoneInfo:
    title = _text(row.title)
    assert title is not None
    return MilestoneInfo(
        key=row.key,
        kind=row.kind,  # type: ignore[arg-type]  # validated by pydantic
        title=title,
        starts=row.starts,
        ends=row.ends,
        place=row.place,
        note=_text(row.note),
        tentative=row.tentative,
        event=row.event,
    )


def all_series(*, engine: Engine) -> list[SeriesInfo]:
    """Every stored series, the one whose milestones start latest first (as events are listed)."""
    with Session(engine) as s:
        rows = s.scalars(select(Series)).all()
        first = dict(s.execute(select(Milestone.series, func.min(Milestone.starts)).group_by(Milestone.series)).all())
        found = [_series_info(r) for r in rows]
    return sorted(found, key=lambda i: (first.get(i.slug, dt.date.min), i.slug), reverse=True)


def by_slug(*, engine: Engine, slug: str) -> SeriesInfo | None:
    with Session(engine) as s:
        row = s.get(Series, slug)
        return _series_info(row) if row is not None else None


def milestones(*, engine: Engine, series: str) -> list[MilestoneInfo]:
    """A series' milestones in time order."""
    with Session(engine) as s:
        rows = s.scalars(
            select(Milestone)
            .where(Milestone.series == series)
            .order_by(Milestone.starts, Milestone.ends, Milestone.key)
        ).all()
        return [_milestone_info(r) for r in rows]


def events_of(*, engine: Engine, series: str) -> list[Event]:
    """The stored events of a series, in time order: those a milestone links and those whose
    set-up names the series. A milestone linking an event not (or no longer) stored is skipped."""
    with Session(engine) as s:
        linked = set(s.scalars(select(Milestone.event).where(Milestone.series == series)).all())
    found = {e.slug: e for e in events.all_events(engine=engine) if e.event.series == series or e.slug in linked}
    return sorted(found.values(), key=lambda e: (e.event.starts, e.slug))


# --- organiser's edits ---------------------------------------------------------------------------


class MilestoneExists(ContentError):
    """The series has a milestone with this key already."""


class SeriesExists(ContentError):
    """A series with this slug is stored already."""


def series_from_form(*, slug: str, title: dict[str, str], description: dict[str, str], source: str) -> SeriesInfo:
    """The organiser's series form: a title in fi, sv and en; a description in all three or none."""
    raw: dict[str, Any] = {"slug": slug.strip(), "title": {lang: text.strip() for lang, text in title.items()}}
    if any(text.strip() for text in description.values()):
        raw["description"] = {lang: text.strip() for lang, text in description.items()}
    try:
        return SeriesInfo.model_validate(raw)
    except ValidationError as exc:
        raise _problems(exc=exc, raw=raw, source=source) from exc


def save_series(*, engine: Engine, info: SeriesInfo, new: bool) -> None:
    """Store a new series (its milestones are added afterwards) or rename and redescribe one."""

    def work(s: Session) -> None:
        row = s.get(Series, info.slug)
        if new and row is not None:
            raise SeriesExists(f"slug: a series {info.slug!r} exists already")
        if not new and row is None:
            raise ContentError(f"slug: no series {info.slug!r}")
        if row is None:
            s.add(
                Series(
                    slug=info.slug,
                    title=_json(info.title),
                    description=_json(info.description),
                    organiser=info.organiser,
                )
            )
            return
        row.title, row.description = _json(info.title) or row.title, _json(info.description)

    try:
        transaction(engine=engine, work=work)
    except IntegrityError as exc:  # two organisers creating the same slug at once
        raise SeriesExists(f"slug: a series {info.slug!r} exists already") from exc


def add_milestone(*, engine: Engine, series: str, milestone: MilestoneInfo) -> None:
    def work(s: Session) -> None:
        if s.get(Series, series) is None:
            raise ContentError(f"series: no series {series!r}")
        if s.scalar(select(Milestone.id).where(Milestone.series == series, Milestone.key == milestone.key)):
            raise MilestoneExists(f"key: the series has a milestone {milestone.key!r} already")
        s.add(_milestone_row(series=series, milestone=milestone))

    try:
        transaction(engine=engine, work=work)
    except IntegrityError as exc:  # two organisers adding the same key at once
        raise MilestoneExists(f"key: the series has a milestone {milestone.key!r} already") from exc


def update_milestone(*, engine: Engine, series: str, key: str, milestone: MilestoneInfo) -> None:
    """Save an edited milestone over the stored one named by `key` (the key itself may change)."""

    def work(s: Session) -> None:
        row = s.scalar(select(Milestone).where(Milestone.series == series, Milestone.key == key))
        if row is None:
            raise ContentError(f"key: the series {series!r} has no milestone {key!r}")
        if milestone.key != key and s.scalar(
            select(Milestone.id).where(Milestone.series == series, Milestone.key == milestone.key)
        ):
            raise MilestoneExists(f"key: the series has a milestone {milestone.key!r} already")
        row.key = milestone.key
        for name, value in _milestone_values(milestone=milestone).items():
            setattr(row, name, value)

    try:
        transaction(engine=engine, work=work)
    except IntegrityError as exc:
        raise MilestoneExists(f"key: the series has a milestone {milestone.key!r} already") from exc


def remove_milestone(*, engine: Engine, series: str, key: str) -> bool:
    """Remove one milestone; False when it was not there (removed by someone else meanwhile)."""

    def work(s: Session) -> bool:
        row = s.scalar(select(Milestone).where(Milestone.series == series, Milestone.key == key))
        if row is None:
            return False
        s.delete(row)
        return True

    return transaction(engine=engine, work=work)
