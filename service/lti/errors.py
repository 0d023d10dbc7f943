"""Errors of the LTI integration; each is shown to the user as an HTML page with one status.

ServiceError
 └── LtiError                     any LTI failure (400)
      ├── LoginError              a login initiation we cannot act on (400)
      ├── UnknownPlatformError    no platform registered with this issuer / client id (403)
      ├── StateError              the state is missing or not this browser's (400)
      ├── TokenError              the id_token is not genuine or not for us (401)
      ├── NonceError              the nonce is unknown or was used already (401)
      ├── DeploymentError         the deployment id is not registered for the platform (403)
      ├── LaunchExpiredError      the page's launch token is forged or too old (401)
      ├── ActivityError           the launch names no rubric, or a role that cannot do this (400)
      ├── PlatformKeysError       the platform's key set cannot be fetched or read (502)
      ├── RegistrationUrlError    a registration URL that this tool did not sign (403)
      ├── RegistrationError       dynamic registration failed (502)
      └── PassbackError           the platform refused a token request or a score (502)
"""

from __future__ import annotations

from service.errors import ServiceError


class LtiError(ServiceError):
    """Base class of the LTI errors."""


class LoginError(LtiError):
    """A third-party login initiation we cannot act on (a required parameter is missing)."""


class UnknownPlatformError(LtiError):
    """No platform is registered with this issuer (and client id)."""


class StateError(LtiError):
    """The launch's state is missing, or not the one this browser's login was given."""


class TokenError(LtiError):
    """The id_token's signature, issuer, audience, times or claims do not hold."""


class NonceError(LtiError):
    """The id_token's nonce was never issued by this tool, or was used already (a replay)."""


class DeploymentError(LtiError):
    """The deployment id is not registered for this platform."""


class LaunchExpiredError(LtiError):
    """The launch token carried by a page is forged or older than its lifetime."""


class ActivityError(LtiError):
    """The launch cannot be served: no rubric named, or a role that may not do this."""


class PlatformKeysError(LtiError):
    """The platform's JWKS could not be fetched or read."""


class RegistrationUrlError(LtiError):
    """A dynamic registration URL whose tenant token this tool did not sign."""


class RegistrationError(LtiError):
    """Dynamic registration failed: the platform's configuration or its answer was unusable."""


class PassbackError(LtiError):
    """The platform refused the access token request or the score."""


LTI_ERROR_STATUS: dict[type[LtiError], int] = {
    LtiError: 400,
    LoginError: 400,
    UnknownPlatformError: 403,
    StateError: 400,
    TokenError: 401,
    NonceError: 401,
    DeploymentError: 403,
    LaunchExpiredError: 401,
    ActivityError: 400,
    PlatformKeysError: 502,
    RegistrationUrlError: 403,
    RegistrationError: 502,
    PassbackError: 502,
}
