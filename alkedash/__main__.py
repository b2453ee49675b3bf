"""Command line: `python -m alkedash migrate | seed [--demo N] | init-secrets | check
| export-archive --event SLUG FILE | import-archive FILE`."""

from __future__ import annotations

import argparse
import secrets
import sys
import tomllib
from pathlib import Path

from alkedash import access, archive, demo, live
from alkedash.content import Catalogue, ContentError, Event, load_catalogue
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
    seed = sub.add_parser("seed", help="create the live state of every event in data/events")
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
        for e in catalogue.events:
            print(
                f"{e.slug}: {len(e.themes)} themes, {sum(len(t.questions) for t in e.themes)} questions, "
                f"{len(e.agenda)} agenda items, join code {e.event.join_code}"
            )
        return 0
    if args.command == "init-secrets":
        return _init_secrets()
    event = catalogue.event(slug=args.event) if args.command == "export-archive" else None
    if args.command == "export-archive" and event is None:
        print(f"Archive error: no event {args.event!r} in data/events", file=sys.stderr)
        return 2
    engine = make_engine(url=settings.database_url)
    migrate(engine=engine)
    print(f"Database at head: {engine.url.render_as_string(hide_password=True)}")
    if event is not None:
        data = archive.export(engine=engine, event=event)
        try:
            args.file.write_bytes(data)
        except OSError as exc:
            print(f"Archive error: cannot write {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"Archive of {event.slug} written to {args.file} ({len(data) / 1e6:.1f} MB)")
    if args.command == "seed":
        for event in catalogue.events:
            live.ensure_event(engine=engine, event=event)
            print(f"Event ready: {event.slug} (join code {event.event.join_code})")
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
    finally:
        engine.dispose()
    print(f"Imported {result.event_slug} (exported {result.exported_at:%Y-%m-%d %H:%M} UTC, schema {result.schema}):")
    for table, count in result.counts.items():
        print(f"  {table}: {count:,}")
    print(f"  event content: {_compared(archived=result.event)}")
    return 0


def _compared(*, archived: Event) -> str:
    """How the archived content relates to data/events: the app shows what data/ holds."""
    try:
        catalogue: Catalogue | None = load_catalogue()
    except ContentError:
        catalogue = None
    current = catalogue.event(slug=archived.slug) if catalogue is not None else None
    if current is None:
        return f"as archived; data/events has no {archived.slug!r} (or data/ is invalid), add it to show the event"
    if current == archived:
        return "as archived, the same as in data/events"
    return "as archived; data/events holds a different version of it (the app shows data/events)"


if __name__ == "__main__":
    raise SystemExit(main())
