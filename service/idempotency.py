"""`Idempotency-Key` on POST: the first response is stored and replayed for a retry.

The same key with another method, path or body is refused (422); a retry that arrives while
the first request is still running gets 409. Keys are scoped by the caller's credentials.
A key is kept for `ASSESS_IDEMPOTENCY_TTL_HOURS` (default 24): a retry is a matter of minutes,
and stored responses must not grow without bound; older records are swept at most once a
minute, and an expired key counts as new.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.orm import IdempotencyRecord, utcnow
from service.problems import problem
from service.state import AppState

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
SWEEP_EVERY_SECONDS = 60.0


def _digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


class IdempotencyMiddleware:
    """Replays stored responses for POSTs that repeat an Idempotency-Key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._swept_at = float("-inf")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle a POST with the header; anything else passes straight through."""
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        key_raw = headers.get(HEADER)
        state: AppState | None = getattr(scope["app"].state, "assess", None)
        if scope["type"] != "http" or scope["method"] != "POST" or not key_raw or state is None:
            await self.app(scope, receive, send)
            return
        key = key_raw.decode("latin-1")
        if len(key) > MAX_KEY_LENGTH:
            await problem(422, f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters")(
                scope, receive, send
            )
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        scope_hash = _digest(headers.get(b"authorization", b""), headers.get(b"cookie", b""))
        fingerprint = _digest(scope["path"].encode(), scope.get("query_string", b""), body)
        replay = self._claim(state, scope_hash, key, fingerprint)
        if replay is not None:
            await replay(scope, receive, send)
            return
        await self._forward(state, scope, send, body, scope_hash, key)

    def _claim(
        self, state: AppState, scope_hash: str, key: str, fingerprint: str
    ) -> ASGIApp | None:
        """None when this request is the first with the key; else the response to send."""
        oldest = utcnow() - timedelta(hours=state.settings.idempotency_ttl_hours)
        self._sweep(state, oldest)
        with state.sessions() as session:
            record = session.scalar(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.scope == scope_hash, IdempotencyRecord.key == key
                )
            )
            if record is not None and record.created_at < oldest:
                session.delete(record)  # expired: this request is the key's first again
                session.commit()
                record = None
            if record is None:
                session.add(IdempotencyRecord(scope=scope_hash, key=key, fingerprint=fingerprint))
                try:
                    session.commit()
                    return None
                except IntegrityError:  # a concurrent twin claimed it first
                    session.rollback()
                    return problem(409, "a request with this Idempotency-Key is in progress")
        if record.fingerprint != fingerprint:
            return problem(
                422,
                "this Idempotency-Key was used with a different request; use a new key",
            )
        if record.status_code is None:
            return problem(409, "a request with this Idempotency-Key is in progress")
        return _Stored(record)

    def _sweep(self, state: AppState, oldest: datetime) -> None:
        """Delete expired records, at most once a minute per process."""
        now = time.monotonic()
        if now - self._swept_at < SWEEP_EVERY_SECONDS:
            return
        self._swept_at = now
        with state.sessions.begin() as session:
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.created_at < oldest,
                    IdempotencyRecord.status_code.is_not(None),
                )
            )

    async def _forward(
        self, state: AppState, scope: Scope, send: Send, body: bytes, scope_hash: str, key: str
    ) -> None:
        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status, chunks = 500, []
        kept: dict[str, str] = {}

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() in (b"content-type", b"location"):
                        kept[name.lower().decode()] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            self._settle(state, scope_hash, key, status, kept, b"".join(chunks))

    def _settle(
        self,
        state: AppState,
        scope_hash: str,
        key: str,
        status: int,
        kept: dict[str, str],
        body: bytes,
    ) -> None:
        where = (IdempotencyRecord.scope == scope_hash, IdempotencyRecord.key == key)
        with state.sessions.begin() as session:
            # A 5xx or a 429 is worth retrying: forget the key instead of replaying it.
            if status >= 500 or status == 429:
                session.execute(delete(IdempotencyRecord).where(*where))
                return
            record = session.scalar(select(IdempotencyRecord).where(*where))
            if record is not None:
                record.status_code, record.body = status, body
                record.content_type, record.location = (
                    kept.get("content-type"),
                    kept.get("location"),
                )


class _Stored:
    """A stored response, sent again with `Idempotent-Replayed: true`."""

    def __init__(self, record: IdempotencyRecord) -> None:
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the stored status, content type and body."""
        headers = [(b"idempotent-replayed", b"true")]
        if self.record.content_type:
            headers.append((b"content-type", self.record.content_type.encode("latin-1")))
        if self.record.location:
            headers.append((b"location", self.record.location.encode("latin-1")))
        await send({"type": "http.response.start", "status": self.record.status_code,
                    "headers": headers})  # fmt: skip
        await send({"type": "http.response.body", "body": self.record.body or b""})
