"""How long every summary download takes on a big day: `python -m bench.summary --inputs 50000`.

Stores --inputs answers in bulk as `bench.screen` does (both channels, every region, every theme and
question, ratings, upvotes, tags), hides and highlights a few, then builds each download of the
summary page the way the page does, from the database to the finished file: Word, Excel, the CSV
zip, HTML and the JSON archive, the whole event in Finnish. Prints seconds and megabytes per file
and the process's peak memory. The issue's limit is 20 s for each file.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from alkedash import archive, language, live, report, summary, tables
from alkedash.content import load_catalogue
from bench.screen import fresh_store, store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--lang", default="fi")
    parser.add_argument("--appendix", action="store_true", help="with the moderation appendix")
    parser.add_argument("--out", default=None, help="also write the files into this folder")
    args = parser.parse_args()
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='alkedash-summary-')) / 's.db'}"
    engine = fresh_store(url=url, reset=True)
    stored = store(engine=engine, catalogue=catalogue, event=event, inputs=args.inputs, seed=2025)
    for input_id in range(1, 60, 7):
        live.moderate(engine=engine, event=event, input_id=input_id, action="hide", actor="bench")
        live.moderate(engine=engine, event=event, input_id=input_id + 1, action="highlight", actor="bench")
    print(f"stored: {stored}")
    language.warm_up()  # the app does this when it starts

    def made() -> summary.Summary:
        return summary.build(
            engine=engine, catalogue=catalogue, event=event, lang=args.lang, moderation_appendix=args.appendix
        )

    def listed() -> dict[str, object]:
        return tables.build(  # type: ignore[return-value]
            engine=engine, catalogue=catalogue, event=event, lang=args.lang, moderation_appendix=args.appendix
        )

    jobs: dict[str, Callable[[], bytes]] = {
        "docx": lambda: report.docx(summary=made(), catalogue=catalogue),
        "xlsx": lambda: tables.xlsx(tables=listed()),  # type: ignore[arg-type]
        "csv.zip": lambda: tables.csv_zip(tables=listed()),  # type: ignore[arg-type]
        "html": lambda: report.html_page(summary=made(), catalogue=catalogue),
        "archive.json": lambda: archive.export(engine=engine, event=event),
    }
    print(f"\n{'file':<14}{'seconds':>9}{'MB':>9}")
    for name, job in jobs.items():
        start = time.perf_counter()
        data = job()
        took = time.perf_counter() - start
        print(f"{name:<14}{took:>9.2f}{len(data) / 1e6:>9.2f}")
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            (Path(args.out) / f"summary.{name}").write_bytes(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
