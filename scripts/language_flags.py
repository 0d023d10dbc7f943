"""Which answers of a data set the engine calls written in a language it does not read.

For each JSONL split given (SemEval-2013 or SAF layout), prints how many answers
`assess.flags.unsupported_language` flags `language_unsupported`, by language, with the
human's mean normalised score of them where the split has scores, and a few of them.
No model but the language identifier runs, so it takes seconds.

Run: `.venv/bin/python scripts/language_flags.py ../shared/data/saf-english/train.jsonl
../shared/data/semeval2013-3way/*/train.jsonl`
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from assess.config import GraderConfig
from assess.datasets import read_split
from assess.flags import unsupported_language

SHOWN = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("splits", type=Path, nargs="+")
    args = parser.parse_args()
    config = GraderConfig()
    for path in args.splits:
        answers = read_split(path)
        found = [(a, unsupported_language(a.answer, config)) for a in answers]
        flagged = [(a, code) for a, code in found if code is not None]
        by_language = Counter(code for _, code in flagged)
        line = f"{path}: {len(flagged)} of {len(answers)} answers in another language"
        if by_language:
            line += " (" + ", ".join(f"{c} {n}" for c, n in by_language.most_common()) + ")"
        scores = [a.score for a, _ in flagged if a.score is not None]
        if scores:
            line += f"; the human's mean score of them {sum(scores) / len(scores):.2f}"
        print(line)
        for answer, code in flagged[:SHOWN]:
            print(f"  [{code}] {' '.join(answer.answer.split())[:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
