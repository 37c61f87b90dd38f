"""Which files form each app: the units every rule and every `--explain` trace sees one at a time.

The rule of thumb: each path named on the command line is a project of its own, and inside one path,
top-level folders that each hold app entry code (an app delegate, `@main`, `UIApplicationMain`, a
SwiftUI `App`) are separate apps; folders without entry code are shared by every app of that path.
Two apps never share a process, so one app's identifiers, handler stores and delegates say nothing
about another's. A library folder linted alone (no entry code anywhere) is one unit, as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from bgsession.lint.facts import FileFacts

_ENTRY_KINDS = ("main", "UIApplicationMain", "app")


def has_app_entry(facts: FileFacts) -> bool:
    """Whether the file holds an app's own entry code."""
    return any("UIApplicationDelegate" in t.inherits for t in facts.types) or any(
        entry.kind in _ENTRY_KINDS for entry in facts.entries
    )


def root_of(path: str, roots: dict[str, str], given: Iterable[str]) -> str | None:
    """The linted path a file was found under; for a file named on its own (or a buffer read from
    standard input), the innermost named folder that contains it, so an editor's buffer joins its app."""
    if path in roots:
        return roots[path]
    absolute = os.path.abspath(path)
    best: tuple[int, str] | None = None
    for folder in given:
        prefix = os.path.abspath(folder).rstrip(os.sep) + os.sep
        if absolute.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), folder)
    return best[1] if best else None


def split_by_root(paths: Iterable[str], roots: dict[str, str | None]) -> dict[str | None, list[str]]:
    """The paths of each linted root, in order (None: files named on their own, outside any folder)."""
    result: dict[str | None, list[str]] = {}
    for path in paths:
        result.setdefault(roots.get(path), []).append(path)
    return result


def units(facts: list[FileFacts], roots: dict[str, str | None], groups: dict[str, str]) -> list[list[FileFacts]]:
    """The files of each app, in a stable order. A file of shared code is in every app of its root."""
    result: list[list[FileFacts]] = []
    by_root: dict[str | None, list[FileFacts]] = {}
    for file in facts:
        by_root.setdefault(roots.get(file.path), []).append(file)
    for root in sorted(by_root, key=lambda name: (name is None, name or "")):
        files = by_root[root]
        entry_groups = {groups.get(file.path, "") for file in files if not file.auxiliary and has_app_entry(file)}
        # Entry code at the top of the linted folder owns the whole folder: one app.
        if len(entry_groups) < 2 or "" in entry_groups:
            result.append(files)
            continue
        shared = [file for file in files if groups.get(file.path, "") not in entry_groups]
        for group in sorted(entry_groups):
            result.append([file for file in files if groups.get(file.path, "") == group] + shared)
    return result


__all__ = ["has_app_entry", "root_of", "split_by_root", "units"]
