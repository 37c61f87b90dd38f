"""`bgsession xcfilelist`: the input file list of a Run Script phase that lints one Xcode target.

Under user script sandboxing the phase may read only what it declares, so the list holds everything
`bgsession lint` reads for the target: its Swift and Objective-C sources (the Compile Sources and
Headers phases, the headers beside its Objective-C files, the files of its synchronized folders),
its Info.plist (which says what kind of target the code is in) and the `.bgsession.toml` that
applies to its files. Paths are written as `$(SRCROOT)/...`, so the list stays valid wherever the
checkout is; $(SRCROOT) is the project's folder, as Xcode sets it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from bgsession.config import find_config
from bgsession.errors import UsageError
from bgsession.grammars import EXTENSIONS
from bgsession.lint.discover import SKIPPED_FOLDERS
from bgsession.lint.targets import TargetMap, build_map
from bgsession.lint.targets.values import Target

_HEADER_OF = (".m", ".mm")


def find_project(folder: Path) -> Path:
    """The one .xcodeproj in `folder` (what --project defaults to)."""
    found = sorted(path for path in folder.glob("*.xcodeproj") if path.is_dir())
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise UsageError(f"{folder}: {what} .xcodeproj folders here; name one with --project")
    return found[0]


def file_list(project: Path, target_name: str) -> str:
    """The .xcfilelist text for the target named `target_name` in `project`."""
    project = Path(os.path.normpath(os.path.abspath(project)))
    if project.suffix != ".xcodeproj" or not project.is_dir():
        raise UsageError(f"{project}: is not an .xcodeproj folder")
    srcroot = project.parent
    target_map = build_map(str(srcroot))
    for problem in target_map.problems:
        if problem.path.startswith(str(project) + os.sep):
            raise UsageError(f"{problem.path}: {problem.message}")
    target = _target(target_map, str(project), target_name)
    sources = sorted(set(_sources(target_map, target)))
    configs = sorted({str(found) for found in (find_config(Path(path).parent) for path in sources) if found})
    plists = [plist for plist in target.info_plists if os.path.isfile(plist)]
    lines = [
        f"# The files bgsession lint reads for target {target.name} of {project.name}:",
        f"# bgsession xcfilelist --project {project.name} --target {target.name}",
        *(_relative(path, srcroot) for path in [*sources, *plists, *configs]),
    ]
    return "\n".join(lines) + "\n"


def _target(target_map: TargetMap, project: str, name: str) -> Target:
    candidates = [target for target in target_map.targets if target.project == project]
    for target in candidates:
        if target.name == name:
            return target
    known = ", ".join(sorted(target.name for target in candidates)) or "none"
    raise UsageError(f"{project}: has no target named {name!r} (its targets: {known})")


def _sources(target_map: TargetMap, target: Target) -> Iterator[str]:
    for path, members in target_map.files.items():
        if target.ident in members and _lintable(path):
            yield path
            header = os.path.splitext(path)[0] + ".h"
            if path.endswith(_HEADER_OF) and os.path.isfile(header):
                yield header
    for folder in target_map.folders:
        if target.ident not in folder.owners | {ident for ident, _ in folder.exceptions}:
            continue
        for path in _walk(folder.path):
            relative = os.path.relpath(path, folder.path).replace(os.sep, "/")
            if target.ident in folder.targets_of(relative):
                yield path


def _walk(root: str) -> Iterator[str]:
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not name.endswith((".xcodeproj", ".framework"))
        )
        for name in sorted(names):
            path = os.path.join(folder, name)
            if _lintable(path) and not name.startswith(".") and os.path.isfile(path):
                yield path


def _descend(name: str) -> bool:
    return not name.startswith(".") and name not in SKIPPED_FOLDERS and not name.endswith((".xcodeproj", ".framework"))


def _lintable(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in EXTENSIONS


def _relative(path: str, srcroot: Path) -> str:
    return "$(SRCROOT)/" + os.path.relpath(path, srcroot).replace(os.sep, "/")
