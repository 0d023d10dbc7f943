"""Align answers with rubrics: segment, encode every segment of a batch at once, align."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from assess.align import ItemAlignment, RubricIndex, align, index_rubric
from assess.config import GraderConfig
from assess.coverage import on_topic
from assess.errors import AnswerTooLongError, AssessError
from models import Embeddings, Encoder
from rubrics import Rubric, Segment, segment_answer
from rubrics.words import content_stems

RUBRIC_CACHE_SIZE = 256
Kept = TypeVar("Kept")


@dataclass(frozen=True)
class AnswerRequest:
    """One answer to assess against one rubric."""

    rubric: Rubric
    answer: str
    answer_id: str | None = None


@dataclass(frozen=True)
class Analysis:
    """An answer aligned with a rubric: segments, their vectors and per-item features."""

    index: RubricIndex
    answer: str
    segments: list[Segment]
    vectors: Embeddings
    alignments: list[ItemAlignment]
    topic_similarity: float

    def topical(self, config: GraderConfig) -> bool:
        """Whether some segment comes near some point (`config.off_topic_similarity`), or
        some point's evidence is about it as worded (`assess.coverage.on_topic`)."""
        points = self.alignments[: self.index.n_points]
        return self.topic_similarity >= config.off_topic_similarity or any(
            on_topic(a, config) for a in points
        )

    def off_topic_share(self, config: GraderConfig) -> float:
        """Share of the answer's words in sentences whose best point similarity is below
        `config.padded_sentence_similarity`, leaving out the sentences of evidence found on
        topic as worded (`assess.coverage.on_topic`): they restate the question's terms."""
        chosen = [i for i, s in enumerate(self.segments) if s.kind == "sentence"]
        if not chosen:
            return 0.0
        worded = {
            a.sentence
            for a in self.alignments[: self.index.n_points]
            if a.worded_similarity is not None and on_topic(a, config)
        }
        rows = np.isin(self.index.text_owner, np.arange(self.index.n_points))
        best = (self.index.text_vectors[rows] @ self.vectors[chosen].T).max(axis=0)
        off = np.array(
            [b < config.padded_sentence_similarity and self.segments[i].text not in worded
             for i, b in zip(chosen, best, strict=True)]
        )  # fmt: skip
        words = np.array([len(self.segments[i].text.split()) for i in chosen], dtype=float)
        return float(words[off].sum() / max(words.sum(), 1.0))


class Analyser:
    """Everything before the calibrator: shared by the Grader and by calibrator training."""

    def __init__(self, encoder: Encoder, config: GraderConfig | None = None) -> None:
        self.encoder = encoder
        self.config = config or GraderConfig()
        self._indexes: OrderedDict[tuple[str, str], RubricIndex] = OrderedDict()
        self._worded: OrderedDict[tuple[str, str], Embeddings] = OrderedDict()
        self._lock = threading.Lock()

    def index(self, rubric: Rubric) -> RubricIndex:
        """The rubric's embedded texts, computed once per rubric version."""
        return self._per_rubric(self._indexes, rubric, lambda: index_rubric(rubric, self.encoder))

    def _per_rubric(
        self, cache: OrderedDict[tuple[str, str], Kept], rubric: Rubric, build: Callable[[], Kept]
    ) -> Kept:
        """What `build` makes of a rubric version, kept for the `RUBRIC_CACHE_SIZE` versions
        used last (built outside the lock: two threads may build it once each)."""
        key = (rubric.id, rubric.version)
        with self._lock:
            cached = cache.get(key)
            if cached is not None:
                cache.move_to_end(key)
                return cached
        built = build()
        with self._lock:
            cache[key] = built
            while len(cache) > RUBRIC_CACHE_SIZE:
                cache.popitem(last=False)
        return built

    def check_answer(self, answer: str) -> None:
        """Refuse an answer over the length limit; it is never cut silently."""
        limit = self.config.max_answer_chars
        if len(answer) > limit:
            raise AnswerTooLongError(
                f"answer is {len(answer):,} characters; the limit is {limit:,} "
                "(set ASSESS_MAX_ANSWER_CHARS to change it)"
            )

    def analyse_many(self, requests: Sequence[AnswerRequest]) -> list[Analysis | AssessError]:
        """Align every answer with its rubric, encoding all segments of all answers at once.

        Sentences are encoded first (one call for the whole batch); the clauses and windows
        of a sentence are encoded (a second call) only when the sentence comes within
        `config.finer_segments_from` of some rubric text (or when no sentence does): finer
        cuts of a sentence unrelated to every point rarely become evidence, and skipping
        them saves most of the text encoded for long answers that wander.
        """
        prepared: list[tuple[AnswerRequest, list[Segment]] | AssessError] = []
        for request in requests:
            try:
                self.check_answer(request.answer)
            except AssessError as exc:
                prepared.append(exc)
                continue
            segments = segment_answer(
                request.answer,
                window_words=self.config.window_words,
                window_stride=self.config.window_stride,
                max_encoded_words=self.config.max_encoded_words,
            )
            prepared.append((request, segments))
        encoded = list(self._encode([p for p in prepared if not isinstance(p, AssessError)]))
        wholes = iter(self._whole_vectors(encoded))
        rows = iter(encoded)
        analyses: list[Analysis | AssessError] = []
        for item in prepared:
            if isinstance(item, AssessError):
                analyses.append(item)
                continue
            request, segments, vectors = next(rows)
            analyses.append(self._analyse(request, segments, vectors, next(wholes)))
        return self._with_worded(analyses)

    def _worded_vectors(self, index: RubricIndex) -> Embeddings:
        """Every item text of a rubric as worded, question words kept (rows as
        `index.text_vectors`), computed once per rubric version."""
        texts = [t for item in index.items for t in item.texts]
        return self._per_rubric(self._worded, index.rubric, lambda: self.encoder.embed(texts))

    def _with_worded(self, analyses: list[Analysis | AssessError]) -> list[Analysis | AssessError]:
        """The analyses with `ItemAlignment.worded_similarity` set where an item's evidence is
        below the off-topic bar: its sentence as worded against the item's texts as worded,
        every such sentence of the batch encoded in one call (none where no item needs it)."""
        bar = self.config.off_topic_similarity
        if self.config.off_topic_worded_similarity is None:
            return analyses
        wanted = [
            (n, analysis, i)
            for n, analysis in enumerate(analyses)
            if isinstance(analysis, Analysis)
            for i, a in enumerate(analysis.alignments)
            if a.evidence is not None and a.similarity < bar
        ]
        if not wanted:
            return analyses
        said = [analysis.index.ended(_worded_text(analysis, i)) for _, analysis, i in wanted]
        distinct = list(dict.fromkeys(said))
        vectors = self.encoder.embed(distinct)
        row = {text: r for r, text in enumerate(distinct)}
        changed: dict[int, tuple[Analysis, list[ItemAlignment]]] = {}
        for (n, analysis, i), text in zip(wanted, said, strict=True):
            owned = analysis.index.text_owner == i
            worded = float((self._worded_vectors(analysis.index)[owned] @ vectors[row[text]]).max())
            _, alignments = changed.setdefault(n, (analysis, list(analysis.alignments)))
            alignments[i] = replace(alignments[i], worded_similarity=worded)
        out = list(analyses)
        for n, (analysis, alignments) in changed.items():
            out[n] = replace(analysis, alignments=alignments)
        return out

    def _whole_vectors(
        self, encoded: Sequence[tuple[AnswerRequest, list[Segment], Embeddings]]
    ) -> list[Embeddings | None]:
        """The vector of each short answer read whole (None for a long one, or one to a rubric
        of more points than `context_whole_max_points`): a one-sentence answer's is its
        sentence's; the rest are encoded in one call."""
        limit = self.config.context_whole_words
        wholes: list[Embeddings | None] = [None] * len(encoded)
        missing: list[int] = []
        for n, (request, segments, vectors) in enumerate(encoded):
            if not segments or len(request.answer.split()) > limit:
                continue
            if not self.config.reads_whole_in(self.index(request.rubric).n_points):
                continue
            sentences = [i for i, s in enumerate(segments) if s.kind == "sentence"]
            if len(sentences) == 1:
                wholes[n] = vectors[sentences[0]]
            else:
                missing.append(n)
        if missing:
            texts = [self.index(encoded[n][0].rubric).focus(encoded[n][0].answer) for n in missing]
            for n, vector in zip(missing, self.encoder.embed(texts), strict=True):
                wholes[n] = vector
        return wholes

    def _encode(
        self, items: Sequence[tuple[AnswerRequest, list[Segment]]]
    ) -> Iterator[tuple[AnswerRequest, list[Segment], Embeddings]]:
        """Vectors of each answer's segments, finer cuts only of sentences near the rubric."""
        gate = self.config.finer_segments_from
        indexes = [self.index(request.rubric) for request, _ in items]
        wanted = [
            [s for s in segments if gate is None or s.kind == "sentence"] for _, segments in items
        ]
        first = self._embed_groups(indexes, wanted)
        if gate is not None:
            finer = [
                _finer_near(segments, vectors, index, gate)
                for (_, segments), vectors, index in zip(items, first, indexes, strict=True)
            ]
            second = self._embed_groups(indexes, finer)
            wanted = [w + f for w, f in zip(wanted, finer, strict=True)]
            first = [np.vstack([a, b]) for a, b in zip(first, second, strict=True)]
        for (request, _), segments, vectors in zip(items, wanted, first, strict=True):
            yield request, segments, vectors

    def _embed_groups(
        self, indexes: Sequence[RubricIndex], groups: Sequence[Sequence[Segment]]
    ) -> list[Embeddings]:
        """One encoder call for every group's segments; the vectors split back by group."""
        texts = [
            index.focus(s.clean) for index, group in zip(indexes, groups, strict=True)
            for s in group
        ]  # fmt: skip
        vectors = self.encoder.embed(texts)
        bounds = np.cumsum([0, *(len(group) for group in groups)])
        return [vectors[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def _analyse(
        self,
        request: AnswerRequest,
        segments: list[Segment],
        vectors: Embeddings,
        whole: Embeddings | None = None,
    ) -> Analysis:
        index = self.index(request.rubric)
        answer_stems = frozenset(content_stems(request.answer))
        alignments = align(
            index, segments, vectors, answer_stems, self.config.evidence_prefer_sentence,
            (request.answer, whole) if whole is not None else None,
        )  # fmt: skip
        n_points = index.n_points
        point_rows = np.isin(index.text_owner, np.arange(n_points))
        topic = float((index.text_vectors[point_rows] @ vectors.T).max()) if segments else 0.0
        return Analysis(index, request.answer, segments, vectors, alignments, topic)


def _finer_near(
    segments: Sequence[Segment], sentence_vectors: Embeddings, index: RubricIndex, gate: float
) -> list[Segment]:
    """Clauses and windows of the sentences whose best similarity to any rubric text reaches
    `gate`, in their original order; all of them when no sentence does, since then the finer
    cuts decide whether the answer is on topic at all."""
    sentences = [s for s in segments if s.kind == "sentence"]
    near = (index.text_vectors @ sentence_vectors.T).max(axis=0) >= gate
    if not near.any():
        return [s for s in segments if s.kind != "sentence"]
    starts = [s.start for s in sentences]
    return [
        s
        for s in segments
        if s.kind != "sentence" and near[max(0, bisect_right(starts, s.start) - 1)]
    ]


def _worded_text(analysis: Analysis, item: int) -> str:
    """The sentence of an item's evidence (the evidence where none was kept)."""
    alignment = analysis.alignments[item]
    assert alignment.evidence is not None
    return alignment.sentence or alignment.evidence.text
