"""How a pair judge reads a rubric's own paraphrases, their denials and the other points.

    .venv/bin/python scripts/judge_paraphrases.py --judge /tmp/judge-a --judge /tmp/judge-b

For every point of every rubric under --rubrics (the shipped library by default, a subject
no SemEval question is about) that has exemplars, three kinds of pair with the point's text:
each exemplar (another wording of the point: the judge should call it correct), each
exemplar denied by the robustness suite's `negate` (not correct; ideally contradictory), and
each exemplar of the rubric's other points (not correct). Prints, per judge, how often each
kind gets the call it should and the mean P(correct). The SemEval figures of a judge say how
it grades science answers; these say whether it knows a paraphrase in other words.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assess.robustness import negate
from models.judge import LABELS, load_judge
from rubrics.io import load_rubrics

CORRECT = LABELS.index("correct")
CONTRADICTORY = LABELS.index("contradictory")


def pairs_of(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """The three kinds of pair of every rubric under `folder`."""
    kinds: dict[str, list[tuple[str, str]]] = {"paraphrase": [], "denial": [], "other point": []}
    for rubric in load_rubrics(folder).values():
        points = rubric.points
        for point in points:
            kinds["paraphrase"] += [(point.text, e) for e in point.exemplars]
            kinds["denial"] += [(point.text, negate(e)) for e in point.exemplars]
            kinds["other point"] += [
                (point.text, e) for other in points if other.id != point.id for e in other.exemplars
            ]
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge", type=Path, action="append", required=True)
    parser.add_argument("--rubrics", type=Path, default=Path("rubrics/library"))
    args = parser.parse_args()
    kinds = pairs_of(args.rubrics)
    print("judge | kind | n | called as it should | mean P(correct) | called contradictory")
    for folder in args.judge:
        judge = load_judge(folder)
        for kind, pairs in kinds.items():
            p = judge.predict(pairs)
            calls = np.argmax(p, axis=1)
            right = calls == CORRECT if kind == "paraphrase" else calls != CORRECT
            denied = (calls == CONTRADICTORY).mean()
            print(
                f"{folder} | {kind} | {len(pairs)} | {right.mean():.2f} | "
                f"{p[:, CORRECT].mean():.2f} | {denied:.2f}"
            )


if __name__ == "__main__":
    main()
