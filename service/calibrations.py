"""Tenants' rubric calibrations: fitted on their teachers' grades, stored per rubric version,
and applied to that tenant's assessments only.

The shared grader never holds a tenant's calibration (two tenants may hold rubrics with the
same id and content version): each grading call takes `tenant_grader`, a cheap twin of the
shared grader with the calling tenant's calibrations of the rubric versions at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assess import Grader
from assess.calibration import GradedRow, analyse_graded, check_graded, fit_calibration
from assess.recalibration import RubricCalibration
from rubrics import Rubric
from service.errors import LimitExceededError, NotFoundError
from service.orm import CalibrationRecord
from service.state import AppState

RubricKey = tuple[str, str]  # (rubric id, rubric version)


def latest_record(
    session: Session, tenant_id: str, rubric_id: str, version: str
) -> CalibrationRecord | None:
    """The tenant's latest calibration of this rubric version, if any."""
    return session.scalar(
        select(CalibrationRecord)
        .where(
            CalibrationRecord.tenant_id == tenant_id,
            CalibrationRecord.rubric_id == rubric_id,
            CalibrationRecord.rubric_version == version,
        )
        .order_by(CalibrationRecord.created_at.desc(), CalibrationRecord.id.desc())
        .limit(1)
    )


def fitted_of(record: CalibrationRecord) -> RubricCalibration:
    """The calibration a stored record holds."""
    return RubricCalibration.from_document(record.calibration, f"calibration {record.id}")


def tenant_calibrations(
    session: Session, tenant_id: str, keys: Iterable[RubricKey]
) -> dict[RubricKey, RubricCalibration]:
    """The tenant's calibration of each rubric version that has one."""
    found = {}
    for rubric_id, version in set(keys):
        record = latest_record(session, tenant_id, rubric_id, version)
        if record is not None:
            found[(rubric_id, version)] = fitted_of(record)
    return found


def tenant_grader(
    grader: Grader, session: Session, tenant_id: str, rubrics: Iterable[Rubric]
) -> Grader:
    """The shared grader, or its twin with the tenant's calibrations of these rubric versions
    (models and caches shared; take the grader lock to use either)."""
    own = tenant_calibrations(session, tenant_id, ((r.id, r.version) for r in rubrics))
    return grader.calibrated({**grader.calibrations, **own}) if own else grader


def delete_records(session: Session, tenant_id: str, rubric_id: str, version: str) -> int:
    """Remove every calibration of the tenant's rubric version (so none comes back into use);
    how many there were."""
    result = session.execute(
        delete(CalibrationRecord).where(
            CalibrationRecord.tenant_id == tenant_id,
            CalibrationRecord.rubric_id == rubric_id,
            CalibrationRecord.rubric_version == version,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def check_limits(state: AppState, rows: Sequence[GradedRow]) -> None:
    """The batch limits apply to graded answers too: rows, and characters per answer."""
    settings = state.settings
    if len(rows) > settings.max_batch_rows:
        raise LimitExceededError(
            f"{len(rows)} graded answers; the limit is {settings.max_batch_rows} "
            "(ASSESS_MAX_BATCH_ROWS)"
        )
    for row in rows:
        if len(row.answer) > settings.max_answer_chars:
            raise LimitExceededError(
                f"answer {row.answer_id}: {len(row.answer)} characters; the limit is "
                f"{settings.max_answer_chars} (ASSESS_MAX_ANSWER_CHARS)"
            )


def calibrate_for_tenant(
    state: AppState, tenant_id: str, rubric: Rubric, rows: Sequence[GradedRow]
) -> CalibrationRecord:
    """Fit the rubric version's calibration on the tenant's grades and store it with its
    report. CPU-heavy and blocking: call it from a worker thread, with no transaction open
    (grading must not hold SQLite's one writer)."""
    check_limits(state, rows)
    check_graded(rubric, rows)
    with state.grader_lock:  # the shared grader's caches; no tenant calibration in it
        analyses = analyse_graded(state.grader, rubric, rows)
    # Fitting and the bootstrap run no model: other requests grade meanwhile.
    fitted, report = fit_calibration(state.grader, rubric, rows, analyses)
    with state.sessions.begin() as session:
        record = CalibrationRecord(
            tenant_id=tenant_id,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            calibration=fitted.to_document(),
            report=report.to_document(),
            n_answers=report.n,
        )
        session.add(record)
        session.flush()
        return record


def require_record(session: Session, tenant_id: str, rubric: Rubric) -> CalibrationRecord:
    """The latest calibration of the rubric's current version, or NotFoundError."""
    record = latest_record(session, tenant_id, rubric.id, rubric.version)
    if record is None:
        raise NotFoundError(
            f"rubric {rubric.id!r} version {rubric.version} has no calibration; "
            f"POST graded answers to /v1/rubrics/{rubric.id}/calibration"
        )
    return record
