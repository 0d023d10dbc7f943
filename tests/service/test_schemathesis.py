"""Schemathesis over the whole OpenAPI schema: no generated request gets a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from assess import Grader
from service.app import create_app
from service.settings import Settings
from service.tenants import create_key

# The schema is read from an app that is never started (building routes loads nothing and
# opens no database); the calls go to `running_app`, started with the session's grader on a
# fresh database.
schema = schemathesis.openapi.from_dict(create_app(Settings(data_dir=Path("unused"))).openapi())


@pytest.fixture(scope="module")
def running_app(
    grader: Grader, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    """The app with its lifespan started, and a valid key for the calls."""
    data = Path(tmp_path_factory.mktemp("schemathesis"))
    app = create_app(
        Settings(data_dir=data, rate_limit_per_minute=100_000, max_batch_rows=50), grader=grader
    )
    with TestClient(app):
        key = create_key(app.state.assess.sessions, "fuzz")[1]
        yield app, {"Authorization": f"Bearer {key}"}


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_gets_a_server_error(
    case: Any, running_app: tuple[FastAPI, dict[str, str]]
) -> None:
    app, auth = running_app
    response = case.call(app=app, headers=auth)
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
