"""Count, over every answer set of the quiz, which framework recommend picks clearly.

    python scripts/answer_space.py [--python 3.11] [--catalog FILE]

A framework is the clear answer to an answer set when it is first and the
ranking is not a near-tie, exactly as ``fwpick recommend`` would say.  Prints
each framework's count (a framework at 0 cannot be recommended at all, see
the README's "Every framework's best fit").
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter

from fwpick.catalog import load_catalog
from fwpick.recommend.best_fit import clear_lead, scored_rows, standings
from fwpick.recommend.quiz import QUESTIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="3.11", help="X.Y, or 'any' (default 3.11)")
    parser.add_argument("--catalog", default=None)
    args = parser.parse_args()
    python = None if args.python == "any" else tuple(map(int, args.python.split(".")))
    catalog = load_catalog(args.catalog)
    rows = scored_rows(catalog, python)
    clear: Counter[str] = Counter()
    total = 0
    for combo in itertools.product(*(q.choices for q in QUESTIONS)):
        total += 1
        standing = standings(rows, combo)
        if clear_lead(standing, combo) is not None:
            clear[standing[0][1]] += 1
    print(f"{total:,} answer sets, Python {args.python}")
    for fw in sorted(catalog.frameworks, key=lambda f: -clear[f.id]):
        print(f"{fw.name:12} {clear[fw.id]:7,}")


if __name__ == "__main__":
    main()
