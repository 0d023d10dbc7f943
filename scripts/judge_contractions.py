"""How a student's n't moves the pair judge: each SemEval answer that has one read against
its question's first reference as written and spelled out (`models.judge.spelled_out`).

    .venv/bin/python scripts/judge_contractions.py --data ../shared/data/semeval2013-3way
    .venv/bin/python scripts/judge_contractions.py --data ../shared/data --corpus saf-english

A row gives the answers with an n't and the share of them labelled contradictory; then, read
as the judge read before `spelled_out` (each text only ended as its phrasing), its mean
P(contradictory) as written and spelled out, the share whose most likely label differs, and
the share called contradictory each way; last, the share whose label differs as the judge
reads now (0 by construction). The second block contracts instead: answers with an
auxiliary and "not" ("is not"), read as written and with the two joined ("isn't").
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from assess.datasets import read_split, split_path
from models.judge import LABELS, PairJudge, ended_alike, load_judge, spelled_out

SPLITS = ("train", "test_unseen_answers", "test_unseen_questions")
CONTRACTED = re.compile(r"\b\w+n['\u2019]t\b", re.IGNORECASE)
JOINABLE = re.compile(
    r"\b(is|are|was|were|does|do|did|has|have|had|would|could|should)\s+not\b", re.IGNORECASE
)
DENIED = LABELS.index("contradictory")


def row(judge: PairJudge, references: list[str], one: list[str], other: list[str]) -> str:
    """Read as the judge read before `spelled_out` (each text only ended alike): mean
    P(contradictory) each way, label changes, share called contradictory each way; then the
    label changes as it reads now."""
    firsts = [list(zip(references, texts, strict=True)) for texts in (one, other)]
    a, b = (judge.predict([ended_alike(p) for p in pairs], as_written=True) for pairs in firsts)
    changed = float(np.mean(a.argmax(axis=1) != b.argmax(axis=1)))
    called = [float(np.mean(x.argmax(axis=1) == DENIED)) for x in (a, b)]
    now_a, now_b = (judge.predict(pairs) for pairs in firsts)
    now = float(np.mean(now_a.argmax(axis=1) != now_b.argmax(axis=1)))
    return (
        f"{a[:, DENIED].mean():.3f} / {b[:, DENIED].mean():.3f} | {changed:.3f} | "
        f"{called[0]:.3f} / {called[1]:.3f} | {now:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--judge", type=Path, default=None, help="judge folder")
    parser.add_argument(
        "--corpus", action="append", help="default: beetle and sciEntsBank (with --data "
        "../shared/data: saf-english)",
    )  # fmt: skip
    args = parser.parse_args()
    judge = load_judge(args.judge)
    heads = (
        "read as written: P(contradictory) {0} / {1} | label changed | called contradictory "
        "{0} / {1} | spelled out: label changed |"
    )
    for title, find, turn, names in (
        ("answers with an n't", CONTRACTED, spelled_out, ("as written", "spelled out")),
        ("answers with an auxiliary and not", JOINABLE, None, ("as written", "contracted")),
    ):
        print(f"\n{title}\n")
        print(f"| corpus, split | answers | labelled contradictory | {heads.format(*names)}")
        print("|---|---|---|---|---|---|---|")
        for corpus in args.corpus or ("beetle", "sciEntsBank"):
            for split in SPLITS:
                graded = [
                    a for a in read_split(split_path(args.data, corpus, split))
                    if find.search(a.answer)
                ]  # fmt: skip
                if not graded:
                    print(f"| {corpus}, {split} | 0 | - | - | - | - | - |")
                    continue
                written = [a.answer for a in graded]
                other = (
                    [turn(t) for t in written]
                    if turn
                    else [JOINABLE.sub(lambda m: f"{m.group(1)}n't", t) for t in written]
                )
                denied = np.mean([a.label == "contradictory" for a in graded])
                cells = row(judge, [a.references[0] for a in graded], written, other)
                print(f"| {corpus}, {split} | {len(graded)} | {denied:.2f} | {cells}")


if __name__ == "__main__":
    main()
