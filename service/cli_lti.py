"""`assess lti ...`: register LMS platforms, print registration URLs, rotate the tool's key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def _with_database(work: Callable[[Any], Any]) -> Any:
    from service.db import make_engine, make_sessions, migrate
    from service.settings import get_settings

    engine = make_engine(get_settings().sqlalchemy_url())
    try:
        migrate(engine)
        with make_sessions(engine).begin() as session:
            return work(session)
    finally:
        engine.dispose()


def _echo_urls(base_url: str) -> None:
    from service.lti.registration import ToolUrls

    urls = ToolUrls.at(base_url)
    click.echo(f"login URL (OIDC login initiation): {urls.login}")
    click.echo(f"launch URL (redirect URI, target link URI): {urls.launch}")
    click.echo(f"JWKS URL (public keyset): {urls.jwks}")
    click.echo(f"deep linking URL (content selection): {urls.deep_linking}")


@click.group()
def lti() -> None:
    """Connect assess to an LMS with LTI 1.3 (Moodle, Canvas, Brightspace...)."""


@lti.command("add-platform")
@click.option("--tenant", required=True, help="Tenant whose rubrics and results it may use.")
@click.option("--issuer", required=True, help="The platform's issuer (iss), e.g. its URL.")
@click.option("--client-id", required=True, help="The client id the LMS gave the tool.")
@click.option("--deployment-id", required=True, help="The deployment id the LMS gave it.")
@click.option("--auth-url", required=True, help="The platform's OIDC authentication URL.")
@click.option("--token-url", required=True, help="The platform's OAuth2 access token URL.")
@click.option("--jwks-url", required=True, help="The platform's public keyset URL.")
def add_platform_command(
    tenant: str, issuer: str, client_id: str, deployment_id: str, auth_url: str,
    token_url: str, jwks_url: str,
) -> None:  # fmt: skip
    """Register an LMS for a tenant (again: add a deployment id), then print the tool's URLs."""
    from service.lti.errors import LtiError
    from service.lti.registration import add_platform
    from service.settings import get_settings

    for name, url in (("--auth-url", auth_url), ("--token-url", token_url),
                      ("--jwks-url", jwks_url)):  # fmt: skip
        if not url.startswith(("https://", "http://")):
            raise click.BadParameter("give an http(s) URL", param_hint=name)
    name = tenant.strip()
    if not name or len(name) > 200:
        raise click.BadParameter("give a name of 1 to 200 characters", param_hint="--tenant")
    try:
        _with_database(lambda session: add_platform(
            session, name, issuer=issuer, client_id=client_id, deployment_id=deployment_id,
            auth_url=auth_url, token_url=token_url, jwks_url=jwks_url,
        ))  # fmt: skip
    except LtiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"platform {issuer} (client id {client_id}, deployment {deployment_id}) "
               f"registered for tenant {name}")  # fmt: skip
    _echo_urls(get_settings().base_url())


@lti.command("registration-url")
@click.option("--tenant", required=True, help="Tenant the registered platform will belong to.")
def registration_url(tenant: str) -> None:
    """Print the URL an LMS administrator pastes for LTI Dynamic Registration."""
    from service.lti.registration import registration_token
    from service.settings import get_settings
    from service.state import load_secret_key

    settings = get_settings()
    token = registration_token(load_secret_key(settings), tenant.strip())
    click.echo(f"{settings.base_url()}/lti/register/{token}")


@lti.command("rotate-key")
def rotate_key_command() -> None:
    """Sign with a new key from now on; the previous key stays published in the JWKS."""
    from service.lti.tool_keys import rotate_key

    kid = _with_database(rotate_key)
    click.echo(f"new signing key {kid}; the previous key stays in the JWKS until the next rotation")
