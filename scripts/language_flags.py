"""Which answers of a data set the engine calls written in a language it does not read.

For each JSONL split given (SemEval-2013 or SAF layout), prints how many answers
`assess.flags.unsupported_language` flags `language_unsupported`, by language, with the
human's mean normalised score of them where the split has scores, the share of English
words (`GraderConfig.language_english_share`) at most among them and at the 1st percentile
among the rest (answers of four words or more), and a few of them;
with `--confidence`, at each of those bars instead of the default
(`GraderConfig.language_confidence`). No model but the language identifier runs, so it takes
seconds.

Run: `.venv/bin/python scripts/language_flags.py ../shared/data/saf-english/train.jsonl
../shared/data/semeval2013-3way/*/train.jsonl`
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from assess.config import GraderConfig
from assess.datasets import read_split
from assess.flags import english_share, unsupported_language

SHOWN = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("splits", type=Path, nargs="+")
    parser.add_argument(
        "--confidence", type=float, action="append", help="a bar to try (repeatable)"
    )
    args = parser.parse_args()
    bars = args.confidence or [GraderConfig().language_confidence]
    for bar in bars:
        config = replace(GraderConfig(), language_confidence=bar)
        print(f"# py3langid at {bar} or more")
        for path in args.splits:
            report(path, config)
    return 0


def report(path: Path, config: GraderConfig) -> None:
    """One split's answers in another language at `config`'s bar."""
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
    shares = {
        is_flagged: [
            s
            for a, code in found
            if (code is not None) is is_flagged
            and (s := english_share(a.answer, config.language_min_words)) is not None
        ]
        for is_flagged in (True, False)
    }
    if shares[True]:
        line += f"; English words at most {max(shares[True]):.2f} of theirs"
    if shares[False]:
        line += f"; of the rest's, 1st percentile {np.percentile(shares[False], 1):.2f}"
    print(line)
    for answer, code in flagged[:SHOWN]:
        print(f"  [{code}] {' '.join(answer.answer.split())[:100]}")


if __name__ == "__main__":
    raise SystemExit(main())
