"""Score passback as a persisted outbox: a score is written with its assessment, then posted.

No score is lost: the row is committed in the same transaction as the assessment, and stays
`pending` until the platform accepts it, retried with exponential back-off by a worker
thread (and at start-up after a crash). No score is posted twice: a poster first claims the
row (`pending` -> `sending` in one conditional UPDATE), so two posters never send the same
row, and a sent row is never sent again. A row stuck in `sending` by a crash is put back to
`pending` at start-up; its payload and timestamp are unchanged, so the platform (which keeps
the latest timestamp) records the same grade.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service.lti.ags import AgsClient, PlatformAccess
from service.lti.errors import PassbackError
from service.lti.orm import LtiLink, LtiPlatform, LtiScore
from service.lti.tool_keys import signing_key
from service.orm import utcnow

log = logging.getLogger("assess.service")
MAX_DELAY_SECONDS = 6 * 3600
BATCH = 50


@dataclass(frozen=True)
class _Claimed:
    score_id: int
    link_id: int
    payload: dict[str, object]
    access: PlatformAccess
    lineitem_url: str | None
    lineitems_url: str | None
    resource_link_id: str
    label: str


class ScoreOutbox:
    """Posts pending scores, now and later; the worker thread retries the failed ones."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        ags: AgsClient,
        base_seconds: float,
        max_attempts: int,
    ) -> None:
        self.sessions = sessions
        self.ags = ags
        self.base_seconds = base_seconds
        self.max_attempts = max_attempts
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Put rows a crash left in `sending` back to `pending`, then start the worker."""
        with self.sessions.begin() as session:
            session.execute(
                update(LtiScore).where(LtiScore.status == "sending").values(status="pending")
            )
        self._thread = threading.Thread(target=self._work, name="assess-lti-outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker after the post in hand."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # a bug must not stop later passbacks
                log.exception("score passback loop failed", extra={"event": "lti.passback"})
            self._wake.wait(min(5.0, self.base_seconds))
            self._wake.clear()

    def run_due(self) -> int:
        """Post every pending score whose time has come; the number sent."""
        with self.sessions() as session:
            due = session.scalars(
                select(LtiScore.id)
                .where(LtiScore.status == "pending", LtiScore.next_attempt_at <= utcnow())
                .order_by(LtiScore.next_attempt_at)
                .limit(BATCH)
            ).all()
        return sum(self.deliver(score_id) == "sent" for score_id in due)

    def _claim(self, score_id: int) -> _Claimed | None:
        with self.sessions.begin() as session:
            claimed = session.execute(
                update(LtiScore)
                .where(LtiScore.id == score_id, LtiScore.status == "pending")
                .values(status="sending")
                .execution_options(synchronize_session=False)
            )
            if getattr(claimed, "rowcount", 0) != 1:
                return None
            row = session.get(LtiScore, score_id)
            assert row is not None
            link = session.get(LtiLink, row.link_id)
            assert link is not None
            platform = session.get(LtiPlatform, link.platform_id)
            assert platform is not None
            return _Claimed(
                score_id=row.id,
                link_id=link.id,
                payload=dict(row.score),
                access=PlatformAccess(platform.id, platform.client_id, platform.token_url),
                lineitem_url=link.lineitem_url,
                lineitems_url=link.lineitems_url,
                resource_link_id=link.resource_link_id,
                label=link.title or link.rubric_id,
            )

    def deliver(self, score_id: int) -> str:
        """Try to post one score now (if it is pending); its status afterwards."""
        claimed = self._claim(score_id)
        if claimed is not None:
            error = self._post(claimed)
            self._finish(claimed, error)
        with self.sessions() as session:
            row = session.get(LtiScore, score_id)
            return row.status if row is not None else "missing"

    def _post(self, claimed: _Claimed) -> str | None:
        try:
            with self.sessions() as session:
                key = signing_key(session)
                session.commit()
            lineitem = claimed.lineitem_url
            if lineitem is None and claimed.lineitems_url:
                lineitem = self.ags.find_or_create_lineitem(
                    claimed.access, key, claimed.lineitems_url, claimed.resource_link_id,
                    claimed.label, float(str(claimed.payload["scoreMaximum"])),
                )  # fmt: skip
                with self.sessions.begin() as session:
                    link = session.get(LtiLink, claimed.link_id)
                    if link is not None:
                        link.lineitem_url = lineitem
            if lineitem is None:
                raise PassbackError("the platform offered no grade service for this activity")
            self.ags.post_score(claimed.access, key, lineitem, claimed.payload)
        except PassbackError as exc:
            log.warning("score passback failed: %s", exc, extra={"event": "lti.passback"})
            return str(exc)
        return None

    def _finish(self, claimed: _Claimed, error: str | None) -> None:
        with self.sessions.begin() as session:
            row = session.get(LtiScore, claimed.score_id)
            assert row is not None
            if error is None:
                row.status, row.sent_at, row.last_error = "sent", utcnow(), None
                return
            row.attempts += 1
            row.last_error = error
            if row.attempts >= self.max_attempts:
                row.status = "failed"
                return
            delay = min(MAX_DELAY_SECONDS, self.base_seconds * 2 ** (row.attempts - 1))
            row.status, row.next_attempt_at = "pending", utcnow() + timedelta(seconds=delay)

    def requeue(self, session: Session, link_id: int) -> int:
        """Queue the activity's failed and waiting scores to be posted at once (a teacher's
        re-send); sent scores are left alone, so none is posted twice."""
        rows = session.scalars(
            select(LtiScore).where(
                LtiScore.link_id == link_id, LtiScore.status.in_(("pending", "failed"))
            )
        ).all()
        for row in rows:
            row.status, row.attempts, row.next_attempt_at = "pending", 0, utcnow()
        return len(rows)

    def wake(self) -> None:
        """Ask the worker to look for due scores now."""
        self._wake.set()
