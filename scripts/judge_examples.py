"""What a pair judge says about a few telling pairs: paraphrases, copies and denials.

    .venv/bin/python scripts/judge_examples.py --judge /tmp/judge-holdout

The README's Accuracy section quotes these rows to say why the judge is not the default.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from models.judge import LABELS, load_judge

TRUST = "Fosters trust and understanding among conflicting parties."
BULB = "The bulb goes out because the circuit is open."
PAIRS = [
    (TRUST, "It fosters trust and understanding among the conflicting parties."),
    (TRUST, "It helps the two sides build trust and understand each other."),
    (TRUST, "Track II does not build any trust between the parties."),
    (TRUST, "Photosynthesis turns sunlight into sugar in the leaves of plants."),
    (BULB, BULB),
    (BULB, "There is no closed path, so the bulb is off."),
    (BULB, "The bulb stays lit."),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge", type=Path, default=None, help="judge folder")
    args = parser.parse_args()
    judge = load_judge(args.judge)
    print(" | ".join(f"P({label})" for label in LABELS) + " | point | text")
    for (point, text), row in zip(PAIRS, judge.predict(PAIRS), strict=True):
        print(" | ".join(f"{p:.2f}" for p in row) + f" | {point} | {text}")


if __name__ == "__main__":
    main()
