"""The tool's own RSA keys: the newest signs; the one before stays in the JWKS.

Rotation without downtime: `rotate_key` adds a key that signs from then on, while the
previous key stays published, so a platform holding a message signed a moment ago (or a
cached key set) still verifies it; keys older than those two are retired.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from joserfc.jwk import RSAKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.lti.orm import LtiToolKey
from service.orm import utcnow

KEY_BITS = 2048
PUBLISHED_KEYS = 2
ALGORITHM = "RS256"
_create_lock = threading.Lock()


def _rsa(row: LtiToolKey) -> RSAKey:
    parameters: Any = {"kid": row.kid, "alg": ALGORITHM, "use": "sig"}
    return RSAKey.import_key(row.private_pem, parameters=parameters)


def _new_key(session: Session) -> LtiToolKey:
    kid = uuid.uuid4().hex
    key = RSAKey.generate_key(KEY_BITS, parameters={"kid": kid})
    row = LtiToolKey(kid=kid, private_pem=key.as_pem(private=True).decode())
    session.add(row)
    session.flush()
    return row


def _live(session: Session) -> list[LtiToolKey]:
    return list(
        session.scalars(
            select(LtiToolKey)
            .where(LtiToolKey.retired_at.is_(None))
            .order_by(LtiToolKey.created_at.desc(), LtiToolKey.kid)
        ).all()
    )


def ensure_key(session: Session) -> None:
    """Create the first key when there is none (the first launch or registration)."""
    with _create_lock:
        if not _live(session):
            _new_key(session)


def signing_key(session: Session) -> RSAKey:
    """The private key that signs the tool's messages (the newest live one)."""
    live = _live(session)
    if not live:
        ensure_key(session)
        live = _live(session)
    return _rsa(live[0])


def public_jwks(session: Session) -> dict[str, Any]:
    """The published key set: the signing key and the one it replaced."""
    ensure_key(session)
    return {"keys": [_rsa(row).as_dict(private=False) for row in _live(session)]}


def rotate_key(session: Session) -> str:
    """Add a new signing key, keep the previous one published, retire older ones."""
    new = _new_key(session)
    for row in _live(session)[PUBLISHED_KEYS:]:
        row.retired_at = utcnow()
    return new.kid
