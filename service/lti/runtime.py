"""What the LTI routes share while the app runs: the HTTP client, key cache, AGS and outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request

from service.errors import NotReadyError
from service.lti.ags import AgsClient
from service.lti.outbox import ScoreOutbox
from service.lti.platform_keys import PlatformKeys
from service.state import AppState

HTTP_TIMEOUT_SECONDS = 10.0


@dataclass
class LtiRuntime:
    """The LTI collaborators, built by the app's lifespan."""

    http: httpx.Client
    keys: PlatformKeys
    ags: AgsClient
    outbox: ScoreOutbox

    def close(self) -> None:
        """Stop the passback worker and close the HTTP client."""
        self.outbox.stop()
        self.http.close()


def start_lti(state: AppState, run_worker: bool) -> LtiRuntime:
    """Build the LTI runtime from the app state; start the passback worker if asked."""
    settings = state.settings
    http = httpx.Client(timeout=HTTP_TIMEOUT_SECONDS, follow_redirects=False)
    ags = AgsClient(http)
    outbox = ScoreOutbox(
        state.sessions, ags, settings.lti_retry_base_seconds, settings.lti_retry_max_attempts
    )
    if run_worker:
        outbox.start()
    return LtiRuntime(http, PlatformKeys(http, settings.lti_jwks_refetch_seconds), ags, outbox)


def get_lti(request: Request) -> LtiRuntime:
    """The running app's LTI runtime."""
    runtime: LtiRuntime | None = getattr(request.app.state, "lti", None)
    if runtime is None:
        raise NotReadyError("the service is starting; retry in a moment")
    return runtime


LtiDep = Annotated[LtiRuntime, Depends(get_lti)]
