"""The student page, opened from a practice link: answer the question, see the feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from service.api.assessments import store_result
from service.calibrations import tenant_grader
from service.deps import SessionDep, StateDep
from service.errors import ForbiddenError, LimitExceededError, NotFoundError
from service.orm import PracticeLink, utcnow
from service.web.render import TEMPLATES, highlight
from service.web.security import check_csrf, csrf_token, practice_link_id, remember_csrf

router = APIRouter(prefix="/p", tags=["pages"], include_in_schema=False)


def open_link(state: StateDep, session: SessionDep, token: str) -> PracticeLink:
    """The practice link of a token, if it is genuine, not revoked and not expired."""
    link_id = practice_link_id(state, token)
    link = session.get(PracticeLink, link_id) if link_id else None
    if link is None:
        raise NotFoundError("this practice link does not exist")
    if link.revoked or (link.expires_at is not None and link.expires_at < utcnow()):
        raise ForbiddenError("this practice link was closed by the teacher")
    return link


@router.get("/{token}", response_class=HTMLResponse)
def practice_page(token: str, request: Request, state: StateDep, session: SessionDep) -> Response:
    """The question and an answer box."""
    link = open_link(state, session, token)
    rubric = state.store.get(session, link.tenant_id, link.rubric_id).rubric
    csrf = csrf_token(request)
    page = TEMPLATES.TemplateResponse(
        request, "practice.html", {"rubric": rubric, "token": token, "result": None, "csrf": csrf}
    )
    return remember_csrf(request, page, csrf)


@router.post("/{token}", response_class=HTMLResponse)
def submit_answer(
    token: str,
    request: Request,
    state: StateDep,
    session: SessionDep,
    answer: Annotated[str, Form(max_length=1_000_000)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Assess the answer and show each point's coverage, the evidence and the feedback."""
    check_csrf(request, csrf)
    link = open_link(state, session, token)
    state.limiter.check(f"practice:{link.id}")  # a shared link must not starve the course
    rubric = state.store.get(session, link.tenant_id, link.rubric_id).rubric
    if len(answer) > state.settings.max_answer_chars:
        raise LimitExceededError(f"the answer is over {state.settings.max_answer_chars} characters")
    grader = tenant_grader(state.grader, session, link.tenant_id, [rubric])
    with state.grader_lock:
        result = grader.assess(rubric, answer)
    store_result(session, link.tenant_id, result, None)
    state.metrics.assessments.labels(source="practice").inc()
    shown = result.model_dump(mode="json")
    return TEMPLATES.TemplateResponse(
        request,
        "practice.html",
        {
            "rubric": rubric,
            "token": token,
            "result": shown,
            "answer": answer,
            "pieces": highlight(answer, shown["points"]),
            "csrf": csrf,
        },  # fmt: skip
    )
