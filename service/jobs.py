"""In-process batch jobs: a worker thread grades pending rows a chunk at a time.

A chunk's results and its rows' state are committed in one transaction, so a process killed
at any moment leaves each row either graded (never graded again) or pending (graded on the
resumed run): every answer ends with exactly one result.
"""

from __future__ import annotations

import logging
import queue
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from assess import AnswerRequest, AssessError
from rubrics import Rubric
from service.calibrations import tenant_grader
from service.errors import NotFoundError
from service.orm import Batch, BatchItem, Tenant, utcnow
from service.state import AppState
from service.webhooks import deliver

log = logging.getLogger("assess.service")
DEFAULT_CHUNK = 16


def batch_data(batch: Batch) -> dict[str, object]:
    """A batch's progress as sent in the webhook."""
    return {
        "id": batch.id,
        "status": batch.status,
        "total": batch.total,
        "done": batch.done,
        "errors": batch.errors,
    }


class JobRunner:
    """Grades queued batches one after another in a daemon thread."""

    def __init__(self, state: AppState, chunk: int = DEFAULT_CHUNK) -> None:
        self.state = state
        self.sessions: sessionmaker[Session] = state.sessions
        self.chunk = chunk
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker and queue every batch a previous run left unfinished."""
        with self.sessions() as session:
            unfinished = session.scalars(
                select(Batch.id)
                .where(
                    (Batch.status != "done")
                    | ((Batch.webhook_status == "pending") & Batch.callback_url.is_not(None))
                )
                .order_by(Batch.created_at)
            ).all()
        for batch_id in unfinished:
            self._queue.put(batch_id)
        self._thread = threading.Thread(target=self._work, name="assess-jobs", daemon=True)
        self._thread.start()
        if unfinished:
            log.info("resuming batches", extra={"count": len(unfinished)})

    def submit(self, batch_id: str) -> None:
        """Queue a new batch."""
        self._queue.put(batch_id)

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the chunk in hand and stop; unfinished batches resume at the next start."""
        self._stop.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while not self._stop.is_set():
            batch_id = self._queue.get()
            if batch_id is None:
                return
            try:
                self.run(batch_id)
            except Exception:  # a bug in one batch must not stop the others
                log.exception("batch failed", extra={"batch_id": batch_id})

    def _rubric(self, session: Session, item: BatchItem, tenant_id: str) -> Rubric | None:
        try:
            return self.state.store.get_version(
                session, tenant_id, item.rubric_id, item.rubric_version or ""
            )
        except NotFoundError:
            return None

    def run_chunk(self, batch_id: str) -> bool:
        """Grade the next chunk of pending rows; False when none is left.

        Rows are read, then graded with no transaction open (SQLite has one writer, and the
        API must not wait on the encoder), then written with their new state in one short
        transaction.
        """
        with self.sessions() as session:
            batch = session.get(Batch, batch_id)
            if batch is None:
                return False
            items = session.scalars(
                select(BatchItem)
                .where(BatchItem.batch_id == batch_id, BatchItem.state == "pending")
                .order_by(BatchItem.position)
                .limit(self.chunk)
            ).all()
            if not items:
                return False
            pairs = [(item, self._rubric(session, item, batch.tenant_id)) for item in items]
            # The batch's tenant's calibrations of these rubric versions, never another's.
            grader = tenant_grader(
                self.state.grader, session, batch.tenant_id, [r for _, r in pairs if r is not None]
            )
        requests = [
            AnswerRequest(rubric, item.answer, item.answer_id)
            for item, rubric in pairs
            if rubric is not None
        ]
        with self.state.grader_lock:
            outcomes = iter(grader.assess_many(requests))
        with self.sessions.begin() as session:
            batch = session.get(Batch, batch_id)
            assert batch is not None
            batch.status = "running"
            for item, rubric in pairs:
                outcome = next(outcomes) if rubric is not None else None
                row = session.get(BatchItem, item.id)
                if row is None or row.state != "pending":
                    continue  # only this thread grades; kept as a guard against a double write
                if outcome is None:
                    row.state, row.error = "error", f"rubric {row.rubric_id!r} is gone"
                elif isinstance(outcome, AssessError):
                    row.state, row.error = "error", str(outcome)
                else:
                    row.state, row.result = "done", outcome.model_dump(mode="json")
                batch.done += 1
                batch.errors += row.state == "error"
                self.state.metrics.batch_rows.labels(outcome=row.state).inc()
        return not self._stop.is_set()

    def run(self, batch_id: str) -> None:
        """Grade a batch to the end, then mark it done and send its webhook."""
        while self.run_chunk(batch_id):
            pass
        if self._stop.is_set():
            return
        with self.sessions.begin() as session:
            batch = session.get(Batch, batch_id)
            if batch is None:
                return
            pending = session.scalar(
                select(func.count())
                .select_from(BatchItem)
                .where(BatchItem.batch_id == batch_id, BatchItem.state == "pending")
            )
            if pending:
                return
            if batch.status != "done":
                batch.status, batch.finished_at = "done", utcnow()
                if batch.callback_url:
                    batch.webhook_status = "pending"
            tenant = session.get(Tenant, batch.tenant_id)
            url, data = batch.callback_url, batch_data(batch)
            send = batch.webhook_status == "pending" and tenant is not None
            secret = tenant.webhook_secret if tenant is not None else ""
        if send and url:
            sent = deliver(url, secret, "batch.completed", data)
            with self.sessions.begin() as session:
                batch = session.get(Batch, batch_id)
                if batch is not None:
                    batch.webhook_status = "sent" if sent else "failed"
