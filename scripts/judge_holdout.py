"""How much of P(covered) the pair judge should decide, chosen on train questions held out.

    python -m assess.judge_training --data ../shared/data/semeval2013-3way --holdout 0.2 \
        --out /tmp/judge-holdout
    .venv/bin/python scripts/judge_holdout.py --data ../shared/data/semeval2013-3way \
        --judge /tmp/judge-holdout

The judge in --judge must have been trained without the held-out questions (`--holdout`,
same seed); the engine grades those questions' answers with each blend weight and each number
of phrasings read, and the script prints 3-way and 2-way macro-F1 per corpus. Test splits are
never read. (The shipped coverage calibrator saw these questions, so weight 0 is flattered.)
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from assess.analyse import AnswerRequest
from assess.config import GraderConfig
from assess.datasets import read_split
from assess.evaluation import classification_figures, label_of
from assess.grader import Grader
from assess.judge_training import SEED, held_out_groups
from models import load_encoder
from models.calibrator import load_calibrator
from models.contradiction import load_contradiction
from models.judge import load_judge

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
PHRASINGS = (1, 3, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--judge", type=Path, required=True)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--backend", default="onnx-int8")
    args = parser.parse_args()
    answers = []
    for corpus in ("beetle", "sciEntsBank"):
        answers += read_split(args.data / corpus / "train.jsonl")
    held = held_out_groups({a.group for a in answers}, args.holdout)
    chosen = [a for a in answers if a.group in held]
    print(f"{len(chosen)} answers of {len(held)} held-out questions (seed {SEED})")
    encoder = load_encoder(backend=args.backend)
    base = Grader(
        encoder, load_calibrator(), GraderConfig(), load_contradiction(), load_judge(args.judge)
    )
    requests = [AnswerRequest(a.rubric, a.answer) for a in chosen]
    rows: list[dict[str, object]] = []

    def report(setting: dict[str, object], predicted: list[str]) -> None:
        for corpus in ("beetle", "sciEntsBank"):
            picked = [n for n, a in enumerate(chosen) if a.group.startswith(corpus)]
            figures = classification_figures(
                [chosen[n].label for n in picked], [predicted[n] for n in picked]
            )
            rows.append({**setting, "corpus": corpus, "macro_f1": figures["macro_f1"],
                         "macro_f1_2way": figures["macro_f1_2way"],
                         "f1_contradictory": figures["f1_contradictory"]})  # fmt: skip
            print(json.dumps(rows[-1]), flush=True)

    plain = base.calibrated({})
    plain.judge = None
    report({"judge": "none"}, [label_of(r) for r in plain.assess_many(requests)])  # type: ignore[arg-type]
    for phrasings in PHRASINGS:
        reader = base.calibrated({})
        reader.config = replace(base.config, judge_phrasings=phrasings)
        analyses = reader.analyse_many(requests)
        for weight in WEIGHTS:
            grader = base.calibrated({})
            grader.config = replace(base.config, judge_weight=weight, judge_phrasings=phrasings)
            predicted = [label_of(grader.result(a, None)) for a in analyses]  # type: ignore[arg-type]
            report({"phrasings": phrasings, "weight": weight}, predicted)


if __name__ == "__main__":
    main()
