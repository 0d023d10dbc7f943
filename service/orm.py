"""The database tables (SQLAlchemy 2 typed ORM); Alembic migrations create them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Now, UTC, without tzinfo: SQLite drops it, so we store every time naive in UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base of every table."""

    type_annotation_map = {dict[str, Any]: JSON}


class Tenant(Base):
    """A course or an institution: owns rubrics, assessments, batches and API keys."""

    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    webhook_secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    """An API key, stored only as its SHA-256 hash (keys are 256-bit random strings)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class RubricVersion(Base):
    """One immutable version of a tenant's rubric; `current` marks the one in use."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "rubric_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    rubric_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(32))
    document: Mapped[dict[str, Any]]
    current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(Base):
    """One assessed answer and the engine's result (the answer text is not kept)."""

    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_tenant_rubric", "tenant_id", "rubric_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    rubric_id: Mapped[str] = mapped_column(String(200))
    rubric_version: Mapped[str] = mapped_column(String(32))
    answer_id: Mapped[str | None] = mapped_column(String(200))
    learner_id: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Batch(Base):
    """A batch job: its rows are `BatchItem`s, graded in-process and resumed after a restart."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    callback_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class BatchItem(Base):
    """One row of a batch; its result and its state change in one transaction."""

    __tablename__ = "batch_items"
    __table_args__ = (Index("ix_batch_items_batch_state", "batch_id", "state", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"))
    position: Mapped[int]
    line: Mapped[int]
    answer_id: Mapped[str] = mapped_column(String(200))
    rubric_id: Mapped[str] = mapped_column(String(200))
    rubric_version: Mapped[str | None] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class IdempotencyRecord(Base):
    """The first response to a POST with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))  # hash of the credentials
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # hash of method, path and body
    status_code: Mapped[int | None] = mapped_column(default=None)
    content_type: Mapped[str | None] = mapped_column(String(200), default=None)
    location: Mapped[str | None] = mapped_column(String(2000), default=None)
    body: Mapped[bytes | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PracticeLink(Base):
    """A revocable, optionally expiring link that lets students practise on one rubric."""

    __tablename__ = "practice_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    rubric_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked: Mapped[bool] = mapped_column(default=False)


class CalibrationRecord(Base):
    """A tenant's calibration of one rubric version, fitted on its teacher's grades, with the
    agreement report; the latest per (tenant, rubric, version) is the one in use."""

    __tablename__ = "rubric_calibrations"
    __table_args__ = (
        Index(
            "ix_rubric_calibrations_lookup",
            "tenant_id",
            "rubric_id",
            "rubric_version",
            "created_at",
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    rubric_id: Mapped[str] = mapped_column(String(200))
    rubric_version: Mapped[str] = mapped_column(String(32))
    calibration: Mapped[dict[str, Any]]  # `RubricCalibration.to_document()`
    report: Mapped[dict[str, Any]]  # `AgreementReport.to_document()`
    n_answers: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
