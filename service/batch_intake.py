"""Turn a batch request (a JSON list or an uploaded CSV/JSONL/XLSX) into stored batch rows."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from assess import InputRow, read_rows
from service.errors import LimitExceededError, NotFoundError, UnsupportedMediaError
from service.orm import Batch, BatchItem
from service.rubric_store import RubricStore
from service.schemas import BatchCreate

UPLOAD_SUFFIXES = (".csv", ".jsonl", ".xlsx")


def rows_from_json(body: BatchCreate) -> list[InputRow]:
    """The rows of a JSON batch; a repeated answer id (per rubric) is that row's error."""
    rows: list[InputRow] = []
    seen: dict[tuple[str | None, str], int] = {}
    for line, answer in enumerate(body.answers, start=1):
        key = (answer.rubric_id, answer.answer_id)
        error = None
        if key in seen:
            error = f"duplicate answer_id {answer.answer_id!r} (first in row {seen[key]})"
        seen.setdefault(key, line)
        rows.append(InputRow(line, answer.answer_id, answer.answer, answer.rubric_id, error))
    return rows


def rows_from_upload(filename: str, data: bytes) -> list[InputRow]:
    """The rows of an uploaded file, read by the engine's batch reader."""
    suffix = Path(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UnsupportedMediaError(
            f"{filename or 'upload'}: a batch file ends in .csv, .jsonl or .xlsx"
        )
    with tempfile.TemporaryDirectory(prefix="assess-upload-") as folder:
        # The engine's reader names the file in its errors: give it the uploaded name.
        path = Path(folder) / (Path(filename).name or f"upload{suffix}")
        path.write_bytes(data)
        return read_rows(path, need_rubric=False)


def create_batch(
    session: Session,
    store: RubricStore,
    tenant_id: str,
    rows: list[InputRow],
    rubric_id: str | None,
    callback_url: str | None,
    max_rows: int,
    max_answer_chars: int,
) -> Batch:
    """Store a batch and its rows, each row's rubric version pinned; bad rows are errors now."""
    if len(rows) > max_rows:
        raise LimitExceededError(
            f"the batch has {len(rows)} rows; the limit is {max_rows} (ASSESS_MAX_BATCH_ROWS)"
        )
    if not rows:
        raise LimitExceededError("the batch has no rows")
    default = store.get(session, tenant_id, rubric_id).rubric if rubric_id else None
    versions: dict[str, str | None] = {}
    batch = Batch(id=uuid.uuid4().hex, tenant_id=tenant_id, callback_url=callback_url)
    session.add(batch)
    items = []
    for position, row in enumerate(rows):
        rid = row.rubric_id or (default.id if default else "")
        error = row.error
        if error is None and len(row.answer) > max_answer_chars:
            error = f"answer: {len(row.answer)} characters; the limit is {max_answer_chars}"
        if error is None and not rid:
            error = "rubric_id is empty: give it in the row or for the whole batch"
        if error is None and rid not in versions:
            try:
                versions[rid] = store.get(session, tenant_id, rid).rubric.version
            except NotFoundError:
                versions[rid] = None
        version = versions.get(rid)
        if error is None and version is None:
            error = f"no rubric with id {rid!r}"
        items.append(
            BatchItem(
                batch_id=batch.id,
                position=position,
                line=row.line,
                answer_id=row.answer_id,
                rubric_id=rid,
                rubric_version=version,
                answer=row.answer if error is None else "",
                state="pending" if error is None else "error",
                error=error,
            )
        )
    batch.total = len(items)
    batch.errors = batch.done = sum(1 for item in items if item.state == "error")
    batch.status = "queued"
    session.add_all(items)
    session.flush()
    return batch
