"""The HTTP contract: request and response schemas, kept apart from the engine's types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

ShortText = str  # lengths are checked by the engine's rubric schema, which names the field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PointIn(_In):
    """A rubric point as sent to the API."""

    id: str = Field(max_length=100)
    label: str = Field(max_length=120)
    text: str = Field(max_length=5000)
    exemplars: list[str] = Field(default_factory=list, max_length=50)
    weight: float = 1.0


class MisconceptionIn(_In):
    """A misconception as sent to the API."""

    id: str = Field(max_length=100)
    text: str = Field(max_length=5000)
    label: str | None = Field(default=None, max_length=120)
    exemplars: list[str] = Field(default_factory=list, max_length=50)
    weight: float = 1.0


class ScoringIn(_In):
    """How coverage becomes a score."""

    max_score: float = 1.0
    partial_credit: bool = True


class RubricCreate(_In):
    """A rubric document (`schema: assess.rubric/v1`), as in a rubric file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: str = Field(default="assess.rubric/v1", alias="schema")
    id: str = Field(max_length=200)
    question: str = Field(max_length=5000)
    model_answers: list[str] = Field(default_factory=list, max_length=50)
    points: list[PointIn] = Field(min_length=1, max_length=1000)
    misconceptions: list[MisconceptionIn] = Field(default_factory=list, max_length=1000)
    scoring: ScoringIn = Field(default_factory=ScoringIn)

    def document(self) -> dict[str, Any]:
        """The document for the engine's validator."""
        return self.model_dump(by_alias=True, exclude_unset=False)


class RubricUpdate(RubricCreate):
    """A new version of a rubric; `id`, when given, must match the URL."""

    id: str = Field(default="", max_length=200)


class RubricDraftCreate(_In):
    """Build a draft rubric from a question and model answers (then edit it)."""

    question: str = Field(min_length=1, max_length=5000)
    model_answers: list[str] = Field(min_length=1, max_length=20)
    id: str | None = Field(default=None, max_length=200, description="default: draft-<random>")


class RubricSummary(BaseModel):
    """A rubric in a list."""

    id: str
    version: str
    source: Literal["library", "tenant"]
    question: str
    points: int


class RubricPublic(RubricSummary):
    """A rubric with its whole document."""

    created_at: datetime | None
    document: dict[str, Any]


class AssessmentCreate(_In):
    """One answer to assess synchronously."""

    rubric_id: str = Field(min_length=1, max_length=200)
    answer: str = Field(max_length=1_000_000, description="limit: ASSESS_MAX_ANSWER_CHARS")
    answer_id: str | None = Field(default=None, max_length=200)
    learner_id: str | None = Field(default=None, max_length=200)


class EvidencePublic(BaseModel):
    """The span of the answer that covers a point."""

    text: str
    start: int
    end: int


class PointPublic(BaseModel):
    """One point's coverage."""

    id: str
    label: str
    coverage: float
    status: str
    evidence: EvidencePublic | None


class ModelPublic(BaseModel):
    """The encoder that graded, the scorer's version (with `+` the example model's where it
    read the rubric's graded answers), and the pair judge, where one read the answer."""

    name: str
    sha256: str
    judge: str | None = None
    judge_sha256: str | None = None
    scorer: str | None = None


class AssessmentPublic(BaseModel):
    """The engine's result (the CLI's field names) with its id, learner and time."""

    id: str
    created_at: datetime
    learner_id: str | None
    rubric_id: str
    rubric_version: str
    answer_id: str | None
    score: float
    max_score: float
    confidence: float
    needs_review: bool
    points: list[PointPublic]
    flags: list[str]
    feedback: str
    model: ModelPublic


class AssessmentPage(BaseModel):
    """A page of assessments, oldest first."""

    items: list[AssessmentPublic]
    total: int
    limit: int
    offset: int


class BatchAnswer(_In):
    """One row of a JSON batch."""

    answer_id: str = Field(min_length=1, max_length=200)
    answer: str = Field(max_length=1_000_000)
    rubric_id: str | None = Field(default=None, max_length=200)


class BatchCreate(_In):
    """A batch as JSON: rows, a default rubric for rows without one, an optional webhook."""

    rubric_id: str | None = Field(default=None, max_length=200)
    answers: list[BatchAnswer] = Field(min_length=1)
    callback_url: AnyHttpUrl | None = None


class BatchPublic(BaseModel):
    """A batch job's progress."""

    id: str
    status: Literal["queued", "running", "done"]
    total: int
    done: int
    errors: int
    callback_url: str | None
    webhook_status: str | None
    created_at: datetime
    finished_at: datetime | None


class BatchRowError(BaseModel):
    """A row that could not be graded."""

    answer_id: str
    rubric_id: str
    line: int
    error: str


class PointShare(BaseModel):
    """How much of the class covered one point."""

    rubric_id: str
    point_id: str
    label: str
    covered: float
    partial: float


class BatchReport(BaseModel):
    """The class report: per-point shares over the graded answers of a batch."""

    batch_id: str
    graded: int
    mean_score: float | None
    points: list[PointShare]


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    checks: dict[str, str] = Field(default_factory=dict)


class GradedAnswerIn(_In):
    """One answer with the teacher's grade: the score, and optionally per-point 0/1 grades."""

    answer_id: str | None = Field(default=None, max_length=200)
    answer: str = Field(max_length=1_000_000, description="limit: ASSESS_MAX_ANSWER_CHARS")
    score: float = Field(ge=0, allow_inf_nan=False, description="0 to the rubric's max_score")
    points: dict[str, Annotated[int, Field(ge=-1, le=1)]] = Field(
        default_factory=dict,
        description="point id -> 1 (covered), 0 (missing) or -1 (the answer contradicts it)",
    )


class CalibrationCreate(_In):
    """Teacher-graded answers to calibrate a rubric's current version on (20 or more)."""

    answers: list[GradedAnswerIn] = Field(min_length=1)


class CalibrationFit(BaseModel):
    """The fitted calibration: Platt scaling of P(covered), the review threshold, and how
    many scores given whole the score model reads."""

    rubric_id: str
    rubric_version: str
    slope: float
    intercept: float
    n_answers: int
    review_below: float | None
    scored_whole: int = Field(
        default=0,
        description="graded answers scored whole (no grade per point) whose scores the score "
        "model reads: a new answer's score then follows how the teacher scored its closest "
        "graded answers, while its points say what it states",
    )
    scorer: str | None = Field(
        default=None,
        description="the scorer whose probabilities the Platt scaling was fitted on (as "
        "`model.scorer` names it); absent for calibrations stored before it was kept",
    )
    current: bool | None = Field(
        default=None,
        description="whether the engine still runs that scorer; false after an upgrade to "
        "another: the scaling no longer fits its probabilities, so calibrate again with the "
        "same grades (the graded answers themselves are read afresh); absent where not known",
    )


class AgreementFigure(BaseModel):
    """An agreement figure with its bootstrap 95% interval (none in reports stored before
    per-point agreement had one)."""

    value: float
    low: float | None = None
    high: float | None = None


class PointAgreement(AgreementFigure):
    """Agreement on one point's covered-or-not call, over the `n` answers graded on it, and
    its Cohen's kappa (beyond chance; absent from reports stored before it was)."""

    n: int
    before: float
    kappa: float | None = None


class Disagreement(BaseModel):
    """An answer where the teacher and the calibrated engine differ most."""

    answer_id: str
    teacher: float
    engine: float
    answer: str


class AutoGradingRow(BaseModel):
    """From this confidence up: the share of answers graded without review, their agreement."""

    threshold: float
    share: float
    agreement: float


class AgreementReportPublic(BaseModel):
    """The engine against the teacher on the graded answers (in-sample)."""

    n: int
    figures: dict[str, AgreementFigure]
    before: dict[str, float]
    disagreements: list[Disagreement]
    warnings: list[str]
    auto_grading: list[AutoGradingRow]
    review_below: float
    # Per point the teacher graded (empty where none was, or in reports stored before).
    points: dict[str, PointAgreement] = {}


class CalibrationPublic(BaseModel):
    """A stored calibration of one rubric version, with its agreement report."""

    rubric_id: str
    rubric_version: str
    n_answers: int
    created_at: datetime
    calibration: CalibrationFit
    report: AgreementReportPublic
