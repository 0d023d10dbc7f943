"""`/v1/assessments`: the engine's JSON, stored and read back, paged, with clear limits."""

from __future__ import annotations

from typing import Any

import pytest

from assess import Grader
from rubrics import Rubric
from tests.service.conftest import COMPLEMENT, Api

TRUST = "It helps the two sides build trust in each other."


def assess(api: Api, headers: dict[str, str], **fields: Any) -> Any:
    body = {"rubric_id": COMPLEMENT, "answer": TRUST, **fields}
    return api.client.post("/v1/assessments", json=body, headers=headers)


def test_returns_the_engine_result_with_the_cli_field_names(
    api: Api, grader: Grader, complement: Rubric
) -> None:
    answer = assess(api, api.a, answer_id="s02", learner_id="learner-7")
    assert answer.status_code == 201
    body = answer.json()
    engine = grader.assess(complement, TRUST, "s02").model_dump(mode="json")
    assert {k: body[k] for k in engine} == engine
    assert body["learner_id"] == "learner-7"
    assert answer.headers["location"] == f"/v1/assessments/{body['id']}"


def test_get_returns_the_stored_result(api: Api) -> None:
    created = assess(api, api.a).json()
    assert api.client.get(f"/v1/assessments/{created['id']}", headers=api.a).json() == created


def test_list_by_rubric_pages_oldest_first(api: Api) -> None:
    ids = [assess(api, api.a, answer_id=f"s{n}").json()["id"] for n in range(3)]
    first = api.client.get(
        "/v1/assessments", params={"rubric_id": COMPLEMENT, "limit": 2}, headers=api.a
    ).json()
    second = api.client.get(
        "/v1/assessments", params={"rubric_id": COMPLEMENT, "limit": 2, "offset": 2}, headers=api.a
    ).json()
    assert first["total"] == 3
    assert sorted([i["id"] for i in first["items"] + second["items"]]) == sorted(ids)
    other = api.client.get("/v1/assessments", params={"rubric_id": "track-ii/challenges"},
                           headers=api.a).json()  # fmt: skip
    assert other["total"] == 0


def test_an_answer_over_the_limit_is_413(make_api: Any) -> None:
    api = make_api(max_answer_chars=30)
    answer = assess(api, api.a, answer="word " * 20)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"rubric_id": "no/such", "answer": "x"}, 404),
        ({"answer": "x"}, 422),
        ({"rubric_id": COMPLEMENT, "answer": 5}, 422),
        ({"rubric_id": COMPLEMENT, "answer": "x", "extra": 1}, 422),
    ],
)
def test_bad_requests_are_problems(api: Api, body: dict[str, Any], status: int) -> None:
    answer = api.client.post("/v1/assessments", json=body, headers=api.a)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == status


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer ak_wrong"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
)
def test_missing_or_unknown_key_is_401(api: Api, headers: dict[str, str]) -> None:
    answer = api.client.post(
        "/v1/assessments", json={"rubric_id": COMPLEMENT, "answer": TRUST}, headers=headers
    )
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
