"""Align an answer's segments with a rubric's points: similarity matrix and per-point features."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from assess.context import context_features
from models import Embeddings, Encoder
from models.stops import ended_as, mostly_stopped
from rubrics import Misconception, Rubric, RubricPoint, Segment
from rubrics.copies import flipped_copy, scrambled_copy
from rubrics.words import (
    content_stems,
    demote,
    denied_clause,
    negated_stems,
    question_stems,
    tokens,
)

RubricItem = RubricPoint | Misconception


@dataclass(frozen=True)
class RubricIndex:
    """A rubric version with its texts embedded once: what scoring needs about the rubric."""

    rubric: Rubric
    items: tuple[RubricItem, ...]  # points first, then misconceptions
    text_vectors: Embeddings  # one row per text of every item
    text_owner: npt.NDArray[np.int64]  # item index of each row
    text_stems: tuple[frozenset[str], ...]  # content stems of each text, question words removed
    text_denied: tuple[frozenset[str], ...]  # stems each text puts under a negation
    question_stems: frozenset[str]
    # Whether the rubric's texts mostly end with a stop: every answer text the encoder reads
    # is ended the same way, so that a student's closing stop moves no vector.
    stopped: bool = True

    def focus(self, text: str) -> str:
        """What the encoder compares: the text without the question's words, ended as the
        rubric's texts mostly are."""
        return self.ended(demote(text, self.question_stems))

    def ended(self, text: str) -> str:
        """The text ended as the rubric's texts mostly are ("... path" and "... path." embed
        a little apart, and the stop is no part of what a student says)."""
        return ended_as(text, self.stopped)

    @property
    def n_points(self) -> int:
        return len(self.rubric.points)


def index_rubric(rubric: Rubric, encoder: Encoder) -> RubricIndex:
    """Embed every point and misconception text of a rubric in one batch."""
    items: tuple[RubricItem, ...] = (*rubric.points, *rubric.misconceptions)
    texts: list[str] = []
    owner: list[int] = []
    for index, item in enumerate(items):
        for text in item.texts:
            texts.append(text)
            owner.append(index)
    asked = question_stems(rubric.question)
    return RubricIndex(
        rubric=rubric,
        items=items,
        text_vectors=encoder.embed([demote(t, asked) for t in texts]),
        text_owner=np.asarray(owner, dtype=np.int64),
        text_stems=tuple(frozenset(content_stems(t)) - asked for t in texts),
        text_denied=tuple(negated_stems(t) for t in texts),
        question_stems=asked,
        stopped=mostly_stopped(texts),
    )


@dataclass(frozen=True)
class ItemAlignment:
    """Features of one rubric item against one answer."""

    similarity: float  # best cosine between any of the item's texts and any segment
    margin: float  # best minus second-best segment similarity
    lexical: float  # share of the item's own content words (not the question's) in the answer
    negation_mismatch: bool  # evidence and item disagree on negation ("does not build trust")
    evidence: Segment | None
    rival: float = 0.0  # best similarity of the same segment to any other item
    word_order: float = 1.0  # share of the point's word pairs the evidence keeps in order
    # The evidence's vector and the vector of the item text closest to it (contradiction model)
    evidence_vector: npt.NDArray[np.float32] | None = field(default=None, compare=False, repr=False)
    text_vector: npt.NDArray[np.float32] | None = field(default=None, compare=False, repr=False)
    # The evidence has a negation and no phrasing of the item has one.
    polarity_differs: bool = False
    # For the pair judge: the item's phrasings, closest to the evidence first, and the
    # evidence's whole sentence (a clause or window alone loses the words around the claim).
    phrasings: tuple[str, ...] = field(default=(), compare=False, repr=False)
    context: str = field(default="", compare=False, repr=False)
    # P(correct), P(contradictory), P(incorrect) from the pair judge, where one read it.
    judged: tuple[float, float, float] | None = None
    # What the answer says around the evidence against the item's texts: the best and mean
    # cosine of the whole answer when it is short (else of the evidence's sentence), and
    # word-level facts of the evidence's sentence (`assess.context.CONTEXT_FEATURES`).
    context_similarity: float = 0.0
    context_similarity_mean: float = 0.0
    context_facts: Mapping[str, float] = field(default_factory=dict, compare=False, repr=False)
    # The context's vector: what a teacher's graded answers are compared with.
    context_vector: npt.NDArray[np.float32] | None = field(default=None, compare=False, repr=False)
    # The evidence's sentence repeats a phrasing of the item with its polarity turned over
    # (`rubrics.copies.flipped_copy`): it says the opposite.
    polarity_flipped: bool = False
    # The evidence's sentence is a near copy of a phrasing's words in scrambled order
    # (`rubrics.copies.scrambled_copy`): it may repeat the words and claim nothing, so the
    # item is at most partial, as in a bare list of terms (`assess.coverage.as_listed`).
    scrambled: bool = False
    # The evidence's sentence denies a clause that itself denies what the item asserts ("It
    # is not true that it does not build trust"): two denials affirm, whatever a pair judge
    # reads into the negators (`assess.coverage.judged_denial`).
    denial_denied: bool = False
    # The evidence's own sentence, even where the context is the whole answer.
    sentence: str = field(default="", compare=False, repr=False)
    # Whether the judge's P(correct) is heard in P(covered) (`assess.coverage.with_judge`);
    # False in a rubric of more points than `GraderConfig.judge_max_points`, where only its
    # denials count.
    judge_credits: bool = True
    # For a rubric point, the best similarity of the evidence to any other point, leaving out
    # the misconceptions (for a misconception, `rival`): what a denial of the point must beat.
    # A misconception often says the point's opposite, so a sentence that denies the point
    # sits near it by nature ("Track II does not inform official negotiations" is nearer to
    # "Track II replaces official negotiations" than to the point).
    point_rival: float = 0.0
    # Where `similarity` is below the off-topic bar: the cosine of the evidence's sentence as
    # worded (the question's words kept) to the item's texts as worded (None elsewhere). A
    # short answer that restates the question's terms and adds a word or two ("The collision
    # domain diameter is divided by 10") leaves a skeleton once they are taken out, far from
    # everything, yet it is about the item (`assess.coverage.on_topic`).
    worded_similarity: float | None = None


def word_order(point_texts: Sequence[str], evidence_text: str, min_pairs: int = 3) -> float:
    """Of a phrasing's adjacent word pairs whose two words both occur in the evidence, the
    share that occur there side by side, best over the phrasings with enough pairs to judge
    (1.0 when none has). A paraphrase that reuses the words keeps most pairs; the same words
    shuffled keep almost none."""
    evidence = tokens(evidence_text)
    present = set(evidence)
    adjacent = set(zip(evidence, evidence[1:], strict=False))
    shares = []
    for text in point_texts:
        point = tokens(text)
        pairs = [p for p in zip(point, point[1:], strict=False) if set(p) <= present]
        if len(pairs) >= min_pairs:
            shares.append(sum(p in adjacent for p in pairs) / len(pairs))
    return max(shares, default=1.0)


def _sentence_of(segment: Segment, sentences: Sequence[Segment]) -> int | None:
    for index, sentence in enumerate(sentences):
        if sentence.start <= segment.start and segment.end <= sentence.end:
            return index
    return None


def _denied_clause_around(segment: Segment, sentence: Segment) -> str | None:
    """The clause its sentence denies whole ("It is not true that X": X), where the segment
    says part of X; else None. A paraphrase of the point inside X may share no word with the
    negator's reach, and the denial is still of the point."""
    span = denied_clause(sentence.text)
    if span is None:
        return None
    start, end = sentence.start + span[0], sentence.start + span[1]
    inside = segment.end > start and segment.start < end
    return sentence.text[span[0] : span[1]] if inside else None


def align(
    index: RubricIndex,
    segments: Sequence[Segment],
    segment_vectors: Embeddings,
    answer_stems: frozenset[str],
    prefer_sentence_within: float = 0.03,
    whole: tuple[str, npt.NDArray[np.float32]] | None = None,
) -> list[ItemAlignment]:
    """Per rubric item: the best segment (evidence) and the features the calibrator reads.

    `whole` is the answer's text and vector when the answer is short enough to be read whole
    as the evidence's context; otherwise the context is the evidence's sentence.
    """
    if not segments:
        return [ItemAlignment(0.0, 0.0, 0.0, False, None, 0.0) for _ in index.items]
    similarity = index.text_vectors @ segment_vectors.T  # texts x segments
    sentence_ids = [i for i, s in enumerate(segments) if s.kind == "sentence"]
    sentences = [segments[i] for i in sentence_ids]
    results: list[ItemAlignment] = []
    for item_index in range(len(index.items)):
        rows = np.flatnonzero(index.text_owner == item_index)
        block = similarity[rows]
        best_text_row, best_segment = np.unravel_index(int(np.argmax(block)), block.shape)
        best = float(block[best_text_row, best_segment])
        per_segment = block.max(axis=0)
        second = float(np.partition(per_segment, -2)[-2]) if len(per_segment) > 1 else 0.0
        others = index.text_owner != item_index
        rival = float(similarity[others, best_segment].max()) if others.any() else 0.0
        if item_index < index.n_points:
            other_points = others & (index.text_owner < index.n_points)
            point_rival = (
                float(similarity[other_points, best_segment].max()) if other_points.any() else 0.0
            )
        else:
            point_rival = rival
        evidence_index = int(best_segment)
        # A whole sentence reads better than a window cut mid-phrase when it is nearly as close.
        if segments[evidence_index].kind != "sentence":
            sentence = _sentence_of(segments[evidence_index], sentences)
            if sentence is not None:
                candidate = sentence_ids[sentence]
                if per_segment[candidate] >= best - prefer_sentence_within:
                    evidence_index = candidate
        evidence = segments[evidence_index]
        text_row = int(rows[best_text_row])
        lexical = max(
            (len(index.text_stems[r] & answer_stems) / len(index.text_stems[r]))
            if index.text_stems[r]
            else 0.0
            for r in rows
        )
        # Contradiction cue: the point asserts (no negation in any of its phrasings) and the
        # evidence denies a
        # word they share ("does not build trust"). Points that carry negations of their own
        # ("not official representatives") are paraphrased with and without negators too
        # freely for word-level polarity to mean anything: comparing it word by word anyway
        # (tried: a shared word the evidence denies and no phrasing denies) caught 0.70 of the
        # negation attack on Track II instead of 0.40, but called right answers denials ("so
        # they have no authority" against "lack authority"; tests/assess/test_behaviour.py).
        shared = index.text_stems[text_row] & frozenset(content_stems(evidence.text))
        point_negates = any(index.text_denied[r] for r in rows)
        # Order is judged over the evidence's whole sentence: a clause may cut the pairs.
        home = _sentence_of(evidence, sentences)
        denied = _denied_clause_around(evidence, sentences[home]) if home is not None else None
        if denied is None:
            mismatch = not point_negates and bool(negated_stems(evidence.text) & shared)
        else:
            # The sentence denies the whole clause the evidence says. That turns the point
            # over unless the clause itself denies what an asserting point asserts ("It is
            # not true that it does not build trust"): two denials affirm.
            mismatch = point_negates or not negated_stems(denied) & shared
        context = own_sentence = sentences[home].text if home is not None else evidence.text
        # Any sentence may turn a point over, not only the one nearest to it: "If no gas is
        # produced, the food does contain acid" after a first sentence that copies the point's.
        flipped = any(
            flipped_copy(s.text, index.items[item_index].texts) for s in sentences or [evidence]
        )
        order = word_order(index.items[item_index].texts, context)
        scrambled = scrambled_copy(context, index.items[item_index].texts)
        nearness = np.argsort(-similarity[rows, evidence_index], kind="stable")
        closest = int(rows[int(nearness[0])])
        texts = index.items[item_index].texts
        phrasings = tuple(texts[int(n)] for n in nearness)
        # Word-level facts come from the evidence's sentence (a negation reaches no further);
        # the cosine of the context from the whole answer when it is short.
        facts = context_features(context, phrasings, index.question_stems)
        if whole is not None:
            context, context_vector = whole
        else:
            context_vector = segment_vectors[
                sentence_ids[home] if home is not None else evidence_index
            ]
        around = index.text_vectors[rows] @ context_vector
        results.append(
            ItemAlignment(
                best, best - second, lexical, mismatch, evidence, rival, order,
                segment_vectors[evidence_index], index.text_vectors[closest],
                bool(negated_stems(evidence.text)) and not point_negates,
                phrasings, context, None, float(around.max()), float(around.mean()), facts,
                context_vector, flipped, scrambled, denied is not None and not mismatch,
                own_sentence, point_rival=point_rival,
            )
        )  # fmt: skip
    return results
