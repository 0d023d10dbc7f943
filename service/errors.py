"""The errors the HTTP service raises; each maps to one status in `service.problems`.

ServiceError
 ├── AuthenticationError        no API key, or one we do not know (401)
 ├── ForbiddenError             the key is valid but may not do this (403)
 ├── NotFoundError              no such resource for this tenant (404)
 ├── ConflictError              the resource exists already (409)
 ├── IdempotencyInFlightError   the same Idempotency-Key is still being processed (409)
 ├── IdempotencyKeyReusedError  the same Idempotency-Key with another request (422)
 ├── BadRequestError            a request the API cannot read (400)
 ├── UnsupportedMediaError      a body or upload in a format we do not read (415)
 ├── LimitExceededError         over a size limit: rows, bytes, points (413)
 ├── RateLimitedError           too many requests for this key (429, Retry-After)
 └── NotReadyError              the model or the database is not available (503)
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base class for errors of the HTTP service."""


class AuthenticationError(ServiceError):
    """Missing or unknown API key."""


class ForbiddenError(ServiceError):
    """The caller may not do this (a library rubric is read-only, a revoked link)."""


class NotFoundError(ServiceError):
    """No such resource for this tenant; another tenant's resources are not found either."""


class ConflictError(ServiceError):
    """The resource already exists."""


class IdempotencyInFlightError(ServiceError):
    """A request with the same Idempotency-Key has not finished yet."""


class IdempotencyKeyReusedError(ServiceError):
    """An Idempotency-Key already used for a different request."""


class BadRequestError(ServiceError):
    """A request the API cannot read."""


class UnsupportedMediaError(ServiceError):
    """A body or upload in a format the API does not read."""


class LimitExceededError(ServiceError):
    """An input over one of the configured size limits."""


class RateLimitedError(ServiceError):
    """Too many requests for one API key; `retry_after` says when to come back (seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotReadyError(ServiceError):
    """The model or the database is not available yet."""
