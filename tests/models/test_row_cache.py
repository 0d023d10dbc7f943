"""The row cache the encoder and the pair judge share: each key computed once, in one call
over the distinct missing keys, the least recently used dropped first."""

from __future__ import annotations

import numpy as np

from models.row_cache import RowCache


def test_each_missing_key_is_computed_once_and_later_reads_reuse_it() -> None:
    calls: list[list[str]] = []

    def compute(keys: list[str]) -> np.ndarray:
        calls.append(keys)
        return np.array([[len(k), calls.__len__()] for k in keys], dtype=np.float32)

    cache: RowCache[str] = RowCache(size=10)
    first = cache.rows(["ab", "c", "ab"], 2, compute)
    assert calls == [["ab", "c"]]
    np.testing.assert_array_equal(first, [[2, 1], [1, 1], [2, 1]])
    again = cache.rows(["c", "def"], 2, compute)
    assert calls[-1] == ["def"]
    np.testing.assert_array_equal(again, [[1, 1], [3, 2]])  # "c" as first computed


def test_the_least_recently_used_key_goes_first_and_clear_forgets_all() -> None:
    computed: list[str] = []

    def compute(keys: list[str]) -> np.ndarray:
        computed.extend(keys)
        return np.zeros((len(keys), 1), dtype=np.float32)

    cache: RowCache[str] = RowCache(size=2)
    cache.rows(["a", "b"], 1, compute)
    cache.rows(["a"], 1, compute)  # "a" used again: "b" is now the oldest
    cache.rows(["c"], 1, compute)  # drops "b"
    cache.rows(["a", "b"], 1, compute)
    assert computed == ["a", "b", "c", "b"]
    cache.clear()
    cache.rows(["a"], 1, compute)
    assert computed[-1] == "a"
