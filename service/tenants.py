"""Tenants and their API keys: keys are random, shown once, stored as SHA-256 hashes."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.errors import AuthenticationError
from service.orm import ApiKey, Tenant

KEY_PREFIX = "ak_"


def hash_key(key: str) -> str:
    """The stored form of a key. A plain hash suffices: keys carry 256 random bits."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret (`whsec_` + base64 of 24 random bytes)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def get_or_create_tenant(session: Session, name: str) -> Tenant:
    """The tenant with this name, created when it does not exist."""
    tenant = session.scalar(select(Tenant).where(Tenant.name == name))
    if tenant is None:
        tenant = Tenant(id=uuid.uuid4().hex, name=name, webhook_secret=new_webhook_secret())
        session.add(tenant)
        session.flush()
    return tenant


def create_key(sessions: sessionmaker[Session], tenant_name: str) -> tuple[Tenant, str]:
    """A new API key for the tenant (created if needed); the key itself is returned once."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        tenant = get_or_create_tenant(session, tenant_name)
        session.add(ApiKey(tenant_id=tenant.id, key_hash=hash_key(key), prefix=key[:8]))
    return tenant, key


def has_tenants(sessions: sessionmaker[Session]) -> bool:
    """Whether any tenant exists yet (a fresh database has none)."""
    with sessions() as session:
        return session.scalar(select(Tenant.id).limit(1)) is not None


def tenant_for_key(session: Session, key: str) -> Tenant:
    """The tenant a key belongs to; an unknown or revoked key is an AuthenticationError."""
    row = session.execute(
        select(Tenant)
        .join(ApiKey, ApiKey.tenant_id == Tenant.id)
        .where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        raise AuthenticationError("unknown API key; create one with `assess keys create`")
    return row
