"""ASGI middleware: body size limit, access log and metrics (no body is ever logged)."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.problems import problem
from service.state import AppState

log = logging.getLogger("assess.service")


class BodyLimitMiddleware:
    """Refuse a request body over `limit` bytes with 413, whether or not it says its length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check Content-Length, then count the bytes as they arrive."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge()
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413, f"the request body is over {self.limit} bytes (ASSESS_MAX_UPLOAD_BYTES)"
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class FramingMiddleware:
    """Only the LTI pages may be shown inside another site's frame (the LMS's).

    Every other response says `X-Frame-Options: DENY` and `frame-ancestors 'none'`, so the
    teacher's and practice pages cannot be framed by a site that would trick a click.
    """

    def __init__(self, app: ASGIApp, framed_prefix: str = "/lti/") -> None:
        self.app = app
        self.framed_prefix = framed_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the framing headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        framed = str(scope.get("path", "")).startswith(self.framed_prefix)

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if framed:
                    headers.append((b"content-security-policy", b"frame-ancestors *"))
                else:
                    headers.append((b"x-frame-options", b"DENY"))
                    headers.append((b"content-security-policy", b"frame-ancestors 'none'"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, headed)


class ObserveMiddleware:
    """Count and time every request by route template, and log one JSON line for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting its status and duration."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route: Any = scope.get("route")
        # The template (/v1/assessments/{assessment_id}), never the concrete path: ids stay
        # out of the metric labels, and unknown paths fold into one label.
        template = getattr(route, "path", None) or "(unmatched)"
        method = scope["method"]
        state: AppState | None = getattr(scope["app"].state, "assess", None)
        if state is not None:
            state.metrics.requests.labels(method, template, str(status)).inc()
            state.metrics.latency.labels(method, template).observe(seconds)
        log.info(
            "request",
            extra={
                "method": method,
                "route": template,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            },  # fmt: skip
        )
