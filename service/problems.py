"""RFC 9457 problem responses: one table from error class to status, one handler for all."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assess import AnswerTooLongError, AssessError, InputFileError, OutputFileError
from assess.errors import CalibrationError
from models import ModelError, ModelLoadError
from rubrics import RubricError, RubricFileError, RubricNotFoundError, RubricValidationError
from service.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    IdempotencyInFlightError,
    IdempotencyKeyReusedError,
    LimitExceededError,
    NotFoundError,
    NotReadyError,
    RateLimitedError,
    ServiceError,
    UnsupportedMediaError,
)

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("assess.service")

# Every error class the service can meet, with its status. The lookup walks the class's MRO,
# but a test insists each known class is listed itself, so a new one cannot slip through.
ERROR_STATUS: dict[type[Exception], int] = {
    ServiceError: 400,
    AuthenticationError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    IdempotencyInFlightError: 409,
    IdempotencyKeyReusedError: 422,
    BadRequestError: 400,
    UnsupportedMediaError: 415,
    LimitExceededError: 413,
    RateLimitedError: 429,
    NotReadyError: 503,
    AssessError: 422,
    AnswerTooLongError: 413,
    InputFileError: 422,
    CalibrationError: 422,
    OutputFileError: 500,  # the service writes only its own temporary files: our fault
    RubricError: 422,
    RubricFileError: 422,
    RubricValidationError: 422,
    RubricNotFoundError: 404,
    ModelError: 503,
    ModelLoadError: 503,
    RequestValidationError: 422,
}


def status_for(exc: Exception) -> int:
    """The status of an error: its own entry, or its nearest mapped base class."""
    for cls in type(exc).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """An `application/problem+json` response."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # `input` is left out: it may hold an answer, and a problem should not echo it back.
    return [
        {"loc": list(error.get("loc", ())), "msg": str(error.get("msg", ""))}
        for error in exc.errors()
    ]


def _validation_detail(errors: list[dict[str, Any]]) -> str:
    parts = [".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in errors[:5]]
    return "invalid request: " + "; ".join(parts)


async def handle_error(request: Request, exc: Exception) -> JSONResponse:
    """Turn any exception into a problem response; an unknown one is logged as a bug."""
    if isinstance(exc, HTTPException):
        return problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))
    if isinstance(exc, RequestValidationError):
        errors = _validation_errors(exc)
        return problem(422, _validation_detail(errors), errors=errors)
    status = status_for(exc)
    headers = None
    if isinstance(exc, RateLimitedError):
        headers = {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, AuthenticationError):
        headers = {"WWW-Authenticate": "Bearer"}
    if status >= 500:
        log.error("unhandled error", exc_info=exc, extra={"error": type(exc).__name__})
        detail = "internal error; the incident is logged" if status == 500 else str(exc)
        return problem(status, detail, headers=headers)
    return problem(status, str(exc), headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through `handle_error`."""
    # Starlette hands a handler for `Exception` to its outermost middleware, which re-raises
    # after answering; known classes are registered one by one so they are simply answered.
    known: list[type[Exception]] = [HTTPException, *ERROR_STATUS]
    for cls in known:
        app.add_exception_handler(cls, handle_error)
    app.add_exception_handler(Exception, handle_error)
