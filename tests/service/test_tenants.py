"""One tenant never sees, lists or changes another tenant's rubrics, results or batches."""

from __future__ import annotations

import time

from tests.service.conftest import COMPLEMENT, Api
from tests.service.test_api_rubrics import SWEAT


def test_a_rubric_belongs_to_its_tenant(api: Api) -> None:
    api.client.post("/v1/rubrics", json=SWEAT, headers=api.a)
    assert api.client.get("/v1/rubrics/bio/sweat", headers=api.b).status_code == 404
    assert api.client.put("/v1/rubrics/bio/sweat", json=SWEAT, headers=api.b).status_code == 404
    assert api.client.delete("/v1/rubrics/bio/sweat", headers=api.b).status_code == 404
    listed = api.client.get("/v1/rubrics", headers=api.b).json()
    assert "bio/sweat" not in {r["id"] for r in listed}
    body = {"rubric_id": "bio/sweat", "answer": "Sweat evaporates."}
    assert api.client.post("/v1/assessments", json=body, headers=api.b).status_code == 404


def test_both_tenants_may_use_the_same_rubric_id(api: Api) -> None:
    assert api.client.post("/v1/rubrics", json=SWEAT, headers=api.a).status_code == 201
    assert api.client.post("/v1/rubrics", json=SWEAT, headers=api.b).status_code == 201


def test_an_assessment_belongs_to_its_tenant(api: Api) -> None:
    body = {"rubric_id": COMPLEMENT, "answer": "It builds trust."}
    created = api.client.post("/v1/assessments", json=body, headers=api.a).json()
    assert api.client.get(f"/v1/assessments/{created['id']}", headers=api.b).status_code == 404
    listed = api.client.get("/v1/assessments", headers=api.b).json()
    assert listed["total"] == 0


def test_a_batch_belongs_to_its_tenant(api: Api) -> None:
    body = {"rubric_id": COMPLEMENT, "answers": [{"answer_id": "1", "answer": "Trust."}]}
    batch = api.client.post("/v1/batches", json=body, headers=api.a).json()
    for path in ("", "/results", "/results?format=csv", "/report"):
        assert api.client.get(f"/v1/batches/{batch['id']}{path}", headers=api.b).status_code == 404
    deadline = time.monotonic() + 30
    while api.client.get(f"/v1/batches/{batch['id']}", headers=api.a).json()["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.1)
