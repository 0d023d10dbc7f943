"""How often a closing full stop changes the pair judge's call, read as written and read
with each text ended as its phrasing is (`models.judge.ended_alike`, the default).

    .venv/bin/python scripts/judge_stops.py --data ../shared/data/semeval2013-3way

Every answer of each split is read against its question's first reference answer twice,
once ending in a full stop and once without; a row gives the share of answers whose most
likely label differs between the two, and the mean P(correct) of each; first, the share of
the answers labelled correct among those the student ended with a stop and those without.
With `--engine`, a last column gives the share whose label from the default engine (judge,
point model and encoder, each question a one-point rubric) differs between the two.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assess.config import GraderConfig
from assess.datasets import read_split, split_path
from assess.evaluation import labels_read_as
from assess.packaged import packaged_grader
from models.judge import load_judge

SPLITS = ("train", "test_unseen_answers", "test_unseen_questions")


def share(value: float) -> str:
    """A share to two places, `-` where no answer was of that kind."""
    return "-" if np.isnan(value) else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--judge", type=Path, default=None, help="judge folder")
    parser.add_argument("--engine", action="store_true", help="also the default engine's label")
    args = parser.parse_args()
    judge = load_judge(args.judge)
    engine = packaged_grader("default", GraderConfig()) if args.engine else None
    print(
        "| corpus, split | answers | correct: stopped / not | read as written: label changed, "
        "P(correct) stopped / not | ended as the phrasing: label changed |"
        + (" engine: label changed |" if engine else "")
    )
    print("|---|---|---|---|---|" + ("---|" if engine else ""))
    for corpus in ("beetle", "sciEntsBank"):
        for split in SPLITS:
            graded = read_split(split_path(args.data, corpus, split))
            references = [a.references[0] for a in graded]
            ends = [a.answer.rstrip().endswith((".", "!", "?")) for a in graded]
            right = [a.label == "correct" for a in graded]
            shares = [
                np.mean([c for c, e in zip(right, ends, strict=True) if e == stop] or [np.nan])
                for stop in (True, False)
            ]
            bare = [a.answer.rstrip().rstrip(".!?").rstrip() for a in graded]
            stopped = list(zip(references, [f"{a}." for a in bare], strict=True))
            unstopped = list(zip(references, bare, strict=True))
            cells = []
            for as_written in (True, False):
                one = judge.predict(stopped, as_written=as_written)
                other = judge.predict(unstopped, as_written=as_written)
                changed = float(np.mean(one.argmax(axis=1) != other.argmax(axis=1)))
                cells.append((changed, float(one[:, 0].mean()), float(other[:, 0].mean())))
            (written, p_stop, p_bare), (alike, _, _) = cells
            moved = ""
            if engine is not None:
                one_way = labels_read_as(engine, graded, [t for _, t in stopped])
                other_way = labels_read_as(engine, graded, [t for _, t in unstopped])
                changed = np.mean([a != b for a, b in zip(one_way, other_way, strict=True)])
                moved = f" {changed:.3f} |"
            print(
                f"| {corpus}, {split} | {len(graded)} | {share(shares[0])} / {share(shares[1])} "
                f"| {written:.3f}, {p_stop:.3f} / "
                f"{p_bare:.3f} | {alike:.3f} |{moved}"
            )


if __name__ == "__main__":
    main()
