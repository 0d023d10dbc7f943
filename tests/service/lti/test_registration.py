"""Registering a platform: `assess lti add-platform` and LTI Dynamic Registration; the
tool's keys and their rotation; a platform sees only its own tenant's rubrics."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner

from service.cli import cli
from service.lti.errors import LTI_ERROR_STATUS, LtiError
from service.settings import get_settings
from tests.service.lti.conftest import Tool, browser, forms, launch, start_platform, submit_form
from tests.service.lti.platform import INSTRUCTOR, LEARNER, Message, Platform


@pytest.fixture
def cli_env(tool: Tool, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI works on the live tool's data directory."""
    monkeypatch.setenv("ASSESS_DATA_DIR", str(tool.data_dir))
    monkeypatch.setenv("ASSESS_PUBLIC_URL", tool.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_add_platform_registers_it_and_prints_the_tools_urls(tool: Tool, cli_env: None) -> None:
    platform, served = start_platform(tool)
    try:
        result = CliRunner().invoke(cli, [
            "lti", "add-platform", "--tenant", "course-cli", "--issuer", platform.url,
            "--client-id", platform.client_id, "--deployment-id", platform.deployment_id,
            "--auth-url", f"{platform.url}/auth", "--token-url", f"{platform.url}/token",
            "--jwks-url", f"{platform.url}/jwks",
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        for line in ("login URL", "launch URL", "JWKS URL", "deep linking URL"):
            assert line in result.output
        assert f"{tool.url}/lti/login" in result.output
        assert f"{tool.url}/lti/jwks" in result.output
        link = platform.add_link({"rubric_id": "track-ii/complement"})
        page = launch(browser(), platform, Message("cli-user", [LEARNER], resource_link_id=link))
        assert page.status_code == 200 and 'name="answer"' in page.text
    finally:
        served.stop()


def test_add_platform_refuses_a_url_that_is_not_one(cli_env: None) -> None:
    result = CliRunner().invoke(cli, [
        "lti", "add-platform", "--tenant", "t", "--issuer", "i", "--client-id", "c",
        "--deployment-id", "d", "--auth-url", "nope", "--token-url", "https://x/t",
        "--jwks-url", "https://x/j",
    ])  # fmt: skip
    assert result.exit_code == 2 and "--auth-url" in result.output


def test_dynamic_registration_stores_the_platform_from_one_pasted_url(
    tool: Tool, cli_env: None
) -> None:
    printed = CliRunner().invoke(cli, ["lti", "registration-url", "--tenant", "course-dyn"])
    assert printed.exit_code == 0, printed.output
    url = printed.output.strip().splitlines()[-1]
    assert url.startswith(f"{tool.url}/lti/register/")
    platform, served = start_platform(tool)
    platform.client_id, platform.tool_login = "dyn-client", ""
    try:
        page = httpx.get(f"{platform.url}/start-registration", params={"tool_url": url},
                         follow_redirects=True, timeout=30)  # fmt: skip
        assert page.status_code == 200, page.text
        assert "org.imsglobal.lti.close" in page.text
        (sent,) = platform.registrations
        assert sent["initiate_login_uri"] == f"{tool.url}/lti/login"
        assert sent["jwks_uri"] == f"{tool.url}/lti/jwks"
        assert sent["token_endpoint_auth_method"] == "private_key_jwt"
        assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in sent["scope"]
        link = platform.add_link({"rubric_id": "track-ii/complement"})
        learner = launch(browser(), platform, Message("d-1", [LEARNER], resource_link_id=link))
        assert 'name="answer"' in learner.text
    finally:
        served.stop()


def test_a_forged_registration_url_is_refused(tool: Tool) -> None:
    page = httpx.get(f"{tool.url}/lti/register/forged",
                     params={"openid_configuration": "http://127.0.0.1:9/x"})  # fmt: skip
    assert page.status_code == 403 and "not genuine" in page.text


def test_dynamic_registration_with_a_wrong_token_is_a_clear_page(tool: Tool, cli_env: None) -> None:
    url = CliRunner().invoke(cli, ["lti", "registration-url", "--tenant", "x"]).output.split()[-1]
    platform, served = start_platform(tool)
    try:
        page = httpx.get(url, params={
            "openid_configuration": f"{platform.url}/.well-known/openid-configuration",
            "registration_token": "wrong",
        }, timeout=30)  # fmt: skip
        assert page.status_code == 502 and "HTTP 401" in page.text
    finally:
        served.stop()


def test_key_rotation_keeps_the_old_key_published_while_the_new_one_signs(
    tool: Tool, platform: Platform, cli_env: None
) -> None:
    before = {k["kid"] for k in httpx.get(f"{tool.url}/lti/jwks").json()["keys"]}
    rotated = CliRunner().invoke(cli, ["lti", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    new_kid = rotated.output.split()[3].rstrip(";")
    published = httpx.get(f"{tool.url}/lti/jwks").json()["keys"]
    kids = {k["kid"] for k in published}
    assert new_kid in kids and before <= kids and len(kids) <= 2
    assert all(k["kty"] == "RSA" and "d" not in k for k in published)
    # The deep-linking response is now signed with the new key, and the platform accepts it.
    client = browser()
    picker = launch(client, platform, Message("t", [INSTRUCTOR],
                                              message_type="LtiDeepLinkingRequest"))  # fmt: skip
    chosen = forms(picker.text)[0]
    back = client.post(f"{tool.url}{chosen[0]}", data=chosen[1])
    assert "Activity added" in submit_form(client, back).text
    CliRunner().invoke(cli, ["lti", "rotate-key"])
    after = {k["kid"] for k in httpx.get(f"{tool.url}/lti/jwks").json()["keys"]}
    assert new_kid in after and not before & after  # the oldest key is retired


def test_a_platform_sees_only_its_own_tenants_rubrics(tool: Tool, platform: Platform) -> None:
    from rubrics import parse_rubric_text

    own = parse_rubric_text(
        "schema: assess.rubric/v1\nid: other/secret\nquestion: Why?\npoints:\n"
        "- id: a\n  label: a\n  text: Because of a.\n",
        "r",
    )
    with tool.state.sessions.begin() as session:
        from service.tenants import get_or_create_tenant

        other = get_or_create_tenant(session, "course-other")
        tool.state.store.save(session, other.id, own, create=True)
    picker = launch(browser(), platform, Message("t", [INSTRUCTOR],
                                                 message_type="LtiDeepLinkingRequest"))  # fmt: skip
    assert "other/secret" not in picker.text and "track-ii/complement" in picker.text


@pytest.mark.parametrize("cls", sorted(
    [c for c in vars(__import__("service.lti.errors").lti.errors).values()
     if isinstance(c, type) and issubclass(c, LtiError)], key=lambda c: c.__name__,
))  # fmt: skip
def test_every_lti_error_has_its_own_status(cls: type[LtiError]) -> None:
    assert cls in LTI_ERROR_STATUS
