"""Graded answers lent between questions that ask for the same point.

A question bank says the same thing in many questions: Beetle's "Terminal 1 and the positive
terminal are separated by the gap" is the model answer of several of them. Once a teacher has
graded answers to one, they are examples of that point for the others too, whatever the
question's wording. Two questions share their point where some model answer of one is a
near-identical sentence to some model answer of the other (cosine of the packaged encoder's
vectors at least `SHARED_AT`); the answers lent to a question are then read against its own
rubric, as if the teacher had graded them for it (`assess calibrate` takes such a file as it
is, and `assess evaluate --graded-split` lends them to the questions it has no grades of).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from assess.datasets import GradedAnswer
from models.encoder import Encoder
from rubrics import Rubric

# Chosen on train (`scripts/shared_points.py --shared-at 0.8,0.9,0.95`: each train question
# graded with the answers of the other train questions): on Beetle 0.8, 0.9 and 0.95 read
# 0.625 / 0.761, 0.622 / 0.755 and 0.612 / 0.756 (3-way / 2-way macro-F1; 0.541 / 0.714
# alone); SciEntsBank's questions rarely share a point (9 of 135 at 0.9) and do not move.
# The stricter of the two best keeps to what is plainly the same sentence.
SHARED_AT = 0.9


def reference_nearness(
    encoder: Encoder, these: Sequence[Rubric], those: Sequence[Rubric]
) -> npt.NDArray[np.float64]:
    """(len(these), len(those)): the closest pair of model answers of each two rubrics."""
    texts = sorted({t for r in (*these, *those) for t in r.model_answers})
    index = {t: n for n, t in enumerate(texts)}
    vectors = encoder.embed(texts) if texts else np.zeros((0, encoder.dimension))
    nearness = np.full((len(these), len(those)), -1.0)
    for i, a in enumerate(these):
        mine = vectors[[index[t] for t in a.model_answers]]
        for j, b in enumerate(those):
            theirs = vectors[[index[t] for t in b.model_answers]]
            if len(mine) and len(theirs):
                nearness[i, j] = float((mine @ theirs.T).max())
    return nearness


def lent_answers(
    encoder: Encoder,
    graded: Mapping[str, Sequence[GradedAnswer]],
    rubrics: Mapping[str, Rubric],
    shared_at: float = SHARED_AT,
) -> dict[str, list[GradedAnswer]]:
    """For each question of `rubrics`, the graded answers of the questions of `graded` that
    share its point (never its own: leave those out of `graded` or use them instead), each
    now answering that question's rubric. Questions that share with none are left out."""
    donors = [q for q in graded if graded[q]]
    targets = list(rubrics)
    if not donors or not targets:
        return {}
    nearness = reference_nearness(
        encoder, [rubrics[q] for q in targets], [graded[q][0].rubric for q in donors]
    )
    lent: dict[str, list[GradedAnswer]] = {}
    for i, question in enumerate(targets):
        shared = [donors[j] for j in np.flatnonzero(nearness[i] >= shared_at)]
        answers = [
            replace(a, rubric=rubrics[question], group=question)
            for donor in shared
            if donor != question
            for a in graded[donor]
        ]
        if answers:
            lent[question] = answers
    return lent
