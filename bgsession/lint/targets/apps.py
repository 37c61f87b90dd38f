"""Which target each file builds into, and which targets ship together as one app.

A file's targets come from, in order: the Xcode projects (and workspaces) below the root; Swift
packages by convention; only where neither covers the file, the nearest Info.plist above it (the old
rule of `bgsession.lint.discover.targets`, with one fix: once projects were read, a plist that no
target builds with is a stray and is passed over, so a widget's `Watch-Info.plist` left at the root
does not turn `Shared/` into extension code).

An app is an application (or app clip) target and what it embeds (Copy Files phases: app
extensions, watch content) or depends on (frameworks), transitively, so a watch app's WatchKit
extension is in the iOS app that embeds the watch app. Test targets and other apps are never
members. A watch app that no app embeds is an app of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from bgsession.lint.discover import SKIPPED_FOLDERS, is_test_path
from bgsession.lint.targets import plists
from bgsession.lint.targets.swiftpm import Package, read_package
from bgsession.lint.targets.values import WATCHKIT_EXTENSION_POINT, App, Origin, Problem, Target, TargetKind
from bgsession.lint.targets.xcode import Project, ProjectTables, SyncFolder, read_project, read_workspace

MAX_PROJECTS = 256
MAX_PACKAGES = 256
_PLIST_LEVELS = 12
_HEADER_PARTNERS = (".m", ".mm", ".swift", ".c", ".cpp")
_APP_ROOTS = (TargetKind.APP, TargetKind.APP_CLIP)


@dataclass(frozen=True)
class TargetMap:
    """The targets below one root folder; `targets_of` answers for any file path."""

    root: str
    targets: tuple[Target, ...]
    problems: tuple[Problem, ...]
    files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    folders: tuple[SyncFolder, ...] = ()
    packages: tuple[tuple[str, str], ...] = ()
    _by_ident: dict[str, Target] = field(default_factory=dict, repr=False)
    _plist_targets: dict[str, Target] = field(default_factory=dict, repr=False)
    _folder_cache: dict[str, Target | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_ident.update((target.ident, target) for target in self.targets)
        for target in self.targets:
            for plist in target.info_plists:
                self._plist_targets.setdefault(plist, target)

    def target(self, ident: str) -> Target | None:
        return self._by_ident.get(ident)

    def covers(self, path: str) -> bool:
        """Whether a project or package (not the Info.plist fallback) decides the file's targets."""
        return self._declared(_absolute(path)) is not None

    def targets_of(self, path: str) -> tuple[Target, ...]:
        """Every target that builds the file (several when it is in several); `()` when a synchronized
        folder holds the file but excludes it from every target; else the fallback's one target."""
        absolute = _absolute(path)
        declared = self._declared(absolute)
        if declared is not None:
            return tuple(self._by_ident[ident] for ident in declared if ident in self._by_ident)
        return (self._fallback(absolute),)

    def _declared(self, absolute: str) -> list[str] | None:
        found = list(self.files.get(absolute, ()))
        synchronized = False
        for folder in self.folders:
            if absolute.startswith(folder.path + os.sep):
                synchronized = True
                relative = absolute[len(folder.path) + 1 :].replace(os.sep, "/")
                found.extend(ident for ident in sorted(folder.targets_of(relative)) if ident not in found)
        if not found and absolute.endswith(".h"):
            stem = absolute[:-2]
            for suffix in _HEADER_PARTNERS:
                found.extend(ident for ident in self.files.get(stem + suffix, ()) if ident not in found)
        if not found:
            for folder_path, ident in self.packages:
                if absolute.startswith(folder_path + os.sep):
                    return [ident]
        return found if found or synchronized else None

    def _fallback(self, absolute: str) -> Target:
        if is_test_path(os.path.relpath(absolute, self.root)):
            return Target(f"{self.root}#test", "test", TargetKind.TEST, Origin.DEFAULT, self.root)
        folder = os.path.dirname(absolute)
        chain: list[str] = []
        found: Target | None = None
        for _ in range(_PLIST_LEVELS):
            if folder in self._folder_cache:
                found = self._folder_cache[folder]
                break
            chain.append(folder)
            found = self._plist_in(folder)
            parent = os.path.dirname(folder)
            if found is not None or folder in (self.root, parent) or not folder.startswith(self.root):
                break
            folder = parent
        for visited in chain:
            self._folder_cache[visited] = found
        return found or Target(f"{self.root}#default", "", TargetKind.APP, Origin.DEFAULT, self.root)

    def _plist_in(self, folder: str) -> Target | None:
        try:
            names = sorted(name for name in os.listdir(folder) if name == "Info.plist" or name.endswith("-Info.plist"))
        except OSError:
            return None
        for name in names:
            path = os.path.join(folder, name)
            if path in self._plist_targets:
                return self._plist_targets[path]
            if self.targets and any(target.origin is Origin.XCODE for target in self.targets):
                continue  # a stray: no target of the projects builds with it
            info = plists.read_plist(path)
            if isinstance(info, Problem):
                continue
            point = plists.extension_point(info)
            if point == WATCHKIT_EXTENSION_POINT:
                kind = TargetKind.WATCH_EXTENSION
            elif point is not None or "NSExtension" in info:
                kind = TargetKind.EXTENSION
            elif plists.is_watch_app(info):
                kind = TargetKind.WATCH_APP
            else:
                kind = TargetKind.APP
            name_of = os.path.basename(folder)
            return Target(
                f"{path}#plist", name_of, kind, Origin.PLIST, path, extension_point=point, info_plists=(path,)
            )
        return None

    def apps(self) -> list[App]:
        """Each app and its members, in a stable order (by project, then target name)."""
        roots = [target for target in self.targets if target.kind in _APP_ROOTS and target.origin is Origin.XCODE]
        result = [App(root, tuple(self._members(root))) for root in sorted(roots, key=_order)]
        inside = {member.ident for app in result for member in app.members}
        for watch in sorted(self.targets, key=_order):
            if watch.kind is TargetKind.WATCH_APP and watch.ident not in inside:
                result.append(App(watch, tuple(self._members(watch))))
        return result

    def _members(self, root: Target) -> Iterator[Target]:
        seen = {root.ident}
        queue = [root]
        while queue:
            current = queue.pop(0)
            yield current
            for ident in (*current.embeds, *current.depends):
                member = self._by_ident.get(ident)
                if member is None or ident in seen or member.kind in (*_APP_ROOTS, TargetKind.TEST):
                    continue
                seen.add(ident)
                queue.append(member)


def _order(target: Target) -> tuple[str, str]:
    return (target.project, target.name)


def _absolute(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def build_map(root: str, tables: ProjectTables | None = None) -> TargetMap:
    """Read every Xcode project, workspace and Swift package below `root` (hidden folders and build
    output, Pods and node_modules skipped) into one TargetMap; unreadable ones become problems."""
    root = _absolute(root)
    project_dirs, workspaces, manifests = _find(root)
    problems: list[Problem] = []
    for workspace in workspaces:
        listed, trouble = read_workspace(workspace)
        problems.extend(trouble)
        for listed_path in listed:
            if os.path.isdir(listed_path) and not SKIPPED_FOLDERS.intersection(listed_path.split(os.sep)):
                project_dirs.setdefault(_absolute(listed_path), None)
    projects: list[Project] = []
    for path in list(project_dirs)[:MAX_PROJECTS]:
        read = read_project(path, tables)
        if isinstance(read, Problem):
            problems.append(read)
        else:
            projects.append(read)
            problems.extend(read.problems)
    packages: list[Package] = []
    for manifest in manifests[:MAX_PACKAGES]:
        package = read_package(manifest)
        if isinstance(package, Problem):
            problems.append(package)
        else:
            packages.append(package)
    products = {key: ident for project in projects for key, ident in project.products.items()}
    targets: list[Target] = []
    files: dict[str, tuple[str, ...]] = {}
    for project in projects:
        for target in project.targets:
            embedded = tuple(dict.fromkeys(products[key] for key in target.embeds if key in products))
            targets.append(replace(target, embeds=embedded))
        for path, idents in project.files.items():
            files[path] = tuple(dict.fromkeys((*files.get(path, ()), *idents)))
    package_folders = sorted(
        (folder for package in packages for folder in package.folders), key=lambda pair: -len(pair[0])
    )
    targets.extend(target for package in packages for target in package.targets)
    return TargetMap(
        root=root,
        targets=tuple(targets),
        problems=tuple(problems),
        files=files,
        folders=tuple(folder for project in projects for folder in project.folders),
        packages=tuple(package_folders),
    )


def _find(root: str) -> tuple[dict[str, None], list[str], list[str]]:
    projects: dict[str, None] = {}
    workspaces: list[str] = []
    manifests: list[str] = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        kept = []
        for name in sorted(subfolders):
            path = os.path.join(folder, name)
            if name.endswith(".xcodeproj"):
                projects[path] = None
            elif name.endswith(".xcworkspace"):
                workspaces.append(path)
            elif not name.startswith(".") and name not in SKIPPED_FOLDERS and not name.endswith(".framework"):
                kept.append(name)
        subfolders[:] = kept
        if "Package.swift" in names:
            manifests.append(os.path.join(folder, "Package.swift"))
    return projects, workspaces, manifests
