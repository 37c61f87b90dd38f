"""Which files form each app: the units every rule and every `--explain` trace sees one at a time.

Where a linted folder holds Xcode projects with application targets, the projects decide
(`bgsession.lint.targets`): an app is an application target plus the extensions, watch app and
frameworks it embeds or depends on (and the framework of a development pod its folder's Podfile.lock
names by `:path:`), and a file is in every app one of whose targets builds it. Code
of Swift packages (apps link packages, not their targets) and files no project covers are shared by
every app of that folder, the latter's target decided by the nearest Info.plist the projects use;
files the projects build into no app (a framework nothing embeds) form one more unit, with no entry
code, as a library linted alone would.

Otherwise, the rule of thumb: each path named on the command line is a project of its own, and inside
one path, top-level folders that each hold app entry code (an app delegate, `@main`, `UIApplicationMain`, a
SwiftUI `App`) are separate apps; folders without entry code are shared by every app of that path.
Two apps never share a process, so one app's identifiers, handler stores and delegates say nothing
about another's. A library folder linted alone (no entry code anywhere) is one unit, as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.lint.facts import FileFacts
from bgsession.lint.project import APP, EXTENSION, TEST, WATCH
from bgsession.lint.targets import Origin, Target, TargetKind, TargetMap, build_map, read_dependencies
from bgsession.lint.targets.context import AppContext
from bgsession.lint.targets.hosts import Dependency
from bgsession.lint.targets.xcode import ProjectTables

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
    """The files of each app by top-level folders, in a stable order. A file of shared code is in every
    app of its root."""
    result: list[list[FileFacts]] = []
    by_root = _by_root(facts, roots)
    for root in sorted(by_root, key=_root_order):
        result.extend(_split_by_folders(by_root[root], groups))
    return result


def _by_root(facts: list[FileFacts], roots: Mapping[str, str | None]) -> dict[str | None, list[FileFacts]]:
    by_root: dict[str | None, list[FileFacts]] = {}
    for file in facts:
        by_root.setdefault(roots.get(file.path), []).append(file)
    return by_root


def _root_order(name: str | None) -> tuple[bool, str]:
    return (name is None, name or "")


def _split_by_folders(files: list[FileFacts], groups: Mapping[str, str]) -> list[list[FileFacts]]:
    entry_groups = {groups.get(file.path, "") for file in files if not file.auxiliary and has_app_entry(file)}
    # Entry code at the top of the linted folder owns the whole folder: one app.
    if len(entry_groups) < 2 or "" in entry_groups:
        return [files]
    shared = [file for file in files if groups.get(file.path, "") not in entry_groups]
    return [[file for file in files if groups.get(file.path, "") == group] + shared for group in sorted(entry_groups)]


# -- units from the projects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One app as the rules see it: its files, each file's target kind (`app`, `extension`, `watch`,
    `test`) and group (what keeps two processes apart), and what the projects say of it."""

    files: list[FileFacts]
    targets: Mapping[str, str]
    groups: Mapping[str, str]
    context: AppContext = field(default_factory=AppContext)


@dataclass(frozen=True)
class Layout:
    """What the projects, packages and lock files of each linted folder say; read once per run."""

    maps: Mapping[str, TargetMap]
    dependencies: Mapping[str, tuple[Dependency, ...]]

    def problems(self) -> list[Diagnostic]:
        """One BGS000 warning per project, workspace or package that could not be read."""
        # A file a project names but the repository lacks (an Info.plist generated by CocoaPods) is
        # not a malformed project: the targets it would describe are simply read without it.
        return [
            Diagnostic(
                "BGS000",
                "parse-error",
                Severity.WARNING,
                problem.path,
                _FIRST,
                f"{problem.message}; targets of the files it would cover are decided by the nearest Info.plist",
            )
            for target_map in self.maps.values()
            for problem in target_map.problems
            if os.path.lexists(problem.path)
        ]


_FIRST = Loc(1, 1, 1, 1)


def read_layout(paths: Iterable[str], tables: ProjectTables | None = None) -> Layout:
    """The target map and the dependencies of every linted folder (files named alone have neither);
    `tables`: parsed project files kept from earlier runs."""
    maps: dict[str, TargetMap] = {}
    dependencies: dict[str, tuple[Dependency, ...]] = {}
    for given in paths:
        if given not in maps and os.path.isdir(given):
            maps[given] = build_map(given, tables)
            dependencies[given] = read_dependencies(given).items
    return Layout(maps, dependencies)


def plan(
    facts: list[FileFacts],
    roots: Mapping[str, str | None],
    targets: Mapping[str, str],
    groups: Mapping[str, str],
    layout: Layout,
) -> list[Unit]:
    """Every app unit, in a stable order: from the projects where a linted folder has an application
    target, else by top-level folders with the nearest-Info.plist `targets` and the folder `groups`."""
    result: list[Unit] = []
    by_root = _by_root(facts, roots)
    for root in sorted(by_root, key=_root_order):
        files = by_root[root]
        target_map = layout.maps.get(root) if root is not None else None
        dependencies = layout.dependencies.get(root, ()) if root is not None else ()
        apps = target_map.apps() if target_map is not None else []
        if target_map is None or not apps:
            context = AppContext(dependencies=dependencies)
            result.extend(Unit(unit, targets, groups, context) for unit in _split_by_folders(files, groups))
        else:
            result.extend(_project_units(files, target_map, dependencies))
    return result


def _project_units(
    files: list[FileFacts], target_map: TargetMap, dependencies: tuple[Dependency, ...]
) -> Iterator[Unit]:
    found = {file.path: target_map.targets_of(file.path) for file in files}
    # Only a project's own targets tie a file to apps; a Swift package's code is linked by whichever app
    # uses the package (the project names packages, not their targets), so it is shared like loose code.
    covered = {
        file.path
        for file in files
        if target_map.covers(file.path)
        and (not found[file.path] or any(target.origin is Origin.XCODE for target in found[file.path]))
    }
    claimed: set[str] = set()
    # A development pod's framework (a library's own project, its example app's Podfile naming it with
    # `:path:`) is built from this checkout and linked into the app, like a framework it embeds.
    pods = {dependency.name for dependency in dependencies if dependency.local}
    linked = {
        target.ident
        for targets in found.values()
        for target in targets
        if target.kind is TargetKind.FRAMEWORK and target.name in pods
    }
    for app in target_map.apps():
        members = {member.ident for member in app.members} | linked
        chosen: dict[str, tuple[Target, ...]] = {}
        for file in files:
            targets = found[file.path]
            if file.path in covered:
                inside = tuple(target for target in targets if target.ident in members)
                if inside:
                    claimed.add(file.path)
                elif targets and all(target.kind is TargetKind.TEST for target in targets):
                    inside = targets
                else:
                    continue  # another app's code, or built into no target
            else:
                inside = targets
            chosen[file.path] = inside
        yield _unit([file for file in files if file.path in chosen], chosen, AppContext(app, chosen, dependencies))
    leftover = {
        file.path: found[file.path]
        for file in files
        if file.path in covered
        and file.path not in claimed
        and found[file.path]
        and not all(target.kind is TargetKind.TEST for target in found[file.path])
    }
    if leftover:
        yield _unit(
            [file for file in files if file.path in leftover], leftover, AppContext(None, leftover, dependencies)
        )


def _unit(files: list[FileFacts], chosen: Mapping[str, tuple[Target, ...]], context: AppContext) -> Unit:
    kinds = {path: kind_of(targets) for path, targets in chosen.items()}
    groups = {path: _process_of(targets) for path, targets in chosen.items()}
    return Unit(files, kinds, groups, context)


_APP_SIDE = (TargetKind.APP, TargetKind.APP_CLIP, TargetKind.FRAMEWORK, TargetKind.OTHER)
_WATCH_SIDE = (TargetKind.WATCH_APP, TargetKind.WATCH_EXTENSION)


def kind_of(targets: tuple[Target, ...]) -> str:
    """The one target kind the rules of today read for a file built into `targets`: the app's side wins
    (code the app runs is app code even when an extension builds it too), then watchOS, then extension."""
    kinds = {target.kind for target in targets}
    if not kinds or kinds & set(_APP_SIDE):
        return APP
    if kinds & set(_WATCH_SIDE):
        return WATCH
    if TargetKind.EXTENSION in kinds:
        return EXTENSION
    return TEST


def _process_of(targets: tuple[Target, ...]) -> str:
    """What keeps processes apart inside one unit: a watch app's code runs on another device, so its
    sessions never meet the iOS app's; files no project target covers are shared (`""`)."""
    if not targets or any(target.origin is not Origin.XCODE for target in targets):
        return ""
    return "watch" if all(target.kind in _WATCH_SIDE for target in targets) else "ios"


__all__ = ["Layout", "Unit", "has_app_entry", "kind_of", "plan", "read_layout", "root_of", "split_by_root", "units"]
