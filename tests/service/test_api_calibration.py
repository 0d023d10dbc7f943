"""`/v1/rubrics/{id}/calibration`: teacher grades in (JSON or CSV), a calibration and its
agreement report out, applied to that tenant's later assessments of that rubric version only."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest

from assess import Grader
from rubrics import Rubric, parse_rubric
from tests.service.conftest import COMPLEMENT, Api
from tests.service.test_pages import sign_in

URL = f"/v1/rubrics/{COMPLEMENT}/calibration"
FULL = (
    "Informal talks let people speak freely without the pressure of formal negotiations. "
    "They build trust, and their ideas feed into official diplomacy."
)
GRADED = [
    ("It helps the two sides build trust in each other.", 1.0),
    (FULL, 3.0),
    ("Photosynthesis turns sunlight into sugar.", 0.0),
    ("It replaces official negotiations.", 0.0),
    ("Unofficial meetings give a relaxed space to talk openly.", 1.0),
    ("Ideas from the meetings are passed to official negotiators and improve the talks.", 1.0),
]


def graded(scores: list[float] | None = None) -> list[dict[str, Any]]:
    """The six answers, with the teacher's scores (or the ones given)."""
    chosen = scores or [s for _, s in GRADED]
    return [
        {"answer_id": f"s{n}", "answer": answer, "score": score}
        for n, ((answer, _), score) in enumerate(zip(GRADED, chosen, strict=True))
    ]


def stingy(api: Api, headers: dict[str, str], url: str = URL) -> Any:
    """A teacher who gives nothing: the score model then scores every answer nothing."""
    answer = api.client.post(url, json={"answers": graded([0.0] * len(GRADED))}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def assess(api: Api, headers: dict[str, str], rubric_id: str = COMPLEMENT) -> dict[str, Any]:
    answer = api.client.post(
        "/v1/assessments", json={"rubric_id": rubric_id, "answer": FULL}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def coverages(result: dict[str, Any]) -> list[float]:
    return [p["coverage"] for p in result["points"]]


def test_json_grades_give_a_calibration_and_its_report(api: Api, complement: Rubric) -> None:
    created = api.client.post(URL, json={"answers": graded()}, headers=api.a)
    assert created.status_code == 201
    assert created.headers["location"] == URL
    body = created.json()
    fit, report = body["calibration"], body["report"]
    assert (body["rubric_id"], body["rubric_version"]) == (COMPLEMENT, complement.version)
    assert (fit["rubric_id"], fit["rubric_version"]) == (COMPLEMENT, complement.version)
    assert fit["n_answers"] == body["n_answers"] == report["n"] == 6
    assert set(report["figures"]) == {"qwk", "exact", "adjacent", "pearson_r"}
    for figure in report["figures"].values():
        assert figure["low"] <= figure["value"] <= figure["high"]
    assert report["warnings"] == [
        "only 6 graded answers: calibration below 20 is unreliable"
    ]  # fmt: skip
    assert [row["threshold"] for row in report["auto_grading"]][:2] == [0.5, 0.55]
    assert fit["review_below"] == report["review_below"]
    assert {d["answer_id"] for d in report["disagreements"]} <= {f"s{n}" for n in range(6)}
    assert api.client.get(URL, headers=api.a).json() == body


def test_a_csv_upload_with_point_grades_is_read_like_the_cli(api: Api) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["answer_id", "answer", "score", "point:trust-building"])
    writer.writerows([f"c{n}", a, s, int("trust" in a)] for n, (a, s) in enumerate(GRADED))
    files = {"file": ("graded.csv", text.getvalue().encode(), "text/csv")}
    created = api.client.post(URL, files=files, headers=api.a)
    assert created.status_code == 201, created.text
    report = created.json()["report"]
    assert report["n"] == 6
    pooled = report["figures"]["per_point"]
    assert pooled["low"] <= pooled["value"] <= pooled["high"]
    # Only one point was graded: its own agreement is the pooled one, over all six answers.
    assert list(report["points"]) == ["trust-building"]
    point = report["points"]["trust-building"]
    assert point["n"] == 6 and point["value"] == pooled["value"]
    assert point["before"] == report["before"]["per_point"]
    assert -1 <= point["kappa"] <= 1
    assert report["disagreements"][0]["answer_id"].startswith("c")


def test_the_rubric_page_shows_each_graded_points_agreement(api: Api) -> None:
    csrf = sign_in(api.client, api.key_a)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["answer_id", "answer", "score", "point:trust-building"])
    writer.writerows([f"c{n}", a, s, int("trust" in a)] for n, (a, s) in enumerate(GRADED))
    answer = api.client.post(
        "/teacher/rubric/calibration",
        data={"rubric_id": COMPLEMENT, "csrf": csrf},
        files={"file": ("graded.csv", text.getvalue().encode(), "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    shown = api.client.get(answer.headers["location"]).text
    point = api.client.get(URL, headers=api.a).json()["report"]["points"]["trust-building"]
    assert 'id="point-agreement"' in shown
    assert f"<tr><td>trust-building</td><td>{point['value']:.2f}</td>" in shown
    assert f"{point['low']:.2f} – {point['high']:.2f}" in shown
    assert "<td>informal space for dialogue</td>" not in shown  # not graded: no row


def test_delete_removes_it_and_get_is_then_404(api: Api, grader: Grader) -> None:
    plain = assess(api, api.a)
    stingy(api, api.a)
    stingy(api, api.a)  # a second fit: both go, none comes back into use
    assert api.client.delete(URL, headers=api.a).status_code == 204
    missing = api.client.get(URL, headers=api.a)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "has no calibration" in missing.json()["detail"]
    assert coverages(assess(api, api.a)) == coverages(plain)
    assert api.client.delete(URL, headers=api.a).status_code == 404
    assert not grader.calibrations  # the shared grader never holds a tenant's calibration


def test_a_calibration_changes_its_tenants_assessments_and_no_one_elses(api: Api) -> None:
    before_a, before_b = assess(api, api.a), assess(api, api.b)
    fit = stingy(api, api.a)["calibration"]
    assert fit["scored_whole"] == len(GRADED)
    after_a, after_b = assess(api, api.a), assess(api, api.b)
    # The teacher's scores, given whole, move the score; the points still say what is stated.
    assert before_a["score"] > 1.0 and after_a["score"] == 0.0
    assert after_a["model"]["scorer"].endswith("+scores-v3")
    assert coverages(after_a) == coverages(before_a)
    # review follows the calibration's own threshold, fitted on the teacher's grades
    assert after_a["needs_review"] is (after_a["confidence"] < fit["review_below"])
    assert coverages(after_b) == coverages(before_b)
    assert after_b["score"] == before_b["score"]
    assert api.client.get(URL, headers=api.b).status_code == 404


def test_a_batch_uses_the_tenants_calibration(api: Api) -> None:
    stingy(api, api.a)
    single = assess(api, api.a)
    answers = [{"answer_id": "b1", "answer": FULL}]
    batch = api.client.post(
        "/v1/batches", json={"rubric_id": COMPLEMENT, "answers": answers}, headers=api.a
    ).json()
    deadline = time.monotonic() + 60
    while api.client.get(f"/v1/batches/{batch['id']}", headers=api.a).json()["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    (result,) = api.client.get(f"/v1/batches/{batch['id']}/results", headers=api.a).json()
    assert coverages(result) == coverages(single)
    assert (result["score"], result["needs_review"]) == (single["score"], single["needs_review"])


def test_a_new_rubric_version_is_not_calibrated_by_the_old_ones(
    api: Api, grader: Grader, complement: Rubric
) -> None:
    document = {**complement.to_document(), "id": "course/complement"}
    assert api.client.post("/v1/rubrics", json=document, headers=api.a).status_code == 201
    mine = "/v1/rubrics/course/complement"
    first = assess(api, api.a, "course/complement")
    stingy(api, api.a, f"{mine}/calibration")
    assert assess(api, api.a, "course/complement")["score"] < first["score"]
    edited = {**document, "question": document["question"] + " Explain briefly."}
    saved = api.client.put(mine, json=edited, headers=api.a).json()
    assert saved["version"] != first["rubric_version"]
    second = assess(api, api.a, "course/complement")
    assert second["rubric_version"] == saved["version"]
    engine = grader.assess(parse_rubric(saved["document"]), FULL)
    assert coverages(second) == [p.coverage for p in engine.points]
    assert api.client.get(f"{mine}/calibration", headers=api.a).status_code == 404


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"answers": []}, "answers: List should have at least 1 item"),
        ({"answers": [{"answer": "x", "score": 4}]}, "score 4.0 is outside 0..3"),
        ({"answers": [{"answer": "x", "score": -1}]}, "score: Input should be greater than"),
        ({"answers": [{"answer": "x", "score": 1, "points": {"nope": 1}}]},
         "'nope' names no point of rubric track-ii/complement"),
        ({"answers": [{"answer": "x", "score": 1, "points": {"trust-building": 2}}]},
         "Input should be less than or equal to 1"),
        ({"answers": [{"answer": "x"}]}, "answers.0.score: Field required"),
    ],
)  # fmt: skip
def test_invalid_grades_are_422_problems(api: Api, body: dict[str, Any], detail: str) -> None:
    answer = api.client.post(URL, json=body, headers=api.a)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert detail in answer.json()["detail"]


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("answer,score,point:nope\nx,1,1\n", "['point:nope'] name no point"),
        ("answer,grade\nx,1\n", "needs columns answer and score"),
        ("answer,score\nx,lots\n", "line 2: not a number"),
        ("answer,score\n", "no graded answers for rubric track-ii/complement"),
    ],
)
def test_invalid_csv_uploads_are_422_problems(api: Api, text: str, detail: str) -> None:
    files = {"file": ("graded.csv", text.encode(), "text/csv")}
    answer = api.client.post(URL, files=files, headers=api.a)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert detail in answer.json()["detail"]


def test_an_unknown_rubric_or_body_type_is_refused(api: Api) -> None:
    missing = api.client.post(
        "/v1/rubrics/no/such/calibration", json={"answers": graded()}, headers=api.a
    )
    assert missing.status_code == 404
    plain = api.client.post(URL, content=b"answer,score", headers={**api.a,
                            "content-type": "text/plain"})  # fmt: skip
    assert plain.status_code == 415


def test_twenty_graded_answers_give_no_warning(api: Api) -> None:
    answers = [
        {"answer": a, "score": s, "answer_id": f"{n}-{r}"}
        for r in range(4)
        for n, (a, s) in enumerate(GRADED)
    ][:20]
    created = api.client.post(URL, json={"answers": answers}, headers=api.a)
    assert created.status_code == 201
    assert created.json()["report"]["warnings"] == []
    assert created.json()["report"]["n"] == 20


def graded_csv(rows: list[tuple[str, float]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["answer_id", "answer", "score"])
    writer.writerows([f"p{n}", a, s] for n, (a, s) in enumerate(rows))
    return text.getvalue().encode()


def test_the_rubric_page_uploads_grades_and_shows_the_agreement(api: Api) -> None:
    csrf = sign_in(api.client, api.key_a)
    page = api.client.get("/teacher/rubric", params={"id": COMPLEMENT})
    assert "Not calibrated yet" in page.text
    answer = api.client.post(
        "/teacher/rubric/calibration",
        data={"rubric_id": COMPLEMENT, "csrf": csrf},
        files={"file": ("graded.csv", graded_csv(GRADED), "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/teacher/rubric?id=track-ii/complement#calibration"
    shown = api.client.get(answer.headers["location"]).text
    stored = api.client.get(URL, headers=api.a).json()["report"]
    qwk = stored["figures"]["qwk"]
    assert f"<td>QWK</td><td>{qwk['value']:.2f}</td>" in shown
    assert f"{qwk['low']:.2f} – {qwk['high']:.2f}" in shown
    assert "only 6 graded answers" in shown
    assert "6 of your scores were given to whole answers" in shown
    assert shown.count("<tr><td>0.") >= len(stored["auto_grading"])  # one row per threshold
    assert api.client.get(URL, headers=api.b).status_code == 404  # signed in as tenant A only


def test_the_rubric_page_shows_a_bad_upload_beside_the_form(api: Api) -> None:
    csrf = sign_in(api.client, api.key_a)
    answer = api.client.post(
        "/teacher/rubric/calibration",
        data={"rubric_id": COMPLEMENT, "csrf": csrf},
        files={"file": ("graded.csv", b"answer,score\nx,9\n", "text/csv")},
    )
    assert answer.status_code == 422
    assert "score 9.0 is outside 0..3" in answer.text
    assert 'action="/teacher/rubric/calibration"' in answer.text


def test_marked_contradictions_are_learned_over_http(api: Api) -> None:
    """Per-point grades with contradictions marked (-1): the tenant's later assessments read
    them through the example model, and say so in `model.scorer`."""
    from tests.assess.test_examples import graded as marked

    answers = [
        {"answer_id": row.answer_id, "answer": row.answer, "score": row.score,
         "points": row.points}
        for row in marked()
    ]  # fmt: skip
    created = api.client.post(URL, json={"answers": answers}, headers=api.a)
    assert created.status_code == 201, created.text
    denial = "The talks leave both sides more suspicious of one another."
    found = api.client.post(
        "/v1/assessments", json={"rubric_id": COMPLEMENT, "answer": denial}, headers=api.a
    ).json()
    trust = next(p for p in found["points"] if p["id"] == "trust-building")
    assert trust["status"] == "contradicted"
    assert found["model"]["scorer"].endswith("+examples-v7")
    other = api.client.post(
        "/v1/assessments", json={"rubric_id": COMPLEMENT, "answer": denial}, headers=api.b
    ).json()
    assert other["model"]["scorer"] == "point-v6"


def test_a_calibration_fitted_on_another_scorer_says_so(api: Api, grader: Grader) -> None:
    from sqlalchemy import select

    from service.orm import CalibrationRecord

    fit = api.client.post(URL, json={"answers": graded()}, headers=api.a).json()["calibration"]
    assert (fit["scorer"], fit["current"]) == (grader.scorer_version, True)
    # The engine upgraded since: the stored scaling was fitted on an older scorer's P(covered).
    with api.app.state.assess.sessions.begin() as session:
        record = session.scalars(select(CalibrationRecord)).one()
        record.calibration = {**record.calibration, "scorer": "point-v0"}
    fit = api.client.get(URL, headers=api.a).json()["calibration"]
    assert (fit["scorer"], fit["current"]) == ("point-v0", False)
    sign_in(api.client, api.key_a)
    shown = api.client.get("/teacher/rubric", params={"id": COMPLEMENT}).text
    assert 'id="calibration-stale"' in shown
    assert f"fitted on scorer point-v0; this engine runs {grader.scorer_version}" in shown
    # One stored before the scorer was kept: not known either way.
    with api.app.state.assess.sessions.begin() as session:
        record = session.scalars(select(CalibrationRecord)).one()
        record.calibration = {k: v for k, v in record.calibration.items() if k != "scorer"}
    fit = api.client.get(URL, headers=api.a).json()["calibration"]
    assert (fit["scorer"], fit["current"]) == (None, None)
    shown = api.client.get("/teacher/rubric", params={"id": COMPLEMENT}).text
    assert 'id="calibration-stale"' not in shown
