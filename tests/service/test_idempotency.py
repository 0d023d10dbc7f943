"""`Idempotency-Key`: a retried POST replays the first answer and never grades twice."""

from __future__ import annotations

import pytest

from tests.service.conftest import COMPLEMENT, Api

BODY = {"rubric_id": COMPLEMENT, "answer": "It builds trust.", "answer_id": "s1"}


def test_the_same_key_and_body_replays_the_first_response(api: Api) -> None:
    headers = {**api.a, "Idempotency-Key": "retry-1"}
    first = api.client.post("/v1/assessments", json=BODY, headers=headers)
    second = api.client.post("/v1/assessments", json=BODY, headers=headers)
    assert second.status_code == first.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    assert api.client.get("/v1/assessments", headers=api.a).json()["total"] == 1


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    headers = {**api.a, "Idempotency-Key": "retry-2"}
    api.client.post("/v1/assessments", json=BODY, headers=headers)
    other = api.client.post("/v1/assessments", json={**BODY, "answer_id": "s2"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert "different request" in other.json()["detail"]


def test_keys_are_per_tenant(api: Api) -> None:
    api.client.post("/v1/assessments", json=BODY, headers={**api.a, "Idempotency-Key": "k"})
    theirs = api.client.post(
        "/v1/assessments", json=BODY, headers={**api.b, "Idempotency-Key": "k"}
    )
    assert theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers


def test_a_batch_retried_with_its_key_is_created_once(api: Api) -> None:
    body = {"rubric_id": COMPLEMENT, "answers": [{"answer_id": "1", "answer": "Trust."}]}
    headers = {**api.a, "Idempotency-Key": "batch-1"}
    first = api.client.post("/v1/batches", json=body, headers=headers).json()
    second = api.client.post("/v1/batches", json=body, headers=headers).json()
    assert first["id"] == second["id"]


def test_a_refused_request_is_replayed_as_refused(api: Api) -> None:
    headers = {**api.a, "Idempotency-Key": "bad-1"}
    body = {"rubric_id": "no/such", "answer": "x"}
    assert api.client.post("/v1/assessments", json=body, headers=headers).status_code == 404
    assert api.client.post("/v1/assessments", json=body, headers=headers).status_code == 404


def test_an_expired_key_counts_as_new_and_old_records_are_swept(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from sqlalchemy import select, update

    from service import idempotency
    from service.orm import IdempotencyRecord, utcnow

    monkeypatch.setattr(idempotency, "SWEEP_EVERY_SECONDS", 0.0)
    state = api.app.state.assess
    first = api.client.post(
        "/v1/assessments", json=BODY, headers={**api.a, "Idempotency-Key": "old-1"}
    )
    other = {**BODY, "answer_id": "s9"}
    api.client.post("/v1/assessments", json=other, headers={**api.a, "Idempotency-Key": "old-2"})
    stale = utcnow() - timedelta(hours=state.settings.idempotency_ttl_hours + 1)
    with state.sessions.begin() as session:
        session.execute(update(IdempotencyRecord).values(created_at=stale))
    again = api.client.post(
        "/v1/assessments", json=BODY, headers={**api.a, "Idempotency-Key": "old-1"}
    )
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    with state.sessions() as session:
        kept = session.scalars(select(IdempotencyRecord.key)).all()
    assert kept == ["old-1"]  # old-2 swept; old-1 claimed afresh by the new request
