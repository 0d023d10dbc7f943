"""How often a closing full stop changes the pair judge's call, read as written and read
with each text ended as its phrasing is (`models.judge.ended_alike`, the default).

    .venv/bin/python scripts/judge_stops.py --data ../shared/data/semeval2013-3way

Every answer of each split is read against its question's first reference answer twice,
once ending in a full stop and once without; a row gives the share of answers whose most
likely label differs between the two, and the mean P(correct) of each; first, the share of
the answers labelled correct among those the student ended with a stop and those without.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assess.datasets import read_jsonl, split_path
from models.judge import load_judge

SPLITS = ("train", "test_unseen_answers", "test_unseen_questions")


def share(value: float) -> str:
    """A share to two places, `-` where no answer was of that kind."""
    return "-" if np.isnan(value) else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--judge", type=Path, default=None, help="judge folder")
    args = parser.parse_args()
    judge = load_judge(args.judge)
    print(
        "| corpus, split | answers | correct: stopped / not | read as written: label changed, "
        "P(correct) stopped / not | ended as the phrasing: label changed |"
    )
    print("|---|---|---|---|---|")
    for corpus in ("beetle", "sciEntsBank"):
        for split in SPLITS:
            rows = list(read_jsonl(split_path(args.data, corpus, split)))
            references = [str(r["reference_answers"][0]["text"]) for r in rows]
            ends = [str(r["answer"]).rstrip().endswith((".", "!", "?")) for r in rows]
            right = [str(r["label"]) == "correct" for r in rows]
            shares = [
                np.mean([c for c, e in zip(right, ends, strict=True) if e == stop] or [np.nan])
                for stop in (True, False)
            ]
            bare = [str(r["answer"]).rstrip().rstrip(".!?").rstrip() for r in rows]
            stopped = list(zip(references, [f"{a}." for a in bare], strict=True))
            unstopped = list(zip(references, bare, strict=True))
            cells = []
            for as_written in (True, False):
                one = judge.predict(stopped, as_written=as_written)
                other = judge.predict(unstopped, as_written=as_written)
                changed = float(np.mean(one.argmax(axis=1) != other.argmax(axis=1)))
                cells.append((changed, float(one[:, 0].mean()), float(other[:, 0].mean())))
            (written, p_stop, p_bare), (alike, _, _) = cells
            print(
                f"| {corpus}, {split} | {len(rows)} | {share(shares[0])} / {share(shares[1])} "
                f"| {written:.3f}, {p_stop:.3f} / "
                f"{p_bare:.3f} | {alike:.3f} |"
            )


if __name__ == "__main__":
    main()
