"""A simulated LMS platform: a real web app with its own keys, served on loopback.

It plays the LMS's part of LTI 1.3 over real HTTP: an OIDC authorisation endpoint that
answers with a signed id_token, its JWKS, an OAuth 2.0 token endpoint that checks the tool's
client assertion against the tool's own JWKS (fetched over HTTP), AGS line items and scores,
the deep-linking return endpoint, and a dynamic registration endpoint.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Form, Header, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
]
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


def new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "alg": "RS256"})


@dataclass
class Message:
    """A launch the platform will send: who, in which role, to which resource link."""

    user: str
    roles: list[str]
    message_type: str = "LtiResourceLinkRequest"
    resource_link_id: str | None = None
    name: str | None = None


@dataclass
class Received:
    """A score as the platform received it, with the bearer token it came with."""

    lineitem: str
    body: dict[str, Any]
    token: str
    content_type: str


@dataclass
class Platform:
    """The LMS's state; `app` serves it, tests read and steer it directly."""

    url: str = ""
    client_id: str = "assess-client"
    deployment_id: str = "deployment-1"
    tool_login: str = ""
    tool_launch: str = ""
    tool_jwks: str = ""
    registration_token: str = "reg-token-1"
    keys: list[RSAKey] = field(default_factory=lambda: [new_key()])
    published: int = 1
    messages: dict[str, Message] = field(default_factory=dict)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    lineitems: dict[str, dict[str, Any]] = field(default_factory=dict)
    scores: list[Received] = field(default_factory=list)
    tokens: dict[str, list[str]] = field(default_factory=dict)
    token_requests: int = 0
    refuse_scores: int = 0
    deep_link_returns: list[dict[str, Any]] = field(default_factory=list)
    registrations: list[dict[str, Any]] = field(default_factory=list)

    # ---- what a test asks of the platform -------------------------------------------------
    def rotate_key(self) -> RSAKey:
        """A new signing key, published alongside the old one."""
        self.keys.insert(0, new_key())
        self.published = 2
        return self.keys[0]

    def add_link(self, custom: dict[str, str], score_maximum: float | None = 3.0) -> str:
        """A resource link in the course (as if deep-linked), with a line item."""
        link_id = uuid.uuid4().hex[:12]
        self.links[link_id] = {"custom": custom, "lineitem": None, "title": "Track II"}
        if score_maximum is not None:
            item = self._new_lineitem(link_id, score_maximum, "Track II")
            self.links[link_id]["lineitem"] = item["id"]
        return link_id

    def login_url(self, message: Message) -> str:
        """The tool's login initiation URL for a launch, as the LMS would send the browser."""
        hint = secrets.token_urlsafe(8)
        self.messages[hint] = message
        query = {
            "iss": self.url, "login_hint": message.user, "target_link_uri": self.tool_launch,
            "lti_message_hint": hint, "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }  # fmt: skip
        return f"{self.tool_login}?{urlencode(query)}"

    def claims(self, message: Message, nonce: str) -> dict[str, Any]:
        """The id_token claims of a launch."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url, "aud": self.client_id, "azp": self.client_id, "sub": message.user,
            "exp": now + 300, "iat": now, "nonce": nonce, "name": message.name,
            LTI + "deployment_id": self.deployment_id,
            LTI + "message_type": message.message_type, LTI + "version": "1.3.0",
            LTI + "roles": message.roles, LTI + "context": {"id": "course-1"},
            LTI + "target_link_uri": self.tool_launch,
        }  # fmt: skip
        if message.message_type == "LtiDeepLinkingRequest":
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "opaque-data-17",
            }
            return claims
        link = self.links[message.resource_link_id or ""]
        claims[LTI + "resource_link"] = {"id": message.resource_link_id, "title": link["title"]}
        claims[LTI + "custom"] = link["custom"]
        ags: dict[str, Any] = {"scope": AGS_SCOPES, "lineitems": f"{self.url}/lineitems"}
        if link["lineitem"]:
            ags["lineitem"] = f"{self.url}/lineitems/{link['lineitem']}"
        claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = ags
        return claims

    def sign(
        self, claims: dict[str, Any], key: RSAKey | None = None, kid: str | None = None
    ) -> str:
        """An id_token signed with the platform's current key (or the given one)."""
        used = key or self.keys[0]
        return jwt.encode({"alg": "RS256", "kid": kid or used.kid}, claims, used)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.as_dict(private=False) for k in self.keys[: self.published]]}

    def _new_lineitem(self, link_id: str, score_maximum: float, label: str) -> dict[str, Any]:
        item_id = uuid.uuid4().hex[:8]
        item = {"id": f"{self.url}/lineitems/{item_id}", "scoreMaximum": score_maximum,
                "label": label, "resourceLinkId": link_id}  # fmt: skip
        self.lineitems[item_id] = item
        return {**item, "id": item_id}

    def _tool_keys(self) -> KeySet:
        answer = httpx.get(self.tool_jwks, timeout=10)
        answer.raise_for_status()
        return KeySet.import_key_set(answer.json())

    def verify_tool_jwt(self, value: str, audience: str) -> dict[str, Any]:
        """Verify a JWT the tool signed, against the tool's JWKS fetched over HTTP."""
        token = jwt.decode(value, self._tool_keys(), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.client_id},
            aud={"essential": True, "value": audience},
            exp={"essential": True}, iat={"essential": True},
        ).validate(token.claims)  # fmt: skip
        return token.claims


def autopost(action: str, fields: dict[str, str]) -> HTMLResponse:
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    return HTMLResponse(
        f'<html><body><form id="f" method="post" action="{action}">{inputs}</form>'
        '<script>document.getElementById("f").submit()</script></body></html>'
    )


def platform_app(platform: Platform) -> FastAPI:
    """The platform's web app."""
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def configuration() -> dict[str, Any]:
        return {
            "issuer": platform.url, "authorization_endpoint": f"{platform.url}/auth",
            "token_endpoint": f"{platform.url}/token", "jwks_uri": f"{platform.url}/jwks",
            "registration_endpoint": f"{platform.url}/register",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "simulated", "version": "1.0",
                "messages_supported": [{"type": "LtiResourceLinkRequest"},
                                       {"type": "LtiDeepLinkingRequest"}],
            },
        }  # fmt: skip

    @app.post("/register")
    async def register(request: Request, authorization: str = Header("")) -> Response:
        if authorization != f"Bearer {platform.registration_token}":
            return JSONResponse({"error": "invalid registration token"}, status_code=401)
        body = await request.json()
        platform.registrations.append(body)
        config = body["https://purl.imsglobal.org/spec/lti-tool-configuration"]
        platform.tool_login, platform.tool_launch = (
            body["initiate_login_uri"],
            config["target_link_uri"],
        )
        platform.tool_jwks = body["jwks_uri"]
        return JSONResponse({**body, "client_id": platform.client_id,
                             "https://purl.imsglobal.org/spec/lti-tool-configuration":
                             {**config, "deployment_id": platform.deployment_id}})  # fmt: skip

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return platform.jwks()

    @app.get("/course/{link_id}", response_class=HTMLResponse)
    def course_page(link_id: str, user: str, role: str = "Learner") -> HTMLResponse:
        roles = [INSTRUCTOR if role == "Instructor" else LEARNER]
        login = platform.login_url(Message(user, roles, resource_link_id=link_id, name=user))
        return HTMLResponse(f'<html><body><h1>Course</h1><iframe id="tool" src="{login}" '
                            'width="1000" height="1200"></iframe></body></html>')  # fmt: skip

    @app.get("/auth")
    def auth(
        client_id: str, redirect_uri: str, login_hint: str, state: str, nonce: str,
        lti_message_hint: str, response_type: str, scope: str, response_mode: str,
        prompt: str,
    ) -> Response:  # fmt: skip
        bad = (client_id != platform.client_id or redirect_uri != platform.tool_launch
               or response_type != "id_token" or scope != "openid"
               or response_mode != "form_post" or prompt != "none")  # fmt: skip
        message = platform.messages.pop(lti_message_hint, None)
        if bad or message is None or message.user != login_hint:
            return Response("invalid authentication request", status_code=400)
        token = platform.sign(platform.claims(message, nonce))
        return autopost(redirect_uri, {"id_token": token, "state": state})

    @app.post("/token")
    def token(
        grant_type: str = Form(), client_assertion_type: str = Form(),
        client_assertion: str = Form(), scope: str = Form(),
    ) -> Response:  # fmt: skip
        platform.token_requests += 1
        try:
            assert grant_type == "client_credentials"
            assert client_assertion_type.endswith(":jwt-bearer")
            platform.verify_tool_jwt(client_assertion, f"{platform.url}/token")
        except Exception as exc:  # any failure is the OAuth error the tool must handle
            return JSONResponse({"error": "invalid_client", "detail": str(exc)}, 401)
        issued = secrets.token_urlsafe(16)
        platform.tokens[issued] = scope.split()
        return JSONResponse({"access_token": issued, "token_type": "Bearer",
                             "expires_in": 3600, "scope": scope})  # fmt: skip

    def bearer_scopes(authorization: str) -> list[str] | None:
        value = authorization.removeprefix("Bearer ")
        return platform.tokens.get(value)

    @app.get("/lineitems")
    def lineitems(resource_link_id: str = "", authorization: str = Header("")) -> Response:
        if bearer_scopes(authorization) is None:
            return Response(status_code=401)
        items = [{**i} for i in platform.lineitems.values()
                 if not resource_link_id or i["resourceLinkId"] == resource_link_id]  # fmt: skip
        return JSONResponse(items)

    @app.post("/lineitems")
    async def create_lineitem(request: Request, authorization: str = Header("")) -> Response:
        if AGS_SCOPES[1] not in (bearer_scopes(authorization) or []):
            return Response(status_code=401)
        body = await request.json()
        item = platform._new_lineitem(body["resourceLinkId"], body["scoreMaximum"], body["label"])
        platform.links.setdefault(body["resourceLinkId"], {})["lineitem"] = item["id"]
        return JSONResponse(platform.lineitems[item["id"]], status_code=201)

    @app.post("/lineitems/{item_id}/scores")
    async def score(
        item_id: str, request: Request, authorization: str = Header(""),
        content_type: str = Header(""),
    ) -> Response:  # fmt: skip
        if AGS_SCOPES[0] not in (bearer_scopes(authorization) or []):
            return Response(status_code=401)
        if item_id not in platform.lineitems:
            return Response(status_code=404)
        if platform.refuse_scores > 0:
            platform.refuse_scores -= 1
            return Response("gradebook busy", status_code=503)
        token = authorization.removeprefix("Bearer ")
        platform.scores.append(Received(item_id, await request.json(), token, content_type))
        return Response(status_code=204)

    @app.post("/deep-link-return", response_class=HTMLResponse)
    def deep_link_return(JWT: str = Form()) -> HTMLResponse:  # noqa: N803 (the spec's name)
        claims = platform.verify_tool_jwt(JWT, platform.url)
        platform.deep_link_returns.append(claims)
        for item in claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]:
            link_id = platform.add_link(item.get("custom", {}), None)
            line = item.get("lineItem")
            if line:
                made = platform._new_lineitem(link_id, line["scoreMaximum"], line["label"])
                platform.links[link_id]["lineitem"] = made["id"]
        return HTMLResponse("<html><body><h1 id='added'>Activity added</h1></body></html>")

    @app.get("/start-registration")
    def start_registration(tool_url: str) -> RedirectResponse:
        query = {"openid_configuration": f"{platform.url}/.well-known/openid-configuration",
                 "registration_token": platform.registration_token}  # fmt: skip
        return RedirectResponse(f"{tool_url}?{urlencode(query)}")

    return app
