"""Whether the pair judge pays on SAF questions it was not trained on, and how it should read.

    python -m assess.judge_training --data ../shared/data/semeval2013-3way \\
        --saf ../shared/data/saf-english --peers 1 --denials --length-batches --holdout 0.2 \\
        --out /tmp/judge-holdout
    .venv/bin/python scripts/saf_judge_holdout.py --saf ../shared/data/saf-english \\
        --judge /tmp/judge-holdout

The judge in --judge must have been trained with the same --holdout (same seed): its SAF
train questions held out are drawn apart from SemEval's (`assess.judge_training.build`), so
here they are answers in other words, on another subject, that neither the judge nor the
shipped point model (SemEval train only) has seen. SAF's test splits are never read. The
default engine grades them without the judge and with it at each share of P(covered)
(`judge_weight`, 0: only its denials heard), its share heard in every rubric or only in
rubrics of one point (`GraderConfig.judge_max_points`), reading a short answer whole or
always the evidence's sentence, or the sentence in several-point rubrics only
(`judge_whole_answer_words`); each row gives Pearson r and RMSE of normalised scores and QWK
of the 3-way label, over all held-out answers and over one-point and several-point rubrics.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from assess.analyse import Analysis, AnswerRequest
from assess.config import GraderConfig
from assess.datasets import GradedAnswer, read_split
from assess.evaluation_saf import score_figures
from assess.judge_data import SEED, add_clears_options, clears_settings, held_out_groups
from assess.result import AssessmentResult
from service.settings import Settings
from service.wiring import build_grader

WEIGHTS = (0.0, 0.25, 0.5)  # 0: the judge's denials only
MAX_POINTS = (None, 1)


def held_out(answers: Sequence[GradedAnswer], holdout: float) -> list[GradedAnswer]:
    """The answers to the SAF questions the judge's training held out (its groups are
    `saf/<question id>`, `assess.judge_data.read_saf_examples`)."""
    held = held_out_groups({f"saf/{a.group}" for a in answers}, holdout)
    return [a for a in answers if f"saf/{a.group}" in held]


def unheard(analysis: Analysis, max_points: int | None) -> Analysis:
    """The analysis as the engine reads it with `GraderConfig.judge_max_points` at
    `max_points` (None: the judge's credit heard in every rubric; 0: no judge at all)."""
    if GraderConfig(judge_max_points=max_points).judge_credits_in(analysis.index.n_points):
        return analysis
    if max_points == 0:
        alignments = [replace(a, judged=None) for a in analysis.alignments]
    else:
        alignments = [replace(a, judge_credits=False) for a in analysis.alignments]
    return replace(analysis, alignments=alignments)


def rows_of(
    setting: dict[str, object], results: Sequence[AssessmentResult], chosen: Sequence[GradedAnswer]
) -> list[dict[str, object]]:
    """The score figures of the setting over all answers and by rubric size."""
    parts = {
        "all": range(len(chosen)),
        "one point": [n for n, a in enumerate(chosen) if len(a.rubric.points) == 1],
        "several points": [n for n, a in enumerate(chosen) if len(a.rubric.points) > 1],
    }
    return [
        {**setting, "answers": part, "n": len(picked),
         **score_figures([results[n] for n in picked], [chosen[n] for n in picked])}
        for part, picked in parts.items()
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saf", type=Path, required=True)
    parser.add_argument("--judge", type=Path, required=True)
    parser.add_argument("--holdout", type=float, default=0.2)
    add_clears_options(parser)
    args = parser.parse_args()
    chosen = held_out(read_split(args.saf / "train.jsonl"), args.holdout)
    print(f"{len(chosen)} answers of {len({a.group for a in chosen})} held-out SAF questions "
          f"(seed {SEED})")  # fmt: skip
    grader = build_grader(Settings(judge=str(args.judge)))
    grader.config = replace(grader.config, judge_max_points=None)  # `unheard` applies it
    requests = [AnswerRequest(a.rubric, a.answer) for a in chosen]
    by_sentence = grader.calibrated({})  # the same models; the judge reads by its config
    by_sentence.config = replace(grader.config, judge_whole_answer_words=0)
    read: dict[str, list[Analysis]] = {}
    for mode, reader in (("whole", grader), ("sentence", by_sentence)):
        read[mode] = [a for a in reader.analyse_many(requests) if isinstance(a, Analysis)]
        assert len(read[mode]) == len(chosen), "every held-out SAF answer can be analysed"
    several = [len(a.rubric.points) > 1 for a in chosen]
    read["sentence in several-point rubrics"] = [
        by_sentence if many else whole
        for whole, by_sentence, many in zip(read["whole"], read["sentence"], several, strict=True)
    ]
    if args.clears:
        for clearing in clears_settings(args.clears, args.unranked):
            scorer = grader.calibrated({})
            scorer.config = replace(GraderConfig(), **clearing)  # type: ignore[arg-type]
            most = GraderConfig.judge_max_points
            results = [scorer.result(unheard(a, most), None) for a in read["whole"]]
            for row in rows_of(dict(clearing), results, chosen):
                print(json.dumps(row), flush=True)
        return
    settings: list[tuple[float, int | None, str]] = [(0.0, 0, "whole")]  # 0 points: no judge
    settings += [(w, most, mode) for w in WEIGHTS for most in MAX_POINTS for mode in read]
    for weight, most, mode in settings:
        if most == 1 and mode != "whole":
            continue  # the judge reads no several-point rubric: the modes agree
        scorer = grader.calibrated({})
        scorer.config = replace(grader.config, judge_weight=weight)
        results = [scorer.result(unheard(a, most), None) for a in read[mode]]
        setting = {"weight": weight, "max_points": most, "judge_reads": mode}
        for row in rows_of(setting, results, chosen):
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
