"""Swift packages: which folder holds each target, by SwiftPM's conventions.

`Package.swift` is Swift code and is never executed. Only literal `name:` and `path:` arguments of
`.target(...)`, `.executableTarget(...)`, `.testTarget(...)`, `.macro(...)` and `.plugin(...)` calls
are read from it (so `path: "Sources"` packages work); everything else comes from the layout:
`Sources/<target>/**` (also `Source/`, `src/`, `srcs/`) is a library target, `Tests/<target>/**` a test
target. A manifest that builds its targets in a loop or from variables falls back to the layout.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from bgsession.lint.targets.safe import KIB, decode_text, read_capped
from bgsession.lint.targets.values import Origin, Problem, Target, TargetKind

MANIFEST_LIMIT = 512 * KIB
_CALL_LIMIT = 16 * KIB
_SOURCE_FOLDERS = ("Sources", "Source", "src", "srcs")
_KINDS = {
    "target": TargetKind.FRAMEWORK,
    "executableTarget": TargetKind.OTHER,
    "testTarget": TargetKind.TEST,
    "macro": TargetKind.OTHER,
    "plugin": TargetKind.OTHER,
}
_CALL = re.compile(r"\.(target|executableTarget|testTarget|macro|plugin)\s*\(")
_ARGUMENT = re.compile(r'\b(name|path)\s*:\s*"([^"\\\n]+)"')


@dataclass(frozen=True, slots=True)
class Package:
    """A package's targets and the folder each one builds (`folders` pairs a folder with a target ident)."""

    path: str
    targets: tuple[Target, ...]
    folders: tuple[tuple[str, str], ...]


def read_package(manifest: str) -> Package | Problem:
    manifest = os.path.normpath(os.path.abspath(manifest))
    folder = os.path.dirname(manifest)
    data = read_capped(manifest, MANIFEST_LIMIT)
    text = decode_text(data, manifest) if not isinstance(data, Problem) else data
    if isinstance(text, Problem):
        return text
    declared = declared_targets(text)
    found: dict[str, tuple[TargetKind, str]] = {}
    for name, (kind, path) in declared.items():
        where = os.path.normpath(os.path.join(folder, path)) if path else _conventional(folder, name, kind)
        if where is not None and where.startswith(folder + os.sep) and os.path.isdir(where):
            found[name] = (kind, where)
    for kind, parents in ((TargetKind.FRAMEWORK, _SOURCE_FOLDERS), (TargetKind.TEST, ("Tests",))):
        for parent in parents:
            for name in _subfolders(os.path.join(folder, parent)):
                found.setdefault(name, (kind, os.path.join(folder, parent, name)))
    targets = []
    folders = []
    for name in sorted(found):
        kind, where = found[name]
        ident = f"{manifest}#{name}"
        targets.append(Target(ident=ident, name=name, kind=kind, origin=Origin.SWIFTPM, project=manifest))
        folders.append((where, ident))
    return Package(folder, tuple(targets), tuple(folders))


def declared_targets(manifest: str) -> dict[str, tuple[TargetKind, str | None]]:
    """Target names (and literal paths) written as arguments of target declarations."""
    result: dict[str, tuple[TargetKind, str | None]] = {}
    for call in _CALL.finditer(manifest):
        arguments = _top_level(manifest, call.end())
        if arguments is None:
            continue
        values: dict[str, str] = {}
        for argument in _ARGUMENT.finditer(arguments):
            values.setdefault(argument.group(1), argument.group(2))
        name = values.get("name")
        if name is None or "/" in name:
            continue
        path = values.get("path")
        # `.target(name: "Core")` inside a dependency list names a target declared elsewhere.
        if name not in result or (path is not None and result[name][1] is None):
            result[name] = (_KINDS[call.group(1)], path)
    return result


def _top_level(text: str, start: int) -> str | None:
    """The call's argument text with nested parentheses and brackets and string contents blanked out,
    so that only its own `name:` and `path:` are seen; None for an unbalanced or overlong call."""
    depth = 0
    kept: list[str] = []
    index = start
    end = min(len(text), start + _CALL_LIMIT)
    in_string = False
    while index < end:
        char = text[index]
        if in_string:
            if char == "\\":
                # Keep the escape so that a name with interpolation or escapes is not taken as literal.
                kept.append(text[index : index + 2] if depth == 0 else "  ")
                index += 2
                continue
            if char == '"':
                in_string = False
            kept.append(char if depth == 0 else " ")
        elif char == '"':
            in_string = True
            kept.append(char if depth == 0 else " ")
        elif char in "([":
            depth += 1
            kept.append(" ")
        elif char in ")]":
            if depth == 0:
                return "".join(kept)
            depth -= 1
            kept.append(" ")
        else:
            kept.append(char if depth == 0 else " ")
        index += 1
    return None


def _conventional(folder: str, name: str, kind: TargetKind) -> str | None:
    parents = ("Tests",) if kind is TargetKind.TEST else (*_SOURCE_FOLDERS, "Plugins")
    for parent in parents:
        where = os.path.join(folder, parent, name)
        if os.path.isdir(where):
            return where
    return None


def _subfolders(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False) and not e.name.startswith("."))
    except OSError:
        return []
