"""The agreement tests' caches hold every behaviour's verdict and every rendered file's facts: kept in a
pytest-xdist worker after them, that heap makes every later test's garbage collection walk it (the
20 MB file of tests/lint/test_robust_inputs.py went from under a minute to over ten in the same worker)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bgsession.lint.cache import MemoryCache
from tests.agreement import harness


@pytest.fixture(autouse=True)
def _forget_the_caches() -> Iterator[None]:
    yield
    harness.model_codes.cache_clear()
    harness.extras_model_codes.cache_clear()
    harness._FACTS = MemoryCache()
    gc.collect()
