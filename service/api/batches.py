"""`/v1/batches`: upload a file or a JSON list (202 + job), follow progress, fetch results."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile

from assess import AssessmentResult, InputRow, ResultWriter
from rubrics import Rubric
from service.batch_intake import create_batch, rows_from_json, rows_from_upload
from service.deps import SessionDep, StateDep, TenantDep
from service.errors import BadRequestError, LimitExceededError, NotFoundError, UnsupportedMediaError
from service.orm import Batch, BatchItem
from service.report import class_report
from service.schemas import BatchCreate, BatchPublic, BatchReport
from service.state import AppState

router = APIRouter(prefix="/v1/batches", tags=["batches"])

_UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": ".csv, .jsonl or .xlsx"},
        "rubric_id": {"type": "string", "description": "for rows without a rubric_id"},
        "callback_url": {"type": "string", "format": "uri"},
    },
}
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/BatchCreate"}},
            "multipart/form-data": {"schema": _UPLOAD_SCHEMA},
        },
    }
}


def to_public(batch: Batch) -> BatchPublic:
    """A batch's progress."""
    return BatchPublic.model_validate(batch, from_attributes=True)


def owned_batch(session: SessionDep, tenant_id: str, batch_id: str) -> Batch:
    """The tenant's batch, or NotFoundError (also for another tenant's)."""
    batch = session.get(Batch, batch_id)
    if batch is None or batch.tenant_id != tenant_id:
        raise NotFoundError(f"no batch with id {batch_id!r}")
    return batch


async def _json_body(request: Request) -> BatchCreate:
    try:
        return BatchCreate.model_validate_json(await request.body())
    except ValidationError as exc:
        raise _invalid(exc) from exc


def _invalid(exc: ValidationError) -> BadRequestError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(body)"
    return BadRequestError(f"{where}: {first['msg']} ({exc.error_count()} problem(s) in all)")


async def _upload(request: Request, limit: int) -> tuple[str, bytes, str | None, str | None]:
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequestError("file: attach the answers as a multipart field named 'file'")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise LimitExceededError(f"the upload is over {limit} bytes (ASSESS_MAX_UPLOAD_BYTES)")
        fields = {k: v for k, v in form.items() if isinstance(v, str) and v}
        return upload.filename or "", data, fields.get("rubric_id"), fields.get("callback_url")


def store_batch(
    state: AppState,
    tenant_id: str,
    rows: list[InputRow],
    rubric_id: str | None,
    callback: str | None,
) -> BatchPublic:
    """Store a batch and its rows (the API and the teacher page share this)."""
    settings = state.settings
    with state.sessions.begin() as session:
        batch = create_batch(
            session, state.store, tenant_id, rows, rubric_id, callback,
            settings.max_batch_rows, settings.max_answer_chars,
        )  # fmt: skip
        return to_public(batch)


@router.post("", status_code=202, response_model=BatchPublic, openapi_extra=_BODY)
async def create_batch_job(
    request: Request, state: StateDep, tenant: TenantDep, response: Response
) -> BatchPublic:
    """Start grading a batch (multipart upload or JSON); 202 and the job to follow."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        body = await _json_body(request)
        rows, rubric_id = rows_from_json(body), body.rubric_id
        callback = str(body.callback_url) if body.callback_url else None
    elif media == "multipart/form-data":
        name, data, rubric_id, callback = await _upload(request, state.settings.max_upload_bytes)
        if callback is not None:
            try:
                callback = str(BatchCreate.model_validate(
                    {"answers": [{"answer_id": "x", "answer": ""}], "callback_url": callback}
                ).callback_url)  # fmt: skip
            except ValidationError as exc:
                raise _invalid(exc) from exc
        rows = await run_in_threadpool(rows_from_upload, name, data)
    else:
        raise UnsupportedMediaError("send application/json or a multipart/form-data upload")
    # Parsing a spreadsheet and inserting thousands of rows would stall the event loop.
    public = await run_in_threadpool(store_batch, state, tenant.id, rows, rubric_id, callback)
    runner = getattr(request.app.state, "runner", None)
    if runner is not None:
        runner.submit(public.id)
    response.headers["Location"] = f"/v1/batches/{public.id}"
    return public


@router.get("/{batch_id}", response_model=BatchPublic)
def get_batch(batch_id: str, session: SessionDep, tenant: TenantDep) -> BatchPublic:
    """A batch's status, rows done of total, and rows with errors."""
    return to_public(owned_batch(session, tenant.id, batch_id))


def _items(session: SessionDep, batch_id: str) -> list[BatchItem]:
    return list(
        session.scalars(
            select(BatchItem)
            .where(BatchItem.batch_id == batch_id, BatchItem.state != "pending")
            .order_by(BatchItem.position)
        ).all()
    )


def _csv(items: list[BatchItem], rubrics: list[Rubric]) -> str:
    # The CLI's writer gives the same gradebook columns; it writes files, so use a temp one.
    with tempfile.TemporaryDirectory(prefix="assess-results-") as folder:
        path = Path(folder) / "results.csv"
        with ResultWriter(path, rubrics) as writer:
            for item in items:
                if item.result is not None:
                    writer.write_result(AssessmentResult.model_validate(item.result))
                else:
                    writer.write_error(item.rubric_id, item.answer_id, item.line, item.error or "")
        return path.read_text(encoding="utf-8")


@router.get(
    "/{batch_id}/results",
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def get_results(
    batch_id: str,
    state: StateDep,
    session: SessionDep,
    tenant: TenantDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    """Results so far: CSV for the gradebook (a column per point) or JSON (every detail)."""
    return render_results(state, session, tenant.id, batch_id, format)


def render_results(
    state: StateDep, session: SessionDep, tenant_id: str, batch_id: str, format: str
) -> Response:
    """A batch's results as JSON or CSV (the API and the teacher page share this)."""
    owned_batch(session, tenant_id, batch_id)
    items = _items(session, batch_id)
    if format == "json":
        records: list[dict[str, Any]] = [
            item.result
            if item.result is not None
            else {
                "answer_id": item.answer_id,
                "rubric_id": item.rubric_id,
                "line": item.line,
                "error": item.error,
            }  # fmt: skip
            for item in items
        ]
        return JSONResponse(json.loads(json.dumps(records)))
    pinned = {(i.rubric_id, i.rubric_version) for i in items if i.result is not None}
    rubrics = [state.store.get_version(session, tenant_id, r, v or "") for r, v in sorted(pinned)]
    if not rubrics:  # no graded row: the base columns only
        rubrics = [next(iter(state.store.library.values()))] if state.store.library else []
    return PlainTextResponse(
        _csv(items, rubrics) if rubrics else "",
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.csv"'},
    )


@router.get("/{batch_id}/report", response_model=BatchReport)
def get_report(
    batch_id: str, state: StateDep, session: SessionDep, tenant: TenantDep
) -> BatchReport:
    """The class report: for each point, the share of answers that covered it."""
    owned_batch(session, tenant.id, batch_id)
    results = [i.result for i in _items(session, batch_id) if i.result is not None]
    return class_report(batch_id, results)
