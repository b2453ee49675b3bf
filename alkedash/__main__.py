"""Command line: `python -m alkedash migrate | seed [--demo N] | init-secrets | check
| export-archive --event SLUG FILE | import-archive FILE`."""

from __future__ import annotations

import argparse
import secrets
import sys
import tomllib
from pathlib import Path

from sqlalchemy import Engine

from alkedash import access, archive, demo, events, series
from alkedash.content import ContentError, Event, load_catalogue
from alkedash.db import make_engine, migrate
from alkedash.settings import SECRETS_FILE, load_settings


def _init_secrets() -> int:
    """A random password per role, shown once and kept only as a hash in the git-ignored secrets file;
    a role that already has one keeps it."""
    existing = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8")) if SECRETS_FILE.is_file() else {}
    missing = [role for role in ("facilitator", "organiser") if f"{role}_password" not in existing]
    if not missing:
        print(f"{SECRETS_FILE} has both passwords; leaving it as it is.")
        return 0
    SECRETS_FILE.parent.mkdir(exist_ok=True)
    lines = [] if existing else ["# Created by `make run`; never commit this file. Passwords are kept as hashes."]
    shown = []
    for role in missing:
        password = secrets.token_urlsafe(9)
        lines.append(f'{role}_password = "{access.hash_password(password=password)}"')
        shown.append(f"{ROLE_LABELS[role]} password: {password}")
    with SECRETS_FILE.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    SECRETS_FILE.chmod(0o600)
    print(f"Wrote {SECRETS_FILE} (write these down: only their hashes are kept)")
    print("\n".join(shown))
    return 0


ROLE_LABELS = {"facilitator": "Facilitator", "organiser": "Organiser"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alkedash")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database schema up to date")
    seed = sub.add_parser("seed", help="copy new events from data/events into the database, ready every event")
    seed.add_argument("--demo", type=int, default=0, metavar="N", help="also add N demo participants with answers")
    sub.add_parser(
        "init-secrets", help="create .streamlit/secrets.toml with a random password per role (kept as hashes)"
    )
    sub.add_parser("check", help="validate data/ and print a summary")
    export = sub.add_parser("export-archive", help="write the whole event (content and rows, no tokens) to FILE")
    export.add_argument("--event", required=True, metavar="SLUG", help="the event, e.g. alke-2025")
    export.add_argument("file", type=Path, metavar="FILE")
    imported = sub.add_parser("import-archive", help="load an archive FILE into an empty database")
    imported.add_argument("file", type=Path, metavar="FILE")
    args = parser.parse_args(argv)

    settings = load_settings()
    if args.command == "import-archive":  # needs no data/: the archive carries the event's content
        return _import_archive(url=settings.database_url, path=args.file)
    try:
        catalogue = load_catalogue()
    except ContentError as exc:
        print(f"Content error:\n{exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        try:
            for found in series.load_all():
                print(f"series {found.series.slug}: {len(found.milestones)} milestones")
        except ContentError as exc:
            print(f"Content error:\n{exc}", file=sys.stderr)
            return 2
        for e in catalogue.events:
            print(
                f"{e.slug}: {len(e.themes)} themes, {sum(len(t.questions) for t in e.themes)} questions, "
                f"{len(e.agenda)} agenda items, join code {e.event.join_code}"
            )
        return 0
    if args.command == "init-secrets":
        return _init_secrets()
    engine = make_engine(url=settings.database_url)
    migrate(engine=engine)
    print(f"Database at head: {engine.url.render_as_string(hide_password=True)}")
    added = events.seed(engine=engine, catalogue=catalogue) if args.command != "migrate" else []
    if args.command == "export-archive":
        event = events.by_slug(engine=engine, slug=args.event)
        if event is None:
            print(f"Archive error: no event {args.event!r} in the database", file=sys.stderr)
            return 2
        data = archive.export(engine=engine, event=event)
        try:
            args.file.write_bytes(data)
        except OSError as exc:
            print(f"Archive error: cannot write {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"Archive of {event.slug} written to {args.file} ({len(data) / 1e6:.1f} MB)")
    if args.command == "seed":
        try:
            new_series = series.seed(engine=engine)
        except ContentError as exc:
            print(f"Content error:\n{exc}", file=sys.stderr)
            return 2
        for info in series.all_series(engine=engine):
            steps = len(series.milestones(engine=engine, series=info.slug))
            new = " (new from data/series)" if info.slug in new_series else ""
            print(f"Series ready: {info.slug} ({steps} milestones){new}")
        for event in events.all_events(engine=engine):
            new = " (new from data/events)" if event.slug in added else ""
            print(f"Event ready: {event.slug} (join code {event.event.join_code}){new}")
            if args.demo:
                n = demo.populate(engine=engine, catalogue=catalogue, event=event, participants=args.demo)
                print(f"  demo: {args.demo} participants, {n} inputs")
    return 0


def _import_archive(*, url: str, path: Path) -> int:
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Archive error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    engine = make_engine(url=url)
    try:
        migrate(engine=engine)
        print(f"Database at head: {engine.url.render_as_string(hide_password=True)}")
        try:
            result = archive.load(engine=engine, data=data)
        except archive.ArchiveError as exc:
            print(f"Archive error: {exc}", file=sys.stderr)
            return 2
        content = _stored(engine=engine, archived=result.event)
    finally:
        engine.dispose()
    print(f"Imported {result.event_slug} (exported {result.exported_at:%Y-%m-%d %H:%M} UTC, schema {result.schema}):")
    for table, count in result.counts.items():
        print(f"  {table}: {count:,}")
    print(f"  event content: {content}")
    return 0


def _stored(*, engine: Engine, archived: Event) -> str:
    """The archived set-up goes into the database unless an event of that slug is there already
    (then the database's version is kept: an organiser may have edited it)."""
    current = events.by_slug(engine=engine, slug=archived.slug)
    if current is None:
        try:
            events.create(engine=engine, event=archived, actor="archive")
        except ContentError as exc:
            return f"not stored: {exc}"
        return "stored as archived"
    if current == archived:
        return "as archived, the same as the database's set-up"
    return "as archived; the database holds a different version of it (kept, the app shows that one)"


if __name__ == "__main__":
    raise SystemExit(main())
