"""The host app's dependencies, from its lock and manifest files, and the table of background-transfer
libraries (`host_libraries.toml`) that says what each one requires of the app delegate.

Read: `Podfile.lock`, `package.json` (dependencies, devDependencies, optionalDependencies),
`pubspec.lock`, `pubspec.yaml`, `Package.resolved` (version 1, 2 and 3) and `Cartfile.resolved`.
Nothing is executed and no YAML library is used: the two YAML formats are read line by line for the
few shapes that their tools write. Every file is size-capped and must be a regular file; a malformed
one is a Problem, never an exception.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache

from bgsession.lint.discover import SKIPPED_FOLDERS
from bgsession.lint.targets.safe import MIB, decode_text, read_capped
from bgsession.lint.targets.values import Problem

LOCK_LIMIT = 4 * MIB


class Ecosystem(Enum):
    NPM = "npm"
    PUB = "pub"
    COCOAPODS = "cocoapods"
    SWIFTPM = "swiftpm"
    CARTHAGE = "carthage"


class Forwarding(Enum):
    CALL = "call"
    ASSIGN = "assign"
    PLUGIN_CHAIN = "plugin-chain"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Dependency:
    ecosystem: Ecosystem
    name: str
    version: str | None
    source: str
    # A development pod (`EXTERNAL SOURCES: Name: :path: ../`): its code is in this checkout, and the app
    # whose Podfile.lock names it builds and links that code.
    local: bool = False


@dataclass(frozen=True, slots=True)
class Dependencies:
    items: tuple[Dependency, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class HostLibrary:
    """One row of `host_libraries.toml` (its header says what each field means)."""

    name: str
    packages: tuple[tuple[Ecosystem, str], ...]
    forwarding: Forwarding
    source: str
    section: str
    receiver: str | None = None
    member: str | None = None
    swift: str | None = None
    objc: str | None = None
    derived: str | None = None
    base_class: str | None = None
    setup: tuple[str, ...] = ()
    notes: str = ""
    # The feature that needs the forwarding, when the library works without it otherwise.
    optional: str | None = None

    def matches(self, dependency: Dependency) -> bool:
        fold = dependency.ecosystem in (Ecosystem.SWIFTPM, Ecosystem.CARTHAGE)
        name = dependency.name.lower() if fold else dependency.name
        return any(
            ecosystem is dependency.ecosystem and (package.lower() if fold else package) == name
            for ecosystem, package in self.packages
        )


# -- the table ---------------------------------------------------------------------------------------


@cache
def load_libraries() -> tuple[HostLibrary, ...]:
    import tomllib  # the table is read when a project has a lock file to look up
    from importlib import resources

    text = resources.files("bgsession.lint.targets").joinpath("host_libraries.toml").read_text(encoding="utf-8")
    return parse_libraries(tomllib.loads(text))


def parse_libraries(table: Mapping[str, object]) -> tuple[HostLibrary, ...]:
    rows = table.get("library")
    if not isinstance(rows, list):
        raise ValueError("host_libraries.toml: no [[library]] rows")
    return tuple(_library(row) for row in rows)


def _library(row: object) -> HostLibrary:
    if not isinstance(row, dict):
        raise ValueError("host_libraries.toml: a row is not a table")
    packages = tuple((ecosystem, str(package)) for ecosystem in Ecosystem for package in _strings(row, ecosystem.value))
    known = {"name", "forwarding", "source", "section", "receiver", "member", "swift", "objc", "derived"}
    known |= {"base_class", "setup", "notes", "optional"} | {ecosystem.value for ecosystem in Ecosystem}
    unknown = set(row) - known
    if unknown or not packages:
        raise ValueError(f"host_libraries.toml: {row.get('name')!r}: unknown keys {sorted(unknown)} or no packages")
    forwarding = Forwarding(row["forwarding"])
    library = HostLibrary(
        name=str(row["name"]),
        packages=packages,
        forwarding=forwarding,
        source=str(row["source"]),
        section=str(row["section"]),
        receiver=_optional(row, "receiver"),
        member=_optional(row, "member"),
        swift=_optional(row, "swift"),
        objc=_optional(row, "objc"),
        derived=_optional(row, "derived"),
        base_class=_optional(row, "base_class"),
        setup=tuple(_strings(row, "setup")),
        notes=str(row.get("notes", "")),
        optional=_optional(row, "optional"),
    )
    needs_call = forwarding in (Forwarding.CALL, Forwarding.ASSIGN)
    if needs_call != bool(library.receiver and library.member and (library.swift or library.objc)):
        raise ValueError(f"host_libraries.toml: {library.name!r}: receiver, member and a call go with call/assign")
    return library


def _strings(row: Mapping[str, object], key: str) -> list[str]:
    value = row.get(key, [])
    return [str(item) for item in value] if isinstance(value, list) else []


def _optional(row: Mapping[str, object], key: str) -> str | None:
    value = row.get(key)
    return str(value) if value is not None else None


def libraries_used(
    dependencies: Iterable[Dependency], libraries: Iterable[HostLibrary] | None = None
) -> list[tuple[HostLibrary, Dependency]]:
    """Each table library the app depends on, with the first dependency that names it."""
    found: dict[str, tuple[HostLibrary, Dependency]] = {}
    items = list(dependencies)
    for library in load_libraries() if libraries is None else libraries:
        for dependency in items:
            if library.matches(dependency):
                found.setdefault(library.name, (library, dependency))
    return list(found.values())


# -- finding and reading the files --------------------------------------------------------------------

_LOCK_NAMES = frozenset({"Podfile.lock", "package.json", "pubspec.lock", "pubspec.yaml", "Package.resolved"})
_LOCK_NAMES |= {"Cartfile.resolved"}
_RESOLVED_INSIDE = (
    "xcshareddata/swiftpm/Package.resolved",
    "project.xcworkspace/xcshareddata/swiftpm/Package.resolved",
)


def read_dependencies(root: str) -> Dependencies:
    """Every dependency named by the lock and manifest files below `root` (not inside node_modules,
    Pods or hidden folders), in a stable order without duplicates."""
    items: dict[tuple[Ecosystem, str, str], Dependency] = {}
    problems: list[Problem] = []
    for path in find_lock_files(root):
        found = read_lock_file(path)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        for dependency in found:
            items.setdefault((dependency.ecosystem, dependency.name, dependency.source), dependency)
    return Dependencies(tuple(items.values()), tuple(problems))


def find_lock_files(root: str) -> list[str]:
    result = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        for name in sorted(subfolders):
            if name.endswith((".xcodeproj", ".xcworkspace")):
                for inside in _RESOLVED_INSIDE:
                    candidate = os.path.join(folder, name, inside)
                    if os.path.isfile(candidate):
                        result.append(candidate)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not name.endswith((".xcodeproj", ".xcworkspace"))
        )
        result.extend(os.path.join(folder, name) for name in sorted(names) if name in _LOCK_NAMES)
    return result


def read_lock_file(path: str) -> list[Dependency] | Problem:
    data = read_capped(path, LOCK_LIMIT)
    text = decode_text(data, path) if not isinstance(data, Problem) else data
    if isinstance(text, Problem):
        return text
    name = os.path.basename(path)
    if name == "Podfile.lock":
        return parse_podfile_lock(text, path)
    if name == "package.json":
        return parse_package_json(text, path)
    if name == "pubspec.lock":
        return parse_pubspec_lock(text, path)
    if name == "pubspec.yaml":
        return parse_pubspec_yaml(text, path)
    if name == "Package.resolved":
        return parse_package_resolved(text, path)
    if name == "Cartfile.resolved":
        return parse_cartfile_resolved(text, path)
    return Problem(path, "is not a known lock or manifest file")


_EXTERNAL = re.compile(r'^  "?([^\s":]+)"?:\s*$')
_POD = re.compile(r'^  - "?([^\s"(/]+)(?:/[^\s"(]*)? \(([^)]*)\)"?:?\s*$')


def parse_podfile_lock(text: str, path: str) -> list[Dependency] | Problem:
    """`PODS:` entries: `  - Name (1.2.3)` or `  - Name/Subspec (1.2.3):`; subspecs count as the pod."""
    lines = text.splitlines()
    if "PODS:" not in lines:
        return Problem(path, "has no PODS: section")
    result: dict[str, Dependency] = {}
    section = ""
    pod = ""
    local: set[str] = set()
    for line in lines:
        if line and not line.startswith(" "):
            section = line
            continue
        if section == "PODS:" and (match := _POD.match(line)):
            result.setdefault(match.group(1), Dependency(Ecosystem.COCOAPODS, match.group(1), match.group(2), path))
        elif section == "EXTERNAL SOURCES:" and (named := _EXTERNAL.match(line)):
            pod = named.group(1)
        elif section == "EXTERNAL SOURCES:" and line.strip().startswith(":path:") and pod:
            local.add(pod)
    return [
        Dependency(item.ecosystem, item.name, item.version, item.source, local=True) if item.name in local else item
        for item in result.values()
    ]


def parse_package_json(text: str, path: str) -> list[Dependency] | Problem:
    try:
        manifest = json.loads(text)
    except RecursionError:
        return Problem(path, "is nested too deeply to read")
    except json.JSONDecodeError as error:
        return Problem(path, f"is not valid JSON ({error.msg} at line {error.lineno})")
    if not isinstance(manifest, dict):
        return Problem(path, "is not a JSON object")
    result = []
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        entries = manifest.get(section)
        if isinstance(entries, dict):
            for name, version in entries.items():
                result.append(Dependency(Ecosystem.NPM, name, version if isinstance(version, str) else None, path))
    return result


_YAML_KEY = re.compile(r"^(\s*)([A-Za-z0-9_.\-]+|\"[^\"]+\"):\s*(.*?)\s*$")


def parse_pubspec_lock(text: str, path: str) -> list[Dependency] | Problem:
    """`packages:` → two-space keys (package names) → four-space `version: "1.2.3"`."""
    result: list[Dependency] = []
    inside = False
    current: str | None = None
    saw_packages = False
    for line in text.splitlines():
        match = _YAML_KEY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        indent, key, value = len(match.group(1)), match.group(2).strip('"'), match.group(3)
        if indent == 0:
            inside = key == "packages"
            saw_packages = saw_packages or inside
            current = None
        elif inside and indent == 2:
            current = key
            result.append(Dependency(Ecosystem.PUB, key, None, path))
        elif inside and indent == 4 and key == "version" and current is not None and result:
            result[-1] = Dependency(Ecosystem.PUB, current, value.strip("\"'") or None, path)
    if not saw_packages:
        return Problem(path, "has no packages: section")
    return result


def parse_pubspec_yaml(text: str, path: str) -> list[Dependency] | Problem:
    """Two-space keys under `dependencies:`, `dev_dependencies:` and `dependency_overrides:`."""
    result: list[Dependency] = []
    section: str | None = None
    for line in text.splitlines():
        match = _YAML_KEY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        indent, key, value = len(match.group(1)), match.group(2).strip('"'), match.group(3)
        if indent == 0:
            section = key if key in ("dependencies", "dev_dependencies", "dependency_overrides") else None
        elif section is not None and indent == 2:
            version = value.strip("\"'") if value and not value.startswith("#") else None
            result.append(Dependency(Ecosystem.PUB, key, version, path))
    return result


def parse_package_resolved(text: str, path: str) -> list[Dependency] | Problem:
    """Version 1 (`object.pins[].package`) and versions 2 and 3 (`pins[].identity`)."""
    try:
        resolved = json.loads(text)
    except RecursionError:
        return Problem(path, "is nested too deeply to read")
    except json.JSONDecodeError as error:
        return Problem(path, f"is not valid JSON ({error.msg} at line {error.lineno})")
    if not isinstance(resolved, dict):
        return Problem(path, "is not a JSON object")
    holder = resolved.get("object") if resolved.get("version") == 1 else resolved
    pins = holder.get("pins") if isinstance(holder, dict) else None
    if not isinstance(pins, list):
        return Problem(path, f"has no pins (format version {resolved.get('version')!r})")
    result = []
    for pin in pins:
        if not isinstance(pin, dict):
            continue
        name = pin.get("identity") or pin.get("package")
        state = pin.get("state")
        version = state.get("version") if isinstance(state, dict) else None
        if isinstance(name, str) and name:
            result.append(
                Dependency(Ecosystem.SWIFTPM, name.lower(), version if isinstance(version, str) else None, path)
            )
    return result


_CARTHAGE = re.compile(r'^\s*(?:github|git|binary)\s+"([^"]+)"\s+"([^"]*)"')


def parse_cartfile_resolved(text: str, path: str) -> list[Dependency] | Problem:
    result = []
    for line in text.splitlines():
        match = _CARTHAGE.match(line)
        if match:
            name = match.group(1).rstrip("/").rsplit("/", 1)[-1].removesuffix(".git").removesuffix(".json")
            result.append(Dependency(Ecosystem.CARTHAGE, name, match.group(2) or None, path))
    return result
