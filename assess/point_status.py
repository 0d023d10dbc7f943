"""Status and credit of each rubric item from the point model's three probabilities.

The point model reads every cue at once (similarity, word overlap, negation, and how the
evidence's embedding relates to the point's) and says how likely the item is covered,
contradicted or missing, so no hand-written rule has to decide when a negation denies a point.
Each point's status then becomes its part of the result (`point_results`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assess.align import ItemAlignment
from assess.config import GraderConfig
from assess.coverage import (
    POINT_FEATURES,
    ItemCoverage,
    Recalibrate,
    feature_matrix,
    judge_clears,
    judged_denial,
    on_topic,
    with_judge,
)
from assess.examples import ExampleCalls, denied_given_missed
from assess.result import Evidence, PointResult, PointStatus
from models.point_model import CLASSES, CONTRADICTED, COVERED, MISSING, PointModel
from rubrics import Rubric


def check_point_model(model: PointModel) -> None:
    """Refuse a point model that reads features other than the engine's `POINT_FEATURES`."""
    if tuple(model.feature_names) != POINT_FEATURES:
        raise ValueError(
            f"point model {model.version} reads {list(model.feature_names)}; this engine "
            f"computes {list(POINT_FEATURES)} (refit it: python -m assess.point_training)"
        )


def point_probabilities(
    alignments: Sequence[ItemAlignment],
    model: PointModel,
    config: GraderConfig,
    recalibrate: Recalibrate | None = None,
    redeny: Recalibrate | None = None,
    hear_judge: bool = True,
) -> np.ndarray:
    """(n, 3) probabilities in `CLASSES` order; rows without evidence are certainly missing.

    Where the pair judge read an item, it is heard in P(covered) (`assess.coverage.with_judge`)
    unless `hear_judge` is off (the point model's own probabilities);
    a rubric's own calibration then rescales P(covered) (`recalibrate`) and,
    where its teacher marked contradictions, P(denied | not covered) (`redeny`); the other
    two classes share what is left by that conditional.
    """
    probabilities = np.zeros((len(alignments), len(CLASSES)))
    probabilities[:, MISSING] = 1.0
    found = [n for n, a in enumerate(alignments) if a.evidence is not None]
    if not found:
        return probabilities
    chosen = [alignments[n] for n in found]
    dimension = next(len(a.evidence_vector) for a in chosen if a.evidence_vector is not None)
    blank = np.zeros(dimension, dtype=np.float32)
    evidence = np.stack([a.evidence_vector if a.evidence_vector is not None else blank
                         for a in chosen])  # fmt: skip
    texts = np.stack([a.text_vector if a.text_vector is not None else blank for a in chosen])
    probabilities[found] = model.predict_proba(
        feature_matrix(chosen, POINT_FEATURES), evidence, texts
    )
    covered = probabilities[:, COVERED].copy()
    if hear_judge:
        covered = with_judge(covered, alignments, config)
    if recalibrate is not None:
        covered = np.asarray(recalibrate(covered), dtype=np.float64)
    denied = denied_given_missed(probabilities)
    if redeny is not None:
        denied = np.asarray(redeny(denied), dtype=np.float64)
    probabilities[:, COVERED] = covered
    probabilities[:, CONTRADICTED] = (1 - covered) * denied
    probabilities[:, MISSING] = (1 - covered) * (1 - denied)
    return probabilities


def judge_points(
    alignments: Sequence[ItemAlignment],
    model: PointModel,
    config: GraderConfig,
    partial_credit: bool,
    recalibrate: Recalibrate | None = None,
    redeny: Recalibrate | None = None,
    examples: ExampleCalls | None = None,
) -> list[ItemCoverage]:
    """Each item's status from its three probabilities.

    An item whose evidence is off topic (`assess.coverage.on_topic`) is missing, whatever
    else the features say. Covered at `config.covered_at`. An item not covered is
    contradicted when a denial is likelier than an absence (`config.contradicted_at` of
    P(denied | not covered)), coverage is not a near-even call (below `config.deny_below`:
    that is partial, not a denial), the evidence is on topic and about this item more than
    any other point (a sentence that denies one point is near the others too; misconceptions
    are left out, as one often says the point's opposite), and something that
    can turn a claim over is involved: a negation on either side, a word of the closest
    phrasing swapped for its opposite, or another number in its place. Without one, "similar
    but not covering" is far more often a vague or wrong answer than a denial outside
    SemEval's near-copies. An item whose
    evidence denies one of its own words while the item asserts ("does not build trust"),
    and which is not plainly missing, is contradicted too: a negation barely moves an
    embedding. Otherwise partial above `config.partial_at`, else missing; but never partial
    from evidence that denies one of the item's own words (the negation cue): "It is not true
    that governments ignore the proposals" is no half-statement of "participants lack
    authority because they are not official representatives", whether or not it is called a
    denial of it (a sentence nearer another point, or a point plainly missing, is not).

    Where the example model read the rubric's graded answers of an item (`examples`; its
    calls come through `recalibrate` and `redeny`), the item may be covered however
    far its evidence is from the item's own wording (the teacher's answers say what counts),
    and where the teacher graded contradictions of it, its denials are learned from them
    and need no negation.
    """
    n = len(alignments)
    graded, taught = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if examples is not None:
        graded, taught = examples.found, examples.taught_denials
    probabilities = point_probabilities(alignments, model, config, recalibrate, redeny)
    denials = denied_given_missed(probabilities)
    judged: list[ItemCoverage] = []
    items = zip(alignments, probabilities, denials, graded, taught, strict=True)
    for alignment, row, denial, read, learned in items:
        p = float(row[COVERED])
        denied = float(denial)
        topical = read or on_topic(alignment, config)
        about_this = topical and alignment.similarity >= alignment.point_rival
        status: PointStatus
        if alignment.evidence is None or not topical:
            # Nothing in the answer is about this item: no feature may make up for that.
            status, credit = "missing", 0.0
        elif (
            alignment.polarity_flipped
            or judged_denial(alignment, config)
            or (
                alignment.negation_mismatch
                and row[MISSING] < 0.5
                and alignment.similarity > alignment.point_rival
            )
        ):
            status, credit = "contradicted", 0.0
        elif p >= config.covered_at:
            status, credit = "covered", 1.0
        elif (
            denied >= config.contradicted_at
            and p < config.deny_below
            and about_this
            and (
                learned
                or (
                    alignment.context_facts.get("turn_involved", 0.0) > 0
                    and not judge_clears(alignment, config)
                    and alignment.similarity >= alignment.point_rival + config.turn_denial_margin
                )
            )
        ):
            status, credit = "contradicted", 0.0
        elif p >= config.partial_at and not alignment.negation_mismatch:
            status, credit = "partial", (p if partial_credit else 0.0)
        else:
            status, credit = "missing", 0.0
        judged.append(ItemCoverage(p, status, credit))
    return judged


def point_results(
    rubric: Rubric, coverages: Sequence[ItemCoverage], alignments: Sequence[ItemAlignment]
) -> list[PointResult]:
    """Each point's result: its coverage, status and, unless missing, its evidence."""
    return [
        PointResult(
            id=point.id,
            label=point.label,
            coverage=round(cov.probability, 3),
            status=cov.status,
            evidence=(
                Evidence(text=a.evidence.text, start=a.evidence.start, end=a.evidence.end)
                if a.evidence is not None and cov.status != "missing"
                else None
            ),
        )
        for point, cov, a in zip(rubric.points, coverages, alignments, strict=True)
    ]
