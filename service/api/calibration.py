"""`/v1/rubrics/{id}/calibration`: fit a rubric version's calibration on teacher grades (JSON
or a CSV upload), read the latest with its agreement report, remove it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from assess.calibration import GradedRow, parse_graded
from rubrics import Rubric
from service.calibrations import (
    calibrate_for_tenant,
    delete_records,
    fitted_of,
    require_record,
)
from service.deps import SessionDep, StateDep, TenantDep
from service.errors import BadRequestError, LimitExceededError, UnsupportedMediaError
from service.orm import CalibrationRecord
from service.schemas import CalibrationCreate, CalibrationPublic
from service.state import AppState

# Declared before the rubrics router: its `/{rubric_id:path}` would take these paths too.
router = APIRouter(prefix="/v1/rubrics", tags=["calibration"])

_UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "CSV: answer, score[, answer_id, point:<id> (0/1)]",
        },
    },
}
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CalibrationCreate"}},
            "multipart/form-data": {"schema": _UPLOAD_SCHEMA},
        },
    }
}


def to_public(record: CalibrationRecord, scorer: str) -> CalibrationPublic:
    """A stored calibration with its report, and whether it was fitted on `scorer`, the
    scorer the engine runs now."""
    fitted = fitted_of(record)
    return CalibrationPublic.model_validate(
        {
            "rubric_id": record.rubric_id,
            "rubric_version": record.rubric_version,
            "n_answers": record.n_answers,
            "created_at": record.created_at,
            "calibration": {
                **record.calibration,
                "scored_whole": len(record.calibration.get("scores", ())),
                "scorer": fitted.scorer or None,
                "current": fitted.fitted_for(scorer),
            },
            "report": record.report,
        }
    )


def rows_from_json(body: CalibrationCreate) -> list[GradedRow]:
    """The graded rows of a JSON body; an answer without an id is named by its position."""
    return [
        GradedRow(a.answer_id or str(n), a.answer, a.score, dict(a.points.items()))
        for n, a in enumerate(body.answers, start=1)
    ]


def rows_from_csv(name: str, data: bytes, rubric: Rubric) -> list[GradedRow]:
    """The graded rows of an uploaded CSV (the columns of `assess calibrate`)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequestError(f"{name}: not UTF-8 text") from exc
    return parse_graded(text.splitlines(keepends=True), name, rubric)


async def _json_rows(request: Request) -> list[GradedRow]:
    try:
        body = CalibrationCreate.model_validate_json(await request.body())
    except ValidationError as exc:
        # The same 422 problem FastAPI gives a declared body (the answers are not echoed).
        errors: list[Any] = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from exc
    return rows_from_json(body)


async def _upload_rows(request: Request, state: AppState, rubric: Rubric) -> list[GradedRow]:
    limit = state.settings.max_upload_bytes
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequestError("file: attach the graded CSV as a multipart field named 'file'")
        data = await upload.read(limit + 1)
        name = upload.filename or "upload.csv"
    if len(data) > limit:
        raise LimitExceededError(f"the upload is over {limit} bytes (ASSESS_MAX_UPLOAD_BYTES)")
    return await run_in_threadpool(rows_from_csv, name, data, rubric)


@router.post(
    "/{rubric_id:path}/calibration",
    status_code=201,
    response_model=CalibrationPublic,
    openapi_extra=_BODY,
)
async def create_calibration(
    rubric_id: str,
    request: Request,
    state: StateDep,
    session: SessionDep,
    tenant: TenantDep,
    response: Response,
) -> CalibrationPublic:
    """Calibrate the rubric's current version on teacher grades (JSON or a CSV upload)."""
    rubric = (await run_in_threadpool(state.store.get, session, tenant.id, rubric_id)).rubric
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        rows = await _json_rows(request)
    elif media == "multipart/form-data":
        rows = await _upload_rows(request, state, rubric)
    else:
        raise UnsupportedMediaError("send application/json or a multipart/form-data CSV upload")
    # Grading every answer and a thousand bootstrap draws would stall the event loop.
    record = await run_in_threadpool(calibrate_for_tenant, state, tenant.id, rubric, rows)
    response.headers["Location"] = f"/v1/rubrics/{rubric.id}/calibration"
    return to_public(record, state.grader.scorer_version)


@router.get("/{rubric_id:path}/calibration", response_model=CalibrationPublic)
def get_calibration(
    rubric_id: str, state: StateDep, session: SessionDep, tenant: TenantDep
) -> CalibrationPublic:
    """The latest calibration of the rubric's current version, with its agreement report."""
    rubric = state.store.get(session, tenant.id, rubric_id).rubric
    return to_public(require_record(session, tenant.id, rubric), state.grader.scorer_version)


@router.delete("/{rubric_id:path}/calibration", status_code=204)
def delete_calibration(
    rubric_id: str, state: StateDep, session: SessionDep, tenant: TenantDep
) -> Response:
    """Stop calibrating the rubric's current version: its later results use the engine's own."""
    rubric = state.store.get(session, tenant.id, rubric_id).rubric
    require_record(session, tenant.id, rubric)
    delete_records(session, tenant.id, rubric.id, rubric.version)
    return Response(status_code=204)
