"""Signed webhooks (Standard Webhooks: HMAC-SHA256 over id, timestamp and body)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

log = logging.getLogger("assess.service")
DEFAULT_ATTEMPTS = 3


def signed_request(secret: str, event: str, data: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The body and the `webhook-id`, `webhook-timestamp`, `webhook-signature` headers."""
    now = datetime.now(UTC)
    body = json.dumps(
        {"type": event, "timestamp": now.isoformat(), "data": data}, separators=(",", ":")
    )
    msg_id = f"msg_{uuid.uuid4().hex}"
    signature = Webhook(secret).sign(msg_id, now, body)
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return body.encode(), headers


def deliver(
    url: str, secret: str, event: str, data: dict[str, Any], attempts: int = DEFAULT_ATTEMPTS
) -> bool:
    """POST the event, retrying with back-off; True when the receiver answered 2xx."""
    body, headers = signed_request(secret, event, data)
    for attempt in range(attempts):
        try:
            answer = httpx.post(url, content=body, headers=headers, timeout=5.0)
            if answer.is_success:
                return True
            log.warning("webhook refused", extra={"status": answer.status_code, "event": event})
        except httpx.HTTPError as exc:
            log.warning("webhook failed", extra={"error": type(exc).__name__, "event": event})
        if attempt + 1 < attempts:
            time.sleep(0.5 * 2**attempt)
    return False
