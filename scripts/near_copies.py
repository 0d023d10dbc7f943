"""How the near-copy rules (`rubrics.copies`, `assess.align.scrambled_copy`) fall on SemEval.

For each SemEval-2013 answer of a split: is any of its sentences a near copy of a reference
answer with its polarity turned over (`flipped_copy`, which the engine calls contradicted)? And
is it a near copy of a reference's words in scrambled order (`scrambled_copy`, which the engine
calls missing)? Counts per gold label and corpus, at each near-copy threshold; then how many of
the references, their words shuffled (`assess.robustness.shuffled`), are caught as scrambled.
`--show N` prints N flagged answers the graders did not call contradictory. Choose on `train`.

Run: `.venv/bin/python scripts/near_copies.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from assess.datasets import read_split, split_path
from assess.robustness import shuffled
from rubrics.copies import flipped_copy, scrambled_copy
from rubrics.segment import split_sentences

LABELS = ("contradictory", "correct", "incorrect")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--split", default="train")
    parser.add_argument("--near", type=float, action="append", default=None)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    for corpus in ("beetle", "sciEntsBank"):
        items = read_split(split_path(args.data, corpus, args.split))
        total = Counter(item.label for item in items)
        sentences = {
            item.answer: [s.text for s in split_sentences(item.answer)] or [item.answer]
            for item in items
        }
        print(f"{corpus} {args.split}: answers flagged, per gold label (of all with that label)")
        for near in args.near or [0.7, 0.8, 0.9]:
            flagged: Counter[str] = Counter()
            shown = 0
            for item in items:
                if any(flipped_copy(s, item.references, near) for s in sentences[item.answer]):
                    flagged[item.label] += 1
                    if item.label != "contradictory" and shown < args.show:
                        shown += 1
                        print(f"    {item.label}: {item.answer!r}")
            cells = ", ".join(f"{label} {flagged[label]}/{total[label]}" for label in LABELS)
            print(f"  polarity turned over, near copy at {near}: {cells}")
        scrambled = Counter(
            item.label
            for item in items
            if any(scrambled_copy(s, item.references) for s in sentences[item.answer])
        )
        cells = ", ".join(f"{label} {scrambled[label]}/{total[label]}" for label in LABELS)
        print(f"  scrambled copy: {cells}")
        rng = random.Random(0)
        references = {item.group: item.references for item in items}
        caught = [
            scrambled_copy(shuffled(refs[0], rng), refs) for _, refs in sorted(references.items())
        ]
        print(f"  a reference's words shuffled, caught as scrambled: {sum(caught)}/{len(caught)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
