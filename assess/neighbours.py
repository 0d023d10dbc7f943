"""A teacher's graded answers as examples: how near a new answer comes to those graded as
covering a point, against those graded as not covering it.

Once a teacher has graded some answers to a question, the closest graded answer says more
about a new one than any general model can: the same class writes the same right and wrong
answers. Each graded answer is read per point as any answer is (its context: the whole answer
when short, else the evidence's sentence), and compared by that context's vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.align import ItemAlignment
from assess.recalibration import GradedExemplar
from rubrics import Rubric


@dataclass(frozen=True)
class PointExamples:
    """One point's graded answers: their context vectors, grades and texts."""

    vectors: npt.NDArray[np.float32]  # (m, d)
    covered: npt.NDArray[np.bool_]  # (m,)
    answers: tuple[str, ...]
    denied: npt.NDArray[np.int8]  # (m,) 1 contradicts the point, 0 does not, -1 not graded so


ExampleBank = dict[str, PointExamples]  # point id -> its graded answers


NEIGHBOURS = 3


def _closest(similarities: npt.NDArray[np.floating]) -> float:
    """Mean similarity of the `NEIGHBOURS` closest answers (fewer where there are fewer)."""
    k = min(NEIGHBOURS, len(similarities))
    return float(np.sort(similarities)[-k:].mean())


def nearness(similarities: npt.NDArray[np.floating], covered: npt.NDArray[np.bool_]) -> float:
    """Closeness to the answers graded covering, minus closeness to those graded not covering
    (each the mean of the few closest, so one odd grade does not decide); 0 without an answer
    of each kind."""
    if not covered.any() or covered.all():
        return 0.0
    return _closest(similarities[covered]) - _closest(similarities[~covered])


def bank_of(
    exemplars: Sequence[GradedExemplar],
    alignments: Sequence[Sequence[ItemAlignment]],
    rubric: Rubric,
) -> ExampleBank:
    """Examples per point from the exemplars and the alignments of their answers (one list
    of item alignments per exemplar, in rubric order)."""
    point_index = {p.id: n for n, p in enumerate(rubric.points)}
    rows: dict[str, list[tuple[npt.NDArray[np.float32], bool, str, int]]] = {}
    for exemplar, items in zip(exemplars, alignments, strict=True):
        n = point_index.get(exemplar.point_id)
        if n is None or items[n].context_vector is None:
            continue
        vector = items[n].context_vector
        assert vector is not None
        denied = -1 if exemplar.denied is None else int(exemplar.denied)
        rows.setdefault(exemplar.point_id, []).append(
            (vector, exemplar.covered, exemplar.answer, denied)
        )
    return {
        point: PointExamples(
            np.stack([v for v, _, _, _ in found]),
            np.array([c for _, c, _, _ in found], dtype=bool),
            tuple(a for _, _, a, _ in found),
            np.array([d for _, _, _, d in found], dtype=np.int8),
        )
        for point, found in rows.items()
    }


def nearness_of(
    bank: ExampleBank,
    rubric: Rubric,
    alignments: Sequence[ItemAlignment],
    answer: str,
    denial: bool = False,
) -> npt.NDArray[np.float64]:
    """Nearness per item (points first, misconceptions 0): to the answers graded covering
    the point, or with `denial`, to those graded contradicting it among the answers graded
    not covering it. An answer is never its own example: a graded answer met again is judged
    by the others, as when it was fitted."""
    values = np.zeros(len(alignments))
    for n, point in enumerate(rubric.points):
        examples = bank.get(point.id)
        vector = alignments[n].context_vector
        if examples is None or vector is None:
            continue
        kept = np.array([a != answer for a in examples.answers], dtype=bool)
        if denial:
            kept &= ~examples.covered & (examples.denied >= 0)
            values[n] = nearness(examples.vectors[kept] @ vector, examples.denied[kept] == 1)
        else:
            values[n] = nearness(examples.vectors[kept] @ vector, examples.covered[kept])
    return values
