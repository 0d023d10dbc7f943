"""Teacher pages for batches: upload, live progress, the class report and the results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import select

from service.api.batches import owned_batch, render_results, store_batch, to_public
from service.batch_intake import rows_from_upload
from service.deps import SessionDep, StateDep
from service.errors import AuthenticationError, LimitExceededError
from service.orm import Batch, BatchItem
from service.report import class_report
from service.web.security import check_csrf, session_tenant
from service.web.teacher import page, to_signin

router = APIRouter(prefix="/teacher/batches", tags=["pages"], include_in_schema=False)


@router.post("")
async def upload(
    request: Request,
    state: StateDep,
    file: UploadFile,
    rubric_id: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Start a batch from an uploaded file and go to its page."""
    check_csrf(request, csrf)
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    limit = state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise LimitExceededError(f"the upload is over {limit} bytes")
    rows = await run_in_threadpool(rows_from_upload, file.filename or "", data)
    batch_id = (
        await run_in_threadpool(store_batch, state, tenant, rows, rubric_id or None, None)
    ).id
    runner = getattr(request.app.state, "runner", None)
    if runner is not None:
        runner.submit(batch_id)
    return RedirectResponse(f"/teacher/batches/{batch_id}", status_code=303)


def _tenant(state: StateDep, request: Request) -> str:
    tenant = session_tenant(state, request)
    if tenant is None:
        raise AuthenticationError("sign in first")
    return tenant


@router.get("/{batch_id}", response_class=HTMLResponse)
def batch_page(batch_id: str, request: Request, state: StateDep, session: SessionDep) -> Response:
    """Progress while it runs; then the class report and the results table."""
    if session_tenant(state, request) is None:
        return to_signin()
    batch: Batch = owned_batch(session, _tenant(state, request), batch_id)
    items = session.scalars(
        select(BatchItem)
        .where(BatchItem.batch_id == batch_id, BatchItem.state != "pending")
        .order_by(BatchItem.position)
    ).all()
    results = [i.result for i in items if i.result is not None]
    return page(request, "batch.html", {
        "batch": to_public(batch),
        "report": class_report(batch_id, results) if batch.status == "done" else None,
        "items": items,
    })  # fmt: skip


@router.get("/{batch_id}/progress")
def progress(batch_id: str, request: Request, state: StateDep, session: SessionDep) -> Response:
    """The batch's progress as JSON, for the page's live bar."""
    batch = owned_batch(session, _tenant(state, request), batch_id)
    return JSONResponse(to_public(batch).model_dump(mode="json"))


@router.get("/{batch_id}/results.csv")
def download(batch_id: str, request: Request, state: StateDep, session: SessionDep) -> Response:
    """The results as a gradebook CSV."""
    return render_results(state, session, _tenant(state, request), batch_id, "csv")
