"""`assess keys create`: the key is the last line, stored hashed, and it authenticates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from service.cli import cli
from service.db import make_engine, make_sessions
from service.orm import ApiKey
from service.settings import get_settings
from service.tenants import hash_key, tenant_for_key


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ASSESS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_keys_create_prints_the_key_last_and_stores_only_its_hash(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["keys", "create", "--tenant", "course-1"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("ak_")
    engine = make_engine(f"sqlite:///{data_dir / 'assess.db'}")
    with make_sessions(engine)() as session:
        stored = session.scalars(select(ApiKey.key_hash)).all()
        assert stored == [hash_key(key)]
        assert tenant_for_key(session, key).name == "course-1"
    engine.dispose()


def test_a_second_key_for_the_same_tenant_is_a_new_key(data_dir: Path) -> None:
    first = CliRunner().invoke(cli, ["keys", "create", "--tenant", "c"]).stdout.splitlines()[-1]
    second = CliRunner().invoke(cli, ["keys", "create", "--tenant", "c"]).stdout.splitlines()[-1]
    assert first != second


def test_an_empty_tenant_name_is_refused(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["keys", "create", "--tenant", " "])
    assert result.exit_code == 2
    assert "--tenant" in result.stderr
