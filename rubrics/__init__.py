"""Rubric documents: schema, files, the shipped library, and drafting rubrics from model answers."""

from rubrics.build import build_rubric, propositions
from rubrics.errors import (
    RubricError,
    RubricFileError,
    RubricNotFoundError,
    RubricValidationError,
)
from rubrics.io import (
    dump_rubric,
    find_rubric_files,
    get_rubric,
    library_path,
    load_rubric,
    load_rubrics,
    parse_rubric,
    parse_rubric_text,
    save_rubric,
)
from rubrics.schema import SCHEMA_V1, Misconception, Rubric, RubricPoint, Scoring
from rubrics.segment import Segment, normalise_text, segment_answer

__all__ = [
    "Misconception",
    "Rubric",
    "RubricError",
    "RubricFileError",
    "RubricNotFoundError",
    "RubricPoint",
    "RubricValidationError",
    "SCHEMA_V1",
    "Scoring",
    "Segment",
    "build_rubric",
    "dump_rubric",
    "find_rubric_files",
    "get_rubric",
    "library_path",
    "load_rubric",
    "load_rubrics",
    "normalise_text",
    "parse_rubric",
    "parse_rubric_text",
    "propositions",
    "save_rubric",
    "segment_answer",
]
