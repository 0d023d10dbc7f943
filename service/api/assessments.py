"""`/v1/assessments`: assess one answer synchronously, read it back, page through a rubric's."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select

from assess import AssessmentResult
from service.calibrations import tenant_grader
from service.deps import SessionDep, StateDep, TenantDep
from service.errors import LimitExceededError, NotFoundError
from service.orm import Assessment
from service.schemas import AssessmentCreate, AssessmentPage, AssessmentPublic

router = APIRouter(prefix="/v1/assessments", tags=["assessments"])


def to_public(row: Assessment) -> AssessmentPublic:
    """The stored result with its id."""
    body: dict[str, Any] = dict(row.result)
    return AssessmentPublic(id=row.id, created_at=row.created_at, learner_id=row.learner_id, **body)


def store_result(
    session: SessionDep, tenant_id: str, result: AssessmentResult, learner_id: str | None
) -> Assessment:
    """Keep a result (not the answer text) for the tenant."""
    row = Assessment(
        id=uuid.uuid4().hex,
        tenant_id=tenant_id,
        rubric_id=result.rubric_id,
        rubric_version=result.rubric_version,
        answer_id=result.answer_id,
        learner_id=learner_id,
        result=result.model_dump(mode="json"),
    )
    session.add(row)
    session.flush()
    return row


@router.post("", status_code=201, response_model=AssessmentPublic)
def create_assessment(
    body: AssessmentCreate,
    state: StateDep,
    session: SessionDep,
    tenant: TenantDep,
    response: Response,
) -> AssessmentPublic:
    """Assess one answer against a rubric and store the result."""
    limit = state.settings.max_answer_chars
    if len(body.answer) > limit:
        raise LimitExceededError(
            f"answer: {len(body.answer)} characters; the limit is {limit} (ASSESS_MAX_ANSWER_CHARS)"
        )
    rubric = state.store.get(session, tenant.id, body.rubric_id).rubric
    grader = tenant_grader(state.grader, session, tenant.id, [rubric])
    with state.grader_lock:
        result = grader.assess(rubric, body.answer, body.answer_id)
    row = store_result(session, tenant.id, result, body.learner_id)
    state.metrics.assessments.labels(source="api").inc()
    response.headers["Location"] = f"/v1/assessments/{row.id}"
    return to_public(row)


@router.get("/{assessment_id}", response_model=AssessmentPublic)
def get_assessment(assessment_id: str, session: SessionDep, tenant: TenantDep) -> AssessmentPublic:
    """One stored assessment."""
    row = session.get(Assessment, assessment_id)
    if row is None or row.tenant_id != tenant.id:
        raise NotFoundError(f"no assessment with id {assessment_id!r}")
    return to_public(row)


@router.get("", response_model=AssessmentPage)
def list_assessments(
    session: SessionDep,
    tenant: TenantDep,
    rubric_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AssessmentPage:
    """This tenant's assessments, oldest first, optionally of one rubric."""
    where = [Assessment.tenant_id == tenant.id]
    if rubric_id is not None:
        where.append(Assessment.rubric_id == rubric_id)
    total = session.scalar(select(func.count()).select_from(Assessment).where(*where)) or 0
    rows = session.scalars(
        select(Assessment)
        .where(*where)
        .order_by(Assessment.created_at, Assessment.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return AssessmentPage(
        items=[to_public(r) for r in rows], total=total, limit=limit, offset=offset
    )
