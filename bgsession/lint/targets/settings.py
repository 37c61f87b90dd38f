"""Build settings: one configuration's settings in Xcode's order of precedence, and `$(VAR)` expansion.

Expanded: `$(VAR)` and `${VAR}` from the target's and project's build settings and their `.xcconfig`
files (`KEY = value` lines and `#include`), plus SRCROOT, PROJECT_DIR, SOURCE_ROOT, PROJECT_NAME,
TARGET_NAME, PRODUCT_NAME and CONFIGURATION. Not expanded (the value is then unknown, never guessed):
settings with an operator (`$(TARGET_NAME:c99extidentifier)`), conditional settings
(`KEY[sdk=iphoneos*]`), and settings only Xcode knows at build time (SDK, platform, derived paths,
`$(TeamIdentifierPrefix)`, environment variables).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from bgsession.lint.targets.safe import KIB, decode_text, read_capped
from bgsession.lint.targets.values import Problem

XCCONFIG_LIMIT = 256 * KIB
_INCLUDE_DEPTH = 4
_EXPANSION_ROUNDS = 8

_VARIABLE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)(:[^)]*)?\)|\$\{([A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\}")
_XCCONFIG_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*;?\s*$")
_INCLUDE = re.compile(r'^\s*#include\??\s+"([^"]+)"')


def setting_text(value: object) -> str | None:
    """A build setting's value as text: lists (`OTHER_LDFLAGS = (...)`) are joined with spaces."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return " ".join(str(item) for item in value)
    return None


def expand(value: str, settings: Mapping[str, str]) -> str | None:
    """`value` with every variable replaced, or None when one cannot be expanded."""
    for _ in range(_EXPANSION_ROUNDS):
        unknown = False

        def replace(match: re.Match[str]) -> str:
            nonlocal unknown
            name = match.group(1) or match.group(3)
            if match.group(2) or match.group(4):
                unknown = True
                return ""
            if name == "inherited":
                return ""
            if name in settings:
                return settings[name]
            unknown = True
            return ""

        expanded = _VARIABLE.sub(replace, value)
        if unknown:
            return None
        if expanded == value:
            return expanded.strip()
        value = expanded
    return None


def read_xcconfig(path: str, problems: list[Problem], depth: int = 0) -> dict[str, str]:
    """The unconditional `KEY = value` settings of an .xcconfig file and the files it includes."""
    data = read_capped(path, XCCONFIG_LIMIT)
    text = decode_text(data, path) if not isinstance(data, Problem) else data
    if isinstance(text, Problem):
        problems.append(text)
        return {}
    settings: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("//", 1)[0]  # Xcode reads `//` as a comment even inside a value
        included = _INCLUDE.match(line)
        if included:
            if depth < _INCLUDE_DEPTH:
                target = os.path.join(os.path.dirname(path), included.group(1))
                if os.path.isfile(target):
                    settings.update(read_xcconfig(target, problems, depth + 1))
            continue
        found = _XCCONFIG_LINE.match(line)
        if found:
            settings[found.group(1)] = found.group(2)
    return settings
