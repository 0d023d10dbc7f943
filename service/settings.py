"""User settings, read from ASSESS_* environment variables by the composition roots only."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assess import GraderConfig
from assess.config import DEFAULT_MAX_ANSWER_CHARS
from models import DEFAULT_MODEL_NAME, SERVED_BACKEND, EncoderBackend

# fp32 ONNX: faster than fp32 torch on CPU with the same vectors, and, unlike int8, an
# answer's grade does not depend on its batch-mates (models.encoder.SERVED_BACKEND).
DEFAULT_SERVICE_BACKEND: EncoderBackend = SERVED_BACKEND


class Settings(BaseSettings):
    """Everything a user can set; defaults need no server and no network."""

    model_config = SettingsConfigDict(env_prefix="ASSESS_", extra="ignore")

    encoder: str = Field(
        default=DEFAULT_MODEL_NAME,
        description="sentence-transformers model: the packaged default, or a local folder",
    )
    point_model: str = Field(
        default="default",
        description="what decides each point's status: `default` (the shipped point model), "
        "a point model file (JSON), or `none` for the coverage-v1 calibrator and rules",
    )
    example_model: str = Field(
        default="default",
        description="what reads a calibrated rubric's graded answers: `default` (the shipped "
        "example model), an example model file (JSON), or `none` for the calibration's own "
        "Platt scaling",
    )
    score_model: str = Field(
        default="default",
        description="what reads a calibrated rubric's whole-answer scores where it has several "
        "points: `default` (the shipped score model), a score model file (JSON), or `none` "
        "for the points' score alone",
    )
    calibrator: Path | None = Field(default=None, description="calibrator artefact (JSON)")
    contradiction: Path | None = Field(default=None, description="contradiction model (JSON)")
    judge: str = Field(
        default="default",
        description="the pair judge: `default` (the one `make setup` assembles from the "
        "committed difference), a judge folder, or `none` to grade without it",
    )
    judge_weight: float = Field(
        default=GraderConfig.judge_weight,
        ge=0.0,
        le=1.0,
        description="with a pair judge: the share of P(covered) it decides (0: it calls "
        "denials only)",
    )
    judge_max_points: int = Field(
        default=GraderConfig.judge_max_points or 0,
        ge=0,
        description="with a pair judge: its share is heard in rubrics of up to this many "
        "points only, its denials in every rubric (0: rubrics of any size)",
    )
    max_answer_chars: int = Field(default=DEFAULT_MAX_ANSWER_CHARS, gt=0)
    encode_batch_size: int = Field(default=32, gt=0)
    threads: int | None = Field(default=None, gt=0, description="torch threads; default: all")
    encoder_backend: EncoderBackend = Field(
        default=DEFAULT_SERVICE_BACKEND,
        description="what runs the encoder: onnx (fp32, the default), torch (fp32) or onnx-int8 "
        "(faster; an answer's vector then depends on its batch-mates a little); the ONNX "
        "files are exported from the same weights by `make setup` (python -m models.onnx)",
    )
    data_dir: Path = Path("data")
    # the HTTP service (`assess serve`)
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file under data_dir"
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)
    secret_key: str | None = Field(
        default=None, description="signs sessions and practice links; default: kept in data_dir"
    )
    rate_limit_per_minute: int = Field(default=600, gt=0, description="requests per API key")
    max_batch_rows: int = Field(default=10_000, gt=0)
    max_upload_bytes: int = Field(default=10_000_000, gt=0)
    max_rubric_points: int = Field(default=50, gt=0)
    idempotency_ttl_hours: float = Field(
        default=24, gt=0, description="how long an Idempotency-Key's response is replayed"
    )
    run_jobs: bool = Field(default=True, description="grade batches in a background thread")
    # LTI 1.3 (service/lti)
    public_url: str | None = Field(
        default=None,
        description="the URL LMSs reach assess at (https://assess.example.edu); default: "
        "the request's own base URL, and http://HOST:PORT on the command line",
    )
    lti_clock_leeway_seconds: int = Field(default=60, ge=0, le=600)
    lti_jwks_refetch_seconds: float = Field(
        default=10.0, ge=0, description="at most one refetch of a platform's keys this often"
    )
    lti_retry_base_seconds: float = Field(
        default=30.0, gt=0, description="first wait before a failed score passback is retried"
    )
    lti_retry_max_attempts: int = Field(default=8, gt=0)

    def sqlalchemy_url(self) -> str:
        """The database to use: ASSESS_DATABASE_URL, else `assess.db` under the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'assess.db'}"

    def base_url(self) -> str:
        """The tool's public URL without a trailing slash (PUBLIC_URL, else http://HOST:PORT)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def grader_config(self) -> GraderConfig:
        """The engine's configuration from these settings."""
        return GraderConfig(
            max_answer_chars=self.max_answer_chars,
            judge_weight=self.judge_weight,
            judge_max_points=self.judge_max_points or None,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests build their own `Settings`)."""
    return Settings()
