"""Teacher page form: upload a graded CSV to calibrate a rubric's current version."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from service.api.calibration import rows_from_csv
from service.calibrations import calibrate_for_tenant
from service.deps import SessionDep, StateDep
from service.errors import LimitExceededError
from service.web.security import check_csrf, session_tenant
from service.web.teacher import PAGE_ERRORS, editor_context, page, to_signin

router = APIRouter(prefix="/teacher/rubric", tags=["pages"], include_in_schema=False)


@router.post("/calibration")
async def upload_grades(
    request: Request,
    state: StateDep,
    session: SessionDep,
    file: UploadFile,
    rubric_id: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Calibrate on the uploaded grades and show the agreement report under the rubric."""
    check_csrf(request, csrf)
    tenant = session_tenant(state, request)
    if tenant is None:
        return to_signin()
    rubric = (await run_in_threadpool(state.store.get, session, tenant, rubric_id)).rubric
    limit = state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    try:
        if len(data) > limit:
            raise LimitExceededError(f"the upload is over {limit} bytes")
        rows = await run_in_threadpool(rows_from_csv, file.filename or "upload.csv", data, rubric)
        await run_in_threadpool(calibrate_for_tenant, state, tenant, rubric, rows)
    except PAGE_ERRORS as exc:  # shown under the rubric, beside the form
        context = await run_in_threadpool(
            editor_context, state, session, tenant, rubric.id, str(exc)
        )
        return page(request, "editor.html", context, 422)
    return RedirectResponse(f"/teacher/rubric?id={quote(rubric.id)}#calibration", 303)
