"""How often a change of surface alone, with every word the same, changes the engine's label.

    .venv/bin/python scripts/surface_invariance.py --data ../shared/data/semeval2013-3way

Students write the same words in different dress: pasted from a word processor (curly
quotes, no-break spaces, ligatures), in capitals, with doubled spaces or a bullet in front.
SemEval's answers are plain ASCII, so nothing in the figures of `make eval` says what such
dress does. Each answer of a sample of each split is read as written and as each variant
below (the whole sample each time, so that each answer is encoded in the same company); a
row gives, per variant, the share of the answers that the variant alters whose
label from the default engine (each question a one-point rubric) differs from the answer
read as written, with the number altered in brackets.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable
from pathlib import Path

from assess.config import GraderConfig
from assess.datasets import read_split, split_path
from assess.evaluation import labels_read_as
from assess.packaged import packaged_grader

SPLITS = ("train", "test_unseen_answers", "test_unseen_questions")


def curly(text: str) -> str:
    """Quotes as a word processor sets them: ’ for an apostrophe, “ ” around a quotation."""
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'", "\u2018", text)
    opened = False

    def pair(_: re.Match[str]) -> str:
        nonlocal opened
        opened = not opened
        return "\u201c" if opened else "\u201d"

    return re.sub('"', pair, text)


def no_break(text: str) -> str:
    """Every space a no-break space, as text pasted from a web page or a PDF may hold."""
    return text.replace(" ", "\u00a0")


def ligatures(text: str) -> str:
    """fi and fl as the single ligature characters a PDF's text layer may hold."""
    return text.replace("fi", "\ufb01").replace("fl", "\ufb02")


def capitals(text: str) -> str:
    """The whole answer in capitals."""
    return text.upper()


def lower(text: str) -> str:
    """The whole answer in lower case."""
    return text.lower()


def doubled(text: str) -> str:
    """Two spaces between words, a space before the end, as typed in a hurry."""
    return re.sub(r" ", "  ", text).rstrip() + " "


def bullet(text: str) -> str:
    """The answer as one item of a bulleted list."""
    return f"\u2022 {text}"


VARIANTS: dict[str, Callable[[str], str]] = {
    "curly quotes": curly,
    "no-break spaces": no_break,
    "ligatures": ligatures,
    "capitals": capitals,
    "lower case": lower,
    "doubled spaces": doubled,
    "bullet": bullet,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--sample", type=int, default=300, help="answers per split (seeded)")
    parser.add_argument("--split", action="append", choices=SPLITS, help="default: all three")
    args = parser.parse_args()
    engine = packaged_grader("default", GraderConfig())
    print("| corpus, split | " + " | ".join(VARIANTS) + " |")
    print("|---|" + "---|" * len(VARIANTS))
    for corpus in ("beetle", "sciEntsBank"):
        for split in args.split or SPLITS:
            graded = read_split(split_path(args.data, corpus, split))
            graded = random.Random(0).sample(graded, min(args.sample, len(graded)))
            written = labels_read_as(engine, graded, [a.answer for a in graded])
            cells = []
            for variant in VARIANTS.values():
                dressed = [variant(a.answer) for a in graded]
                altered = [n for n, a in enumerate(graded) if dressed[n] != a.answer]
                if not altered:  # the engine would read the very same texts again
                    cells.append("-")
                    continue
                # The whole sample each time, so each answer is batched with the same others.
                labels = labels_read_as(engine, graded, dressed)
                changed = sum(written[n] != labels[n] for n in altered)
                cells.append(f"{changed / len(altered):.3f} ({len(altered)})")
            print(f"| {corpus}, {split} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
