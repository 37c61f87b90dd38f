"""Which files to lint, and which target each belongs to (app, app extension, watchOS)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from bgsession.files import FileError, parsing, read_bytes
from bgsession.grammars import EXTENSIONS

SKIPPED_FOLDERS = frozenset({"Pods", "Carthage", "build", "DerivedData", ".build", "node_modules"})


@dataclass(slots=True)
class Discovery:
    files: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    # The folder each file was found under (files named directly have none): test code is judged by
    # its path inside what the user linted, not by where the project happens to live.
    roots: dict[str, str] = field(default_factory=dict)
    # Each file's stat, taken when it was found (before it is read): the stat index compares them.
    status: dict[str, os.stat_result] = field(default_factory=dict)


def _identity(path: str, found: Discovery) -> tuple[int, int] | str:
    """What makes two spellings one file: the device and inode the path leads to (a link, `.` and
    `$PWD`, a folder given twice); the path itself when it cannot be looked at (reported later)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return os.path.abspath(path)
    found.status[path] = status
    return (status.st_dev, status.st_ino)


def discover(paths: list[str]) -> Discovery:
    """Every Swift and Objective-C file under `paths`, skipping hidden folders and build output. A file
    reached twice (two spellings of one folder, a symbolic link to a file already found) is one file,
    under the first path that reached it."""
    found = Discovery()
    seen: set[tuple[int, int] | str] = set()
    for given in paths:
        path = Path(given)
        if path.is_symlink() and not path.exists():
            found.problems.append((given, "is a broken symbolic link"))
        elif not path.exists():
            found.problems.append((given, "no such file or directory"))
        elif path.is_dir():
            for file in _walk(path):
                identity = _identity(file, found)
                if identity not in seen:
                    seen.add(identity)
                    found.files.append(file)
                    found.roots[file] = given
        elif path.suffix.lower() in EXTENSIONS:
            identity = _identity(given, found)
            if identity not in seen:
                seen.add(identity)
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


# Test code by the conventions of Xcode and SwiftPM, never by substrings (`Latest/`, `Contest/` and
# `Hammock.swift` are app code): a folder named `Tests` (any case) or ending in a capitalised `Tests`
# or `Specs` (`AppTests`, `UITests`, `NetworkSpecs`); a file whose name ends so (`UploaderTests.swift`,
# `UploaderSpec.swift`, `SessionMock.swift`).
_TEST_FOLDER = re.compile(r"(?i:tests?|specs?|xctests?)|.*(?:Tests|Specs|Test|Spec)")
_TEST_FILE = re.compile(r".*(?:Tests?|Specs?|Mocks?)|(?i:tests?|specs?)")


def is_test_path(path: str) -> bool:
    """Test code by the usual naming: `Tests/`, `...Tests/` or `...Specs/` folders, `...Tests.swift`,
    `...Spec.swift` files."""
    folder, name = os.path.split(path)
    stem = os.path.splitext(name)[0]
    return _is_test_folder(folder) or bool(_TEST_FILE.fullmatch(stem))


@cache
def _is_test_folder(folder: str) -> bool:
    return any(_TEST_FOLDER.fullmatch(part) for part in os.path.normpath(folder).split(os.sep) if part not in ("", "."))


def targets(
    files: list[str],
    roots: dict[str, str] | None = None,
    problems: list[tuple[str, str]] | None = None,
    readable: frozenset[str] | None = None,
) -> dict[str, str]:
    """Each file's target: test code by its path below the linted folder; otherwise the nearest
    Info.plist above it decides (NSExtension -> extension, except a WatchKit extension, and WatchKit
    -> watch, else app). A plist that cannot be read safely is skipped and named in `problems`. With
    `readable` (a sandboxed Xcode build's declared inputs) only those plists are candidates, and no
    folder is listed."""
    problems = [] if problems is None else problems
    by_folder: dict[str, str] = {}
    folders: dict[str, str] = {}
    result: dict[str, str] = {}
    roots = roots or {}
    for file in files:
        inside = _inside(file, roots)
        if is_test_path(inside):
            result[file] = "test"
            continue
        folder = os.path.dirname(file)
        if folder not in folders:
            folders[folder] = _target_of_folder(os.path.abspath(folder or "."), by_folder, problems, readable)
        result[file] = folders[folder]
    return result


def _inside(file: str, roots: dict[str, str]) -> str:
    """The file's path below the folder it was found under (what the user linted)."""
    root = roots.get(file)
    if root is None:
        return os.path.basename(file)
    prefix = root.rstrip(os.sep) + os.sep
    return file[len(prefix) :] if file.startswith(prefix) else os.path.relpath(file, root)


def _target_of_folder(
    folder: str, cache: dict[str, str], problems: list[tuple[str, str]], readable: frozenset[str] | None = None
) -> str:
    chain: list[str] = []
    current = folder
    target = "app"
    for _ in range(12):
        if current in cache:
            target = cache[current]
            break
        chain.append(current)
        found = _plist_target(current, problems, readable)
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


# An Info.plist is a few kilobytes; one link to /dev/zero or a huge file must not be read to the end.
PLIST_LIMIT = 4 * 1024 * 1024


def _plist_target(folder: str, problems: list[tuple[str, str]], readable: frozenset[str] | None) -> str | None:
    if readable is not None:
        names = [os.path.basename(path) for path in readable if os.path.dirname(path) == os.path.normpath(folder)]
    else:
        try:
            names = os.listdir(folder)
        except OSError:
            return None
    plists = [name for name in names if name == "Info.plist" or name.endswith("-Info.plist")]
    if plists:
        import plistlib  # a folder with an Info.plist is rare; a single file on stdin has none
    for name in sorted(plists):
        path = os.path.join(folder, name)
        try:
            # Through the safe layer: a FIFO or a link to /dev/stdin or a terminal is refused unopened.
            raw = read_bytes(path, limit=PLIST_LIMIT, what="property list")
            data = parsing(path, partial(plistlib.loads, raw), "property list")
        except FileError as problem:
            problems.append((path, str(problem).removeprefix(f"{path}: ")))
            continue
        except (plistlib.InvalidFileException, ValueError, TypeError, KeyError, IndexError, OverflowError):
            continue
        if not isinstance(data, dict):
            continue
        extension = data.get("NSExtension")
        if extension is not None:
            # A watchOS app's WatchKit extension runs in the watch app, not beside an iOS app.
            point = extension.get("NSExtensionPointIdentifier") if isinstance(extension, dict) else None
            return "watch" if point == "com.apple.watchkit" else "extension"
        if data.get("WKApplication") or data.get("WKWatchKitApp") or data.get("WKWatchOnly"):
            return "watch"
        return "app"
    return None


def groups(files: list[str], roots: dict[str, str]) -> dict[str, str]:
    """Each file's top-level folder inside the linted folder ("" when it sits at the top): code of one
    app usually shares it, while a library and its demo app in one repository do not."""
    result: dict[str, str] = {}
    for file in files:
        parts = os.path.normpath(_inside(file, roots)).split(os.sep)
        result[file] = parts[0] if len(parts) > 1 else ""
    return result
