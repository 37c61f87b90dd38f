"""Shared test helpers: toolchain gating."""

from __future__ import annotations

import pytest

from bgsession.gen.check import find_tool, toolchains_required


def require_tool(name: str) -> str:
    """The tool's path; skip with a clear reason when it is missing, or fail when CI requires it."""
    path = find_tool(name)
    if path is None:
        message = f"{name} is not installed (Swift toolchain or clang); compile checks cannot run"
        if toolchains_required():
            pytest.fail(f"{message}, and BGSESSION_REQUIRE_TOOLCHAINS=1 makes that a failure")
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True, scope="session")
def _private_facts_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The suite (and the CLI it starts in subprocesses) caches facts in a folder of its own."""
    import os

    os.environ["BGSESSION_CACHE_DIR"] = str(tmp_path_factory.mktemp("facts-cache"))
