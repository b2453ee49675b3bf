"""How long idea groups take for a theme's ideas: `python -m bench.topics [--ideas 2000]`.

Ideas are pairs of the hand-written sample inputs (tests/fixtures), as in the tests. The first
call lemmatises every text (the live screen has done that by the time it groups); the figures
are for the calls after it, as the facilitator's page repeats them while ideas arrive.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time

from alkedash import language
from alkedash.demo import SAMPLES
from alkedash.topics import Idea, idea_groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with SAMPLES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(2025)
    ideas = []
    for index in range(args.ideas):
        first, second = rng.sample(rows, 2)
        text = f"{first['text']} {second['text'].split('.')[0]} ({rng.randint(1, 999)})"
        ideas.append(Idea(id=index + 1, text=text, lang=first["lang"], votes=rng.randint(0, 9)))
    language.warm_up()
    start = time.perf_counter()
    groups = idea_groups(ideas=ideas)
    first = time.perf_counter() - start
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        idea_groups(ideas=ideas)
        timings.append(time.perf_counter() - start)
    labelled = [g for g in groups if g.label]
    ungrouped = sum(g.size for g in groups if not g.label)
    print(f"ideas: {args.ideas}  groups: {len(labelled)} labelled + {ungrouped} ungrouped")
    print(f"first call (lemmatising new texts): {first:.3f} s")
    print(f"repeat calls: median {statistics.median(timings):.3f} s, max {max(timings):.3f} s over {args.runs}")
    for g in labelled:
        print(f"  {g.size:5d}  {' / '.join(g.label)}")


if __name__ == "__main__":
    main()
