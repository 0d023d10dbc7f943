"""Errors raised while finding or loading models.

ModelError
 └── ModelLoadError      the encoder could not be found or loaded
"""

from __future__ import annotations


class ModelError(Exception):
    """Base class for model-layer errors."""


class ModelLoadError(ModelError):
    """The named encoder could not be found or loaded."""
