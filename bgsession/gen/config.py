"""`bgsession gen --config bgsession.toml`: the generator's options from the file's [gen] table.

[gen]
lang = "swift"                 # swift | objc
style = "uikit"                # uikit | swiftui | extension
swiftui-variant = "task"       # task | adaptor
prefix = "Acme"
app-delegate = "AppDelegate"
out = "Sources/Generated"      # relative to the config file, and inside its folder
discretionary = true           # options for every session ...

[[gen.sessions]]
identifier = "com.example.app.downloads"
cellular = false               # ... which a session may override
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bgsession.gen.spec import SessionOptions
from bgsession.tomlfile import ConfigError, check_keys, expect, key_line, load

OPTION_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "discretionary": (bool, "true or false"),
    "launch-events": (bool, "true or false"),
    "cellular": (bool, "true or false"),
    "resource-timeout": ((int, float), "a number of seconds"),
    "max-connections": (int, "a whole number"),
    "shared-container": (str, "a string"),
}
TOP_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "lang": (str, "a string"),
    "style": (str, "a string"),
    "swiftui-variant": (str, "a string"),
    "prefix": (str, "a string"),
    "app-delegate": (str, "a string"),
    "out": (str, "a path string"),
    "identifiers": (list, "a list of strings"),
    "sessions": (list, "an array of tables ([[gen.sessions]])"),
    **OPTION_KEYS,
}


@dataclass(frozen=True, slots=True)
class GenConfig:
    values: dict[str, Any] = field(default_factory=dict)
    identifiers: list[str] = field(default_factory=list)
    per_session: list[SessionOptions] = field(default_factory=list)
    out: Path | None = None


def options_from(table: dict[str, Any], base: SessionOptions | None = None) -> SessionOptions:
    mapping = {
        "discretionary": "discretionary",
        "launch-events": "launch_events",
        "cellular": "cellular",
        "resource-timeout": "resource_timeout",
        "max-connections": "max_connections",
        "shared-container": "shared_container",
    }
    chosen = {mapping[key]: value for key, value in table.items() if key in mapping}
    if "resource_timeout" in chosen:
        chosen["resource_timeout"] = float(chosen["resource_timeout"])
    return replace(base or SessionOptions(), **chosen)


CONFIG_NAME = ".bgsession.toml"


def find_gen_config(start: Path) -> Path | None:
    """The nearest .bgsession.toml with a [gen] table, in `start` or above it, up to the repository
    root (the folder holding .git) or the file system root; a file without [gen] is lint's alone."""
    current = Path(os.path.abspath(start))
    while True:
        candidate = current / CONFIG_NAME
        if candidate.is_file() and "gen" in load(candidate)[0]:
            return candidate
        if (current / ".git").exists() or current.parent == current:
            return None
        current = current.parent


def load_gen_config(path: Path) -> GenConfig:
    data, text = load(path)
    if "gen" not in data:
        raise ConfigError(f"{path}: error: no [gen] table; the generator's options go under [gen]")
    table = data["gen"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{key_line(text, 'gen') or 1}: error: 'gen' must be a table")
    check_keys(path, text, table, TOP_KEYS, "[gen]")
    for key, value in table.items():
        kind, what = TOP_KEYS[key]
        expect(path, text, key, value, kind, what)
    base = options_from(table)
    identifiers: list[str] = []
    per_session: list[SessionOptions] = []
    for identifier in table.get("identifiers", []):
        expect(path, text, "identifiers", identifier, str, "a list of strings")
        identifiers.append(identifier)
        per_session.append(base)
    for session in table.get("sessions", []):
        if not isinstance(session, dict):
            raise ConfigError(f"{path}: error: each [[gen.sessions]] entry must be a table")
        check_keys(path, text, session, ["identifier", *OPTION_KEYS], "[[gen.sessions]]")
        if "identifier" not in session:
            raise ConfigError(f"{path}: error: a [[gen.sessions]] entry has no 'identifier'")
        for key, value in session.items():
            kind, what = (str, "a string") if key == "identifier" else OPTION_KEYS[key]
            expect(path, text, key, value, kind, what)
        identifiers.append(session["identifier"])
        per_session.append(options_from(session, base))
    values = {
        key: value
        for key, value in table.items()
        if key in ("lang", "style", "swiftui-variant", "prefix", "app-delegate")
    }
    out = (path.parent / table["out"]) if "out" in table else None
    return GenConfig(values=values, identifiers=identifiers, per_session=per_session, out=out)
