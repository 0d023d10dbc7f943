"""OIDC third-party login and id_token verification: the security core of every launch.

Login (`start_login`): find the platform, issue a nonce and a state (kept in the database,
the state also in a cookie of this browser), and send the browser to the platform's
authorisation endpoint. Launch (`verify_launch`): the id_token's signature against the
platform's JWKS, `iss`, `aud`/`azp`, `exp`/`iat` with a small leeway, the nonce (used once,
and issued together with this state), and a registered deployment id.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, JoseError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from service.lti.claims import DEPLOYMENT_ID, Launch, read_launch
from service.lti.errors import (
    DeploymentError,
    LoginError,
    NonceError,
    TokenError,
    UnknownPlatformError,
)
from service.lti.orm import LtiDeployment, LtiNonce, LtiPlatform
from service.lti.platform_keys import PlatformKeys
from service.orm import utcnow

NONCE_LIFETIME = timedelta(minutes=10)
ALGORITHMS = ["RS256"]


def find_platform(session: Session, issuer: str, client_id: str | None) -> LtiPlatform:
    """The platform registered with this issuer (and client id, when given)."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    found = session.scalars(query).all()
    if not found:
        raise UnknownPlatformError(
            f"no platform is registered with issuer {issuer!r}"
            + (f" and client id {client_id!r}" if client_id else "")
            + "; register it with `assess lti add-platform` or dynamic registration"
        )
    if len(found) > 1:
        raise LoginError(
            f"several clients of issuer {issuer!r} are registered; the platform must send client_id"
        )
    return found[0]


def start_login(session: Session, platform: LtiPlatform) -> tuple[str, str]:
    """A new (state, nonce) pair for this platform; expired unused ones are cleared."""
    session.execute(delete(LtiNonce).where(LtiNonce.created_at < utcnow() - 2 * NONCE_LIFETIME))
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(LtiNonce(nonce=nonce, state=state, platform_id=platform.id))
    return state, nonce


def auth_request_url(
    platform: LtiPlatform, launch_url: str, state: str, nonce: str, params: dict[str, str]
) -> str:
    """The platform's authorisation URL for this login (OIDC implicit flow, form_post)."""
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": launch_url,
        "login_hint": params["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_url else "?"
    return platform.auth_url + separator + urlencode(query)


def _unverified(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims before the signature is checked: only to find the platform's key."""
    try:
        compact = jws.extract_compact(id_token.encode())
        claims = json.loads(compact.payload)
    except (JoseError, ValueError) as exc:
        raise TokenError(f"the id_token is not a signed JWT: {exc}") from exc
    if not isinstance(claims, dict):
        raise TokenError("the id_token's payload is not a JSON object")
    return compact.headers(), claims


def _audience(claims: dict[str, Any]) -> list[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    if isinstance(aud, list) and all(isinstance(a, str) for a in aud):
        return aud
    raise TokenError("the id_token has no audience (aud)")


def _platform_of(session: Session, claims: dict[str, Any]) -> LtiPlatform:
    issuer, audience, azp = claims.get("iss"), _audience(claims), claims.get("azp")
    if not isinstance(issuer, str):
        raise TokenError("the id_token has no issuer (iss)")
    if len(audience) > 1 and azp is None:
        raise TokenError("the id_token names several audiences but no azp")
    client_ids = [azp] if isinstance(azp, str) else audience
    rows = session.scalars(
        select(LtiPlatform).where(
            LtiPlatform.issuer == issuer, LtiPlatform.client_id.in_(client_ids)
        )
    ).all()
    if len(rows) != 1 or rows[0].client_id not in audience:
        raise TokenError(
            f"the id_token's audience {audience} is not a client id registered for {issuer!r}"
        )
    return rows[0]


def verify_id_token(
    session: Session, keys: PlatformKeys, id_token: str, leeway: int
) -> tuple[LtiPlatform, dict[str, Any]]:
    """The platform and claims of a genuine id_token meant for this tool."""
    header, unverified = _unverified(id_token)
    if header.get("alg") not in ALGORITHMS:
        raise TokenError(f"the id_token is signed with {header.get('alg')!r}; expected RS256")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenError("the id_token's header has no kid")
    platform = _platform_of(session, unverified)
    key = keys.key(platform.jwks_url, kid)
    try:
        token = jwt.decode(id_token, key, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=leeway,
            iss={"essential": True, "value": platform.issuer},
            aud={"essential": True, "value": platform.client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True},
        ).validate(token.claims)
    except ExpiredTokenError as exc:
        raise TokenError("the id_token has expired; launch the activity again") from exc
    except JoseError as exc:
        raise TokenError(f"the id_token does not hold: {exc}") from exc
    azp = token.claims.get("azp")
    if azp is not None and azp != platform.client_id:
        raise TokenError(f"the id_token's azp {azp!r} is not this tool's client id")
    return platform, token.claims


def use_nonce(session: Session, nonce: str, state: str, platform_id: int) -> None:
    """Mark the nonce used: it must be ours, issued with this state, recent and unused."""
    row = session.get(LtiNonce, nonce)
    if row is None or row.platform_id != platform_id or row.state != state:
        raise NonceError("the id_token's nonce was not issued for this login")
    if row.created_at < utcnow() - NONCE_LIFETIME:
        raise NonceError("the login is too old; launch the activity again")
    # One UPDATE that only an unused row matches: two racing launches cannot both pass.
    done = session.execute(
        update(LtiNonce)
        .where(LtiNonce.nonce == nonce, LtiNonce.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise NonceError("this launch was used already (a replayed nonce); launch it again")


def check_deployment(session: Session, platform_id: int, claims: dict[str, Any]) -> str:
    """The launch's deployment id, which must be registered for the platform."""
    deployment = claims.get(DEPLOYMENT_ID)
    if not isinstance(deployment, str) or not deployment:
        raise TokenError(f"the id_token has no {DEPLOYMENT_ID}")
    known = session.scalar(
        select(LtiDeployment.id).where(
            LtiDeployment.platform_id == platform_id, LtiDeployment.deployment_id == deployment
        )
    )
    if known is None:
        raise DeploymentError(
            f"deployment {deployment!r} is not registered for this platform; add it with "
            "`assess lti add-platform ... --deployment-id`"
        )
    return deployment


def verify_launch(
    session: Session, keys: PlatformKeys, id_token: str, state: str, leeway: int
) -> Launch:
    """Everything a launch must pass, in order; the nonce is spent only by a valid token."""
    platform, claims = verify_id_token(session, keys, id_token, leeway)
    check_deployment(session, platform.id, claims)
    use_nonce(session, str(claims["nonce"]), state, platform.id)
    return read_launch(claims, platform.id, platform.tenant_id)
