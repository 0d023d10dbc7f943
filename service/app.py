"""The FastAPI app: `create_app(settings, grader)` is the service's composition root.

Nothing happens at import. The lifespan opens the database, applies the migrations, loads the
model (unless a grader is handed in, as the tests do), reads the library rubrics and starts
the job worker, which resumes any batch a previous process left unfinished.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI

from assess import Grader
from rubrics import library_path, load_rubrics
from service.api import assessments, batches, calibration, health, rubrics
from service.db import make_engine, make_sessions, migrate
from service.idempotency import IdempotencyMiddleware
from service.jobs import JobRunner
from service.lti import activity as lti_activity
from service.lti import routes as lti_routes
from service.lti.runtime import start_lti
from service.metrics import Metrics
from service.middleware import BodyLimitMiddleware, FramingMiddleware, ObserveMiddleware
from service.problems import install_problem_handlers
from service.ratelimit import RateLimiter
from service.rubric_store import RubricStore
from service.settings import Settings, get_settings
from service.state import AppState, load_secret_key
from service.web import student, teacher, teacher_batches, teacher_calibration
from service.wiring import build_grader

# Room for multipart framing and form fields around an upload of the largest allowed size.
BODY_SLACK_BYTES = 64_000


def build_state(settings: Settings, grader: Grader | None) -> AppState:
    """Open the database (migrated), load the model and the library rubrics."""
    engine = make_engine(settings.sqlalchemy_url())
    migrate(engine)
    return AppState(
        settings=settings,
        engine=engine,
        sessions=make_sessions(engine),
        grader=grader or build_grader(settings),
        store=RubricStore(load_rubrics(library_path()), settings.max_rubric_points),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        metrics=Metrics(),
        secret_key=load_secret_key(settings),
    )


def create_app(settings: Settings | None = None, grader: Grader | None = None) -> FastAPI:
    """The assess HTTP service; `grader` skips loading the model (tests hand theirs in)."""
    chosen = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = build_state(chosen, grader)
        runner = JobRunner(state) if chosen.run_jobs else None
        lti = start_lti(state, run_worker=chosen.run_jobs)
        app.state.assess = state
        app.state.runner = runner
        app.state.lti = lti
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()
            lti.close()
            app.state.lti = None
            app.state.assess = None
            state.engine.dispose()

    app = FastAPI(
        title="assess",
        version=version("assess"),
        summary="Per-point coverage, scores, flags and feedback for answers against rubrics.",
        lifespan=lifespan,
    )
    app.dependency_overrides[get_settings] = lambda: chosen
    install_problem_handlers(app)
    # calibration before rubrics: the rubrics router's `/{rubric_id:path}` would take its paths.
    routers = (health, calibration, rubrics, assessments, batches)
    for module in (*routers, teacher, teacher_batches, teacher_calibration, student):
        app.include_router(module.router)
    app.include_router(lti_routes.router)
    app.include_router(lti_activity.router)
    # Added last = outermost: observe everything, refuse big bodies before buffering them.
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(FramingMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=chosen.max_upload_bytes + BODY_SLACK_BYTES)
    app.add_middleware(ObserveMiddleware)
    return app
