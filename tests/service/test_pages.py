"""Pages without a browser: sign-in, CSRF, practice links that are revoked or expire."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from service.orm import PracticeLink, utcnow
from tests.service.conftest import COMPLEMENT, Api


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, key: str) -> str:
    csrf = csrf_of(client.get("/signin").text)
    answer = client.post("/signin", data={"api_key": key, "csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    return csrf


def make_link(api: Api, csrf: str) -> str:
    page = api.client.post("/teacher/links", data={"rubric_id": COMPLEMENT, "csrf": csrf})
    found = re.search(r'class="practice-link" href="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_teacher_pages_need_a_session(api: Api) -> None:
    for path in ("/teacher", "/teacher/rubric"):
        answer = api.client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/signin"


def test_a_wrong_key_does_not_sign_in(api: Api) -> None:
    csrf = csrf_of(api.client.get("/signin").text)
    answer = api.client.post("/signin", data={"api_key": "ak_nope", "csrf": csrf})
    assert answer.status_code == 401
    assert "not known" in answer.text


def test_forms_without_the_csrf_token_are_refused(api: Api) -> None:
    sign_in(api.client, api.key_a)
    answer = api.client.post("/teacher/links", data={"rubric_id": COMPLEMENT, "csrf": "forged"})
    assert answer.status_code == 403


def test_a_student_sees_only_the_question_and_their_own_result(api: Api) -> None:
    link = make_link(api, sign_in(api.client, api.key_a))
    student = TestClient(api.app)
    page = student.get(link)
    assert "How does Track II diplomacy complement" in page.text
    result = student.post(link, data={"answer": "It builds trust.", "csrf": csrf_of(page.text)})
    assert result.status_code == 200
    assert "<mark" in result.text
    assert "Sign out" not in result.text


def test_a_revoked_or_expired_link_is_closed(api: Api) -> None:
    link = make_link(api, sign_in(api.client, api.key_a))
    student = TestClient(api.app)
    assert student.get(link).status_code == 200
    with api.app.state.assess.sessions.begin() as session:
        session.execute(update(PracticeLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    assert student.get(link).status_code == 403
    with api.app.state.assess.sessions.begin() as session:
        session.execute(update(PracticeLink).values(expires_at=None, revoked=True))
    assert student.get(link).status_code == 403
    assert student.get(link[:-3] + "xyz").status_code == 404


def test_another_tenants_batch_page_is_not_found(api: Api) -> None:
    body = {"rubric_id": COMPLEMENT, "answers": [{"answer_id": "1", "answer": "Trust."}]}
    batch = api.client.post("/v1/batches", json=body, headers=api.a).json()
    sign_in(api.client, api.key_b)
    assert api.client.get(f"/teacher/batches/{batch['id']}").status_code == 404
