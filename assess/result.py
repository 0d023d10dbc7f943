"""The engine's output: one JSON object per answer, with the field names the issue fixes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PointStatus = Literal["covered", "partial", "missing", "contradicted"]
Flag = Literal[
    "empty",
    "too_short",
    "off_topic",
    "copies_question",
    "copies_model_answer",
    "gibberish",
    "keyword_list",
    "padded",
    "language_unsupported",
]


class Evidence(BaseModel):
    """The span of the answer that best covers a point; offsets index the answer as given."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class PointResult(BaseModel):
    """How well one rubric point is covered, and where."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    coverage: float = Field(ge=0, le=1)
    status: PointStatus
    evidence: Evidence | None


class ModelInfo(BaseModel):
    """The encoder (and the pair judge, where one read the answer) that produced a result."""

    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str
    judge: str | None = None
    judge_sha256: str | None = None
    # The version of what turned the features into statuses: the point model or calibrator,
    # with "+" the example model's where it read the rubric's graded answers.
    scorer: str | None = None


class AssessmentResult(BaseModel):
    """Everything assess says about one answer."""

    model_config = ConfigDict(frozen=True)

    rubric_id: str
    rubric_version: str
    answer_id: str | None
    score: float
    max_score: float
    confidence: float = Field(ge=0, le=1)
    needs_review: bool
    points: list[PointResult]
    flags: list[Flag]
    feedback: str
    model: ModelInfo
