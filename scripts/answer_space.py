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
from fwpick.recommend import ranking
from fwpick.recommend.criteria import measure
from fwpick.recommend.quiz import QUESTIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="3.11", help="X.Y, or 'any' (default 3.11)")
    parser.add_argument("--catalog", default=None)
    args = parser.parse_args()
    python = None if args.python == "any" else tuple(map(int, args.python.split(".")))
    catalog = load_catalog(args.catalog)
    frameworks = [fw for fw in catalog.frameworks if ranking.release_for(fw, python) is not None]
    rows = ranking._rows(frameworks, {fw.id: measure(fw, catalog.checked) for fw in frameworks})
    clear: Counter[str] = Counter()
    total = 0
    for combo in itertools.product(*(q.choices for q in QUESTIONS)):
        total += 1
        required = sum(1 << i for i, a in enumerate(combo) if a == "required")
        scores = sorted(
            (-sum(row.points[i][a] for i, a in enumerate(combo)), row.id)
            for row in rows
            if not row.fails & required
        )
        if not scores:
            continue
        max_score = sum(q.weights[a] for q, a in zip(QUESTIONS, combo, strict=True))
        lead = (scores[1][0] - scores[0][0]) if len(scores) > 1 else max_score
        if len(scores) == 1 or lead > ranking.CLOSE_SHARE * max_score:
            clear[scores[0][1]] += 1
    print(f"{total:,} answer sets, Python {args.python}")
    for fw in sorted(catalog.frameworks, key=lambda f: -clear[f.id]):
        print(f"{fw.name:12} {clear[fw.id]:7,}")


if __name__ == "__main__":
    main()
