"""The assessment engine: segment, align, score, flag and explain answers against rubrics."""

from assess.analyse import Analyser, Analysis, AnswerRequest
from assess.batch import BatchSummary, grade_file
from assess.batch_input import InputRow, read_rows
from assess.batch_output import ResultWriter
from assess.config import GraderConfig
from assess.errors import (
    USER_ERRORS,
    AnswerTooLongError,
    AssessError,
    InputFileError,
    OutputFileError,
)
from assess.grader import Grader
from assess.result import AssessmentResult, Evidence, ModelInfo, PointResult

__all__ = [
    "Analyser",
    "Analysis",
    "AnswerRequest",
    "AnswerTooLongError",
    "AssessError",
    "AssessmentResult",
    "BatchSummary",
    "Evidence",
    "Grader",
    "GraderConfig",
    "InputFileError",
    "InputRow",
    "ModelInfo",
    "OutputFileError",
    "PointResult",
    "ResultWriter",
    "USER_ERRORS",
    "grade_file",
    "read_rows",
]
