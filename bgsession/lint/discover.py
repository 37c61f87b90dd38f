"""Which files to lint, and which target each belongs to (app, app extension, watchOS)."""

from __future__ import annotations

import os
import plistlib
from dataclasses import dataclass, field
from pathlib import Path

from bgsession.grammars import EXTENSIONS

SKIPPED_FOLDERS = frozenset({"Pods", "Carthage", "build", "DerivedData", ".build", "node_modules"})


@dataclass(slots=True)
class Discovery:
    files: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def discover(paths: list[str]) -> Discovery:
    """Every Swift and Objective-C file under `paths`, skipping hidden folders and build output."""
    found = Discovery()
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_symlink() and not path.exists():
            found.problems.append((given, "is a broken symbolic link"))
        elif not path.exists():
            found.problems.append((given, "no such file or directory"))
        elif path.is_dir():
            for file in _walk(path):
                if file not in seen:
                    seen.add(file)
                    found.files.append(file)
        elif path.suffix.lower() in EXTENSIONS:
            if given not in seen:
                seen.add(given)
                found.files.append(given)
        else:
            found.problems.append((given, "is not a Swift or Objective-C source file (.swift, .m, .mm, .h)"))
    return found


def _walk(root: Path) -> list[str]:
    files: list[str] = []
    visited: set[tuple[int, int]] = set()
    for folder, subfolders, names in os.walk(root, followlinks=False):
        try:
            stat = os.stat(folder)
            identity = (stat.st_dev, stat.st_ino)
        except OSError:
            continue
        if identity in visited:
            subfolders[:] = []
            continue
        visited.add(identity)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not name.endswith((".xcassets", ".xcodeproj", ".xcworkspace", ".framework"))
        )
        for name in sorted(names):
            if os.path.splitext(name)[1].lower() in EXTENSIONS and not name.startswith("."):
                files.append(os.path.join(folder, name))
    return files


def targets(files: list[str]) -> dict[str, str]:
    """Each file's target from the nearest Info.plist above it: NSExtension -> extension, WatchKit -> watch."""
    by_folder: dict[str, str] = {}
    result: dict[str, str] = {}
    for file in files:
        folder = os.path.dirname(os.path.abspath(file))
        result[file] = _target_of_folder(folder, by_folder)
    return result


def _target_of_folder(folder: str, cache: dict[str, str]) -> str:
    chain: list[str] = []
    current = folder
    target = "app"
    for _ in range(12):
        if current in cache:
            target = cache[current]
            break
        chain.append(current)
        found = _plist_target(current)
        if found is not None:
            target = found
            break
        parent = os.path.dirname(current)
        if parent == current or os.path.exists(os.path.join(current, ".git")):
            break
        current = parent
    for visited in chain:
        cache[visited] = target
    return target


def _plist_target(folder: str) -> str | None:
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    plists = [name for name in names if name == "Info.plist" or name.endswith("-Info.plist")]
    for name in sorted(plists):
        try:
            with open(os.path.join(folder, name), "rb") as stream:
                data = plistlib.load(stream)
        except (OSError, plistlib.InvalidFileException, ValueError, TypeError, KeyError):
            continue
        if not isinstance(data, dict):
            continue
        if "NSExtension" in data:
            return "extension"
        if data.get("WKApplication") or data.get("WKWatchKitApp") or data.get("WKWatchOnly"):
            return "watch"
        return "app"
    return None
