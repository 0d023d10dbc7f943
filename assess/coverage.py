"""From alignment features to P(covered), a status per point, the score and the confidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assess.align import ItemAlignment
from assess.config import GraderConfig
from assess.context import CONTEXT_FEATURES
from assess.result import PointStatus
from models.calibrator import LogisticCalibrator
from models.contradiction import CUES, ContradictionModel
from models.point_model import logit, sigmoid
from rubrics import Segment


def _fact(name: str) -> Callable[[ItemAlignment], float]:
    """A getter of one word-level fact of the evidence's context."""
    return lambda a: a.context_facts.get(name, 0.0)


# Every feature the engine can hand a calibrator, by name; an artefact lists the ones it reads.
FEATURES: dict[str, Callable[[ItemAlignment], float]] = {
    "similarity": lambda a: a.similarity,
    "lexical": lambda a: a.lexical,
    "similarity_x_lexical": lambda a: a.similarity * a.lexical,
    "negation_mismatch": lambda a: float(a.negation_mismatch),
    "margin": lambda a: a.margin,
    "specificity": lambda a: a.similarity - a.rival,
    "word_order": lambda a: a.word_order,
    "polarity_differs": lambda a: float(a.polarity_differs),
    "context_similarity": lambda a: a.context_similarity,
    "context_similarity_mean": lambda a: a.context_similarity_mean,
    **{name: _fact(name) for name in CONTEXT_FEATURES},
}
DEFAULT_FEATURES = ("similarity", "lexical", "similarity_x_lexical", "negation_mismatch")
# What the point model reads: nothing about the whole answer beyond the evidence's context, so
# a point of an essay is read as a one-line answer would be.
POINT_FEATURES = (
    "similarity", "margin", "negation_mismatch", "word_order", "polarity_differs",
    "context_similarity", "context_similarity_mean", *CONTEXT_FEATURES,
)  # fmt: skip


def feature_matrix(
    alignments: Sequence[ItemAlignment], names: Sequence[str] = DEFAULT_FEATURES
) -> np.ndarray:
    """Rows of calibrator features, columns in the order of `names`."""
    getters = [FEATURES[name] for name in names]
    return np.array([[get(a) for get in getters] for a in alignments], dtype=np.float64).reshape(
        len(alignments), len(getters)
    )


def check_calibrator(calibrator: LogisticCalibrator) -> None:
    """Refuse a calibrator that reads features the engine does not compute."""
    unknown = [name for name in calibrator.feature_names if name not in FEATURES]
    if unknown:
        raise ValueError(
            f"calibrator {calibrator.version} reads unknown features {unknown}; "
            f"the engine computes {sorted(FEATURES)}"
        )


@dataclass(frozen=True)
class ItemCoverage:
    """P(covered) of one item, with its status and the credit it earns."""

    probability: float
    status: PointStatus
    credit: float


def contradiction_probability(
    alignments: Sequence[ItemAlignment], model: ContradictionModel | None
) -> np.ndarray:
    """P(the evidence contradicts the item) per item; 0 without a model or evidence."""
    found = [
        n
        for n, a in enumerate(alignments)
        if a.evidence_vector is not None and a.text_vector is not None
    ]
    probability = np.zeros(len(alignments))
    if model is None or not found:
        return probability
    chosen = [alignments[n] for n in found]
    probability[found] = model.predict_proba(
        np.stack([a.evidence_vector for a in chosen if a.evidence_vector is not None]),
        np.stack([a.text_vector for a in chosen if a.text_vector is not None]),
        feature_matrix(chosen, CUES),
    )
    return probability


Recalibrate = Callable[[np.ndarray], np.ndarray]


def covered_probability(
    alignments: Sequence[ItemAlignment],
    calibrator: LogisticCalibrator,
    config: GraderConfig,
    recalibrate: Recalibrate | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """P(covered) per item, and the same with any negation cue ignored.

    The calibrator reads the alignment features; where the pair judge read the item, its
    P(correct) is blended in with `config.judge_weight`; a rubric's own calibration, fitted
    on its teacher's grades, rescales the result.
    """
    names = calibrator.feature_names
    features = feature_matrix(alignments, names)
    probability = calibrator.predict_proba(features)
    unnegated = features.copy()
    if "negation_mismatch" in names:
        unnegated[:, names.index("negation_mismatch")] = 0.0
    would_cover = calibrator.predict_proba(unnegated)
    probability = with_judge(probability, alignments, config)
    would_cover = with_judge(would_cover, alignments, config)
    if recalibrate is not None:
        return recalibrate(probability), recalibrate(would_cover)
    return probability, would_cover


def with_judge(
    covered: np.ndarray, alignments: Sequence[ItemAlignment], config: GraderConfig
) -> np.ndarray:
    """P(covered) with the pair judge heard where it read the item: a logistic blend of the
    two probabilities' logits where `config.judge_blend` gives one (fitted on questions held
    out of the judge's training, so calibrated), else `config.judge_weight` of the judge's
    P(correct) mixed in; not where its credit is not heard (`ItemAlignment.judge_credits`)."""
    blended = np.asarray(covered, dtype=np.float64).copy()
    w = config.judge_weight
    for n, alignment in enumerate(alignments):
        if alignment.judged is None or not alignment.judge_credits:
            continue
        judge = alignment.judged[0]
        if config.judge_blend is not None:
            own, heard, bias = config.judge_blend
            score = own * float(logit(blended[n])) + heard * float(logit(judge)) + bias
            blended[n] = float(sigmoid(np.array(score)))
        else:
            blended[n] = (1 - w) * blended[n] + w * judge
    return blended


def on_topic(alignment: ItemAlignment, config: GraderConfig) -> bool:
    """Whether the item's evidence is about the item at all: near it with the question's
    words left out, or, where that leaves a skeleton, as worded
    (`ItemAlignment.worded_similarity`)."""
    if alignment.evidence is None:
        return False
    if alignment.similarity >= config.off_topic_similarity:
        return True
    bar, worded = config.off_topic_worded_similarity, alignment.worded_similarity
    return bar is not None and worded is not None and worded >= bar


def judged_denial(alignment: ItemAlignment, config: GraderConfig) -> bool:
    """The pair judge reads the evidence as denying the item, more than as stating or
    ignoring it, and the evidence is about this item more than about any other point
    (`ItemAlignment.point_rival`); never where the sentence denies a denial of the item (two
    denials affirm; the judge reads "It is not true that it does not build trust" as a
    denial)."""
    if alignment.judged is None or alignment.denial_denied:
        return False
    correct, denied, neither = alignment.judged
    return (
        denied >= config.judge_contradicted_at
        and denied > max(correct, neither)
        and alignment.similarity >= alignment.point_rival
        and on_topic(alignment, config)
    )


def judge_clears(alignment: ItemAlignment, config: GraderConfig) -> bool:
    """The pair judge read the item and all but rules a denial out
    (`config.judge_clears_below`), or reads a denial as less likely than a statement of the
    item or than neither, where that clears (`config.judge_clears_unranked`; by default
    only where the judge's P(correct) is not heard, `judge_clears_unranked_uncredited`)."""
    if alignment.judged is None:
        return False
    correct, denied, neither = alignment.judged
    bar = config.judge_clears_below
    unranked = config.judge_clears_unranked or (
        config.judge_clears_unranked_uncredited and not alignment.judge_credits
    )
    return (bar is not None and denied < bar) or (unranked and denied < max(correct, neither))


def judge(
    alignments: Sequence[ItemAlignment],
    calibrator: LogisticCalibrator,
    config: GraderConfig,
    partial_credit: bool,
    contradiction: ContradictionModel | None = None,
    recalibrate: Recalibrate | None = None,
) -> list[ItemCoverage]:
    """Status and credit of each item from its calibrated probability.

    A point whose closest segment says the opposite ("does not build trust") is `contradicted`
    when, negation aside, it would have earned credit and that segment is about this point more
    than any other: negation barely moves a sentence embedding, so similarity alone would
    call it covered. With a contradiction model, a point is also `contradicted` when the model
    reads its evidence as denying it.
    """
    if not alignments:
        return []
    probability, would_cover = covered_probability(alignments, calibrator, config, recalibrate)
    denied = contradiction_probability(alignments, contradiction)
    threshold = contradiction.threshold if contradiction is not None else 1.0
    judged: list[ItemCoverage] = []
    for alignment, p, p_plain, p_denied in zip(
        alignments, probability, would_cover, denied, strict=True
    ):
        status: PointStatus
        if alignment.evidence is None:
            status, credit = "missing", 0.0
        elif (
            alignment.negation_mismatch
            and p_plain >= config.partial_at
            and alignment.similarity > alignment.rival
        ):
            status, credit = "contradicted", 0.0
        elif judged_denial(alignment, config):
            status, credit = "contradicted", 0.0
        elif (
            alignment.judged is None
            and p_denied >= threshold
            and alignment.polarity_differs
            and alignment.similarity >= max(alignment.rival, config.off_topic_similarity)
        ):
            # The pair model reads the evidence as denying this point (not another one). It
            # was trained on short answers and overreaches on long paraphrases, so it is
            # heard only where the evidence negates and the point does not (as for
            # `negation_mismatch`); an answer about something else entirely denies nothing.
            status, credit = "contradicted", 0.0
        elif p >= config.covered_at:
            status, credit = "covered", 1.0
        elif p >= config.partial_at:
            status, credit = "partial", (float(p) if partial_credit else 0.0)
        else:
            status, credit = "missing", 0.0
        judged.append(ItemCoverage(float(p), status, credit))
    return judged


def misconception_made(
    alignment: ItemAlignment, coverage: ItemCoverage, config: GraderConfig
) -> bool:
    """A misconception costs marks only when a whole sentence or clause states it clearly
    and is closer to it than to any rubric point.

    Marks taken away wrongly hurt more than marks not taken: "the pressure that comes with
    formal negotiations" is near "replaces official negotiations" but claims nothing of the
    kind, and "shapes official negotiations" is nearer "informs official diplomacy".
    """
    return (
        alignment.evidence is not None
        and alignment.evidence.kind != "window"
        and coverage.probability >= config.misconception_at
        and alignment.similarity >= alignment.rival + config.misconception_margin
    )


def overruled(
    coverage: ItemCoverage,
    evidence: Segment | None,
    misconception_evidence: Sequence[Segment | None],
) -> ItemCoverage:
    """A point earns nothing from a sentence that states a misconception: "Track II replaces
    official negotiations" mentions official negotiations but contradicts the point."""
    if evidence is None or coverage.status not in ("covered", "partial"):
        return coverage
    for other in misconception_evidence:
        if other is not None and other.start < evidence.end and evidence.start < other.end:
            return ItemCoverage(coverage.probability, "contradicted", 0.0)
    return coverage


def as_listed(coverage: ItemCoverage, partial_credit: bool) -> ItemCoverage:
    """A point named in a bare list of terms, or in its words shuffled (few of its word pairs
    in order, or a near copy of its words with few pairs side by side), is at most partial:
    neither states the claim."""
    if coverage.status != "covered":
        return coverage
    credit = coverage.probability if partial_credit else 0.0
    return ItemCoverage(coverage.probability, "partial", credit)


def overall_score(
    points: Sequence[ItemCoverage],
    point_weights: Sequence[float],
    made_weights: Sequence[float],
    max_score: float,
) -> float:
    """Weighted credit scaled to max_score, minus misconceptions made, clipped to [0, max]."""
    total = sum(point_weights)
    earned = sum(p.credit * w for p, w in zip(points, point_weights, strict=True))
    raw = (earned - sum(made_weights)) / total * max_score
    return round(min(max(raw, 0.0), max_score), 2)


def confidence(points: Sequence[ItemCoverage]) -> float:
    """Mean probability that each point's covered/not-covered call is right."""
    if not points:
        return 1.0
    return round(float(np.mean([max(p.probability, 1 - p.probability) for p in points])), 3)
