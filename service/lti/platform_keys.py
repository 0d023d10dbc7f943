"""Platforms' public keys: fetched with httpx, cached by `kid`, refetched on an unknown one."""

from __future__ import annotations

import logging
import threading
import time

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

from service.lti.errors import PlatformKeysError, TokenError

log = logging.getLogger("assess.service")


class PlatformKeys:
    """A cache of each platform JWKS by URL, then by key id.

    An unknown `kid` (the platform rotated its key) triggers one refetch; refetches caused
    by unknown ids happen at most once per `refetch_seconds` per URL, so forged tokens with
    random ids cannot turn the tool into a fetching loop.
    """

    def __init__(self, client: httpx.Client, refetch_seconds: float = 10.0) -> None:
        self.client = client
        self.refetch_seconds = refetch_seconds
        self._sets: dict[str, dict[str, Key]] = {}
        self._refetched: dict[str, float] = {}
        self._lock = threading.Lock()

    def key(self, jwks_url: str, kid: str) -> Key:
        """The platform's public key with this id."""
        with self._lock:
            keys = self._sets.get(jwks_url)
            if keys is None:
                keys = self._fetch(jwks_url)
            if kid in keys:
                return keys[kid]
            now = time.monotonic()
            last = self._refetched.get(jwks_url)
            if last is None or now - last >= self.refetch_seconds:
                self._refetched[jwks_url] = now
                log.info("unknown kid: refetching the platform's keys", extra={"event": "lti"})
                keys = self._fetch(jwks_url)
                if kid in keys:
                    return keys[kid]
        raise TokenError(f"the platform's key set ({jwks_url}) has no key with kid {kid!r}")

    def _fetch(self, jwks_url: str) -> dict[str, Key]:
        try:
            answer = self.client.get(jwks_url, headers={"Accept": "application/json"})
            answer.raise_for_status()
            keys = KeySet.import_key_set(answer.json()).keys
        except (httpx.HTTPError, ValueError, TypeError, KeyError, JoseError) as exc:
            raise PlatformKeysError(
                f"cannot read the platform's key set at {jwks_url}: {exc}"
            ) from exc
        found = {key.kid: key for key in keys if key.kid}
        self._sets[jwks_url] = found
        return found
