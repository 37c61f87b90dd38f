"""`.bgsession.toml`: the linter's [lint] table, found by walking up from each linted path.

[lint]
include = ["App/**", "Shared/**"]     # globs relative to the file's folder; default: everything
exclude = ["**/Generated/**"]         # globs relative to the file's folder
select = ["BGS01"]                    # codes, code prefixes or rule names; default: every rule
ignore = ["data-task-in-background"]
fail-on = "error"                     # error | warning | note | never (default: warning)
main-thread-helpers = ["executeOnMain"]   # run the closure they get on the main thread
memoizing-helpers = ["cachedSession"]     # run the closure they get once and keep the result
max-file-bytes = 3000000              # larger files are one BGS000 note, not linted (--max-file-bytes)

[lint.severity]
BGS005 = "note"                       # error | warning | note | off; keys as in select

The closest file wins (searched up to the repository root, the folder holding `.git`), and a file's
settings replace the defaults (they are not merged with a file
further up). The same file may hold the generator's [gen] table.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bgsession.diagnostics import Severity
from bgsession.lint.options import LintOptions
from bgsession.lint.selection import UnknownSelectorError, resolve
from bgsession.tomlfile import ConfigError, check_keys, expect, key_line, load, suggest

CONFIG_NAME = ".bgsession.toml"
FAIL_ON = ("error", "warning", "note", "never")
SEVERITIES = ("error", "warning", "note", "off")
_TABLES = ("lint", "gen")
_KEYS: dict[str, tuple[type, str]] = {
    "include": (list, "a list of glob strings"),
    "exclude": (list, "a list of glob strings"),
    "select": (list, "a list of rule codes, code prefixes or rule names"),
    "ignore": (list, "a list of rule codes, code prefixes or rule names"),
    "fail-on": (str, "one of error, warning, note, never"),
    "main-thread-helpers": (list, "a list of function or method names"),
    "memoizing-helpers": (list, "a list of function or method names"),
    "severity": (dict, "a table of rule code = severity"),
    "max-file-bytes": (int, "a positive number of bytes"),
}


@dataclass(frozen=True)
class LintConfig:
    """One configuration file's settings (or the defaults, with `path` None)."""

    path: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Exact codes: selection.resolve expanded the prefixes and names the file gave.
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity | None] = field(default_factory=dict)
    fail_on: Severity | None = Severity.WARNING
    options: LintOptions = field(default_factory=LintOptions)
    max_file_bytes: int | None = None  # None: the default (or --max-file-bytes)

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    def selects(self, code: str) -> bool:
        if self.select is not None and code not in self.select:
            return False
        return code not in self.ignore

    def severity_of(self, code: str, default: Severity) -> Severity | None:
        """The configured severity, None when the rule is off."""
        return self.severity.get(code, default)

    def includes(self, file: str, matched: set[str] | None = None) -> bool:
        """Whether the include and exclude globs keep `file` (globs are relative to the config's folder).
        The include patterns that keep it are added to `matched` (an include matching nothing is reported)."""
        folder = self.folder
        if folder is None:
            return True
        relative = _relative(file, _resolved(folder))
        if relative is None:
            return True
        if self.include:
            kept = [pattern for pattern in self.include if compiled(pattern).matches(relative)]
            if not kept:
                return False
            if matched is not None:
                matched.update(kept)
        return not any(compiled(pattern).matches(relative) for pattern in self.exclude)


@cache
def compiled(pattern: str) -> Glob:
    return Glob(pattern)


@cache
def _resolved(folder: Path) -> str:
    return str(folder.resolve())


def _relative(file: str, folder: str) -> str | None:
    absolute = os.path.abspath(file)
    prefix = folder.rstrip(os.sep) + os.sep
    if not absolute.startswith(prefix):
        return None
    return absolute[len(prefix) :].replace(os.sep, "/")


class Glob:
    """One include/exclude glob, compiled once, matched without backtracking.

    gitignore-like: `**` as a whole segment spans folders, other `*` and `?` stay inside one name, a
    pattern without `/` matches a name at any depth, and a folder pattern matches everything under it.
    Matching is the two-pointer wildcard algorithm, once over the characters of a name and once over
    the names of a path (a `**` segment is the star): O(len(pattern) x len(path)) at worst, where the
    regular expressions this replaced took exponential time on `*a*a*a...` (the pull request controls
    both the patterns and the file names).
    """

    __slots__ = ("anywhere", "literal", "segments")

    def __init__(self, pattern: str) -> None:
        text = pattern.strip().removeprefix("./").rstrip("/")
        self.anywhere = "/" not in text
        self.segments: tuple[str, ...] = tuple(part for part in text.split("/") if part) or ("",)
        # Segments without wildcards compare as strings (almost every real pattern: `Vendor/**`).
        self.literal = tuple(not any(char in part for char in "*?") for part in self.segments)

    def matches(self, relative: str) -> bool:
        names = relative.split("/")
        if self.anywhere:
            return any(self._name(0, name) for name in names)
        # A folder pattern matches everything under it: the pattern then `**`.
        return _wildcard(
            len(self.segments) + 1,
            len(names),
            lambda index: index == len(self.segments) or self.segments[index] == "**",
            lambda index, position: index < len(self.segments) and self._name(index, names[position]),
        )

    def _name(self, index: int, name: str) -> bool:
        part = self.segments[index]
        if self.literal[index]:
            return part == name
        return _wildcard(
            len(part),
            len(name),
            lambda at: part[at] == "*",
            lambda at, position: part[at] == "?" or part[at] == name[position],
        )


def _wildcard(
    count: int,
    length: int,
    is_star: Callable[[int], bool],
    one: Callable[[int, int], bool],
) -> bool:
    """Whether tokens 0..count-1 (each a star, matching any run, or matching exactly one item by `one`)
    match items 0..length-1. Greedy with one backtrack point: linear for real patterns, never
    exponential (a star met later makes the earlier one irrelevant)."""
    token = position = 0
    star = -1
    resume = 0
    while position < length:
        if token < count and is_star(token):
            star, resume = token, position
            token += 1
        elif token < count and one(token, position):
            token += 1
            position += 1
        elif star != -1:
            token = star + 1
            resume += 1
            position = resume
        else:
            return False
    while token < count and is_star(token):
        token += 1
    return token == count


def find_config(start: Path, cache: dict[Path, Path | None] | None = None) -> Path | None:
    """The closest .bgsession.toml in `start` (a file's folder) or above it, up to the repository's
    root (the first folder holding `.git`) or the filesystem's: a configuration above the checkout (a
    shared /tmp, a runner's work folder, a home folder) belongs to no one in it and is not read."""
    cache = {} if cache is None else cache
    visited: list[Path] = []
    current = start.resolve()
    found: Path | None = None
    while True:
        if current in cache:
            found = cache[current]
            break
        visited.append(current)
        candidate = current / CONFIG_NAME
        if candidate.is_file():
            found = candidate
            break
        if current.parent == current or os.path.lexists(current / ".git"):
            break
        current = current.parent
    for folder in visited:
        cache[folder] = found
    return found


def load_config(path: Path) -> LintConfig:
    """The [lint] table of `path`, validated; errors name the file, the line and the problem."""
    table, text = load(path)
    check_keys(path, text, table, _TABLES, "the file (tables: [lint], [gen])")
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise ConfigError(f"{_where(path, text, 'lint')}: error: 'lint' must be a table ([lint])")
    check_keys(path, text, lint, _KEYS, "[lint]")
    for key, (kind, what) in _KEYS.items():
        if key in lint:
            expect(path, text, key, lint[key], kind, what)
    strings = {key: _strings(path, text, key, lint.get(key, [])) for key in _KEYS if _KEYS[key][0] is list}
    for key in ("include", "exclude"):
        for pattern in strings[key]:
            if pattern.startswith("/") or ".." in pattern.split("/"):
                raise ConfigError(
                    f"{_where(path, text, key)}: error: {pattern!r} in {key!r} can never match: patterns are "
                    "relative to the configuration's folder and cannot leave it"
                )
    max_file_bytes = lint.get("max-file-bytes")
    if max_file_bytes is not None and max_file_bytes < 1:
        raise ConfigError(f"{_where(path, text, 'max-file-bytes')}: error: 'max-file-bytes' must be positive")
    fail_on_text = lint.get("fail-on", "warning")
    if fail_on_text not in FAIL_ON:
        raise ConfigError(
            f"{_where(path, text, 'fail-on')}: error: 'fail-on' must be one of {', '.join(FAIL_ON)}, "
            f"not {fail_on_text!r}{suggest(fail_on_text, FAIL_ON)}"
        )
    return LintConfig(
        path=path,
        include=tuple(strings["include"]),
        exclude=tuple(strings["exclude"]),
        select=_codes(path, text, "select", strings["select"]) if "select" in lint else None,
        ignore=_codes(path, text, "ignore", strings["ignore"]),
        severity=_severities(path, text, lint.get("severity", {})),
        fail_on=None if fail_on_text == "never" else Severity.parse(fail_on_text),
        options=LintOptions(
            main_helpers=frozenset(strings["main-thread-helpers"]),
            memo_helpers=frozenset(strings["memoizing-helpers"]),
        ),
        max_file_bytes=max_file_bytes,
    )


def _where(path: Path, text: str, key: str) -> str:
    line = key_line(text, key)
    return f"{path}:{line}" if line else str(path)


def _strings(path: Path, text: str, key: str, values: list[Any]) -> list[str]:
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{_where(path, text, key)}: error: every entry of {key!r} must be a non-empty string")
    return [value.strip() for value in values]


def _codes(path: Path, text: str, key: str, values: list[str]) -> frozenset[str]:
    codes: set[str] = set()
    for value in values:
        try:
            codes |= resolve(value)
        except UnknownSelectorError as problem:
            raise ConfigError(f"{_where(path, text, key)}: error: in {key!r}: {problem}") from None
    return frozenset(codes)


def _severities(path: Path, text: str, table: dict[str, Any]) -> dict[str, Severity | None]:
    """Each code's configured severity. A key may be a code, a prefix or a name; where keys overlap,
    the one naming fewer rules wins (`BGS0 = "note"` then `BGS020 = "error"` leaves BGS020 an error)."""
    chosen: list[tuple[int, dict[str, Severity | None]]] = []
    for key, value in table.items():
        try:
            codes = resolve(key)
        except UnknownSelectorError as problem:
            raise ConfigError(f"{_where(path, text, key)}: error: in [lint.severity]: {problem}") from None
        if value not in SEVERITIES:
            raise ConfigError(
                f"{_where(path, text, key)}: error: the severity of {key} must be one of "
                f"{', '.join(SEVERITIES)}, not {value!r}"
            )
        severity = None if value == "off" else Severity.parse(value)
        chosen.append((len(codes), dict.fromkeys(codes, severity)))
    result: dict[str, Severity | None] = {}
    for _, severities in sorted(chosen, key=lambda item: -item[0]):
        result.update(severities)
    return result


class ConfigSet:
    """The configuration of every linted file: one given with --config, or the closest file's."""

    def __init__(
        self, explicit: Path | None = None, *, enabled: bool = True, readable: frozenset[str] | None = None
    ) -> None:
        self._explicit = load_config(explicit) if explicit is not None else None
        self._enabled = enabled
        # A sandboxed Xcode build may read only the phase's declared inputs (commands/xcode.py): a
        # closest configuration that is not among them is passed over, and named in `undeclared`.
        self._readable = readable
        self.undeclared: list[Path] = []
        self._folders: dict[Path, Path | None] = {}
        self._loaded: dict[Path, LintConfig] = {}
        self._by_folder: dict[str, LintConfig] = {}
        self._by_spelling: dict[str, LintConfig] = {}
        self._default = LintConfig()

    def for_file(self, file: str) -> LintConfig:
        if self._explicit is not None:
            return self._explicit
        if not self._enabled:
            return self._default
        # Keyed by the folder as spelled first: files of one folder share it, and abspath is costly.
        spelled = os.path.dirname(file)
        known = self._by_spelling.get(spelled)
        if known is not None:
            return known
        folder = os.path.dirname(os.path.abspath(file))
        known = self._by_folder.get(folder)
        if known is not None:
            self._by_spelling[spelled] = known
            return known
        path = find_config(Path(folder), self._folders)
        if path is not None and self._readable is not None and os.path.normpath(path) not in self._readable:
            if path not in self.undeclared:
                self.undeclared.append(path)
            path = None
        if path is None:
            config = self._default
        else:
            if path not in self._loaded:
                self._loaded[path] = load_config(path)
            config = self._loaded[path]
        self._by_folder[folder] = config
        self._by_spelling[spelled] = config
        return config

    def loaded(self) -> list[LintConfig]:
        return [self._explicit] if self._explicit is not None else list(self._loaded.values())


def matches(relative: str, pattern: str) -> bool:
    """Public for tests: whether a config-relative path matches one include/exclude glob."""
    return compiled(pattern).matches(relative)


__all__ = ["CONFIG_NAME", "ConfigError", "ConfigSet", "LintConfig", "find_config", "load_config", "matches"]
