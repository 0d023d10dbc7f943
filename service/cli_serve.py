"""`assess serve`: run the HTTP service (first start: a development API key, printed once)."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", help="Address to listen on (default: ASSESS_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: ASSESS_PORT or 8000).")
@click.option("--workers-off", "no_jobs", is_flag=True, hidden=True)
def serve(host: str | None, port: int | None, no_jobs: bool) -> None:
    """Serve the HTTP API, the pages and batch jobs (SQLite under ASSESS_DATA_DIR by default)."""
    # Imported here, not at the top: `assess score` should not pay for the web stack.
    import uvicorn

    from service.app import create_app
    from service.db import make_engine, make_sessions, migrate
    from service.logs import configure_logging
    from service.settings import get_settings
    from service.tenants import create_key, has_tenants

    settings = get_settings()
    updates: dict[str, object] = {}
    if host:
        updates["host"] = host
    if port:
        updates["port"] = port
    if no_jobs:
        updates["run_jobs"] = False
    settings = settings.model_copy(update=updates)
    configure_logging()
    engine = make_engine(settings.sqlalchemy_url())
    migrate(engine)
    if not has_tenants(make_sessions(engine)):
        _, key = create_key(make_sessions(engine), "dev")
        click.echo(
            "A development API key for tenant 'dev' (shown this once; keep it):\n"
            f"  export ASSESS_KEY={key}"
        )
    engine.dispose()
    url = f"http://{settings.host}:{settings.port}"
    click.echo(f"assess: serving {url} (API docs at {url}/docs, pages at {url}/)", err=True)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_config=None,
        access_log=False,
    )  # fmt: skip
