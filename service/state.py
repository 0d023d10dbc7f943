"""What the app holds while it runs, built once by the lifespan (the composition root)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from assess import Grader
from service.metrics import Metrics
from service.ratelimit import RateLimiter
from service.rubric_store import RubricStore
from service.settings import Settings


@dataclass
class AppState:
    """The app's collaborators: settings, database, grader, rubrics, limits, metrics."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    grader: Grader
    store: RubricStore
    limiter: RateLimiter
    metrics: Metrics
    secret_key: str
    # The grader's caches are not made for concurrent use: requests and the job thread
    # take turns, the job a small chunk at a time so a single answer never waits long.
    grader_lock: threading.Lock = field(default_factory=threading.Lock)


def load_secret_key(settings: Settings) -> str:
    """ASSESS_SECRET_KEY, else one made on first start and kept in the data dir."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key
