"""The LTI endpoints an LMS calls: login initiation, launch, the tool's JWKS, registration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from service.deps import SessionDep, StateDep
from service.lti import activity
from service.lti.claims import DEEP_LINKING_REQUEST
from service.lti.errors import LoginError, StateError
from service.lti.launch import auth_request_url, find_platform, start_login, verify_launch
from service.lti.registration import ToolUrls, register_dynamically, registration_tenant
from service.lti.runtime import LtiDep
from service.lti.tool_keys import public_jwks
from service.lti.web import STATE_COOKIE_PREFIX, LtiRoute, base_url, set_state_cookie
from service.web.render import TEMPLATES

router = APIRouter(prefix="/lti", tags=["lti"], route_class=LtiRoute, include_in_schema=False)
Param = Annotated[str, Query(max_length=4000)]
Field = Annotated[str, Form(max_length=4000)]


def _login(
    state: StateDep, session: SessionDep, request: Request, params: dict[str, str]
) -> Response:
    issuer, hint = params.get("iss", ""), params.get("login_hint", "")
    if not issuer or not hint:
        raise LoginError("a login initiation needs iss and login_hint; start from the LMS")
    platform = find_platform(session, issuer, params.get("client_id") or None)
    state_value, nonce = start_login(session, platform)
    launch_url = ToolUrls.at(base_url(state, request)).launch
    target = auth_request_url(platform, launch_url, state_value, nonce, params)
    response = RedirectResponse(target, status_code=302)
    set_state_cookie(state, request, response, state_value)
    return response


@router.get("/login")
def login_get(
    request: Request,
    state: StateDep,
    session: SessionDep,
    iss: Param = "",
    login_hint: Param = "",
    target_link_uri: Param = "",
    lti_message_hint: Param = "",
    client_id: Param = "",
    lti_deployment_id: Param = "",
) -> Response:
    """OIDC third-party login initiation (GET): on to the platform's authorisation endpoint."""
    return _login(state, session, request, {
        "iss": iss, "login_hint": login_hint, "lti_message_hint": lti_message_hint,
        "client_id": client_id,
    })  # fmt: skip


@router.post("/login")
def login_post(
    request: Request,
    state: StateDep,
    session: SessionDep,
    iss: Field = "",
    login_hint: Field = "",
    target_link_uri: Field = "",
    lti_message_hint: Field = "",
    client_id: Field = "",
    lti_deployment_id: Field = "",
) -> Response:
    """OIDC third-party login initiation (POST): on to the platform's authorisation endpoint."""
    return _login(state, session, request, {
        "iss": iss, "login_hint": login_hint, "lti_message_hint": lti_message_hint,
        "client_id": client_id,
    })  # fmt: skip


@router.post("/launch", response_class=HTMLResponse)
def launch(
    request: Request,
    state: StateDep,
    session: SessionDep,
    lti: LtiDep,
    id_token: Annotated[str, Form(max_length=100_000)] = "",
    state_value: Annotated[str, Form(alias="state", max_length=200)] = "",
) -> Response:
    """The launch: verify the id_token, then the activity, report or rubric picker."""
    if not state_value or not request.cookies.get(STATE_COOKIE_PREFIX + state_value):
        raise StateError(
            "the launch's state is missing or was not issued to this browser (cookies blocked, "
            "or the launch did not start at this tool's login URL); launch again from the LMS"
        )
    if not id_token:
        raise StateError("the launch carries no id_token; launch again from the LMS")
    claims = verify_launch(
        session, lti.keys, id_token, state_value, state.settings.lti_clock_leeway_seconds
    )
    if claims.message_type == DEEP_LINKING_REQUEST:
        response = activity.pick_rubric(request, state, session, claims)
    else:
        response = activity.open_activity(request, state, session, claims)
    response.delete_cookie(STATE_COOKIE_PREFIX + state_value, path="/lti/")
    return response


@router.get("/jwks")
def jwks(session: SessionDep) -> Response:
    """The tool's public keys (the signing key and the one before it)."""
    return JSONResponse(public_jwks(session), headers={"Cache-Control": "max-age=300"})


@router.get("/register/{token}", response_class=HTMLResponse)
def register(
    token: str,
    request: Request,
    state: StateDep,
    session: SessionDep,
    lti: LtiDep,
    openid_configuration: Param = "",
    registration_token: Param = "",
) -> Response:
    """LTI Dynamic Registration: the LMS opens this URL; the tool registers itself there."""
    tenant = registration_tenant(state.secret_key, token)
    if not openid_configuration:
        raise LoginError("open this URL from the LMS's dynamic registration (tool URL) field")
    platform = register_dynamically(
        lti.http, session, tenant, openid_configuration, registration_token or None,
        ToolUrls.at(base_url(state, request)),
    )  # fmt: skip
    context: dict[str, Any] = {"issuer": platform.issuer, "client_id": platform.client_id}
    return TEMPLATES.TemplateResponse(request, "lti_registered.html", context)
