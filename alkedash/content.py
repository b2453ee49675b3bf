"""Event content from data/: the ALKE frame, themes, memos, questions, agenda.

Content is data, not code: an organiser edits TOML, and a mistake is reported at start-up
with the file and the field that is wrong, never as a traceback in the middle of the day.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import tomllib
import zoneinfo
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

LANGS: tuple[str, ...] = ("fi", "sv", "en")
Lang = Literal["fi", "sv", "en"]
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EVENT_ZONE = zoneinfo.ZoneInfo("Europe/Helsinki")  # the days' clock: agenda times, inputs per minute

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]


class ContentError(ValueError):
    """A content file is missing or invalid; the message names the file and the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """One piece of text in the three languages of Finland's public sector."""

    fi: NonEmpty
    sv: NonEmpty
    en: NonEmpty

    def __call__(self, lang: str) -> str:
        return str(getattr(self, lang, self.fi))


class TextList(Strict):
    fi: list[NonEmpty]
    sv: list[NonEmpty]
    en: list[NonEmpty]

    @model_validator(mode="after")
    def _same_length(self) -> TextList:
        if not (len(self.fi) == len(self.sv) == len(self.en)):
            raise ValueError("fi, sv and en must have the same number of items")
        return self

    def __call__(self, lang: str) -> list[str]:
        return list(getattr(self, lang, self.fi))


FrameGroup = Literal["painopiste", "poikkileikkaava", "edellytys"]
FRAME_GROUPS: tuple[FrameGroup, ...] = ("painopiste", "poikkileikkaava", "edellytys")
GROUP_TITLES: dict[str, Text] = {
    "painopiste": Text(fi="Painopisteet", sv="Prioriteringar", en="Priorities"),
    "poikkileikkaava": Text(
        fi="Poikkileikkaavat näkökulmat", sv="Övergripande perspektiv", en="Cross-cutting perspectives"
    ),
    "edellytys": Text(fi="Edellytykset", sv="Förutsättningar", en="Prerequisites"),
}


class FrameElement(Strict):
    key: str
    group: FrameGroup
    title: Text


class Frame(Strict):
    """The Government regional development decision 2024–2027 that every theme is discussed against."""

    decision: Text
    elements: tuple[FrameElement, ...]

    def by_group(self, group: str) -> list[FrameElement]:
        return [e for e in self.elements if e.group == group]

    def element(self, key: str) -> FrameElement:
        for e in self.elements:
            if e.key == key:
                return e
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements)


QuestionKind = Literal["idea", "words", "rating", "poll"]


class PollOption(Strict):
    id: Ident
    label: Text


class Question(Strict):
    id: Ident
    kind: QuestionKind
    prompt: Text
    help: Text | None = None
    # words: how many words one answer may hold
    max_words: int = Field(default=3, ge=1, le=10)
    # rating: which frame elements are rated; empty means all nine
    elements: tuple[str, ...] = ()
    # poll: the choices
    options: tuple[PollOption, ...] = ()

    @model_validator(mode="after")
    def _kind_fields(self) -> Question:
        if self.kind == "poll":
            if len(self.options) < 2:
                raise ValueError("a poll needs at least two options")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError("poll option ids must be unique")
        elif self.options:
            raise ValueError(f"only a poll has options, this question is '{self.kind}'")
        if self.elements and self.kind != "rating":
            raise ValueError("only a rating question lists frame elements")
        return self

    def option(self, option_id: str) -> PollOption | None:
        return next((o for o in self.options if o.id == option_id), None)


class Memo(Strict):
    """The background memo of a theme, in the four sections the organiser asked for."""

    status: Literal["draft", "commented", "final"] = "draft"
    scope: Text
    current_state: Text
    ongoing: Text
    expected_outcome: Text


MEMO_SECTIONS: tuple[tuple[str, Text], ...] = (
    ("scope", Text(fi="Rajaus ja keskustelukysymykset", sv="Avgränsning och diskussionsfrågor",
                   en="Scope and discussion questions")),
    ("current_state", Text(fi="Nykytila: miksi teema on tärkeä ja ajankohtainen",
                           sv="Nuläge: varför temat är viktigt och aktuellt",
                           en="Current state: why the theme matters now")),
    ("ongoing", Text(fi="Käynnissä ja valmisteilla olevat prosessit", sv="Pågående och planerade processer",
                     en="Ongoing and planned processes")),
    ("expected_outcome", Text(fi="Keskustelun odotettu lopputulema", sv="Diskussionens förväntade resultat",
                              en="Expected outcome of the discussion")),
)  # fmt: skip


class Theme(Strict):
    id: Ident
    owner: tuple[str, ...] = Field(min_length=1, description="responsible ministries (abbreviations)")
    contents: TextList
    memo: Memo
    questions: tuple[Question, ...] = Field(min_length=1)
    title: Text | None = None  # filled from frame.csv when the theme id is a term key

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class AgendaItem(Strict):
    day: dt.date
    start: dt.time
    end: dt.time
    title: Text
    theme: str | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _order(self) -> AgendaItem:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class EventInfo(Strict):
    slug: Ident
    join_code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{4,12}$")]
    name: Text | None = None  # from frame.csv EVENT when omitted
    starts: dt.date
    ends: dt.date
    venue: Text
    city: NonEmpty
    room_capacity: int = Field(ge=1, le=100_000)
    streamed: bool = True
    stream_url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://\S+$")] | None = None
    organiser: str = "TEM"
    series: Ident | None = None  # the series (data/series) this event belongs to

    @model_validator(mode="after")
    def _dates(self) -> EventInfo:
        if self.ends < self.starts:
            raise ValueError("ends must not be before starts")
        return self


class Event(Strict):
    event: EventInfo
    themes: tuple[Theme, ...] = Field(min_length=1)
    agenda: tuple[AgendaItem, ...] = ()

    @model_validator(mode="after")
    def _ids_unique(self) -> Event:
        theme_ids = [t.id for t in self.themes]
        if len(set(theme_ids)) != len(theme_ids):
            raise ValueError("theme ids must be unique")
        q_ids = [q.id for t in self.themes for q in t.questions]
        dup = {q for q in q_ids if q_ids.count(q) > 1}
        if dup:
            raise ValueError(f"question ids must be unique across the event: {sorted(dup)}")
        for item in self.agenda:
            if item.theme is not None and item.theme not in theme_ids:
                raise ValueError(f"agenda item refers to unknown theme '{item.theme}'")
            if not self.event.starts <= item.day <= self.event.ends:
                raise ValueError(f"agenda day {item.day} is outside the event's dates")
        return self

    @property
    def slug(self) -> str:
        return self.event.slug

    def theme(self, theme_id: str | None) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def question(self, question_id: str | None) -> tuple[Theme, Question] | None:
        for t in self.themes:
            for q in t.questions:
                if q.id == question_id:
                    return t, q
        return None

    @cached_property
    def days(self) -> list[dt.date]:
        return sorted({item.day for item in self.agenda})


class Region(Strict):
    code: str
    name: Text


ORG_TYPES: tuple[tuple[str, Text], ...] = (
    ("ministry", Text(fi="Ministeriö", sv="Ministerium", en="Ministry")),
    ("regional_council", Text(fi="Maakunnan liitto", sv="Landskapsförbund", en="Regional council")),
    ("municipality", Text(fi="Kunta", sv="Kommun", en="Municipality")),
    ("other", Text(fi="Muu", sv="Annan", en="Other")),
)
CHANNELS: tuple[tuple[str, Text], ...] = (
    ("room", Text(fi="Salissa", sv="I salen", en="In the room")),
    ("stream", Text(fi="Striimin kautta", sv="Via strömningen", en="On the stream")),
)


class Catalogue(Strict):
    """Everything the app reads from data/, validated once."""

    frame: Frame
    regions: tuple[Region, ...]
    ministries: tuple[Region, ...]  # same shape: abbreviation + names
    events: tuple[Event, ...]  # as shipped in data/events: seeds; the database holds what organisers saved
    terms: dict[str, Text] = Field(default_factory=dict)  # every official term by key (frame.csv)

    def parse_event(self, *, raw: dict[str, Any], source: str) -> Event:
        """An event set-up from a form or an imported file, validated against this frame and ministries."""
        event = event_from_dict(raw=raw, frame=self.frame, terms=self.terms, source=source)
        check_owners(event=event, ministries=self.ministries)
        return event

    def event(self, *, slug: str | None = None, join_code: str | None = None) -> Event | None:
        for e in self.events:
            if slug is not None and e.slug == slug:
                return e
            if join_code is not None and e.event.join_code == join_code.strip().upper():
                return e
        return None

    def region(self, code: str | None) -> Region | None:
        return next((r for r in self.regions if r.code == code), None)

    def ministry_name(self, *, code: str, lang: str) -> str:
        """A ministry's name from its abbreviation (TEM → Työ- ja elinkeinoministeriö); the code if unknown."""
        return next((m.name(lang) for m in self.ministries if m.code == code), code)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ContentError(f"{path}: file is missing")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _named_rows(path: Path, key: str) -> tuple[Region, ...]:
    try:
        return tuple(
            Region(code=row[key], name=Text(fi=row["fi"], sv=row["sv"], en=row["en"])) for row in _read_csv(path)
        )
    except (KeyError, ValidationError) as exc:
        raise ContentError(f"{path}: {exc}") from exc


def load_frame(*, path: Path) -> tuple[Frame, dict[str, Text]]:
    """Frame elements plus every other term (theme titles, event name) by key."""
    terms: dict[str, Text] = {}
    elements: list[FrameElement] = []
    for n, row in enumerate(_read_csv(path), start=2):
        try:
            text = Text(fi=row["fi"], sv=row["sv"], en=row["en"])
            terms[row["key"]] = text
            if row["group"] in FRAME_GROUPS:
                elements.append(FrameElement(key=row["key"], group=row["group"], title=text))  # type: ignore[arg-type]
        except (KeyError, ValidationError) as exc:
            raise ContentError(f"{path}, line {n}: {exc}") from exc
    if "DECISION" not in terms:
        raise ContentError(f"{path}: no row with key DECISION")
    return Frame(decision=terms["DECISION"], elements=tuple(elements)), terms


def field_path(loc: tuple[int | str, ...], raw: dict[str, object]) -> str:
    """Turn pydantic's location into something an organiser can find in the TOML file."""
    parts: list[str] = []
    node: object = raw
    for item in loc:
        if isinstance(item, int) and isinstance(node, list):
            label = ""
            if item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("id")
                label = f" (id = {ident!r})" if ident else ""
            parts[-1] = f"{parts[-1]}[{item + 1}]{label}" if parts else f"[{item + 1}]"
            node = node[item] if item < len(node) else None
        else:
            parts.append(str(item))
            node = node.get(str(item)) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def parse_toml(*, text: str, source: str) -> dict[str, Any]:
    """A TOML document, or a ContentError naming `source` and where the syntax broke."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{source}: not valid TOML: {exc}") from exc


def read_toml(*, path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ContentError(f"{path}: file is missing")
    return parse_toml(text=path.read_text(encoding="utf-8"), source=str(path))


def load_event(*, path: Path, frame: Frame, terms: dict[str, Text]) -> Event:
    return event_from_dict(raw=read_toml(path=path), frame=frame, terms=terms, source=str(path))


def event_from_dict(*, raw: dict[str, Any], frame: Frame, terms: dict[str, Text], source: str) -> Event:
    """Validate an event's set-up (a TOML file, an imported file, the organiser's form) and fill in
    theme titles and the event name from the official terms. Every problem is named by its field,
    the way an organiser finds it, and prefixed with `source`."""
    try:
        event = Event.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{source}: {len(exc.errors())} problem(s)"]
        for err in exc.errors():
            lines.append(f"  - {field_path(tuple(err['loc']), raw)}: {err['msg']}")
        raise ContentError("\n".join(lines)) from exc
    # Fill in titles from the official terms and check references to the frame.
    themes = []
    for theme in event.themes:
        title = theme.title or terms.get(theme.id)
        if title is None:
            raise ContentError(f"{source}: themes (id = {theme.id!r}).title: missing, and frame.csv has no such key")
        for q in theme.questions:
            unknown = [k for k in q.elements if k not in frame.keys]
            if unknown:
                raise ContentError(
                    f"{source}: themes (id = {theme.id!r}).questions (id = {q.id!r}).elements: "
                    f"unknown frame element(s) {unknown}; known are {list(frame.keys)}"
                )
        themes.append(theme.model_copy(update={"title": title}))
    info = event.event
    if info.name is None:
        if "EVENT" not in terms:
            raise ContentError(f"{source}: event.name: missing, and frame.csv has no EVENT key")
        info = info.model_copy(update={"name": terms["EVENT"]})
    return event.model_copy(update={"event": info, "themes": tuple(themes)})


def check_owners(*, event: Event, ministries: tuple[Region, ...]) -> None:
    """Every theme's responsible ministries are known abbreviations (data/ministries.csv)."""
    known = {m.code for m in ministries}
    for t in event.themes:
        bad = [o for o in t.owner if o not in known]
        if bad:
            raise ContentError(f"{event.slug}: themes (id = {t.id!r}).owner: unknown ministry {bad}")


def load_catalogue(*, data_dir: Path = DATA_DIR) -> Catalogue:
    """Read and validate everything under data/; raise ContentError naming the file and field."""
    frame, terms = load_frame(path=data_dir / "frame.csv")
    regions = _named_rows(data_dir / "regions.csv", "code")
    ministries = _named_rows(data_dir / "ministries.csv", "abbr")
    events = tuple(load_event(path=p, frame=frame, terms=terms) for p in sorted((data_dir / "events").glob("*.toml")))
    if not events:
        raise ContentError(f"{data_dir / 'events'}: no event files (*.toml)")
    codes = [e.event.join_code for e in events]
    if len(set(codes)) != len(codes):
        raise ContentError(f"{data_dir / 'events'}: two events share a join code")
    for e in events:
        check_owners(event=e, ministries=ministries)
    return Catalogue(frame=frame, regions=regions, ministries=ministries, events=events, terms=terms)


MAP_ATTRIBUTION = Text(
    fi="Aluerajat: Maanmittauslaitos, Hallinnolliset aluejaot 1:4,5 milj. (2023), CC BY 4.0",
    sv="Områdesgränser: Lantmäteriverket, Administrativa områden 1:4,5 milj. (2023), CC BY 4.0",
    en="Region boundaries: National Land Survey of Finland, Administrative areas 1:4.5M (2023), CC BY 4.0",
)


@functools.cache
def load_region_shapes(*, path: Path = DATA_DIR / "maakunnat.geojson") -> dict[str, Any]:
    """The regions' outlines (GeoJSON, WGS84), read once per process; show MAP_ATTRIBUTION with them."""
    with path.open(encoding="utf-8") as fh:
        shapes: dict[str, Any] = json.load(fh)
    return shapes
