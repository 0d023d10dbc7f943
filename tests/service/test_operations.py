"""Health, readiness, metrics and logs (which never hold answers or learner ids)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.db import make_engine, migrate
from service.logs import JsonFormatter
from service.orm import Base
from tests.service.conftest import COMPLEMENT, Api


def test_healthz_and_readyz(api: Api) -> None:
    assert api.client.get("/healthz").json()["status"] == "ok"
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"model": "ok", "database": "ok"}


def test_metrics_count_requests_and_assessments(api: Api) -> None:
    api.client.post("/v1/assessments", json={"rubric_id": COMPLEMENT, "answer": "Trust."},
                    headers=api.a)  # fmt: skip
    text = api.client.get("/metrics").text
    assert (
        'assess_http_requests_total{method="POST",route="/v1/assessments",status="201"} 1.0' in text
    )
    assert 'assess_assessments_total{source="api"} 1.0' in text


def test_logs_never_hold_answer_text_or_learner_ids(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    secret_answer, learner = "Zanzibar negotiators trusted each other", "learner-42x"
    with caplog.at_level(logging.DEBUG):
        api.client.post(
            "/v1/assessments",
            json={"rubric_id": COMPLEMENT, "answer": secret_answer, "learner_id": learner},
            headers=api.a,
        )
        api.client.post(
            "/v1/assessments",
            json={"rubric_id": COMPLEMENT, "answer": secret_answer * 9999, "learner_id": learner},
            headers=api.a,
        )
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert any('"route": "/v1/assessments"' in line for line in lines)
    assert not any("Zanzibar" in line or learner in line for line in lines)


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/m.db")
    migrate(engine)
    migrate(engine)  # a second start finds nothing to do
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    engine.dispose()
