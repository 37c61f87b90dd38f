"""One lint of the open buffers of a workspace folder: the library path of `bgsession lint --stdin
--stdin-filename PATH FOLDER`, with every open buffer standing in for its file.

The folder's other files give the project's facts (the app delegate in another file, a constant
defined elsewhere); the buffers' unsaved text replaces their files; only the buffers' findings are
reported. The configuration is read afresh each time, so an edited `.bgsession.toml` counts from
the next lint on; a broken one is reported once by the caller and the defaults are used meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bgsession.config import ConfigSet
from bgsession.diagnostics import Diagnostic, one_line
from bgsession.errors import BgsessionError
from bgsession.lint.cache import FactsCache
from bgsession.lint.runner import LintRequest, lint
from bgsession.tomlfile import ConfigError


@dataclass(frozen=True, slots=True)
class Outcome:
    """The findings of each buffer linted (every buffer has an entry, empty when clean), and the
    problem that made the lint fall back to the default configuration, if one did."""

    diagnostics: dict[str, list[Diagnostic]]
    config_problem: str | None = None
    problems: list[str] = field(default_factory=list)


def lint_buffers(
    folder: str | None, buffers: dict[str, bytes], *, explain: bool = False, cache: FactsCache | None = None
) -> Outcome:
    """Lint `buffers` (path -> the editor's bytes) with the project in `folder` around them; without
    a folder (a file opened on its own) the buffers alone."""
    config_problem: str | None = None
    try:
        diagnostics, problems = _run(folder, buffers, explain, cache, ConfigSet())
    except ConfigError as problem:
        config_problem = f"{one_line(str(problem))}; linting with the default settings until it is fixed"
        diagnostics, problems = _run(folder, buffers, explain, cache, ConfigSet(enabled=False))
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in buffers}
    for diagnostic in diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    return Outcome(by_path, config_problem, problems)


def _run(
    folder: str | None, buffers: dict[str, bytes], explain: bool, cache: FactsCache | None, configs: ConfigSet
) -> tuple[list[Diagnostic], list[str]]:
    request = LintRequest(
        paths=[folder] if folder is not None else [],
        overrides=dict(buffers),
        report_paths=frozenset(buffers),
        cache=cache,
        explain=explain,
        configs=configs,
    )
    try:
        result = lint(request)
    except ConfigError:
        raise
    except BgsessionError as problem:
        return [], [one_line(str(problem))]
    problems = [f"{path}: {one_line(problem)}" for path, problem in result.problems if path in buffers]
    return result.diagnostics, problems


__all__ = ["Outcome", "lint_buffers"]
