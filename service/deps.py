"""FastAPI dependencies, as `Annotated` aliases: state, session, grader, the calling tenant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from assess import Grader
from service.errors import AuthenticationError, NotReadyError
from service.orm import Tenant
from service.settings import Settings, get_settings
from service.state import AppState
from service.tenants import hash_key, tenant_for_key


def get_state(request: Request) -> AppState:
    """The running app's state (set by the lifespan)."""
    state: AppState | None = getattr(request.app.state, "assess", None)
    if state is None:
        raise NotReadyError("the service is starting; retry in a moment")
    return state


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(state: StateDep) -> Iterator[Session]:
    """A database session per request, committed when the handler returns normally."""
    with state.sessions() as session:
        yield session
        session.commit()


# scope="function": commit before the response is sent, so a client that reads right after
# a write (a redirect, an LMS retry) sees it, and a failed commit is never reported as done.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_grader(state: StateDep) -> Grader:
    """The grader loaded at start-up."""
    return state.grader


GraderDep = Annotated[Grader, Depends(get_grader)]

bearer = HTTPBearer(auto_error=False, description="an API key from `assess keys create`")


def current_tenant(
    state: StateDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Tenant:
    """The tenant of the request's API key; rate-limited per key."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationError("missing API key: send `Authorization: Bearer KEY`")
    tenant = tenant_for_key(session, credentials.credentials)
    state.limiter.check(hash_key(credentials.credentials))
    return tenant


TenantDep = Annotated[Tenant, Depends(current_tenant)]
