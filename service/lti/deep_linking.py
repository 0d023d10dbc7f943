"""Deep Linking 2.0: the signed `LtiDeepLinkingResponse` that adds an activity to a course."""

from __future__ import annotations

import secrets
import time
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from rubrics import Rubric
from service.lti.claims import (
    DEEP_LINKING_RESPONSE,
    DEPLOYMENT_ID,
    DL_CONTENT_ITEMS,
    DL_DATA,
    LTI_VERSION,
    MESSAGE_TYPE,
    RUBRIC_PARAM,
    VERSION,
)

RESPONSE_SECONDS = 600
TITLE_CHARS = 120


def activity_title(rubric: Rubric) -> str:
    """The activity's title in the course: the question, shortened."""
    question = " ".join(rubric.question.split())
    if len(question) <= TITLE_CHARS:
        return question
    return question[: TITLE_CHARS - 1] + "…"


def resource_link_item(rubric: Rubric, launch_url: str) -> dict[str, Any]:
    """An `ltiResourceLink` naming the rubric, with a line item worth its max score."""
    title = activity_title(rubric)
    return {
        "type": "ltiResourceLink",
        "title": title,
        "text": f"Answer the question and get feedback on each point (rubric {rubric.id}).",
        "url": launch_url,
        "custom": {RUBRIC_PARAM: rubric.id},
        "lineItem": {
            "scoreMaximum": float(rubric.scoring.max_score),
            "label": title,
            "resourceId": rubric.id,
            "tag": "assess",
        },
    }


def deep_linking_response(
    key: RSAKey,
    client_id: str,
    issuer: str,
    deployment_id: str,
    items: list[dict[str, Any]],
    data: str | None,
) -> str:
    """The signed JWT the browser posts back to the platform's deep_link_return_url."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": client_id,
        "aud": [issuer],
        "iat": now,
        "exp": now + RESPONSE_SECONDS,
        "nonce": secrets.token_urlsafe(16),
        DEPLOYMENT_ID: deployment_id,
        MESSAGE_TYPE: DEEP_LINKING_RESPONSE,
        VERSION: LTI_VERSION,
        DL_CONTENT_ITEMS: items,
    }
    if data is not None:
        claims[DL_DATA] = data
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
