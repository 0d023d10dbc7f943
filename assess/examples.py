"""A rubric's graded answers as the example model's inputs, and what it makes of them.

Where a teacher has graded answers to a rubric (`assess.recalibration.RubricCalibration`
keeps them), each point's P(covered) and P(denied | not covered) come from the example model
(`models/example_model.py`): the point model's two probabilities read beside the answer's
closeness to the graded answers of each kind (`assess.neighbours.example_features`). Points
the teacher graded no answer for keep the point model's probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from assess.align import ItemAlignment
from assess.coverage import Recalibrate
from assess.neighbours import EXAMPLE_FEATURES, ExampleBank, example_features
from models.example_model import ExampleModel
from models.point_model import CONTRADICTED, COVERED, MISSING, logit

EXAMPLE_INPUTS = ("logit_covered", "logit_denied", *EXAMPLE_FEATURES)


def check_example_model(model: ExampleModel) -> None:
    """Refuse an example model that reads other inputs than this engine computes."""
    if tuple(model.feature_names) != EXAMPLE_INPUTS:
        raise ValueError(
            f"example model {model.version} reads {list(model.feature_names)}; this engine "
            f"computes {list(EXAMPLE_INPUTS)} (refit it: python -m assess.example_training)"
        )


def denied_given_missed(probabilities: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """P(denied | not covered) of rows of the three probabilities in `CLASSES` order."""
    rest = probabilities[:, CONTRADICTED] + probabilities[:, MISSING]
    return np.divide(
        probabilities[:, CONTRADICTED], rest, out=np.zeros_like(rest), where=rest > 1e-12
    )


def example_inputs(
    probabilities: npt.NDArray[np.float64], features: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Rows of `EXAMPLE_INPUTS`: the point model's probabilities (n, 3) and the example
    features (n, len(EXAMPLE_FEATURES)) of the same points."""
    return np.column_stack([
        logit(probabilities[:, COVERED]), logit(denied_given_missed(probabilities)), features
    ])  # fmt: skip


@dataclass(frozen=True)
class ExampleCalls:
    """The example model's P(covered) per item where `found`, and its P(denied | not covered)
    where the teacher also graded contradictions of it (`taught_denials`)."""

    covered: npt.NDArray[np.float64]
    denied: npt.NDArray[np.float64]
    found: npt.NDArray[np.bool_]
    taught_denials: npt.NDArray[np.bool_]  # the teacher graded contradictions of this item

    def recalibrate(self, otherwise: Recalibrate) -> Recalibrate:
        """P(covered) where `found`, else `otherwise` of the point model's."""
        return lambda p: np.where(self.found, self.covered, otherwise(p))

    def with_peers(self, peers: npt.NDArray[np.float64], weight: float) -> ExampleCalls:
        """`weight` of P(covered) decided by `peers` (the pair judge's P(correct) against the
        teacher's closest answers graded covering the item; NaN where it read none)."""
        heard = self.found & ~np.isnan(peers)
        covered = np.where(heard, (1 - weight) * self.covered + weight * peers, self.covered)
        return replace(self, covered=covered)

    def redeny(self, otherwise: Recalibrate) -> Recalibrate:
        """P(denied | not covered) where taught, else `otherwise` of the point model's."""
        return lambda d: np.where(self.taught_denials, self.denied, otherwise(d))


def example_calls(
    model: ExampleModel,
    base: npt.NDArray[np.float64],
    bank: ExampleBank,
    alignments: Sequence[ItemAlignment],
    answer: str | None,
    point_ids: Sequence[str],
) -> ExampleCalls:
    """What the example model says of each item of an answer, from the point model's
    probabilities `base` (n items, 3) and the teacher's graded answers in `bank` (leaving out
    those of the text `answer` where given)."""
    n = len(alignments)
    covered, denied = base[:, COVERED].copy(), denied_given_missed(base)
    found, taught = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    features, has = example_features(bank, point_ids, alignments, answer)
    if has.any():
        stacked = model.predict_proba(example_inputs(base[: len(point_ids)][has], features[has]))
        rows = np.flatnonzero(has)
        covered[rows] = stacked[:, COVERED]
        found[rows] = True
        taught[rows] = [bool((bank[point_ids[r]].denied == 1).any()) for r in rows.tolist()]
        # A teacher who marked no contradictions of a point may have graded them as plain
        # misses: their examples cannot say what a denial looks like, the point model can.
        learned = taught[rows]
        denied[rows[learned]] = denied_given_missed(stacked[learned])
    return ExampleCalls(covered, denied, found, taught)
