"""`/v1/rubrics`: create (document or draft), list, get, new version, delete, import, export."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Response, UploadFile
from fastapi.responses import PlainTextResponse

from rubrics import Rubric, dump_rubric, parse_rubric, parse_rubric_text
from service.deps import SessionDep, StateDep, TenantDep
from service.drafts import build_draft
from service.errors import BadRequestError, UnsupportedMediaError
from service.rubric_store import StoredRubric
from service.schemas import (
    RubricCreate,
    RubricDraftCreate,
    RubricPublic,
    RubricSummary,
    RubricUpdate,
)

router = APIRouter(prefix="/v1/rubrics", tags=["rubrics"])
MAX_RUBRIC_FILE_BYTES = 1_000_000


def to_summary(stored: StoredRubric) -> RubricSummary:
    """The list view of a rubric."""
    rubric = stored.rubric
    return RubricSummary(
        id=rubric.id,
        version=rubric.version,
        source=stored.source,
        question=rubric.question,
        points=len(rubric.points),
    )


def to_public(stored: StoredRubric) -> RubricPublic:
    """The full view of a rubric."""
    return RubricPublic(
        **to_summary(stored).model_dump(),
        created_at=stored.created_at,
        document=stored.rubric.to_document(),
    )


@router.post("", status_code=201, response_model=RubricPublic)
def create_rubric(
    body: Annotated[RubricCreate | RubricDraftCreate, Body()],
    state: StateDep,
    session: SessionDep,
    tenant: TenantDep,
    response: Response,
) -> RubricPublic:
    """Create a rubric from a document, or build a draft from a question and model answers."""
    if isinstance(body, RubricDraftCreate):
        rubric = build_draft(state, body.question, body.model_answers, body.id)
    else:
        rubric = parse_rubric(body.document(), "body")
    stored = state.store.save(session, tenant.id, rubric, create=True)
    response.headers["Location"] = f"/v1/rubrics/{rubric.id}"
    return to_public(stored)


@router.post("/import", status_code=201, response_model=RubricPublic)
async def import_rubric(
    file: UploadFile, state: StateDep, session: SessionDep, tenant: TenantDep
) -> RubricPublic:
    """Import a YAML or JSON rubric file: a new rubric, or a new version of an existing one."""
    name = (file.filename or "").lower()
    if not name.endswith((".yaml", ".yml", ".json")):
        raise UnsupportedMediaError("a rubric file ends in .yaml, .yml or .json")
    data = await file.read(MAX_RUBRIC_FILE_BYTES + 1)
    if len(data) > MAX_RUBRIC_FILE_BYTES:
        raise BadRequestError(f"a rubric file is at most {MAX_RUBRIC_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequestError(f"{file.filename}: not UTF-8 text") from exc
    fmt = "json" if name.endswith(".json") else "yaml"
    rubric = parse_rubric_text(text, file.filename or "upload", fmt)
    exists = state.store.owns(session, tenant.id, rubric.id)
    return to_public(state.store.save(session, tenant.id, rubric, create=not exists))


@router.get("", response_model=list[RubricSummary])
def list_rubrics(state: StateDep, session: SessionDep, tenant: TenantDep) -> list[RubricSummary]:
    """Every rubric this key can use: its tenant's own, then the shared library."""
    return [to_summary(s) for s in state.store.list(session, tenant.id)]


@router.get(
    "/{rubric_id:path}",
    response_model=RubricPublic,
    responses={200: {"content": {"application/yaml": {}, "application/json": {}}}},
)
def get_rubric(
    rubric_id: str,
    state: StateDep,
    session: SessionDep,
    tenant: TenantDep,
    format: Annotated[
        Literal["yaml", "json"] | None, Query(description="export the rubric file")
    ] = None,
) -> RubricPublic | Response:
    """A rubric; with `format=yaml|json`, the rubric file itself (export)."""
    stored = state.store.get(session, tenant.id, rubric_id)
    if format is None:
        return to_public(stored)
    filename = stored.rubric.id.replace("/", "-") + (".yaml" if format == "yaml" else ".json")
    return PlainTextResponse(
        dump_rubric(stored.rubric, format),
        media_type="application/yaml" if format == "yaml" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.put("/{rubric_id:path}", response_model=RubricPublic)
def update_rubric(
    rubric_id: str, body: RubricUpdate, state: StateDep, session: SessionDep, tenant: TenantDep
) -> RubricPublic:
    """Save a new version; earlier versions stay for the results that used them."""
    document = body.document()
    if document["id"] and document["id"] != rubric_id:
        raise BadRequestError(f"id: {document['id']!r} does not match the URL's {rubric_id!r}")
    document["id"] = rubric_id
    rubric: Rubric = parse_rubric(document, "body")
    return to_public(state.store.save(session, tenant.id, rubric, create=False))


@router.delete("/{rubric_id:path}", status_code=204)
def delete_rubric(
    rubric_id: str, state: StateDep, session: SessionDep, tenant: TenantDep
) -> Response:
    """Delete a rubric of this tenant (stored results keep their rubric version)."""
    state.store.delete(session, tenant.id, rubric_id)
    return Response(status_code=204)
