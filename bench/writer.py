"""CPU per answer of one group commit: `python -m bench.writer [--database-url URL] [--answers 400]`.

What the writer thread of a busy process spends per answer (alkedash.writer, intake._store_answers),
alone and in groups of four (the group size under load). Each answer is a fresh idea, words, poll
or rating of a joined participant, committed in its own transaction per group. Without
--database-url it uses a fresh SQLite file; give a PostgreSQL URL to an empty database for the
figures in the README.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
from pathlib import Path

from alkedash import intake
from alkedash.content import load_catalogue
from alkedash.db import make_engine, transaction
from bench.server import open_theme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--answers", type=int, default=400, help="answers per measurement")
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='alkedash-writer-')) / 'bench.db'}"
    catalogue = load_catalogue()
    event = open_theme(db_url=url, catalogue=catalogue, theme_id="T1")
    theme = event.theme("T1")
    assert theme is not None
    engine = make_engine(url=url)
    per_kind = max(1, args.answers // len(theme.questions))
    serial = 0

    def answers() -> list[intake._Answer]:
        """One answer to every question of T1 from each of `per_kind` new participants, shuffled."""
        nonlocal serial
        out = []
        for _ in range(per_kind):
            token = intake.join(
                engine=engine,
                event=event,
                channel="stream",
                region=None,
                org_type=None,
                lang="fi",
                catalogue=catalogue,
                throttle=None,
            )
            for q in theme.questions:
                serial += 1
                text = {"idea": f"Idea {serial} kasvusta", "words": "tki kasvu vienti"}.get(q.kind)
                option = q.options[0].id if q.kind == "poll" else None
                ratings = {k: 3 for k in q.elements or catalogue.frame.keys} if q.kind == "rating" else {}
                key = hashlib.sha256(f"{serial}|{token}|{q.id}".encode()).hexdigest()
                out.append(intake._Answer(event, token, q.id, text, option, ratings, key, (), frozenset(), "fi"))
        random.Random(serial).shuffle(out)
        return out

    print(f"database {engine.dialect.name}, {per_kind * len(theme.questions)} answers per line")
    for group in (1, 4):
        for _run in range(2):
            batch = answers()
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(0, len(batch), group):
                part = batch[i : i + group]
                out = transaction(engine=engine, work=lambda s, part=part: intake._store_answers(s, part))
                if not all(isinstance(o, intake.Receipt) for o in out):
                    raise SystemExit(f"refused: {out}")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"groups of {group}: CPU {cpu / len(batch) * 1000:.2f} ms per answer, "
                f"wall {wall / len(batch) * 1000:.2f} ms"
            )
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
