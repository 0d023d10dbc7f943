"""Each package's public face: a sorted, complete `__all__` (httpx's habit); no work at import."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("name", ["assess", "rubrics", "models"])
def test_all_is_sorted_and_every_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported)
    assert all(hasattr(module, item) for item in exported)


def test_importing_the_packages_loads_no_model() -> None:
    probe = (
        "import sys, assess, rubrics, models, service.cli; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
