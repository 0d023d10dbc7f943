"""`/healthz`, `/readyz` and `/metrics`: for load balancers and Prometheus."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.schemas import Health
from service.state import AppState

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(request: Request) -> Response:
    """The model is loaded and the database answers."""
    state: AppState | None = getattr(request.app.state, "assess", None)
    checks = {"model": "ok" if state is not None else "loading", "database": "unknown"}
    if state is not None:
        try:
            with state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except SQLAlchemyError as exc:
            checks["database"] = type(exc).__name__
    ready = all(v == "ok" for v in checks.values())
    body = Health(status="ready" if ready else "not ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests, latencies, assessments, batch progress."""
    state: AppState | None = getattr(request.app.state, "assess", None)
    data = generate_latest(state.metrics.registry) if state is not None else b""
    return Response(data, media_type=CONTENT_TYPE_LATEST)
