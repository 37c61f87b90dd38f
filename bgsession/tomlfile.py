"""Reading TOML files with errors that name the file, the line and what is wrong."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bgsession.errors import UsageError
from bgsession.files import FileError, parsing, read_bytes

# No configuration is near this size; a link to /dev/zero must not be read to the end.
CONFIG_LIMIT = 1024 * 1024


class ConfigError(UsageError):
    """A configuration file is unreadable, malformed or has a wrong key or value."""


def load(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed table and the text it came from."""
    import tomllib  # a run in a folder without a configuration file never parses TOML

    try:
        raw = read_bytes(path, limit=CONFIG_LIMIT, what="configuration")
    except FileError as problem:
        raise ConfigError(str(problem)) from problem
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: error: the file is not UTF-8") from problem
    try:
        return parsing(path, lambda: tomllib.loads(text), "configuration"), text
    except FileError as problem:
        raise ConfigError(str(problem)) from problem
    except tomllib.TOMLDecodeError as problem:
        raise ConfigError(_located(path, str(problem))) from problem


def _located(path: Path, message: str) -> str:
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if found is None:
        return f"{path}: error: {message}"
    detail = message[: found.start()].strip()
    return f"{path}:{found.group(1)}:{found.group(2)}: error: {detail[0].lower() + detail[1:]}"


def key_line(text: str, key: str) -> int | None:
    """The first line that assigns `key` (best effort: used only to point at a wrong key)."""
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
    found = pattern.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


_SUGGEST_MAX = 64


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean ...?)` suffix, or nothing."""
    # Bounded: difflib is quadratic in the word's length, and the word comes from the user's file.
    if len(word) > _SUGGEST_MAX:
        return ""
    import difflib  # only a mistake in a configuration needs it

    close = difflib.get_close_matches(word, [c for c in choices if len(c) <= _SUGGEST_MAX], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_keys(path: Path, text: str, table: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    """Reject any key not in `allowed`, pointing at its line with a suggestion."""
    allowed = list(allowed)
    for key in table:
        if key not in allowed:
            line = key_line(text, key)
            location = f"{path}:{line}" if line else str(path)
            raise ConfigError(f"{location}: error: unknown key {key!r} in {where}{suggest(key, allowed)}")


def expect(path: Path, text: str, key: str, value: object, kind: type | tuple[type, ...], what: str) -> None:
    """Reject a value of the wrong type, naming the key and the expected kind."""
    # TOML booleans are Python ints; a number option must not accept `true`.
    ok = not (isinstance(value, bool) and kind in (int, float, (int, float))) and isinstance(value, kind)
    if not ok:
        line = key_line(text, key)
        location = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{location}: error: {key!r} must be {what}, not {value!r}")
