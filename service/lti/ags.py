"""Assignment and Grade Services 2.0: access tokens (RFC 7523 client assertion) and scores.

The tool asks the platform's token endpoint for an OAuth 2.0 client-credentials token,
authenticating with a JWT signed by its own key; tokens are cached until shortly before they
expire. Scores go to the line item's `/scores` endpoint as
`application/vnd.ims.lis.v1.score+json`.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

from service.lti.claims import SCOPE_LINEITEM, SCOPE_SCORE
from service.lti.errors import PassbackError

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
EXPIRY_MARGIN_SECONDS = 30
COMMENT_CHARS = 4000


@dataclass(frozen=True)
class PlatformAccess:
    """What the tool needs to talk to one platform's services."""

    platform_id: int
    client_id: str
    token_url: str


def score_payload(
    result: dict[str, Any], user_id: str, when: datetime | None = None
) -> dict[str, Any]:
    """The AGS score of one assessment: PendingManual when it needs a teacher's look."""
    stamp = (when or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")
    return {
        "userId": user_id,
        "scoreGiven": float(result["score"]),
        "scoreMaximum": float(result["max_score"]),
        "comment": str(result.get("feedback", ""))[:COMMENT_CHARS],
        "timestamp": stamp,
        "activityProgress": "Completed",
        "gradingProgress": "PendingManual" if result.get("needs_review") else "FullyGraded",
    }


def scores_url(lineitem_url: str) -> str:
    """The line item's scores endpoint (`/scores` goes before any query string)."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


class AgsClient:
    """Posts scores and finds line items, with access tokens cached per platform and scopes."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self._tokens: dict[tuple[int, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def client_assertion(self, access: PlatformAccess, key: RSAKey) -> str:
        """The RFC 7523 JWT that authenticates the tool at the token endpoint."""
        now = int(time.time())
        claims = {
            "iss": access.client_id,
            "sub": access.client_id,
            "aud": access.token_url,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def access_token(self, access: PlatformAccess, key: RSAKey, scopes: list[str]) -> str:
        """A bearer token for these scopes: the cached one, or a new one from the platform."""
        scope = " ".join(sorted(scopes))
        with self._lock:
            cached = self._tokens.get((access.platform_id, scope))
            if cached is not None and cached[1] > time.monotonic():
                return cached[0]
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.client_assertion(access, key),
            "scope": scope,
        }
        try:
            answer = self.client.post(access.token_url, data=form)
            answer.raise_for_status()
            body = answer.json()
            token, lifetime = str(body["access_token"]), float(body.get("expires_in", 3600))
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise PassbackError(f"the platform's token endpoint refused: {exc}") from exc
        with self._lock:
            expires = time.monotonic() + max(0.0, lifetime - EXPIRY_MARGIN_SECONDS)
            self._tokens[(access.platform_id, scope)] = (token, expires)
        return token

    def forget_token(self, access: PlatformAccess) -> None:
        """Drop the platform's cached tokens (after a 401: it may have revoked them)."""
        with self._lock:
            for cached in [k for k in self._tokens if k[0] == access.platform_id]:
                del self._tokens[cached]

    def post_score(
        self, access: PlatformAccess, key: RSAKey, lineitem_url: str, score: dict[str, Any]
    ) -> None:
        """POST one score to the line item; any refusal is a PassbackError."""
        token = self.access_token(access, key, [SCOPE_SCORE])
        try:
            answer = self.client.post(
                scores_url(lineitem_url),
                json=score,
                headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE},
            )
        except httpx.HTTPError as exc:
            raise PassbackError(f"the score could not be sent: {exc}") from exc
        if answer.status_code == 401:
            self.forget_token(access)
        if not answer.is_success:
            raise PassbackError(f"the platform refused the score: HTTP {answer.status_code}")

    def find_or_create_lineitem(
        self,
        access: PlatformAccess,
        key: RSAKey,
        lineitems_url: str,
        resource_link_id: str,
        label: str,
        score_maximum: float,
    ) -> str:
        """The line item of a resource link, created when the platform has none for it."""
        token = self.access_token(access, key, [SCOPE_LINEITEM])
        auth = {"Authorization": f"Bearer {token}"}
        try:
            found = self.client.get(
                lineitems_url,
                params={"resource_link_id": resource_link_id},
                headers={**auth, "Accept": LINEITEMS_TYPE},
            )
            found.raise_for_status()
            items = [i for i in found.json() if i.get("resourceLinkId") == resource_link_id]
            if items:
                return str(items[0]["id"])
            made = self.client.post(
                lineitems_url,
                json={"scoreMaximum": score_maximum, "label": label,
                      "resourceLinkId": resource_link_id},
                headers={**auth, "Content-Type": LINEITEM_TYPE},
            )  # fmt: skip
            made.raise_for_status()
            return str(made.json()["id"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PassbackError(f"the platform's line items could not be used: {exc}") from exc
