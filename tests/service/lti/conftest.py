"""The tool and a simulated LMS, each a real server on a loopback port; a browser-like client.

The tool is the real app with the session's real grader; the platform is
`tests.service.lti.platform`. They talk to each other only over HTTP (JWKS, tokens, scores).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from assess import Grader
from service.app import create_app
from service.lti.registration import add_platform
from service.settings import Settings
from tests.live import Served, serve
from tests.service.lti.platform import Message, Platform, platform_app

TENANT = "course-a"


@dataclass
class Tool:
    """The assess app, live, and where its data lives."""

    served: Served
    data_dir: Path

    @property
    def url(self) -> str:
        return self.served.url

    @property
    def state(self) -> Any:
        return self.served.app.state.assess


def start_tool(grader: Grader, data_dir: Path, **overrides: Any) -> Tool:
    settings = Settings(
        data_dir=data_dir, lti_retry_base_seconds=0.2, lti_jwks_refetch_seconds=0, **overrides
    )
    return Tool(serve(create_app(settings, grader=grader)), data_dir)


@pytest.fixture(scope="module")
def tool(grader: Grader, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tool]:
    started = start_tool(grader, tmp_path_factory.mktemp("lti-tool"))
    yield started
    started.served.stop()


def start_platform(tool: Tool) -> tuple[Platform, Served]:
    platform = Platform()
    served = serve(platform_app(platform))
    platform.url = served.url
    platform.tool_login = f"{tool.url}/lti/login"
    platform.tool_launch = f"{tool.url}/lti/launch"
    platform.tool_jwks = f"{tool.url}/lti/jwks"
    return platform, served


def register(tool: Tool, platform: Platform, tenant: str = TENANT) -> None:
    with tool.state.sessions.begin() as session:
        add_platform(
            session, tenant, issuer=platform.url, client_id=platform.client_id,
            deployment_id=platform.deployment_id, auth_url=f"{platform.url}/auth",
            token_url=f"{platform.url}/token", jwks_url=f"{platform.url}/jwks",
        )  # fmt: skip


@pytest.fixture(scope="module")
def platform(tool: Tool) -> Iterator[Platform]:
    """A platform registered with the tool for tenant course-a."""
    made, served = start_platform(tool)
    register(tool, made)
    yield made
    served.stop()


class FormParser(HTMLParser):
    """The forms of a page: action and the values of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((values.get("action", ""), {}))
        elif tag in ("input", "textarea") and self.forms and values.get("name"):
            self.forms[-1][1][values["name"]] = values.get("value", "")


def forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


_OPEN: list[httpx.Client] = []


def browser() -> httpx.Client:
    """A client that keeps cookies and follows redirects, as a browser would (closed after
    the test)."""
    client = httpx.Client(follow_redirects=True, timeout=60)
    _OPEN.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_browsers() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def submit_form(client: httpx.Client, page: httpx.Response, **fields: str) -> httpx.Response:
    """Submit the page's first form (an auto-posting one, or one a user fills in)."""
    action, values = forms(page.text)[0]
    target = str(page.url.join(action))
    return client.post(target, data={**values, **fields})


def launch(client: httpx.Client, platform: Platform, message: Message) -> httpx.Response:
    """A full launch: login initiation, the platform's authorisation, the id_token post."""
    authorised = client.get(platform.login_url(message))
    assert authorised.status_code == 200, authorised.text
    return submit_form(client, authorised)


def login_only(client: httpx.Client, platform: Platform, message: Message) -> dict[str, str]:
    """The first step alone: the state and nonce the tool issued (its cookie is in client)."""
    answer = client.get(platform.login_url(message), follow_redirects=False)
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    platform.messages.pop(query["lti_message_hint"][0], None)
    return {name: values[0] for name, values in query.items()}
