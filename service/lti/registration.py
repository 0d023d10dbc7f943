"""Registering platforms: by hand (`assess lti add-platform`) or by LTI Dynamic Registration.

Dynamic registration: the administrator pastes the tool's registration URL (which carries a
signed token naming the tenant) into the LMS; the LMS opens it with `openid_configuration`
and `registration_token`; the tool reads the platform's OpenID configuration, POSTs its own
client registration, and stores the platform, client id and deployment for that tenant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.lti.claims import (
    DEEP_LINKING_REQUEST,
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READ,
    SCOPE_RESULT_READ,
    SCOPE_SCORE,
)
from service.lti.errors import RegistrationError, RegistrationUrlError
from service.lti.orm import LtiDeployment, LtiPlatform
from service.lti.tool_keys import ensure_key
from service.tenants import get_or_create_tenant

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
TOOL_NAME = "assess"


@dataclass(frozen=True)
class ToolUrls:
    """The URLs an LMS administrator pastes into the LMS."""

    login: str
    launch: str
    jwks: str
    deep_linking: str

    @classmethod
    def at(cls, base_url: str) -> ToolUrls:
        """The tool's URLs under its public base URL."""
        base = base_url.rstrip("/")
        return cls(f"{base}/lti/login", f"{base}/lti/launch", f"{base}/lti/jwks",
                   f"{base}/lti/launch")  # fmt: skip


def add_platform(
    session: Session,
    tenant_name: str,
    *,
    issuer: str,
    client_id: str,
    deployment_id: str,
    auth_url: str,
    token_url: str,
    jwks_url: str,
) -> LtiPlatform:
    """Register (or update) a platform for a tenant and add the deployment id."""
    tenant = get_or_create_tenant(session, tenant_name)
    platform = session.scalar(
        select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id)
    )
    if platform is not None and platform.tenant_id != tenant.id:
        raise RegistrationError(
            f"issuer {issuer!r} with client id {client_id!r} belongs to another tenant"
        )
    if platform is None:
        platform = LtiPlatform(
            tenant_id=tenant.id, issuer=issuer, client_id=client_id,
            auth_url=auth_url, token_url=token_url, jwks_url=jwks_url,
        )  # fmt: skip
        session.add(platform)
        session.flush()
    else:
        platform.auth_url, platform.token_url, platform.jwks_url = auth_url, token_url, jwks_url
    known = session.scalar(
        select(LtiDeployment).where(
            LtiDeployment.platform_id == platform.id, LtiDeployment.deployment_id == deployment_id
        )
    )
    if known is None:
        session.add(LtiDeployment(platform_id=platform.id, deployment_id=deployment_id))
    ensure_key(session)
    session.flush()
    return platform


def registration_token(secret_key: str, tenant_name: str) -> str:
    """The signed token in a tenant's dynamic registration URL."""
    return str(URLSafeSerializer(secret_key, salt="lti-register").dumps(tenant_name))


def registration_tenant(secret_key: str, token: str) -> str:
    """The tenant a registration URL was made for."""
    try:
        return str(URLSafeSerializer(secret_key, salt="lti-register").loads(token))
    except BadSignature as exc:
        raise RegistrationUrlError(
            "this registration URL is not genuine; print one with `assess lti registration-url`"
        ) from exc


def client_metadata(urls: ToolUrls) -> dict[str, Any]:
    """The tool's OpenID client registration, with its LTI tool configuration."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login,
        "redirect_uris": [urls.launch],
        "client_name": TOOL_NAME,
        "jwks_uri": urls.jwks,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join([SCOPE_SCORE, SCOPE_LINEITEM, SCOPE_LINEITEM_READ, SCOPE_RESULT_READ]),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(urls.launch).netloc,
            "target_link_uri": urls.launch,
            "claims": ["iss", "sub", "name"],
            "messages": [
                {
                    "type": DEEP_LINKING_REQUEST,
                    "target_link_uri": urls.deep_linking,
                    "label": "assess: answer with per-point feedback",
                },
            ],  # fmt: skip
        },
    }


def _json(answer: httpx.Response, what: str) -> dict[str, Any]:
    if not answer.is_success:
        raise RegistrationError(f"the platform's {what} answered HTTP {answer.status_code}")
    try:
        body = answer.json()
    except ValueError as exc:
        raise RegistrationError(f"the platform's {what} is not JSON") from exc
    if not isinstance(body, dict):
        raise RegistrationError(f"the platform's {what} is not a JSON object")
    return body


def register_dynamically(
    client: httpx.Client,
    session: Session,
    tenant_name: str,
    config_url: str,
    registration_token: str | None,
    urls: ToolUrls,
) -> LtiPlatform:
    """Run LTI Dynamic Registration against a platform and store what it answers."""
    try:
        config = _json(client.get(config_url), "openid-configuration")
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                  "registration_endpoint")  # fmt: skip
        missing = [name for name in needed if not isinstance(config.get(name), str)]
        if missing:
            raise RegistrationError(f"the platform's configuration lacks {', '.join(missing)}")
        # Not required to share the configuration's host: Instructure's Canvas serves it
        # from sso.canvaslms.com with the issuer https://canvas.instructure.com.
        if urlsplit(config["issuer"]).scheme not in ("https", "http"):
            raise RegistrationError("the platform's issuer is not an http(s) URL")
        headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
        answer = client.post(
            config["registration_endpoint"], json=client_metadata(urls), headers=headers
        )
        registered = _json(answer, "registration endpoint")
    except httpx.HTTPError as exc:
        raise RegistrationError(f"the platform could not be reached: {exc}") from exc
    client_id = registered.get("client_id")
    deployment = (registered.get(TOOL_CONFIGURATION) or {}).get("deployment_id")
    if not isinstance(client_id, str) or not client_id:
        raise RegistrationError("the platform's registration answer has no client_id")
    if not isinstance(deployment, str | int) or str(deployment) == "":
        raise RegistrationError("the platform's registration answer has no deployment_id")
    return add_platform(
        session, tenant_name, issuer=config["issuer"], client_id=client_id,
        deployment_id=str(deployment), auth_url=config["authorization_endpoint"],
        token_url=config["token_endpoint"], jwks_url=config["jwks_uri"],
    )  # fmt: skip
