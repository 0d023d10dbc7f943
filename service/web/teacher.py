"""Teacher pages: sign in with the tenant's API key, rubrics, the editor, practice links."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from assess import USER_ERRORS
from rubrics import dump_rubric, parse_rubric_text
from service.calibrations import fitted_of, latest_record
from service.deps import SessionDep, StateDep
from service.drafts import build_draft
from service.errors import AuthenticationError, NotFoundError, ServiceError
from service.orm import Batch, PracticeLink, utcnow
from service.tenants import tenant_for_key
from service.web.render import TEMPLATES
from service.web.security import (
    SESSION_COOKIE,
    check_csrf,
    csrf_token,
    practice_token,
    remember_csrf,
    session_tenant,
    start_session,
)

router = APIRouter(tags=["pages"], include_in_schema=False)
PAGE_ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, ServiceError)
CsrfForm = Annotated[str, Form()]
BLANK_RUBRIC = """schema: assess.rubric/v1
id: my-course/question-1
question: Write the question here.
points:
- id: first-point
  label: first point
  text: One thing a complete answer says.
scoring: {max_score: 1, partial_credit: true}
"""


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a template with a CSRF token for its forms."""
    csrf = csrf_token(request)
    response = TEMPLATES.TemplateResponse(
        request, name, {**context, "csrf": csrf}, status_code=status
    )
    return remember_csrf(request, response, csrf)


def to_signin() -> RedirectResponse:
    """Back to the sign-in page."""
    return RedirectResponse("/signin", status_code=303)


@router.get("/", include_in_schema=False)
def home(request: Request, state: StateDep) -> Response:
    """The teacher page when signed in, else sign-in."""
    return RedirectResponse("/teacher" if session_tenant(state, request) else "/signin", 303)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request) -> Response:
    """The sign-in form."""
    return page(request, "signin.html", {"error": None})


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    state: StateDep,
    session: SessionDep,
    api_key: Annotated[str, Form(max_length=200)],
    csrf: CsrfForm = "",
) -> Response:
    """Check the API key and start a session."""
    check_csrf(request, csrf)
    try:
        tenant = tenant_for_key(session, api_key.strip())
    except AuthenticationError:
        return page(request, "signin.html", {"error": "That API key is not known."}, 401)
    response = RedirectResponse("/teacher", status_code=303)
    start_session(state, request, response, tenant.id)
    return response


@router.post("/signout")
def signout(request: Request, csrf: CsrfForm = "") -> Response:
    """End the session."""
    check_csrf(request, csrf)
    response = to_signin()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/teacher", response_class=HTMLResponse)
def dashboard(request: Request, state: StateDep, session: SessionDep) -> Response:
    """Rubrics, practice links, batch upload and recent batches."""
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    links = session.scalars(
        select(PracticeLink)
        .where(PracticeLink.tenant_id == tenant, PracticeLink.revoked.is_(False))
        .order_by(PracticeLink.created_at.desc())
    ).all()
    batches = session.scalars(
        select(Batch).where(Batch.tenant_id == tenant).order_by(Batch.created_at.desc()).limit(20)
    ).all()
    base = str(request.base_url).rstrip("/")
    return page(request, "teacher.html", {
        "rubrics": state.store.list(session, tenant),
        "links": [(link, f"{base}/p/{practice_token(state, link.id)}") for link in links],
        "batches": batches,
    })  # fmt: skip


@router.get("/teacher/rubric", response_class=HTMLResponse)
def editor(request: Request, state: StateDep, session: SessionDep, id: str = "") -> Response:
    """The rubric editor: an existing rubric's YAML, or a blank one."""
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    if not id:
        return page(request, "editor.html", {"text": BLANK_RUBRIC, "error": None, "saved": False})
    return page(request, "editor.html", editor_context(state, session, tenant, id))


def editor_context(
    state: StateDep, session: SessionDep, tenant: str, rubric_id: str, error: str | None = None
) -> dict[str, Any]:
    """An existing rubric in the editor, with its current version's latest calibration."""
    rubric = state.store.get(session, tenant, rubric_id).rubric
    record = latest_record(session, tenant, rubric.id, rubric.version)
    stale = None
    if record is not None:
        stale = fitted_of(record).stale_warning(state.grader.scorer_version)
    return {
        "text": dump_rubric(rubric),
        "error": None,
        "saved": False,
        "rubric": rubric,
        "calibration": record,
        "calibration_error": error,
        "calibration_stale": stale,
    }


@router.post("/teacher/rubric/draft", response_class=HTMLResponse)
def draft(
    request: Request,
    state: StateDep,
    question: Annotated[str, Form(max_length=5000)],
    model_answer: Annotated[str, Form(max_length=20000)],
    rubric_id: Annotated[str, Form(max_length=200)] = "",
    csrf: CsrfForm = "",
) -> Response:
    """Build a draft from a question and a model answer into the editor (not saved yet)."""
    check_csrf(request, csrf)
    if session_tenant(state, request) is None:
        return to_signin()
    try:
        built = build_draft(state, question, [model_answer], rubric_id.strip() or None)
    except PAGE_ERRORS as exc:
        return page(request, "editor.html", {"text": BLANK_RUBRIC, "error": str(exc),
                                             "saved": False}, 422)  # fmt: skip
    return page(request, "editor.html", {"text": dump_rubric(built), "error": None, "saved": False})


@router.post("/teacher/rubric", response_class=HTMLResponse)
def save(
    request: Request,
    state: StateDep,
    session: SessionDep,
    text: Annotated[str, Form(max_length=1_000_000)],
    csrf: CsrfForm = "",
) -> Response:
    """Save the editor's YAML: a new rubric, or a new version of one."""
    check_csrf(request, csrf)
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    try:
        rubric = parse_rubric_text(text, "rubric")
        exists = state.store.owns(session, tenant, rubric.id)
        state.store.save(session, tenant, rubric, create=not exists)
    except PAGE_ERRORS as exc:  # shown in the editor, beside the text
        return page(request, "editor.html", {"text": text, "error": str(exc), "saved": False}, 422)
    return page(request, "editor.html", {"text": text, "error": None, "saved": True})


@router.post("/teacher/links")
def create_link(
    request: Request,
    state: StateDep,
    session: SessionDep,
    rubric_id: Annotated[str, Form(max_length=200)],
    days: Annotated[int, Form(ge=0, le=365)] = 0,
    csrf: CsrfForm = "",
) -> Response:
    """A new practice link for a rubric; `days` > 0 makes it expire."""
    check_csrf(request, csrf)
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    state.store.get(session, tenant, rubric_id)
    expires = utcnow() + timedelta(days=days) if days else None
    session.add(PracticeLink(id=uuid.uuid4().hex, tenant_id=tenant, rubric_id=rubric_id,
                             expires_at=expires))  # fmt: skip
    return RedirectResponse("/teacher#links", status_code=303)


@router.post("/teacher/links/{link_id}/revoke")
def revoke_link(
    link_id: str, request: Request, state: StateDep, session: SessionDep, csrf: CsrfForm = ""
) -> Response:
    """Close a practice link for good."""
    check_csrf(request, csrf)
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    link = session.get(PracticeLink, link_id)
    if link is None or link.tenant_id != tenant:
        raise NotFoundError("no such practice link")
    link.revoked = True
    return RedirectResponse("/teacher#links", status_code=303)
