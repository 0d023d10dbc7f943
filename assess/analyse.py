"""Align answers with rubrics: segment, encode every segment of a batch at once, align."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assess.align import ItemAlignment, RubricIndex, align, index_rubric
from assess.config import GraderConfig
from assess.errors import AnswerTooLongError, AssessError
from models import Embeddings, Encoder
from rubrics import Rubric, Segment, segment_answer
from rubrics.words import content_stems

RUBRIC_CACHE_SIZE = 256


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

    def off_topic_share(self, below: float) -> float:
        """Share of the answer's words in sentences whose best point similarity is `below`."""
        chosen = [i for i, s in enumerate(self.segments) if s.kind == "sentence"]
        if not chosen:
            return 0.0
        rows = np.isin(self.index.text_owner, np.arange(self.index.n_points))
        best = (self.index.text_vectors[rows] @ self.vectors[chosen].T).max(axis=0)
        words = np.array([len(self.segments[i].text.split()) for i in chosen], dtype=float)
        return float(words[best < below].sum() / max(words.sum(), 1.0))


class Analyser:
    """Everything before the calibrator: shared by the Grader and by calibrator training."""

    def __init__(self, encoder: Encoder, config: GraderConfig | None = None) -> None:
        self.encoder = encoder
        self.config = config or GraderConfig()
        self._indexes: OrderedDict[tuple[str, str], RubricIndex] = OrderedDict()
        self._lock = threading.Lock()

    def index(self, rubric: Rubric) -> RubricIndex:
        """The rubric's embedded texts, computed once per rubric version."""
        key = (rubric.id, rubric.version)
        with self._lock:
            cached = self._indexes.get(key)
            if cached is not None:
                self._indexes.move_to_end(key)
                return cached
        built = index_rubric(rubric, self.encoder)
        with self._lock:
            self._indexes[key] = built
            while len(self._indexes) > RUBRIC_CACHE_SIZE:
                self._indexes.popitem(last=False)
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
        """Align every answer with its rubric, encoding all segments of all answers at once."""
        prepared: list[tuple[AnswerRequest, list[Segment]] | AssessError] = []
        texts: list[str] = []
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
            index = self.index(request.rubric)
            texts.extend(index.focus(s.clean) for s in segments)
        vectors = self.encoder.embed(texts)
        analyses: list[Analysis | AssessError] = []
        offset = 0
        for item in prepared:
            if isinstance(item, AssessError):
                analyses.append(item)
                continue
            request, segments = item
            own = vectors[offset : offset + len(segments)]
            offset += len(segments)
            analyses.append(self._analyse(request, segments, own))
        return analyses

    def _analyse(
        self, request: AnswerRequest, segments: list[Segment], vectors: Embeddings
    ) -> Analysis:
        index = self.index(request.rubric)
        answer_stems = frozenset(content_stems(request.answer))
        alignments = align(
            index, segments, vectors, answer_stems, self.config.evidence_prefer_sentence
        )
        n_points = index.n_points
        point_rows = np.isin(index.text_owner, np.arange(n_points))
        topic = float((index.text_vectors[point_rows] @ vectors.T).max()) if segments else 0.0
        return Analysis(index, request.answer, segments, vectors, alignments, topic)
