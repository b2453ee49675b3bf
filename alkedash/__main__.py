"""Command line: `python -m alkedash migrate | seed [--demo N] | init-secrets`."""

from __future__ import annotations

import argparse
import secrets
import sys

from alkedash import demo, live
from alkedash.content import ContentError, load_catalogue
from alkedash.db import make_engine, migrate
from alkedash.settings import SECRETS_FILE, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alkedash")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database schema up to date")
    seed = sub.add_parser("seed", help="create the live state of every event in data/events")
    seed.add_argument("--demo", type=int, default=0, metavar="N", help="also add N demo participants with answers")
    sub.add_parser("init-secrets", help="create .streamlit/secrets.toml with a random facilitator password")
    sub.add_parser("check", help="validate data/ and print a summary")
    args = parser.parse_args(argv)

    settings = load_settings()
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
        if SECRETS_FILE.exists():
            print(f"{SECRETS_FILE} exists; leaving it as it is.")
            return 0
        password = secrets.token_urlsafe(9)
        SECRETS_FILE.parent.mkdir(exist_ok=True)
        SECRETS_FILE.write_text(
            f'# Created by `make run`; never commit this file.\nfacilitator_password = "{password}"\n'
        )
        SECRETS_FILE.chmod(0o600)
        print(f"Created {SECRETS_FILE}\nFacilitator password: {password}")
        return 0
    engine = make_engine(url=settings.database_url)
    migrate(engine=engine)
    print(f"Database at head: {engine.url.render_as_string(hide_password=True)}")
    if args.command == "seed":
        for event in catalogue.events:
            live.ensure_event(engine=engine, event=event)
            print(f"Event ready: {event.slug} (join code {event.event.join_code})")
            if args.demo:
                n = demo.populate(engine=engine, catalogue=catalogue, event=event, participants=args.demo)
                print(f"  demo: {args.demo} participants, {n} inputs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
