"""Encoders (sentence-transformers, offline) and the artefacts that turn features into scores."""

from models.encoder import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_MODEL_NAME,
    SERVED_BACKEND,
    Embeddings,
    Encoder,
    EncoderBackend,
    EncoderInfo,
    SentenceTransformerEncoder,
    default_model_path,
    load_encoder,
    resolve_model_path,
    weights_sha256,
)
from models.errors import ModelError, ModelLoadError

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "DEFAULT_MODEL_NAME",
    "Embeddings",
    "Encoder",
    "EncoderBackend",
    "EncoderInfo",
    "ModelError",
    "ModelLoadError",
    "SERVED_BACKEND",
    "SentenceTransformerEncoder",
    "default_model_path",
    "load_encoder",
    "resolve_model_path",
    "weights_sha256",
]
