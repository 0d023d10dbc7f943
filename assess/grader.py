"""The Grader: analyses answers, then scores, flags and explains them."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence

import numpy as np

from assess.align import ItemAlignment
from assess.analyse import Analyser, Analysis, AnswerRequest
from assess.config import GraderConfig
from assess.coverage import (
    ItemCoverage,
    Recalibrate,
    as_listed,
    check_calibrator,
    confidence,
    covered_probability,
    judge,
    misconception_made,
    overall_score,
    overruled,
)
from assess.errors import AssessError
from assess.examples import ExampleCalls, check_example_model
from assess.feedback import write_feedback
from assess.flags import (
    detect_flags,
    is_empty,
    is_keyword_list,
    is_letter_noise,
    salad_on_closest,
    unsupported_language,
    word_salad,
)
from assess.graded_reads import graded_recalibration
from assess.graded_scores import GradedBanks, ScoreBank, graded_share, score_bank
from assess.judge_reads import judge_evidence
from assess.neighbours import bank_of
from assess.point_status import (
    check_point_model,
    judge_points,
    point_probabilities,
    point_results,
)
from assess.recalibration import GradedScore, RubricCalibration
from assess.result import AssessmentResult, ModelInfo
from models import Encoder
from models.calibrator import LogisticCalibrator
from models.contradiction import ContradictionModel
from models.example_model import ExampleModel
from models.judge import PairJudge
from models.point_model import PointModel
from models.score_model import ScoreModel
from rubrics import Misconception, Rubric, Segment

BANKS_KEPT = 64
REVIEW_FLAGS = frozenset(
    {"copies_question", "copies_model_answer", "gibberish", "language_unsupported"}
)
# Flags that ask for a person's look where the teacher's scores set the score (so does word
# salad in the evidence of the point closest to the answer).
SUSPECT_FLAGS = frozenset({"keyword_list", "copies_question", "off_topic"})


class Grader:
    """Assesses answers against rubrics with an encoder and a scorer handed in.

    The scorer is the point model where one is given (the default engine), else the
    logistic calibrator with the contradiction model and its guarded rules (the engine of
    `coverage-v1`, kept for comparison and for artefacts fitted on it).
    """

    def __init__(
        self,
        encoder: Encoder,
        calibrator: LogisticCalibrator,
        config: GraderConfig | None = None,
        contradiction: ContradictionModel | None = None,
        judge: PairJudge | None = None,
        calibrations: Mapping[tuple[str, str], RubricCalibration] | None = None,
        point_model: PointModel | None = None,
        example_model: ExampleModel | None = None,
        score_model: ScoreModel | None = None,
    ) -> None:
        check_calibrator(calibrator)
        if point_model is not None:
            check_point_model(point_model)
        if example_model is not None:
            check_example_model(example_model)
        self.point_model = point_model
        # Reads a calibrated rubric's graded answers (with the point model only).
        self.example_model = example_model if point_model is not None else None
        # Reads a calibrated rubric's whole-answer scores (`assess.graded_scores`).
        self.score_model = score_model
        self.encoder = encoder
        self.calibrator = calibrator
        self.contradiction = contradiction
        self.judge = judge
        self.config = config or GraderConfig()
        self.analyser = Analyser(encoder, self.config)
        # Per rubric version, fitted on a teacher's grades; replaced whole, never edited.
        self.calibrations: dict[tuple[str, str], RubricCalibration] = dict(calibrations or {})
        # Graded answers read once per calibration; shared with every calibrated twin.
        self._banks: dict[RubricCalibration, GradedBanks] = {}
        # True only to measure a calibration on its own graded answers: each is then judged
        # by the others. Grading a new answer uses every graded one, a copy's grade included.
        self.hold_out_graded = False

    def clear_cache(self) -> None:
        """Forget what the encoder and the judge have read (benchmarks: cold reads)."""
        self.encoder.clear_cache()
        if self.judge is not None:
            self.judge.clear_cache()

    @property
    def scorer_version(self) -> str:
        """The point model's version, or the calibrator's where there is no point model."""
        return self.point_model.version if self.point_model else self.calibrator.version

    def _bank(self, calibration: RubricCalibration, rubric: Rubric) -> GradedBanks:
        """The calibration's graded answers read as examples and, where it kept whole-answer
        scores, as the score model reads them (analysed once, then kept)."""
        bank = self._banks.get(calibration)
        if bank is None:
            answers = list(dict.fromkeys(
                [e.answer for e in calibration.exemplars] + [s.answer for s in calibration.scores]
            ))  # fmt: skip
            requests = [AnswerRequest(rubric, a) for a in answers]
            # The engine's own shares of scored answers need the judge's reads; examples don't.
            read = self.analyse_many if calibration.scores else self.analyser.analyse_many
            analysed = {
                a: f
                for a, f in zip(answers, read(requests), strict=True)
                if isinstance(f, Analysis)
            }
            kept = [e for e in calibration.exemplars if e.answer in analysed]
            bank = GradedBanks(
                bank_of(kept, [analysed[e.answer].alignments for e in kept], rubric),
                self.score_bank_of(calibration.scores, list(analysed.values())),
            )
            while len(self._banks) >= BANKS_KEPT:
                self._banks.pop(next(iter(self._banks)))
            self._banks[calibration] = bank
        return bank

    def score_bank_of(
        self, scores: Sequence[GradedScore], analyses: Sequence[Analysis]
    ) -> ScoreBank | None:
        """Whole-answer scores with the engine's own shares of those answers (before any
        calibration; no model runs: `analyses` are the answers' judged analyses)."""
        if not scores or self.score_model is None:
            return None
        by_answer = {a.answer: a for a in analyses}
        plain = self.calibrated({})
        engine = {a: plain.share(analysis) for a, analysis in by_answer.items()}
        return score_bank(scores, by_answer, engine)

    def share(self, analysis: Analysis) -> float:
        """The engine's score of an analysed answer as a share of the rubric's max score."""
        result = self.result(analysis, None)
        return result.score / result.max_score

    def _recalibration(
        self, calibration: RubricCalibration | None, analysis: Analysis
    ) -> tuple[Recalibrate | None, Recalibrate | None, ExampleCalls | None]:
        """The rubric calibration as functions of P(covered) and of P(denied | not covered),
        or what the example model makes of the teacher's graded answers
        (`assess.graded_reads`)."""
        if calibration is None:
            return None, None, None
        if not calibration.exemplars:
            return calibration.apply, calibration.apply_denial, None
        return graded_recalibration(
            calibration,
            self._bank(calibration, analysis.index.rubric).examples,
            analysis,
            analysis.answer if self.hold_out_graded else None,
            self.config,
            self.point_model,
            self.example_model,
            self.judge,
        )

    def scored_share(
        self, calibration: RubricCalibration | None, analysis: Analysis
    ) -> float | None:
        """The score model's share of the answer where the calibration kept whole-answer
        scores (`assess.graded_scores`), before `result` asks whether the answer games them;
        else None."""
        if calibration is None or not calibration.scores or self.score_model is None:
            return None
        bank = self._bank(calibration, analysis.index.rubric).scores
        if bank is None:
            return None
        own = analysis.answer if self.hold_out_graded else None
        plain = self.calibrated({}).share(analysis)
        return graded_share(self.score_model, bank, analysis, plain, own)

    def covered_probabilities(self, alignments: Sequence[ItemAlignment]) -> np.ndarray:
        """P(covered) of each item from the scorer, before any rubric calibration: what a
        rubric calibration is fitted on."""
        if self.point_model is not None:
            probabilities = point_probabilities(alignments, self.point_model, self.config)
            return np.asarray(probabilities[:, 0], dtype=np.float64)
        return covered_probability(alignments, self.calibrator, self.config)[0]

    def calibrated(
        self,
        calibrations: Mapping[tuple[str, str], RubricCalibration],
        hold_out_graded: bool = False,
        banks: Mapping[RubricCalibration, GradedBanks] | None = None,
    ) -> Grader:
        """The same engine (models and rubric cache shared) with these rubric calibrations;
        `hold_out_graded` judges each graded answer by the other graded answers only.

        `banks`: graded answers already read for these calibrations (`fit_parameters` returns
        them), so the twin runs no model to read them again; it then keeps its own cache of
        graded answers instead of sharing this grader's."""
        twin = copy.copy(self)
        twin.calibrations = dict(calibrations)
        twin.hold_out_graded = hold_out_graded
        if banks is not None:
            twin._banks = dict(banks)
        return twin

    def _coverages(
        self,
        analysis: Analysis,
        calibration: RubricCalibration | None,
        english: bool,
        noise: bool,
    ) -> tuple[list[ItemCoverage], list[tuple[Misconception, Segment | None]], ExampleCalls | None]:
        """Each point's coverage, the misconceptions the answer makes (with their evidence),
        and what the example model made of the teacher's graded answers (None where it read
        none). `english`: the answer is in a language the encoder reads; `noise`: random
        letters."""
        rubric = analysis.index.rubric
        n_points = analysis.index.n_points
        recalibrate, redeny, examples = self._recalibration(calibration, analysis)
        partial_credit = rubric.scoring.partial_credit
        judged = (
            judge_points(
                analysis.alignments, self.point_model, self.config, partial_credit,
                recalibrate, redeny, examples,
            )
            if self.point_model is not None
            else judge(
                analysis.alignments, self.calibrator, self.config, partial_credit,
                self.contradiction, recalibrate,
            )
        )  # fmt: skip
        point_cov, misc_cov = judged[:n_points], judged[n_points:]
        made = [
            (m, a.evidence)
            for m, c, a in zip(
                rubric.misconceptions, misc_cov, analysis.alignments[n_points:], strict=True
            )
            if misconception_made(a, c, self.config)
        ]
        point_alignments = analysis.alignments[:n_points]
        point_cov = [
            overruled(c, a.evidence, [e for _, e in made])
            for c, a in zip(point_cov, point_alignments, strict=True)
        ]
        # A list of terms is told by English function words: an answer in another language
        # is none.
        listed = english and is_keyword_list(analysis.answer, self.config, rubric.question)
        salad = word_salad(point_alignments, self.config)
        point_cov = [
            as_listed(c, partial_credit) if listed or s else c
            for c, s in zip(point_cov, salad, strict=True)
        ]
        # Evidence of random letters, in an answer of them, earns nothing, whatever a scorer
        # makes of it: a pair judge fitted on science answers gives random letters a third of
        # P(covered). (A short evidence of jargon alone may read as unknown words, hence the
        # whole answer too; numbers and symbols are never taken for noise.)
        if noise:
            point_cov = [
                ItemCoverage(c.probability, "missing", 0.0)
                if a.evidence is not None and is_letter_noise(a.evidence.text, self.config)
                else c
                for c, a in zip(point_cov, point_alignments, strict=True)
            ]
        return point_cov, made, examples

    def _model_info(self, examples: ExampleCalls | None, scored: bool) -> ModelInfo:
        """The encoder, the judge and every scorer that set this result."""
        scorers = [self.scorer_version]
        if examples is not None and examples.found.any() and self.example_model:
            scorers.append(self.example_model.version)
        if scored and self.score_model:
            scorers.append(self.score_model.version)
        return ModelInfo(
            name=self.encoder.info.name,
            sha256=self.encoder.info.sha256,
            judge=self.judge.info.name if self.judge else None,
            judge_sha256=self.judge.info.sha256 if self.judge else None,
            scorer="+".join(scorers),
        )

    def result(self, analysis: Analysis, answer_id: str | None) -> AssessmentResult:
        """Turn an analysis into the scored, flagged, explained result."""
        rubric = analysis.index.rubric
        empty = is_empty(analysis.answer)
        calibration = self.calibrations.get((rubric.id, rubric.version))
        # An answer in a language the encoder does not read: its words are not English, so it
        # is neither a list of terms nor random letters; a person grades it.
        language = unsupported_language(analysis.answer, self.config)
        noise = language is None and is_letter_noise(analysis.answer, self.config)
        point_cov, made, examples = self._coverages(analysis, calibration, language is None, noise)
        points = point_results(rubric, point_cov, analysis.alignments[: analysis.index.n_points])
        score = overall_score(
            point_cov,
            [p.weight for p in rubric.points],
            [m.weight for m, _ in made],
            rubric.scoring.max_score,
        )
        flags = detect_flags(
            analysis.answer,
            rubric,
            analysis.topical(self.config),
            any(c.credit > 0 for c in point_cov),
            self.config,
            analysis.off_topic_share(self.config),
            language,
        )
        # Random letters earn nothing: the teacher's scores are never read for them (an answer
        # of numbers or symbols, flagged gibberish for review, may be right). Shuffled
        # words, a list of terms, a copied question or an answer off the topic may game the
        # teacher's scores as they would the points (shuffled words sit as close to
        # well-scored answers as the answer they shuffle), but the detectors of each also
        # fire on real answers that tutors scored well (`scripts/saf_graded_cv.py --flags`:
        # on SAF train, answers flagged off topic averaged 0.67 of the marks, the engine's
        # points 0.00), so their teacher's scores are read and a person is asked to look.
        scored = None if empty or noise else self.scored_share(calibration, analysis)
        if scored is not None:
            score = round(scored * rubric.scoring.max_score, 2)
        suspect = scored is not None and (
            bool(SUSPECT_FLAGS & set(flags)) or salad_on_closest(analysis, self.config)
        )
        sure = 1.0 if empty else confidence(point_cov)
        if language is not None:
            sure = min(sure, self.config.unread_confidence)
        review_below = (
            calibration.review_below
            if calibration and calibration.review_below is not None
            else self.config.review_below
        )
        return AssessmentResult(
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            answer_id=answer_id,
            score=score,
            max_score=rubric.scoring.max_score,
            confidence=sure,
            needs_review=sure < review_below or bool(REVIEW_FLAGS & set(flags)) or suspect,
            points=points,
            flags=flags,
            feedback=write_feedback(
                points,
                flags,
                score,
                rubric.scoring.max_score,
                [m.label or m.text for m, _ in made],
                scored is not None,
            ),
            model=self._model_info(examples, scored is not None),
        )

    def analyse_many(self, requests: Sequence[AnswerRequest]) -> list[Analysis | AssessError]:
        """Analyse a batch and, with a pair judge, have it read every item's evidence: one
        judge call for the whole batch, as for the encoder."""
        analyses = self.analyser.analyse_many(requests)
        if self.judge is None:
            return analyses
        return judge_evidence(self.judge, self.config, analyses)

    def assess_many(
        self, requests: Sequence[AnswerRequest]
    ) -> list[AssessmentResult | AssessError]:
        """Assess a batch; an answer the engine refuses becomes its error, the rest go on."""
        return [
            item if isinstance(item, AssessError) else self.result(item, request.answer_id)
            for request, item in zip(requests, self.analyse_many(requests), strict=True)
        ]

    def assess(self, rubric: Rubric, answer: str, answer_id: str | None = None) -> AssessmentResult:
        """Assess one answer; raises the engine's error when the answer is refused."""
        (outcome,) = self.assess_many([AnswerRequest(rubric, answer, answer_id)])
        if isinstance(outcome, AssessError):
            raise outcome
        return outcome
