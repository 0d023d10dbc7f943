"""How often an answer that turns a reference answer over is one the graders called contradictory.

For each SemEval-2013 answer: is any of its sentences a near copy of a reference answer with its
polarity turned over (`rubrics.polarity.flipped_copy`)? Counts per gold label, per corpus, at
each near-copy threshold; `--show N` prints N flagged answers the graders did not call
contradictory. Choose the threshold on `train`.

Run: `.venv/bin/python scripts/flipped_copies.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from assess.datasets import read_split, split_path
from rubrics.polarity import flipped_copy
from rubrics.segment import split_sentences

LABELS = ("contradictory", "correct", "incorrect")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--split", default="train")
    parser.add_argument("--near", type=float, action="append", default=None)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    for near in args.near or [0.7, 0.75, 0.8, 0.9]:
        print(f"near copy at {near}: flagged per label (of all with that label)")
        for corpus in ("beetle", "sciEntsBank"):
            flagged: Counter[str] = Counter()
            total: Counter[str] = Counter()
            shown = 0
            for item in read_split(split_path(args.data, corpus, args.split)):
                phrasings = item.references
                sentences = [s.text for s in split_sentences(item.answer)] or [item.answer]
                total[item.label] += 1
                if any(flipped_copy(s, phrasings, near=near) for s in sentences):
                    flagged[item.label] += 1
                    if item.label != "contradictory" and shown < args.show:
                        shown += 1
                        print(f"    {item.label}: {item.answer!r}")
            cells = ", ".join(f"{label} {flagged[label]}/{total[label]}" for label in LABELS)
            print(f"  {corpus}: {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
