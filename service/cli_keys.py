"""`assess keys create --tenant NAME`: a new API key, printed as the last line."""

from __future__ import annotations

import click


@click.group()
def keys() -> None:
    """Manage API keys of tenants (courses or institutions)."""


@keys.command("create")
@click.option("--tenant", required=True, help="Tenant name; created when it does not exist.")
def keys_create(tenant: str) -> None:
    """Create an API key for a tenant; it is shown once and stored only as a hash."""
    from service.db import make_engine, make_sessions, migrate
    from service.settings import get_settings
    from service.tenants import create_key

    name = tenant.strip()
    if not name or len(name) > 200:
        raise click.BadParameter("give a name of 1 to 200 characters", param_hint="--tenant")
    engine = make_engine(get_settings().sqlalchemy_url())
    migrate(engine)
    owner, key = create_key(make_sessions(engine), name)
    engine.dispose()
    click.echo(f"tenant: {owner.name} ({owner.id})")
    click.echo(f"webhook secret (verifies batch webhooks): {owner.webhook_secret}")
    click.echo(key)
