"""The errors the engine raises, and the lower layers' errors it lets through.

    Exception
     ├── AssessError                    (this module) the engine refused an input
     │    ├── AnswerTooLongError        an answer over the configured limit; never cut silently
     │    ├── InputFileError            a batch file that cannot be read (format, encoding, columns)
     │    ├── OutputFileError           an output file that cannot be written or resumed
     │    └── CalibrationError          teacher grades that cannot calibrate a rubric
     ├── rubrics.RubricError            a rubric that cannot be read, validated or found
     │    ├── RubricFileError
     │    ├── RubricValidationError
     │    └── RubricNotFoundError
     └── models.ModelError              an encoder or artefact that cannot be loaded
          └── ModelLoadError

`USER_ERRORS` is the tuple the edges (CLI, HTTP) catch and turn into a message or a problem
response; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from models import ModelError
from rubrics import RubricError


class AssessError(Exception):
    """Base class for inputs the engine refuses."""


class AnswerTooLongError(AssessError):
    """An answer longer than the configured limit."""


class InputFileError(AssessError):
    """A batch input file that cannot be read."""


class OutputFileError(AssessError):
    """A batch output file that cannot be written or resumed."""


class CalibrationError(AssessError):
    """Teacher-graded answers that cannot calibrate a rubric."""


USER_ERRORS: tuple[type[Exception], ...] = (AssessError, RubricError, ModelError)
