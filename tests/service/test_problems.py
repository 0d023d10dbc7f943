"""Errors: one table maps every error class to a status; every error is problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError

import assess.errors
import models.errors
import rubrics.errors
import service.errors
from assess import USER_ERRORS
from service.problems import ERROR_STATUS, status_for
from tests.service.conftest import COMPLEMENT, Api


def error_classes() -> set[type[Exception]]:
    """Every exception class the service's layers define, and the CLI's USER_ERRORS."""
    found: set[type[Exception]] = set(USER_ERRORS) | {RequestValidationError}
    for module in (service.errors, assess.errors, rubrics.errors, models.errors):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Exception):
                found.add(value)
    return found


@pytest.mark.parametrize("cls", sorted(error_classes(), key=lambda c: c.__qualname__))
def test_every_error_class_has_its_own_status(cls: type[Exception]) -> None:
    assert cls in ERROR_STATUS, f"add {cls.__qualname__} to service.problems.ERROR_STATUS"


def test_statuses_follow_the_class_tree() -> None:
    assert status_for(service.errors.RateLimitedError("x", 1)) == 429
    assert status_for(rubrics.errors.RubricNotFoundError("x")) == 404
    assert status_for(KeyError("a bug")) == 500


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/v1/nowhere", None, 404),
        ("DELETE", "/v1/assessments", None, 405),
        ("POST", "/v1/assessments", b"{not json", 422),
        ("GET", "/v1/assessments?limit=0", None, 422),
        ("GET", "/v1/batches/nope", None, 404),
    ],
)
def test_errors_are_problem_json(
    api: Api, method: str, path: str, body: bytes | None, status: int
) -> None:
    headers = {**api.a, "content-type": "application/json"}
    answer = api.client.request(method, path, content=body, headers=headers)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = answer.json()
    assert problem["status"] == status
    assert {"type", "title", "detail"} <= set(problem)


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(make_api: Any) -> None:
    api = make_api(rate_limit_per_minute=3)
    codes = [api.client.get("/v1/rubrics", headers=api.a).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.client.get("/v1/rubrics", headers=api.a)
    assert int(limited.headers["retry-after"]) >= 1
    assert api.client.get("/v1/rubrics", headers=api.b).status_code == 200  # others go on


def test_validation_problems_do_not_echo_the_answer(api: Api) -> None:
    body = {"rubric_id": COMPLEMENT, "answer": "my secret essay", "bogus": 1}
    answer = api.client.post("/v1/assessments", json=body, headers=api.a)
    assert answer.status_code == 422
    assert "my secret essay" not in answer.text
