"""A thread-safe LRU cache of array rows by key, for the models that read texts in batches.

The encoder and the pair judge both run int8 ONNX models whose activations are scaled over a
whole batch, so a text's row depends slightly on what it was batched with. Within one process
the cache keeps the first row computed for a key, so the same text (or pair) reads the same
however later calls are batched; it also spares the work of reading it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

Key = TypeVar("Key", bound=Hashable)
Rows = npt.NDArray[np.float32]


class RowCache(Generic[Key]):
    """Rows by key, the least recently used dropped past `size` keys."""

    def __init__(self, size: int) -> None:
        self._rows: OrderedDict[Key, Rows] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()

    def rows(self, keys: Sequence[Key], width: int, compute: Callable[[list[Key]], Rows]) -> Rows:
        """A row (of `width`) per key, in order: cached ones reused, the rest computed in one
        `compute` call over the distinct missing keys (in first-seen order) and cached."""
        out = np.empty((len(keys), width), dtype=np.float32)
        missing: dict[Key, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                row = self._rows.get(key)
                if row is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._rows.move_to_end(key)
                    out[i] = row
        if missing:
            unique = list(missing)
            fresh = compute(unique)
            with self._lock:
                for key, row in zip(unique, fresh, strict=True):
                    for i in missing[key]:
                        out[i] = row
                    self._rows[key] = row
                while len(self._rows) > self._size:
                    self._rows.popitem(last=False)
        return out
