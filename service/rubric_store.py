"""Rubrics a tenant can use: the shipped library (read-only, shared) and its own, versioned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rubrics import Rubric, parse_rubric
from service.errors import ConflictError, ForbiddenError, LimitExceededError, NotFoundError
from service.orm import RubricVersion

Source = Literal["library", "tenant"]


@dataclass(frozen=True)
class StoredRubric:
    """A rubric with where it comes from and when this version was saved."""

    rubric: Rubric
    source: Source
    created_at: datetime | None


class RubricStore:
    """Finds, saves and versions rubrics for one tenant at a time."""

    def __init__(self, library: dict[str, Rubric], max_points: int) -> None:
        self.library = library
        self.max_points = max_points

    def check_limits(self, rubric: Rubric) -> None:
        """Refuse a rubric with more points and misconceptions than the configured limit."""
        count = len(rubric.points) + len(rubric.misconceptions)
        if count > self.max_points:
            raise LimitExceededError(
                f"rubric {rubric.id!r} has {count} points and misconceptions; the limit is "
                f"{self.max_points} (ASSESS_MAX_RUBRIC_POINTS)"
            )

    def _head(self, session: Session, tenant_id: str, rubric_id: str) -> RubricVersion | None:
        return session.scalar(
            select(RubricVersion).where(
                RubricVersion.tenant_id == tenant_id,
                RubricVersion.rubric_id == rubric_id,
                RubricVersion.current.is_(True),
            )
        )

    def owns(self, session: Session, tenant_id: str, rubric_id: str) -> bool:
        """Whether the tenant has its own rubric with this id."""
        return self._head(session, tenant_id, rubric_id) is not None

    def get(self, session: Session, tenant_id: str, rubric_id: str) -> StoredRubric:
        """The current version of a rubric the tenant can see."""
        row = self._head(session, tenant_id, rubric_id)
        if row is not None:
            return StoredRubric(parse_rubric(row.document), "tenant", row.created_at)
        if rubric_id in self.library:
            return StoredRubric(self.library[rubric_id], "library", None)
        raise NotFoundError(f"no rubric with id {rubric_id!r}; GET /v1/rubrics lists them")

    def get_version(self, session: Session, tenant_id: str, rubric_id: str, version: str) -> Rubric:
        """One exact version (a batch pins the versions it was created with)."""
        library = self.library.get(rubric_id)
        if library is not None and library.version == version:
            return library
        row = session.scalar(
            select(RubricVersion).where(
                RubricVersion.tenant_id == tenant_id,
                RubricVersion.rubric_id == rubric_id,
                RubricVersion.version == version,
            )
        )
        if row is None:
            raise NotFoundError(f"rubric {rubric_id!r} has no version {version!r}")
        return parse_rubric(row.document)

    def list(self, session: Session, tenant_id: str) -> list[StoredRubric]:
        """The tenant's own rubrics, then the library's, each sorted by id."""
        rows = session.scalars(
            select(RubricVersion)
            .where(RubricVersion.tenant_id == tenant_id, RubricVersion.current.is_(True))
            .order_by(RubricVersion.rubric_id)
        ).all()
        own = [StoredRubric(parse_rubric(r.document), "tenant", r.created_at) for r in rows]
        shared = [StoredRubric(self.library[k], "library", None) for k in sorted(self.library)]
        return own + shared

    def save(
        self, session: Session, tenant_id: str, rubric: Rubric, *, create: bool
    ) -> StoredRubric:
        """Save a new rubric (`create`) or a new version of an existing one."""
        self.check_limits(rubric)
        if rubric.id in self.library:
            raise (ConflictError if create else ForbiddenError)(
                f"{rubric.id!r} is a library rubric and cannot be changed; "
                "save your edited copy under another id"
            )
        head = self._head(session, tenant_id, rubric.id)
        if create and head is not None:
            raise ConflictError(
                f"rubric {rubric.id!r} exists; PUT /v1/rubrics/{rubric.id} saves a new version"
            )
        if not create and head is None:
            raise NotFoundError(f"no rubric with id {rubric.id!r}; POST /v1/rubrics creates it")
        self._retire(session, tenant_id, rubric.id)
        row = session.scalar(
            select(RubricVersion).where(
                RubricVersion.tenant_id == tenant_id,
                RubricVersion.rubric_id == rubric.id,
                RubricVersion.version == rubric.version,
            )
        )
        if row is None:  # versions are immutable: an identical document reuses its row
            row = RubricVersion(
                tenant_id=tenant_id,
                rubric_id=rubric.id,
                version=rubric.version,
                document=rubric.to_document(),
            )
            session.add(row)
        row.current = True
        session.flush()
        return StoredRubric(rubric, "tenant", row.created_at)

    def _retire(self, session: Session, tenant_id: str, rubric_id: str) -> None:
        session.execute(
            update(RubricVersion)
            .where(RubricVersion.tenant_id == tenant_id, RubricVersion.rubric_id == rubric_id)
            .values(current=False)
        )

    def delete(self, session: Session, tenant_id: str, rubric_id: str) -> None:
        """Delete a tenant's rubric; its versions stay for the results that used them."""
        if rubric_id in self.library:
            raise ForbiddenError(f"{rubric_id!r} is a library rubric and cannot be deleted")
        if self._head(session, tenant_id, rubric_id) is None:
            raise NotFoundError(f"no rubric with id {rubric_id!r}")
        self._retire(session, tenant_id, rubric_id)
