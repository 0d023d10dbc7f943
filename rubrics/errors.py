"""Errors raised while reading, validating or building rubrics.

RubricError
 ├── RubricFileError         a file that cannot be read or parsed (YAML/JSON syntax)
 ├── RubricValidationError   a document that breaks the schema; names file and field
 └── RubricNotFoundError     no rubric with the requested id
"""

from __future__ import annotations


class RubricError(Exception):
    """Base class for rubric errors."""


class RubricFileError(RubricError):
    """A rubric file that cannot be read or parsed."""


class RubricValidationError(RubricError):
    """A rubric document that does not match the schema.

    `problems` holds one `field: message` line per error so callers can show them all.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {problem}" for problem in problems]
        super().__init__("\n".join(lines))


class RubricNotFoundError(RubricError):
    """No rubric with the requested id."""
