"""`/v1/rubrics` against the real app: documents, drafts, versions, library, import/export."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.service.conftest import COMPLEMENT, Api

SWEAT: dict[str, Any] = {
    "id": "bio/sweat",
    "question": "Why do we sweat?",
    "model_answers": ["Sweat evaporates from the skin, which cools the body."],
    "points": [
        {"id": "evaporates", "label": "evaporation", "text": "Sweat evaporates from the skin."},
        {"id": "cools", "label": "cooling", "text": "Evaporation cools the body down."},
    ],
    "scoring": {"max_score": 2},
}


def test_library_rubrics_are_listed_for_every_tenant(api: Api) -> None:
    for headers in (api.a, api.b):
        listed = api.client.get("/v1/rubrics", headers=headers).json()
        assert {r["id"] for r in listed if r["source"] == "library"} >= {COMPLEMENT}


def test_create_from_document_then_get_it(api: Api) -> None:
    created = api.client.post("/v1/rubrics", json=SWEAT, headers=api.a)
    assert created.status_code == 201
    assert created.headers["location"] == "/v1/rubrics/bio/sweat"
    got = api.client.get("/v1/rubrics/bio/sweat", headers=api.a).json()
    assert got["source"] == "tenant"
    assert [p["id"] for p in got["document"]["points"]] == ["evaporates", "cools"]
    assert got["version"] == created.json()["version"]


def test_build_a_draft_from_question_and_model_answers(api: Api) -> None:
    body = {
        "question": "Why do we sweat?",
        "model_answers": ["Sweat evaporates from the skin, which cools the body."],
        "id": "draft-sweat",
    }
    created = api.client.post("/v1/rubrics", json=body, headers=api.a)
    assert created.status_code == 201
    assert created.json()["id"] == "draft-sweat"
    assert created.json()["points"] >= 1


def test_update_makes_a_new_version_and_old_results_keep_theirs(api: Api) -> None:
    first = api.client.post("/v1/rubrics", json=SWEAT, headers=api.a).json()
    graded = api.client.post(
        "/v1/assessments",
        json={"rubric_id": "bio/sweat", "answer": "Sweat evaporates and that cools us."},
        headers=api.a,
    ).json()
    edited = {**SWEAT, "scoring": {"max_score": 4}}
    second = api.client.put("/v1/rubrics/bio/sweat", json=edited, headers=api.a)
    assert second.status_code == 200
    assert second.json()["version"] != first["version"]
    again = api.client.get(f"/v1/assessments/{graded['id']}", headers=api.a).json()
    assert again["rubric_version"] == first["version"]


def test_put_with_another_id_than_the_url_is_refused(api: Api) -> None:
    api.client.post("/v1/rubrics", json=SWEAT, headers=api.a)
    answer = api.client.put("/v1/rubrics/bio/sweat", json={**SWEAT, "id": "x"}, headers=api.a)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"


def test_delete_removes_the_rubric(api: Api) -> None:
    api.client.post("/v1/rubrics", json=SWEAT, headers=api.a)
    assert api.client.delete("/v1/rubrics/bio/sweat", headers=api.a).status_code == 204
    assert api.client.get("/v1/rubrics/bio/sweat", headers=api.a).status_code == 404
    assert api.client.post("/v1/rubrics", json=SWEAT, headers=api.a).status_code == 201


def test_creating_an_existing_id_conflicts(api: Api) -> None:
    api.client.post("/v1/rubrics", json=SWEAT, headers=api.a)
    assert api.client.post("/v1/rubrics", json=SWEAT, headers=api.a).status_code == 409
    library_copy = {**SWEAT, "id": COMPLEMENT}
    assert api.client.post("/v1/rubrics", json=library_copy, headers=api.a).status_code == 409


def test_library_rubrics_are_read_only(api: Api) -> None:
    assert api.client.delete(f"/v1/rubrics/{COMPLEMENT}", headers=api.a).status_code == 403
    put = api.client.put(f"/v1/rubrics/{COMPLEMENT}", json=SWEAT | {"id": ""}, headers=api.a)
    assert put.status_code == 403


def test_an_invalid_document_names_the_field(api: Api) -> None:
    bad = {**SWEAT, "points": [{**SWEAT["points"][0], "weight": 0}]}
    answer = api.client.post("/v1/rubrics", json=bad, headers=api.a)
    assert answer.status_code == 422
    assert "points[0].weight: must be > 0" in answer.json()["detail"]


def test_too_many_points_is_a_limit(make_api: Any) -> None:
    api = make_api(max_rubric_points=1)
    answer = api.client.post("/v1/rubrics", json=SWEAT, headers=api.a)
    assert answer.status_code == 413
    assert "limit is 1" in answer.json()["detail"]


def test_export_then_import_round_trips(api: Api) -> None:
    exported = api.client.get(f"/v1/rubrics/{COMPLEMENT}?format=yaml", headers=api.a)
    assert exported.headers["content-type"].startswith("application/yaml")
    document = yaml.safe_load(exported.text)
    document["id"] = "mine/complement"
    files = {"file": ("complement.yaml", yaml.safe_dump(document), "application/yaml")}
    imported = api.client.post("/v1/rubrics/import", files=files, headers=api.a)
    assert imported.status_code == 201
    as_json = api.client.get("/v1/rubrics/mine/complement?format=json", headers=api.a).json()
    assert as_json["points"] == document["points"]


def test_importing_broken_yaml_says_so(api: Api) -> None:
    files = {"file": ("bad.yaml", "points: [unclosed", "application/yaml")}
    answer = api.client.post("/v1/rubrics/import", files=files, headers=api.a)
    assert answer.status_code == 422
    assert "bad.yaml: not valid YAML" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"question": "Why?", "model_answers": ["..."]}, "model_answers: no sentence with words"),
        ({"question": "Why?", "model_answers": [" "]}, "give at least one model answer"),
        ({"question": "Why?", "model_answers": ["Ok."], "id": "bad id"}, "id: may use only"),
    ],
)
def test_a_draft_from_unusable_input_is_a_clear_422(
    api: Api, body: dict[str, Any], detail: str
) -> None:
    answer = api.client.post("/v1/rubrics", json=body, headers=api.a)
    assert answer.status_code == 422
    assert detail in answer.json()["detail"]
