"""Per-key rate limits: a token bucket per API key, in memory (one process serves)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from service.errors import RateLimitedError


class RateLimiter:
    """Allows `per_minute` requests a minute per key, in bursts of up to `per_minute`."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Take one token for the key, or raise RateLimitedError with a Retry-After."""
        rate = self.per_minute / 60.0
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = max(1, math.ceil((1.0 - tokens) / rate))
                raise RateLimitedError(
                    f"rate limit of {self.per_minute} requests a minute reached for this key; "
                    f"retry in {wait} s",
                    retry_after=wait,
                )
            self._buckets[key] = (tokens - 1.0, now)
