"""How long the event archive takes on a big day: `python -m bench.archive --inputs 50000`.

Stores --inputs answers in bulk as `bench.screen` does (participants, every theme and question,
ratings, upvotes, hidden and highlighted inputs with their moderation log), then times
`alkedash.archive.export`, the file's size, and `alkedash.archive.load` into an empty database of
the same kind (a second SQLite file; with --database-url on PostgreSQL, the same database emptied,
so it must be one you can reset). Checks that the import exports again as the same file.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from alkedash import archive, live
from alkedash.content import load_catalogue
from bench.screen import fresh_store, store


def _same(first: bytes, second: bytes) -> bool:
    def strip(data: bytes) -> bytes:
        return re.sub(rb'"exported_at": "[^"]*"', b"", data, count=1)

    return strip(first) == strip(second)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--database-url", help="default: fresh SQLite files in a temporary folder")
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    workdir = Path(tempfile.mkdtemp(prefix="alkedash-archive-"))
    source_url = args.database_url or f"sqlite:///{workdir / 'source.db'}"
    target_url = args.database_url or f"sqlite:///{workdir / 'target.db'}"

    engine = fresh_store(url=source_url, reset=True)
    live.ensure_event(engine=engine, event=event)
    stored = store(engine=engine, catalogue=catalogue, event=event, inputs=args.inputs, seed=args.seed)
    print(f"stored ({engine.dialect.name}): " + ", ".join(f"{k} {v:,}" for k, v in stored.items()), flush=True)
    started = time.perf_counter()
    data = archive.export(engine=engine, event=event)
    export_s = time.perf_counter() - started
    engine.dispose()
    (workdir / "archive.json").write_bytes(data)

    target = fresh_store(url=target_url, reset=True)
    started = time.perf_counter()
    result = archive.load(engine=target, data=data)
    load_s = time.perf_counter() - started
    same = _same(data, archive.export(engine=target, event=result.event))
    target.dispose()

    print(", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    print(f"export {export_s:.2f} s, file {len(data) / 1e6:.1f} MB ({workdir / 'archive.json'}), load {load_s:.2f} s")
    print(f"exported again after the import: {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
