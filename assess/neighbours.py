"""A teacher's graded answers as examples: how near a new answer comes to those graded as
covering a point, against those graded as not covering it.

Once a teacher has graded some answers to a question, the closest graded answer says more
about a new one than any general model can: the same class writes the same right and wrong
answers. Each graded answer is read per point as any answer is (its context: the whole answer
when short, else the evidence's sentence), and compared by that context's vector.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.align import ItemAlignment
from assess.recalibration import GradedExemplar
from assess.word_vote import fit_vote, vote, word_bag
from rubrics import Rubric
from rubrics.words import content_stems, is_negator, tokens


@dataclass(frozen=True)
class PointExamples:
    """One point's graded answers: their context vectors, grades and texts."""

    vectors: npt.NDArray[np.float32]  # (m, d)
    covered: npt.NDArray[np.bool_]  # (m,)
    answers: tuple[str, ...]
    denied: npt.NDArray[np.int8]  # (m,) 1 contradicts the point, 0 does not, -1 not graded so
    words: tuple[frozenset[str], ...] = ()  # content-word stems of each answer's context
    bags: tuple[frozenset[str], ...] = ()  # those stems and the context's stem pairs
    # The word vote fitted on the graded answers kept (`assess.word_vote`), by kept mask.
    votes: dict[bytes, Any] = field(default_factory=dict, compare=False, repr=False)

    def other_than(self, answer: str | None) -> npt.NDArray[np.bool_]:
        """Which graded answers are not of the text `answer` (all of them for None): a graded
        answer is judged by the others only."""
        return np.array([a != answer for a in self.answers], dtype=bool)

    def voters(self, kept: npt.NDArray[np.bool_], answer: str | None) -> npt.NDArray[np.bool_]:
        """The kept graded answers whose words vote on `answer`: all of them, but where
        `answer` is itself judged by the others among more than `EXACT_HOLD_OUT` graded
        answers, those outside its tenth (`held_out_tenth`), so that the agreement report fits
        at most `HOLD_OUT_FOLDS` votes per point instead of one per graded answer."""
        if answer is None or len(self.answers) <= EXACT_HOLD_OUT:
            return kept
        return kept & (self.tenths != held_out_tenth(answer))

    @cached_property
    def tenths(self) -> npt.NDArray[np.int64]:
        """Each graded answer's `held_out_tenth`."""
        return np.array([held_out_tenth(a) for a in self.answers], dtype=np.int64)

    def word_vote(self, kept: npt.NDArray[np.bool_], bag: frozenset[str]) -> list[float]:
        """How the kept graded answers vote, by their words, on one answer's bag."""
        key = kept.tobytes()
        kinds = kinds_of(self)[kept]
        if key not in self.votes:
            self.votes[key] = fit_vote(
                [b for b, k in zip(self.bags, kept, strict=True) if k], kinds
            )
        return vote(self.votes[key], bag, kinds)


ExampleBank = dict[str, PointExamples]  # point id -> its graded answers

# Judging each graded answer by the others (the agreement report) fits one word vote per
# graded answer, each on all the others: time grows with the square of the class, 37 s for
# 512 answers of one point. Above `EXACT_HOLD_OUT` answers each is judged by a vote fitted
# without its tenth instead (10-fold, as cross-validation does), by a hash of its text so that
# copies of one answer fall in one tenth and none votes on another: at most 10 fits per point.
# Measured by `scripts/calibration_latency.py --pool`.
EXACT_HOLD_OUT = 100
HOLD_OUT_FOLDS = 10


def held_out_tenth(answer: str) -> int:
    """The fold (0..HOLD_OUT_FOLDS-1) of a graded answer's text, the same on every run."""
    return zlib.crc32(answer.encode("utf-8")) % HOLD_OUT_FOLDS


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
    rows: dict[
        str, list[tuple[npt.NDArray[np.float32], bool, str, int, frozenset[str], frozenset[str]]]
    ] = {}
    for exemplar, items in zip(exemplars, alignments, strict=True):
        n = point_index.get(exemplar.point_id)
        if n is None or items[n].context_vector is None:
            continue
        vector = items[n].context_vector
        assert vector is not None
        denied = -1 if exemplar.denied is None else int(exemplar.denied)
        words = context_words(items[n])
        rows.setdefault(exemplar.point_id, []).append(
            (
                vector,
                exemplar.covered,
                exemplar.answer,
                denied,
                words,
                word_bag(items[n].context, words),
            )
        )
    return {
        point: PointExamples(
            np.stack([row[0] for row in found]),
            np.array([row[1] for row in found], dtype=bool),
            tuple(row[2] for row in found),
            np.array([row[3] for row in found], dtype=np.int8),
            tuple(row[4] for row in found),
            tuple(row[5] for row in found),
        )
        for point, found in rows.items()
    }


NEGATED = "<not>"


def context_words(alignment: ItemAlignment) -> frozenset[str]:
    """The content-word stems of an item's context (what its context vector embeds), and
    `NEGATED` where it holds a negation: "no trust" and "trust" then differ by a word (on
    train CV the marker lifted 3-way macro-F1 by 0.012 on Beetle and 0.003 on SciEntsBank
    over bare stems, and beat marking each negated stem)."""
    said = alignment.context
    marker = {NEGATED} if any(is_negator(t) for t in tokens(said)) else set()
    return frozenset(content_stems(said)) | marker


def word_overlaps(
    words: frozenset[str], others: Sequence[frozenset[str]]
) -> npt.NDArray[np.float64]:
    """Jaccard overlap of `words` with each of `others` (0 where both are empty)."""
    return np.array([len(words & o) / max(len(words | o), 1) for o in others], dtype=np.float64)


def nearness_of(
    bank: ExampleBank,
    rubric: Rubric,
    alignments: Sequence[ItemAlignment],
    answer: str | None,
    denial: bool = False,
) -> npt.NDArray[np.float64]:
    """Nearness per item (points first, misconceptions 0): to the answers graded covering
    the point, or with `denial`, to those graded contradicting it among the answers graded
    not covering it. With `answer` given, graded answers of that text are left out, so a
    graded answer is judged by the others, as when the calibration was fitted."""
    values = np.zeros(len(alignments))
    for n, point in enumerate(rubric.points):
        examples = bank.get(point.id)
        vector = alignments[n].context_vector
        if examples is None or vector is None:
            continue
        kept = examples.other_than(answer)
        if denial:
            kept &= ~examples.covered & (examples.denied >= 0)
            values[n] = nearness(examples.vectors[kept] @ vector, examples.denied[kept] == 1)
        else:
            values[n] = nearness(examples.vectors[kept] @ vector, examples.covered[kept])
    return values


# What the example model (`models/example_model.py`) reads of a point's graded answers, after
# the point model's two logits: closeness (mean of the `NEIGHBOURS` closest) to the answers
# graded covering the point, contradicting it, and neither; how the `VOTERS` closest graded
# answers vote, each weighted by exp(similarity / `VOTE_TEMPERATURE`) so the nearest count
# most; which kinds the teacher graded none of (their closeness then reads 0); and the same
# closeness by shared content words (Jaccard): one class words its answers alike, which
# embeddings blur; and how the graded answers vote by their words (`assess.word_vote`).
EXAMPLE_FEATURES = (
    "closest_covered", "closest_denied", "closest_missing",
    "vote_covered", "vote_denied", "vote_missing",
    "none_covered", "none_denied", "none_missing",
    "words_covered", "words_denied", "words_missing",
    "said_covered", "said_denied", "said_missing",
)  # fmt: skip
VOTERS = 10
VOTE_TEMPERATURE = 0.05
# Fewer graded answers covering a point, or fewer not covering it, and its examples are not
# read: one or two say little, and the model was fitted on classes' worth of them.
MIN_EXAMPLES = 3


def kinds_of(examples: PointExamples) -> npt.NDArray[np.int64]:
    """0 graded covering the point, 1 contradicting it, 2 neither (or not said)."""
    return np.where(examples.covered, 0, np.where(examples.denied == 1, 1, 2))


def example_row(
    similarities: npt.NDArray[np.floating],
    kinds: npt.NDArray[np.int64],
    overlaps: npt.NDArray[np.floating],
    said: Sequence[float],
) -> list[float]:
    """`EXAMPLE_FEATURES` of one answer from its similarity and its word overlap with each
    graded answer, and the graded answers' vote on its words (`said`)."""
    closest, missing, words = [], [], []
    for kind in range(3):
        mine = kinds == kind
        closest.append(_closest(similarities[mine]) if mine.any() else 0.0)
        missing.append(float(not mine.any()))
        words.append(_closest(overlaps[mine]) if mine.any() else 0.0)
    order = np.argsort(-similarities, kind="stable")[:VOTERS]
    weights = np.exp((similarities[order] - similarities[order].max()) / VOTE_TEMPERATURE)
    votes = [float(weights[kinds[order] == kind].sum() / weights.sum()) for kind in range(3)]
    return closest + votes + missing + words + list(said)


def peer_references(
    bank: ExampleBank,
    point_ids: Sequence[str],
    alignments: Sequence[ItemAlignment],
    answer: str | None,
    neighbours: int,
) -> list[tuple[int, str]]:
    """(point index, graded answer) of the `neighbours` answers graded covering each point
    that come closest to this answer's context (leaving out graded answers of the text
    `answer` where given): the references the pair judge reads the answer against."""
    chosen: list[tuple[int, str]] = []
    for n, point_id in enumerate(point_ids):
        examples = bank.get(point_id)
        vector = alignments[n].context_vector
        if examples is None or vector is None:
            continue
        kept = np.flatnonzero(examples.covered & examples.other_than(answer))
        closest = kept[np.argsort(-(examples.vectors[kept] @ vector), kind="stable")]
        chosen += [(n, examples.answers[m]) for m in closest[:neighbours].tolist()]
    return chosen


def example_features(
    bank: ExampleBank,
    point_ids: Sequence[str],
    alignments: Sequence[ItemAlignment],
    answer: str | None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """`EXAMPLE_FEATURES` per point (the rubric's point ids, in order), and which points have
    `MIN_EXAMPLES` graded answers covering them and as many not covering them (with `answer`
    given, leaving out graded answers of that text, as `nearness_of` does)."""
    rows = np.zeros((len(point_ids), len(EXAMPLE_FEATURES)))
    found = np.zeros(len(point_ids), dtype=bool)
    for n, point_id in enumerate(point_ids):
        examples = bank.get(point_id)
        vector = alignments[n].context_vector
        if examples is None or vector is None:
            continue
        kept = examples.other_than(answer)
        if len(point_ids) > 1:
            # Of a rubric of several points, only per-point grades make examples to read: a
            # whole-answer mark says too little of each point (full marks are given without
            # every sentence of a model answer). On SAF train after the tutor's scores
            # (scripts/saf_graded_cv.py) this took Pearson r from 0.270 to 0.289; Platt
            # scaling alone (--no-example-model) reads 0.324, the rest of the gap being SAF's
            # one-point questions, whose long answers the example model never saw in training.
            kept &= examples.denied >= 0
        if min((kept & examples.covered).sum(), (kept & ~examples.covered).sum()) < MIN_EXAMPLES:
            continue
        words = context_words(alignments[n])
        overlaps = word_overlaps(words, examples.words)
        rows[n] = example_row(
            examples.vectors[kept] @ vector, kinds_of(examples)[kept], overlaps[kept],
            examples.word_vote(
                examples.voters(kept, answer), word_bag(alignments[n].context, words)
            ),
        )  # fmt: skip
        found[n] = True
    return rows, found
