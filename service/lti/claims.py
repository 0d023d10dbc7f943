"""The LTI 1.3 claims a launch carries, read into a `Launch` once the id_token is verified."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.lti.errors import TokenError

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL_CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPE_SCORE = AGS + "score"
SCOPE_LINEITEM = AGS + "lineitem"
SCOPE_LINEITEM_READ = AGS + "lineitem.readonly"
SCOPE_RESULT_READ = AGS + "result.readonly"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
LTI_VERSION = "1.3.0"
# The custom parameter a deep-linked activity carries: which rubric it uses.
RUBRIC_PARAM = "rubric_id"

_MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
TEACHING_ROLES = frozenset({
    _MEMBERSHIP + "Instructor",
    _MEMBERSHIP + "ContentDeveloper",
    _MEMBERSHIP + "Administrator",
    _MEMBERSHIP + "Instructor#TeachingAssistant",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
})  # fmt: skip


@dataclass(frozen=True)
class Launch:
    """What a verified launch says: who, from where, in which activity, with which services."""

    platform_id: int
    tenant_id: str
    deployment_id: str
    message_type: str
    sub: str | None
    name: str | None
    roles: tuple[str, ...]
    resource_link_id: str | None = None
    resource_link_title: str | None = None
    context_id: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    lineitem_url: str | None = None
    lineitems_url: str | None = None
    ags_scopes: tuple[str, ...] = ()
    return_url: str | None = None
    dl_data: str | None = None

    @property
    def teaches(self) -> bool:
        """Whether the user has a teaching role (instructor, TA, designer, admin)."""
        return any(role in TEACHING_ROLES for role in self.roles)


def _dict(claims: dict[str, Any], name: str) -> dict[str, Any]:
    value = claims.get(name) or {}
    if not isinstance(value, dict):
        raise TokenError(f"the claim {name} must be an object")
    return value


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def read_launch(claims: dict[str, Any], platform_id: int, tenant_id: str) -> Launch:
    """The launch a verified id_token describes; a missing required claim is a TokenError."""
    message_type = claims.get(MESSAGE_TYPE)
    if message_type not in (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST):
        raise TokenError(f"unsupported LTI message type {message_type!r}")
    if claims.get(VERSION) != LTI_VERSION:
        raise TokenError(f"unsupported LTI version {claims.get(VERSION)!r}; expected 1.3.0")
    roles = claims.get(ROLES)
    if not isinstance(roles, list):
        raise TokenError(f"the claim {ROLES} is missing")
    link = _dict(claims, RESOURCE_LINK)
    if message_type == RESOURCE_LINK_REQUEST and not _str(link.get("id")):
        raise TokenError(f"a resource link launch needs {RESOURCE_LINK}.id")
    settings = _dict(claims, DL_SETTINGS)
    if message_type == DEEP_LINKING_REQUEST and not _str(settings.get("deep_link_return_url")):
        raise TokenError(f"a deep linking request needs {DL_SETTINGS}.deep_link_return_url")
    ags = _dict(claims, AGS_ENDPOINT)
    scopes = ags.get("scope") or []
    custom = _dict(claims, CUSTOM)
    return Launch(
        platform_id=platform_id,
        tenant_id=tenant_id,
        deployment_id=str(claims.get(DEPLOYMENT_ID, "")),
        message_type=str(message_type),
        sub=_str(claims.get("sub")),
        name=_str(claims.get("name")),
        roles=tuple(str(r) for r in roles),
        resource_link_id=_str(link.get("id")),
        resource_link_title=_str(link.get("title")),
        context_id=_str(_dict(claims, CONTEXT).get("id")),
        custom={str(k): str(v) for k, v in custom.items()},
        lineitem_url=_str(ags.get("lineitem")),
        lineitems_url=_str(ags.get("lineitems")),
        ags_scopes=tuple(str(s) for s in scopes) if isinstance(scopes, list) else (),
        return_url=_str(settings.get("deep_link_return_url")),
        dl_data=_str(settings.get("data")),
    )
