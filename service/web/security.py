"""Page security: the signed session cookie, CSRF double-submit tokens, practice-link tokens."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from service.errors import AuthenticationError, ForbiddenError
from service.state import AppState

SESSION_COOKIE = "assess_session"
CSRF_COOKIE = "assess_csrf"
SESSION_SECONDS = 12 * 3600


def _signer(state: AppState, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(state.secret_key, salt=salt)


def _cookie(response: Response, name: str, value: str, request: Request, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )  # fmt: skip


def start_session(state: AppState, request: Request, response: Response, tenant_id: str) -> None:
    """Sign the tenant in: an HttpOnly, SameSite=Strict cookie signed with the secret key."""
    token = _signer(state, "session").dumps({"tenant": tenant_id})
    _cookie(response, SESSION_COOKIE, token, request, SESSION_SECONDS)


def session_tenant(state: AppState, request: Request) -> str | None:
    """The signed-in tenant's id, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        data: Any = _signer(state, "session").loads(token, max_age=SESSION_SECONDS)
    except BadSignature:
        return None
    return str(data.get("tenant")) if isinstance(data, dict) else None


def require_tenant(state: AppState, request: Request) -> str:
    """The signed-in tenant's id, or AuthenticationError (the pages redirect to sign-in)."""
    tenant = session_tenant(state, request)
    if tenant is None:
        raise AuthenticationError("sign in first")
    return tenant


def csrf_token(request: Request) -> str:
    """The browser's CSRF token, or a new one (`remember_csrf` then sets it)."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def remember_csrf(request: Request, response: Response, token: str) -> Response:
    """Set the CSRF cookie on the response whose forms carry the token."""
    _cookie(response, CSRF_COOKIE, token, request, SESSION_SECONDS)
    return response


def check_csrf(request: Request, submitted: str) -> None:
    """The form's token must equal the cookie's (double submit): another site can't read it."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, submitted):
        raise ForbiddenError("the form expired or came from another site; reload the page")


def practice_token(state: AppState, link_id: str) -> str:
    """The signed token in a practice link's URL."""
    # Untimed: a link's expiry lives in the database, where the teacher can also revoke it.
    return str(URLSafeSerializer(state.secret_key, salt="practice").dumps(link_id))


def practice_link_id(state: AppState, token: str) -> str | None:
    """The link id in a token, or None when the signature does not hold."""
    try:
        return str(URLSafeSerializer(state.secret_key, salt="practice").loads(token))
    except BadSignature:
        return None
