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
3-way and 2-way macro-F1, contradictory F1 and the expected calibration error of
`confidence` per corpus. `--blend` prints instead the rows without a gate and those of a
logistic blend of the two probabilities (`GraderConfig.judge_blend`), each held-out question
graded by a blend fitted on the others (5 folds by question). `--sharpness` prints instead,
at the default share, the rows of the confidence sharpened
(each P(covered)'s logit scaled by a factor before the confidence, max(q, 1 - q), is taken)
by a factor fitted on the other held-out questions, and the factor fitted on all of them:
whether the blend's confidence is less sure than its calls are right. (It was not, so the
engine has no such factor.)
Test splits are never read.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from assess.analyse import Analysis, AnswerRequest
from assess.config import GraderConfig
from assess.datasets import GradedAnswer, read_split
from assess.evaluation import (
    classification_figures,
    expected_calibration_error,
    label_of,
    two_way_calls,
)
from assess.grader import Grader
from assess.judge_data import SEED, add_clears_options, clears_settings, held_out_groups
from assess.judge_reads import judge_pairs
from assess.point_status import point_probabilities
from assess.point_training import STATUS_OF, analysed_rows, fit_stages, to_model
from assess.result import AssessmentResult
from models import SERVED_BACKEND, load_encoder
from models.calibrator import load_calibrator
from models.judge import load_judge
from models.point_model import COVERED, PointModel, logit, pair_interaction, sigmoid

WEIGHTS = (0.0, 0.25, 0.5)
SHARPNESS = tuple(np.round(np.arange(0.8, 3.01, 0.05), 2))
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


def blend_inputs(
    analyses: list[Analysis], point_model: PointModel, config: GraderConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Per answer, the logits of the point model's P(covered) and the judge's P(correct) for
    its one point, and whether the judge read it."""
    alignments = [analysis.alignments[0] for analysis in analyses]
    own = point_probabilities(alignments, point_model, config, hear_judge=False)
    read = np.array([a.judged is not None for a in alignments])
    judged = np.array([a.judged[0] if a.judged is not None else 0.5 for a in alignments])
    return np.column_stack([logit(own[:, COVERED]), logit(judged)]), read


def fit_blend(inputs: np.ndarray, covered: np.ndarray) -> tuple[float, float, float]:
    """(a, b, c) of P(covered) = sigmoid(a own + b judge + c)."""
    model = LogisticRegression(C=1.0).fit(inputs, covered)
    a, b = (float(x) for x in model.coef_[0])
    return a, b, float(model.intercept_[0])


def sharpened_confidence(probabilities: Sequence[float], k: float) -> float:
    """The engine's confidence (`assess.coverage.confidence`) with each logit scaled by k."""
    q = sigmoid(k * logit(probabilities))
    return float(np.mean(np.maximum(q, 1 - q)))


def fit_sharpness(probabilities: Sequence[Sequence[float]], right: np.ndarray) -> float:
    """The factor on P(covered)'s logits whose confidences fit the calls' rightness best
    (least log-loss), of `SHARPNESS`."""

    def loss(k: float) -> float:
        c = np.clip([sharpened_confidence(p, k) for p in probabilities], 1e-4, 1 - 1e-4)
        return float(-np.mean(right * np.log(c) + (1 - right) * np.log(1 - c)))

    return float(min(SHARPNESS, key=loss))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--judge", type=Path, required=True)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--backend", default=SERVED_BACKEND)
    parser.add_argument("--blend", action="store_true", help="fitted blend rows (see above)")
    parser.add_argument("--sharpness", action="store_true", help="sharpened rows (see above)")
    add_clears_options(parser)
    parser.add_argument(
        "--phrasings", type=int, default=GraderConfig.judge_phrasings,
        help="how many of an item's phrasings the judge reads, closest first (its most "
        "crediting read counts)",
    )  # fmt: skip
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
    config = GraderConfig(judge_phrasings=args.phrasings)
    grader = Grader(
        encoder, load_calibrator(), config, judge=load_judge(args.judge), point_model=point_model
    )
    outcomes = grader.analyse_many([AnswerRequest(a.rubric, a.answer) for a in chosen])
    analyses = [a for a in outcomes if isinstance(a, Analysis)]
    assert len(analyses) == len(chosen), "every held-out SemEval answer can be analysed"

    def print_rows(setting: dict[str, object], results: Sequence[AssessmentResult]) -> None:
        for corpus in ("beetle", "sciEntsBank"):
            picked = [n for n, a in enumerate(chosen) if a.group.startswith(corpus)]
            figures = classification_figures(
                [chosen[n].label for n in picked], [label_of(results[n]) for n in picked]
            )
            ece = expected_calibration_error(
                *two_way_calls([results[n] for n in picked], [chosen[n] for n in picked])
            )
            row = {**setting, "corpus": corpus, "macro_f1": figures["macro_f1"],
                   "macro_f1_2way": figures["macro_f1_2way"],
                   "f1_contradictory": figures["f1_contradictory"], "ece_2way": ece}  # fmt: skip
            print(json.dumps(row), flush=True)

    def report(setting: dict[str, object], near: float | None, weight: float) -> None:
        scorer = grader.calibrated({})
        scorer.config = replace(config, judge_weight=weight)
        print_rows(setting, [scorer.result(gated(a, near, config), None) for a in analyses])

    report({"judge": "none"}, None, 0.0)
    if args.clears:
        for clearing in clears_settings(args.clears, args.unranked):
            scorer = grader.calibrated({})
            scorer.config = replace(config, **clearing)  # type: ignore[arg-type]
            print_rows({"weight": config.judge_weight, **clearing},
                       [scorer.result(a, None) for a in analyses])  # fmt: skip
        return
    if args.sharpness:
        scorer = grader.calibrated({})
        plain = [scorer.result(a, None) for a in analyses]
        print_rows({"weight": config.judge_weight, "sharpness": 1.0}, plain)
        probabilities = [[p.coverage for p in r.points] for r in plain]
        right = np.array(two_way_calls(plain, chosen)[1], dtype=float)
        groups = np.array([a.group for a in chosen])
        sharpened = list(plain)
        for fit, held in GroupKFold(n_splits=5).split(probabilities, right, groups):
            k = fit_sharpness([probabilities[n] for n in fit], right[fit])
            for n in held:
                sure = sharpened_confidence(probabilities[n], k)
                sharpened[n] = plain[n].model_copy(update={"confidence": sure})
        print_rows({"sharpness": "fitted on the other held-out questions"}, sharpened)
        print(json.dumps({"sharpness_on_all_held_out": fit_sharpness(probabilities, right)}))
        return
    for weight in WEIGHTS:
        for near in (0.0,) if args.blend else NEARS:
            report({"weight": weight, "near": near}, near, weight)
    if not args.blend:
        return
    inputs, read = blend_inputs(analyses, point_model, config)
    covered = np.array([a.label == "correct" for a in chosen])
    groups = np.array([a.group for a in chosen])
    results: dict[int, AssessmentResult] = {}
    for fit, held in GroupKFold(n_splits=5).split(inputs, covered, groups):
        kept = fit[read[fit]]
        scorer = grader.calibrated({})
        scorer.config = replace(config, judge_blend=fit_blend(inputs[kept], covered[kept]))
        for n in held:
            results[n] = scorer.result(analyses[n], None)
    fitted_rows = [results[n] for n in range(len(chosen))]
    print_rows({"blend": "fitted on the other held-out questions"}, fitted_rows)
    print(json.dumps({"blend_on_all_held_out": fit_blend(inputs[read], covered[read])}))


if __name__ == "__main__":
    main()
