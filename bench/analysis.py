"""How long the analysis page's numbers take on a big day: `python -m bench.analysis --inputs 50000`.

Stores --inputs answers in bulk as `bench.screen` does (both channels, every region, every theme
and question, ratings, upvotes), then times each `alkedash.analysis` function under no filter and
under a theme + channel filter, --runs times each (the first run lemmatises texts it has not seen;
the page pays that once per process). Prints p50 / max in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from alkedash import analysis, language, tags
from alkedash.analysis import Filters
from alkedash.content import load_catalogue
from bench.screen import fresh_store, store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='alkedash-analysis-')) / 'a.db'}"
    engine = fresh_store(url=url, reset=True)
    stored = store(engine=engine, catalogue=catalogue, event=event, inputs=args.inputs, seed=2025)
    print(f"stored: {stored}")
    language.warm_up()
    keywords = tags.load_keywords()
    regions = [r.code for r in catalogue.regions]
    jobs: dict[str, Callable[[Filters], object]] = {
        "totals": lambda f: analysis.totals(engine=engine, filters=f),
        "by_region": lambda f: analysis.by_region(engine=engine, filters=f, regions=regions),
        "by_channel": lambda f: analysis.by_channel(engine=engine, filters=f),
        "ratings": lambda f: analysis.ratings(engine=engine, filters=f),
        "frame_matrix": lambda f: analysis.frame_matrix(
            engine=engine, filters=f, elements=catalogue.frame.keys, keywords=keywords
        ),
        "per_minute": lambda f: analysis.per_minute(engine=engine, filters=f),
        "distinctive_words": lambda f: analysis.distinctive_words(engine=engine, filters=f),
        "idea_groups(T1)": lambda f: analysis.idea_groups(
            ideas=analysis.ideas(engine=engine, filters=Filters(event=f.event, themes=("T1",), channels=f.channels))
        ),
    }
    for name, filters in (
        ("no filter", Filters(event=event.slug)),
        ("T1, stream", Filters(event=event.slug, themes=("T1",), channels=("stream",))),
    ):
        print(f"\n{name}:")
        total = 0.0
        for job, call in jobs.items():
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                call(filters)
                times.append(time.perf_counter() - start)
            warm = times[1:] or times
            total += statistics.median(warm)
            first, p50, worst = times[0] * 1000, statistics.median(warm) * 1000, max(warm) * 1000
            print(f"  {job:<18} first {first:7.0f} ms   then p50 {p50:6.0f}  max {worst:6.0f}")
        print(f"  {'all, warm':<18} {total * 1000:.0f} ms")


if __name__ == "__main__":
    main()
