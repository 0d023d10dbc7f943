"""Shared pieces of the LTI pages: HTML error pages, signed page tokens, base URL, cookies."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from itsdangerous import BadSignature, URLSafeTimedSerializer

from assess import USER_ERRORS
from service.errors import ServiceError
from service.lti.errors import LTI_ERROR_STATUS, LaunchExpiredError, LtiError
from service.problems import status_for
from service.state import AppState
from service.web.render import TEMPLATES

log = logging.getLogger("assess.service")
PAGE_TOKEN_SECONDS = 8 * 3600  # a learner may take a while over an essay
STATE_COOKIE_PREFIX = "lti_state_"
STATE_COOKIE_SECONDS = 600


def lti_status(exc: Exception) -> int:
    """The status of an error on an LTI page."""
    for cls in type(exc).__mro__:
        if cls in LTI_ERROR_STATUS:
            return LTI_ERROR_STATUS[cls]
    return status_for(exc)


def error_page(request: Request, exc: Exception) -> Response:
    """A clear HTML page for a refused launch or request, and one log line."""
    status = 422 if isinstance(exc, RequestValidationError) else lti_status(exc)
    detail = str(exc) if status < 500 or isinstance(exc, LtiError) else "internal error"
    if isinstance(exc, RequestValidationError):
        detail = "the request is missing a field the LMS should have sent"
    log.warning(
        "lti request refused: %s", detail,
        extra={"event": "lti.refused", "error": type(exc).__name__, "status": status},
    )  # fmt: skip
    return TEMPLATES.TemplateResponse(
        request, "lti_error.html", {"detail": detail, "status": status}, status_code=status
    )


class LtiRoute(APIRoute):
    """A route whose known errors become HTML pages (the user sees them inside the LMS)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler: LTI, service, engine and validation errors become pages."""
        handler = super().get_route_handler()
        handled: tuple[type[Exception], ...] = (
            LtiError, ServiceError, RequestValidationError, *USER_ERRORS,
        )  # fmt: skip

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except handled as exc:
                return error_page(request, exc)

        return guarded


def base_url(state: AppState, request: Request) -> str:
    """The tool's public base URL: ASSESS_PUBLIC_URL, else this request's."""
    return (state.settings.public_url or str(request.base_url)).rstrip("/")


def sign_page_token(state: AppState, kind: str, data: dict[str, Any]) -> str:
    """A signed, timed token that carries a launch's context to the page's next request."""
    return URLSafeTimedSerializer(state.secret_key, salt=f"lti-{kind}").dumps(data)


def read_page_token(state: AppState, kind: str, token: str) -> dict[str, Any]:
    """The data of a page token; a forged or expired one is a LaunchExpiredError."""
    try:
        data = URLSafeTimedSerializer(state.secret_key, salt=f"lti-{kind}").loads(
            token, max_age=PAGE_TOKEN_SECONDS
        )
    except BadSignature as exc:
        raise LaunchExpiredError(
            "this page's launch has expired; open the activity again from your course"
        ) from exc
    if not isinstance(data, dict):
        raise LaunchExpiredError("this page's launch is not readable; open the activity again")
    return data


def set_state_cookie(state: AppState, request: Request, response: Response, value: str) -> None:
    """Bind the login's state to this browser. The platform posts the launch back from its
    own site, so over HTTPS the cookie is SameSite=None; Secure (Lax on plain-HTTP dev)."""
    secure = base_url(state, request).startswith("https://")
    response.set_cookie(
        STATE_COOKIE_PREFIX + value, "1", max_age=STATE_COOKIE_SECONDS, path="/lti/",
        httponly=True, secure=secure, samesite="none" if secure else "lax",
    )  # fmt: skip
