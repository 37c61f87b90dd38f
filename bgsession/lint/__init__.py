"""The linter's public face: `lint(LintRequest(paths)) -> LintResult`.

Loaded lazily: importing `bgsession.lint` (as every stage's module does) costs nothing, so worker
processes that only extract facts never load the runner, the project stage or the rule catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bgsession.lint.runner import LintRequest, LintResult, lint

__all__ = ["LintRequest", "LintResult", "lint"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bgsession.lint import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'bgsession.lint' has no attribute {name!r}")
