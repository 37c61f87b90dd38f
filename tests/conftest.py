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
