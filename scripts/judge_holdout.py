"""Whether the pair judge pays, and where it should be heard, on train questions held out.

    python -m assess.judge_training --data ../shared/data/semeval2013-3way --holdout 0.2 \\
        --out /tmp/judge-holdout
    .venv/bin/python scripts/judge_holdout.py --data ../shared/data/semeval2013-3way \\
        --judge /tmp/judge-holdout

The judge in --judge must have been trained without the held-out questions (`--holdout`,
same seed). The point model is refitted here on the other questions too, so neither has seen
the questions graded. The default engine then grades the held-out answers without the judge,
and with it at each share of P(covered) (`judge_weight`) and each word-nearness gate
(`judge_near`: the judge reads only pairs at least that near in words); the script prints
3-way and 2-way macro-F1 and contradictory F1 per corpus. Test splits are never read.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from assess.analyse import Analysis, AnswerRequest
from assess.config import GraderConfig
from assess.datasets import GradedAnswer, read_split
from assess.evaluation import classification_figures, label_of
from assess.grader import Grader, judge_pairs
from assess.judge_data import SEED, held_out_groups
from assess.point_training import STATUS_OF, analysed_rows, fit_stages, to_model
from models import load_encoder
from models.calibrator import load_calibrator
from models.judge import load_judge
from models.point_model import pair_interaction

WEIGHTS = (0.0, 0.25, 0.5)
NEARS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def gated(analysis: Analysis, near: float | None, config: GraderConfig) -> Analysis:
    """The analysis as if the judge had read only pairs `near` in words (None: no judge)."""
    alignments = [
        a
        if near is not None and judge_pairs(analysis.answer, a, replace(config, judge_near=near))
        else replace(a, judged=None)
        for a in analysis.alignments
    ]
    return replace(analysis, alignments=alignments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--judge", type=Path, required=True)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--backend", default="onnx-int8")
    args = parser.parse_args()
    answers: list[GradedAnswer] = []
    for corpus in ("beetle", "sciEntsBank"):
        answers += read_split(args.data / corpus / "train.jsonl")
    held = held_out_groups({a.group for a in answers}, args.holdout)
    chosen = [a for a in answers if a.group in held]
    fitted = [a for a in answers if a.group not in held]
    print(f"{len(chosen)} answers of {len(held)} held-out questions (seed {SEED})")
    encoder = load_encoder(backend=args.backend)
    named, evidence, texts = analysed_rows(encoder, fitted)
    stages = fit_stages(
        named, pair_interaction(evidence, texts),
        np.array([STATUS_OF[a.label] for a in fitted]), np.array([a.group for a in fitted]),
    )  # fmt: skip
    point_model = to_model(stages, "point-holdout", {})
    config = GraderConfig()
    grader = Grader(
        encoder, load_calibrator(), config, judge=load_judge(args.judge), point_model=point_model
    )
    analyses = grader.analyse_many([AnswerRequest(a.rubric, a.answer) for a in chosen])

    def report(setting: dict[str, object], near: float | None, weight: float) -> None:
        scorer = grader.calibrated({})
        scorer.config = replace(config, judge_weight=weight)
        predicted = [
            label_of(scorer.result(gated(a, near, config), None))  # type: ignore[arg-type]
            for a in analyses
        ]
        for corpus in ("beetle", "sciEntsBank"):
            picked = [n for n, a in enumerate(chosen) if a.group.startswith(corpus)]
            figures = classification_figures(
                [chosen[n].label for n in picked], [predicted[n] for n in picked]
            )
            row = {**setting, "corpus": corpus, "macro_f1": figures["macro_f1"],
                   "macro_f1_2way": figures["macro_f1_2way"],
                   "f1_contradictory": figures["f1_contradictory"]}  # fmt: skip
            print(json.dumps(row), flush=True)

    report({"judge": "none"}, None, 0.0)
    for weight in WEIGHTS:
        for near in NEARS:
            report({"weight": weight, "near": near}, near, weight)


if __name__ == "__main__":
    main()
