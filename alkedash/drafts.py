"""An event's set-up as the organiser edits it: plain fields and tables, back to a validated Event.

The organiser's page edits tables (themes, contents, questions, poll options, agenda) and fields,
never the nested document itself. `assemble` turns them into the document's shape and `check`
validates it with the same rules as data/events, returning each problem with the place an
organiser finds it ("Teema 2 › Kysymys 3 › Kysymys (svenska)") and a message in their language.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import ValidationError

from alkedash.content import LANGS, MEMO_SECTIONS, Catalogue, ContentError, Event
from alkedash.translation import LANGUAGE_NAMES, N_, Translator

MEMO_KEYS = tuple(key for key, _ in MEMO_SECTIONS)
QUESTION_KINDS = ("idea", "words", "rating", "poll")
KIND_LABELS = {
    "idea": N_("Ideat (avoin vastaus, peukutus)"),
    "words": N_("Sanapilvi (muutama sana)"),
    "rating": N_("Arvio viitekehyksen osista (1–5)"),
    "poll": N_("Äänestys (vaihtoehdot)"),
}
THEME_COLUMNS = ["id", "title_fi", "title_sv", "title_en", "owner"]
TEXT3 = ["fi", "sv", "en"]
QUESTION_COLUMNS = [
    "theme",
    "id",
    "kind",
    "prompt_fi",
    "prompt_sv",
    "prompt_en",
    "help_fi",
    "help_sv",
    "help_en",
    "max_words",
    "elements",
]
OPTION_COLUMNS = ["id", "fi", "sv", "en"]
AGENDA_COLUMNS = ["day", "start", "end", "title_fi", "title_sv", "title_en", "theme", "note_fi", "note_sv", "note_en"]


@dataclass
class Draft:
    """Everything the page edits. Tables are DataFrames with the columns above."""

    info: dict[str, Any]
    themes: pd.DataFrame
    contents: dict[str, pd.DataFrame]  # theme id -> items (fi, sv, en)
    memos: dict[str, dict[str, str]]  # theme id -> "scope_fi" ... -> Markdown
    memo_status: dict[str, str]  # theme id -> draft / commented / final (kept as it was)
    questions: pd.DataFrame
    options: dict[str, pd.DataFrame]  # poll question id -> options (id, fi, sv, en)
    agenda: pd.DataFrame


def to_draft(*, event: Event) -> Draft:
    info = event.event
    name = info.name
    themes = pd.DataFrame(
        [
            {
                "id": t.id,
                "title_fi": t.title.fi if t.title else "",
                "title_sv": t.title.sv if t.title else "",
                "title_en": t.title.en if t.title else "",
                "owner": ", ".join(t.owner),
            }
            for t in event.themes
        ],
        columns=THEME_COLUMNS,
    )
    questions = pd.DataFrame(
        [
            {
                "theme": t.id,
                "id": q.id,
                "kind": q.kind,
                **{f"prompt_{lang}": q.prompt(lang) for lang in LANGS},
                **{f"help_{lang}": q.help(lang) if q.help else "" for lang in LANGS},
                "max_words": q.max_words,
                "elements": ", ".join(q.elements),
            }
            for t in event.themes
            for q in t.questions
        ],
        columns=QUESTION_COLUMNS,
    )
    agenda = pd.DataFrame(
        [
            {
                "day": item.day,
                "start": item.start,
                "end": item.end,
                **{f"title_{lang}": item.title(lang) for lang in LANGS},
                "theme": item.theme or "",
                **{f"note_{lang}": item.note(lang) if item.note else "" for lang in LANGS},
            }
            for item in event.agenda
        ],
        columns=AGENDA_COLUMNS,
    )
    return Draft(
        info={
            "slug": info.slug,
            "join_code": info.join_code,
            **{f"name_{lang}": name(lang) if name else "" for lang in LANGS},
            "starts": info.starts,
            "ends": info.ends,
            **{f"venue_{lang}": info.venue(lang) for lang in LANGS},
            "city": info.city,
            "room_capacity": info.room_capacity,
            "streamed": info.streamed,
            "stream_url": info.stream_url or "",
            "organiser": info.organiser,
            "series": info.series or "",
        },
        themes=themes,
        contents={
            t.id: pd.DataFrame(
                {lang: t.contents(lang) for lang in LANGS},
                columns=TEXT3,
            )
            for t in event.themes
        },
        memos={
            t.id: {f"{key}_{lang}": getattr(t.memo, key)(lang) for key in MEMO_KEYS for lang in LANGS}
            for t in event.themes
        },
        memo_status={t.id: t.memo.status for t in event.themes},
        questions=questions,
        options={
            q.id: pd.DataFrame(
                [{"id": o.id, **{lang: o.label(lang) for lang in LANGS}} for o in q.options], columns=OPTION_COLUMNS
            )
            for t in event.themes
            for q in t.questions
            if q.kind == "poll"
        },
        agenda=agenda,
    )


def blank(*, today: dt.date, slug: str = "uusi-tapahtuma", join_code: str = "UUSI01") -> Draft:
    """A new event with one theme and one open question, to be filled in."""
    day = today + dt.timedelta(days=60)
    return Draft(
        info={
            "slug": slug,
            "join_code": join_code,
            **{f"name_{lang}": "" for lang in LANGS},
            "starts": day,
            "ends": day,
            **{f"venue_{lang}": "" for lang in LANGS},
            "city": "",
            "room_capacity": 140,
            "streamed": True,
            "stream_url": "",
            "organiser": "TEM",
            "series": "",
        },
        themes=pd.DataFrame([{"id": "T1", "title_fi": "", "title_sv": "", "title_en": "", "owner": "TEM"}]),
        contents={"T1": pd.DataFrame(columns=TEXT3)},
        memos={"T1": {f"{key}_{lang}": "" for key in MEMO_KEYS for lang in LANGS}},
        memo_status={"T1": "draft"},
        questions=pd.DataFrame(
            [{**dict.fromkeys(QUESTION_COLUMNS, ""), "theme": "T1", "id": "T1-ideas", "kind": "idea", "max_words": 3}],
            columns=QUESTION_COLUMNS,
        ),
        options={},
        agenda=pd.DataFrame(columns=AGENDA_COLUMNS),
    )


def _text(row: dict[str, Any] | pd.Series, prefix: str) -> dict[str, str] | None:
    """A trilingual text from three cells; None when all three are empty (an optional text)."""
    values = {lang: _cell(row.get(f"{prefix}{lang}")) for lang in LANGS}
    return values if any(values.values()) else None


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    return str(value).strip()


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows, a row left wholly empty (a new row not filled in) dropped."""
    return [r for r in frame.to_dict("records") if any(_cell(v) for v in r.values())]


def _listed(value: Any) -> list[str]:
    return [part.strip() for part in _cell(value).replace(";", ",").split(",") if part.strip()]


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _cell(value) or None


def _time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    return _cell(value) or None


def assemble(*, draft: Draft) -> dict[str, Any]:
    """The draft in the shape of an event document (what data/events/*.toml holds)."""
    info = draft.info
    event: dict[str, Any] = {
        "slug": _cell(info["slug"]),
        "join_code": _cell(info["join_code"]).upper(),
        "starts": _date(info["starts"]),
        "ends": _date(info["ends"]),
        "venue": _text(info, "venue_") or {},
        "city": _cell(info["city"]),
        "room_capacity": info["room_capacity"],
        "streamed": bool(info["streamed"]),
        "organiser": _cell(info["organiser"]) or "TEM",
    }
    if name := _text(info, "name_"):
        event["name"] = name
    if url := _cell(info.get("stream_url")):
        event["stream_url"] = url
    if series := _cell(info.get("series")):
        event["series"] = series
    questions = _rows(draft.questions)
    themes = []
    for row in _rows(draft.themes):
        theme_id = _cell(row["id"])
        theme: dict[str, Any] = {
            "id": theme_id,
            "owner": _listed(row.get("owner")),
            "contents": {lang: [] for lang in LANGS},
            "memo": {"status": draft.memo_status.get(theme_id, "draft")},
            "questions": [],
        }
        if title := _text(row, "title_"):
            theme["title"] = title
        for entry in _rows(draft.contents.get(theme_id, pd.DataFrame(columns=TEXT3))):
            for lang in LANGS:
                theme["contents"][lang].append(_cell(entry.get(lang)))
        memo = draft.memos.get(theme_id, {})
        for key in MEMO_KEYS:
            theme["memo"][key] = {lang: memo.get(f"{key}_{lang}", "").strip() for lang in LANGS}
        for q in questions:
            if _cell(q.get("theme")) != theme_id:
                continue
            question: dict[str, Any] = {
                "id": _cell(q.get("id")),
                "kind": _cell(q.get("kind")),
                "prompt": {lang: _cell(q.get(f"prompt_{lang}")) for lang in LANGS},
            }
            if help_text := _text(q, "help_"):
                question["help"] = help_text
            if _cell(q.get("max_words")):
                question["max_words"] = q["max_words"]
            if elements := _listed(q.get("elements")):
                question["elements"] = elements
            if question["kind"] == "poll":
                options = draft.options.get(question["id"], pd.DataFrame(columns=OPTION_COLUMNS))
                question["options"] = [
                    {"id": _cell(o.get("id")), "label": {lang: _cell(o.get(lang)) for lang in LANGS}}
                    for o in _rows(options)
                ]
            theme["questions"].append(question)
        themes.append(theme)
    orphans = [_cell(q.get("id")) for q in questions if _cell(q.get("theme")) not in {t["id"] for t in themes}]
    agenda = []
    for row in _rows(draft.agenda):
        item: dict[str, Any] = {
            "day": _date(row.get("day")),
            "start": _time(row.get("start")),
            "end": _time(row.get("end")),
            "title": {lang: _cell(row.get(f"title_{lang}")) for lang in LANGS},
        }
        if theme_ref := _cell(row.get("theme")):
            item["theme"] = theme_ref
        if note := _text(row, "note_"):
            item["note"] = note
        agenda.append(item)
    raw = {"event": event, "themes": themes, "agenda": agenda}
    if orphans:
        raw["_orphans"] = orphans
    return raw


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a draft: where (`loc`, as pydantic gives it) and what (`kind`, `ctx`)."""

    loc: tuple[int | str, ...]
    kind: str
    ctx: dict[str, Any]
    detail: str

    @classmethod
    def from_error(cls, err: Any) -> Problem:
        """One of pydantic's `ValidationError.errors()`."""
        return cls(loc=tuple(err["loc"]), kind=err["type"], ctx=dict(err.get("ctx") or {}), detail=err["msg"])


def check(*, raw: dict[str, Any], catalogue: Catalogue) -> tuple[Event | None, list[Problem]]:
    """The draft as an Event, or every problem found. Questions whose theme is gone are a problem too."""
    orphans = raw.pop("_orphans", [])
    problems = [Problem(loc=("questions", q), kind="orphan_question", ctx={"id": q}, detail="") for q in orphans]
    try:
        Event.model_validate(raw)
    except ValidationError as exc:
        problems.extend(Problem.from_error(err) for err in exc.errors())
        return None, problems
    if problems:
        return None, problems
    try:
        return catalogue.parse_event(raw=raw, source="form"), []
    except ContentError as exc:
        return None, [Problem(loc=(), kind="content", ctx={}, detail=str(exc).removeprefix("form: "))]


# What an organiser reads for pydantic's error types and the models' own checks.
MESSAGES = {
    "missing": N_("puuttuu"),
    "string_too_short": N_("ei voi olla tyhjä"),
    "too_short": N_("tarvitaan vähintään {min_length}"),
    "string_pattern_mismatch": N_("muoto ei kelpaa"),
    "greater_than_equal": N_("pitää olla vähintään {ge}"),
    "less_than_equal": N_("saa olla enintään {le}"),
    "int_parsing": N_("pitää olla kokonaisluku"),
    "int_type": N_("pitää olla kokonaisluku"),
    "date_from_datetime_parsing": N_("ei ole päivämäärä (vvvv-kk-pp)"),
    "date_parsing": N_("ei ole päivämäärä (vvvv-kk-pp)"),
    "date_type": N_("ei ole päivämäärä (vvvv-kk-pp)"),
    "time_parsing": N_("ei ole kellonaika (tt:mm)"),
    "time_type": N_("ei ole kellonaika (tt:mm)"),
    "literal_error": N_("tuntematon arvo"),
    "extra_forbidden": N_("tuntematon kenttä"),
    "orphan_question": N_("kysymyksen teemaa ei ole teemoissa"),
}
# The models' own rules (alkedash.content), by the start of their English message.
RULES = {
    "ends must not be before starts": N_("päättymispäivä on ennen alkamispäivää"),
    "end must be after start": N_("päättymisaika pitää olla alkamisajan jälkeen"),
    "a poll needs at least two options": N_("äänestyksessä pitää olla vähintään kaksi vaihtoehtoa"),
    "poll option ids must be unique": N_("vaihtoehtojen tunnukset pitää olla eri"),
    "only a poll has options": N_("vain äänestyksellä on vaihtoehtoja"),
    "only a rating question lists frame elements": N_("vain arviokysymys luettelee viitekehyksen osia"),
    "theme ids must be unique": N_("teemojen tunnukset pitää olla eri"),
    "question ids must be unique": N_("kysymysten tunnukset pitää olla eri koko tapahtumassa"),
    "agenda item refers to unknown theme": N_("ohjelman kohta viittaa teemaan, jota ei ole"),
    "agenda day": N_("ohjelman päivä ei ole tapahtuman päivien sisällä"),
    "fi, sv and en must have the same number of items": N_("suomeksi, ruotsiksi ja englanniksi yhtä monta kohtaa"),
}
FIELDS = {
    "event": N_("Tapahtuma"),
    "slug": N_("Tunniste"),
    "join_code": N_("Liittymiskoodi"),
    "name": N_("Nimi"),
    "starts": N_("Alkaa"),
    "ends": N_("Päättyy"),
    "venue": N_("Paikka"),
    "city": N_("Kaupunki"),
    "room_capacity": N_("Salin paikat"),
    "stream_url": N_("Striimin linkki"),
    "series": N_("Sarja"),
    "organiser": N_("Järjestäjä"),
    "themes": N_("Teema"),
    "id": N_("Tunniste"),
    "title": N_("Otsikko"),
    "owner": N_("Vastuuministeriöt"),
    "contents": N_("Sisällöt"),
    "memo": N_("Taustamuistio"),
    "questions": N_("Kysymys"),
    "kind": N_("Tyyppi"),
    "prompt": N_("Kysymys"),
    "help": N_("Ohje"),
    "max_words": N_("Sanoja enintään"),
    "elements": N_("Viitekehyksen osat"),
    "options": N_("Vaihtoehto"),
    "label": N_("Teksti"),
    "agenda": N_("Ohjelman kohta"),
    "day": N_("Päivä"),
    "start": N_("Alkaa klo"),
    "end": N_("Päättyy klo"),
    "theme": N_("Teema"),
    "note": N_("Huomautus"),
    "key": N_("Tunniste"),
    "description": N_("Kuvaus"),
    "tentative": N_("Alustava"),
}
JOIN_CODE_HINT = N_("4–12 isoa kirjainta tai numeroa, esim. ALKE26")
SLUG_HINT = N_("kirjaimia, numeroita ja viivoja, esim. alke-2026")
STREAM_HINT = N_("alkaa https://")


def place(*, loc: tuple[int | str, ...], _: Translator, lang: str) -> str:
    """Where a problem is, as the page names things: "Teema 2 › Kysymys 3 › Kysymys (svenska)"."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            if parts:
                parts[-1] = f"{parts[-1]} {item + 1}"
            continue
        if item in LANGS:
            if parts:
                parts[-1] = f"{parts[-1]} ({LANGUAGE_NAMES[item]})"
            continue
        if item == "event" and len(loc) > 1:
            continue
        if item in MEMO_KEYS:
            parts.append(dict(MEMO_SECTIONS)[item](lang))
            continue
        parts.append(_(FIELDS[item]) if item in FIELDS else str(item))
    return " › ".join(parts)


def describe(*, problem: Problem, _: Translator, lang: str) -> str:
    """The problem in the organiser's language: place, then what is wrong (with a hint where one helps)."""
    where = place(loc=problem.loc, _=_, lang=lang)
    if problem.kind == "value_error":
        said = problem.detail.removeprefix("Value error, ")
        rule = next((msg for start, msg in RULES.items() if said.startswith(start)), None)
        what = _(rule) if rule else problem.detail
    elif problem.kind == "content":
        what = problem.detail
    elif problem.kind in MESSAGES:
        what = _(MESSAGES[problem.kind], **{k: v for k, v in problem.ctx.items() if isinstance(v, int | str)})
    else:
        what = problem.detail
    last = problem.loc[-1] if problem.loc else None
    hint = {"join_code": JOIN_CODE_HINT, "slug": SLUG_HINT, "stream_url": STREAM_HINT}.get(str(last))
    if hint and problem.kind == "string_pattern_mismatch":
        explained = _(hint)
        what = f"{what} ({explained})"
    return f"{where}: {what}" if where else what
