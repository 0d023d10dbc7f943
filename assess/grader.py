"""The Grader: analyses answers, then scores, flags and explains them."""

from __future__ import annotations

from collections.abc import Sequence

from assess.analyse import Analyser, Analysis, AnswerRequest
from assess.config import GraderConfig
from assess.coverage import (
    as_listed,
    check_calibrator,
    confidence,
    judge,
    misconception_made,
    overall_score,
    overruled,
)
from assess.errors import AssessError
from assess.feedback import write_feedback
from assess.flags import detect_flags, is_empty, is_keyword_list
from assess.result import AssessmentResult, Evidence, ModelInfo, PointResult
from models import Encoder
from models.calibrator import LogisticCalibrator
from models.contradiction import ContradictionModel
from rubrics import Rubric

REVIEW_FLAGS = frozenset({"copies_question", "copies_model_answer", "gibberish"})


class Grader:
    """Assesses answers against rubrics with an encoder and a calibrator handed in."""

    def __init__(
        self,
        encoder: Encoder,
        calibrator: LogisticCalibrator,
        config: GraderConfig | None = None,
        contradiction: ContradictionModel | None = None,
    ) -> None:
        check_calibrator(calibrator)
        self.encoder = encoder
        self.calibrator = calibrator
        self.contradiction = contradiction
        self.config = config or GraderConfig()
        self.analyser = Analyser(encoder, self.config)

    def result(self, analysis: Analysis, answer_id: str | None) -> AssessmentResult:
        """Turn an analysis into the scored, flagged, explained result."""
        rubric = analysis.index.rubric
        n_points = analysis.index.n_points
        empty = is_empty(analysis.answer)
        judged = judge(
            analysis.alignments,
            self.calibrator,
            self.config,
            rubric.scoring.partial_credit,
            self.contradiction,
        )
        point_cov, misc_cov = judged[:n_points], judged[n_points:]
        made = [
            (m, a.evidence)
            for m, c, a in zip(
                rubric.misconceptions, misc_cov, analysis.alignments[n_points:], strict=True
            )
            if misconception_made(a, c, self.config)
        ]
        point_cov = [
            overruled(c, a.evidence, [e for _, e in made])
            for c, a in zip(point_cov, analysis.alignments[:n_points], strict=True)
        ]
        listed = is_keyword_list(analysis.answer, self.config)
        point_cov = [
            as_listed(c, rubric.scoring.partial_credit)
            if listed or a.word_order < self.config.scrambled_below
            else c
            for c, a in zip(point_cov, analysis.alignments[:n_points], strict=True)
        ]
        points = [
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
            for point, cov, a in zip(
                rubric.points, point_cov, analysis.alignments[:n_points], strict=True
            )
        ]
        score = overall_score(
            point_cov,
            [p.weight for p in rubric.points],
            [m.weight for m, _ in made],
            rubric.scoring.max_score,
        )
        flags = detect_flags(
            analysis.answer,
            rubric,
            analysis.topic_similarity,
            any(c.credit > 0 for c in point_cov),
            self.config,
            analysis.off_topic_share(self.config.padded_sentence_similarity),
        )
        sure = 1.0 if empty else confidence(point_cov)
        return AssessmentResult(
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            answer_id=answer_id,
            score=score,
            max_score=rubric.scoring.max_score,
            confidence=sure,
            needs_review=sure < self.config.review_below or bool(REVIEW_FLAGS & set(flags)),
            points=points,
            flags=flags,
            feedback=write_feedback(
                points, flags, score, rubric.scoring.max_score, [m.label or m.text for m, _ in made]
            ),
            model=ModelInfo(name=self.encoder.info.name, sha256=self.encoder.info.sha256),
        )

    def assess_many(
        self, requests: Sequence[AnswerRequest]
    ) -> list[AssessmentResult | AssessError]:
        """Assess a batch; an answer the engine refuses becomes its error, the rest go on."""
        return [
            item if isinstance(item, AssessError) else self.result(item, request.answer_id)
            for request, item in zip(requests, self.analyser.analyse_many(requests), strict=True)
        ]

    def assess(self, rubric: Rubric, answer: str, answer_id: str | None = None) -> AssessmentResult:
        """Assess one answer; raises the engine's error when the answer is refused."""
        (outcome,) = self.assess_many([AnswerRequest(rubric, answer, answer_id)])
        if isinstance(outcome, AssessError):
            raise outcome
        return outcome
