"""The real app on a real database: a SQLite file, and PostgreSQL when it is reachable.

`api` runs each API test twice, once per database. PostgreSQL is the CI machine's
(127.0.0.1:5432, trust auth, database `test`; ASSESS_TEST_POSTGRES_URL overrides it); each
test gets its own schema, dropped afterwards. Where PostgreSQL is not reachable the
PostgreSQL run of each test is skipped and says so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from assess import Grader
from service.app import create_app
from service.settings import Settings
from service.tenants import create_key

POSTGRES_URL = os.environ.get(
    "ASSESS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
COMPLEMENT = "track-ii/complement"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database; skips the test when PostgreSQL is not there."""
    schema = f"assess_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError:
        admin.dispose()
        pytest.skip(f"PostgreSQL suite skipped: {POSTGRES_URL} is not reachable")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The database of one run: a SQLite file under tmp_path, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'assess.db'}"
        return
    with postgres_schema() as url:
        yield url


@dataclass
class Api:
    """A TestClient on the real app, with keys of two tenants."""

    client: TestClient
    app: Any
    key_a: str
    key_b: str

    @property
    def a(self) -> dict[str, str]:
        """Headers of tenant A."""
        return {"Authorization": f"Bearer {self.key_a}"}

    @property
    def b(self) -> dict[str, str]:
        """Headers of tenant B."""
        return {"Authorization": f"Bearer {self.key_b}"}


ApiFactory = Callable[..., Any]


@pytest.fixture
def make_api(grader: Grader, tmp_path: Path, database_url: str) -> Iterator[Callable[..., Any]]:
    """Start the app with settings overrides; the grader is the session's real one."""
    opened: list[TestClient] = []

    def start(**overrides: Any) -> Api:
        settings = Settings(data_dir=tmp_path / "data", database_url=database_url, **overrides)
        app = create_app(settings, grader=grader)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        sessions = app.state.assess.sessions
        return Api(
            client, app, create_key(sessions, "course-a")[1], create_key(sessions, "course-b")[1]
        )

    yield start
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    """The app with default settings."""
    return make_api()
