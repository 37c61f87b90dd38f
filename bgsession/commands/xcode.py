"""What an Xcode Run Script phase gives `bgsession lint --xcode-script-inputs`: the declared input
files, whether user script sandboxing is on, where a cache may go, and the declared output (stamp).

Xcode 15 and later sandbox Run Script phases by default (ENABLE_USER_SCRIPT_SANDBOXING=YES): the
script may read only its declared inputs and write only its declared outputs. Under the sandbox:
- the inputs are the only files read: with none declared the run is a usage error naming the fix,
  never a walk of $SRCROOT (each read outside the inputs is a denial in the build log);
- no cache: a cache's entries cannot all be declared as outputs, so writing them would be denied
  (without the sandbox it lives in $DERIVED_FILE_DIR, per target and removed by Clean Build Folder);
- the stamp is written in place at its declared path: an atomic write's temporary file beside it
  is an undeclared output.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from bgsession.errors import UsageError
from bgsession.files import FileError, overwrite_regular, read_bytes
from bgsession.grammars import EXTENSIONS

SANDBOX_SETTING = "ENABLE_USER_SCRIPT_SANDBOXING"
CACHE_FOLDER = "bgsession-cache"
_SETTINGS_IN_LISTS = ("SRCROOT", "PROJECT_DIR", "SOURCE_ROOT", "DERIVED_FILE_DIR")


@dataclass(frozen=True)
class ScriptPhase:
    """One Run Script phase's environment, as bgsession uses it."""

    declared: tuple[str, ...]  # the input files, sources or not (an Info.plist, a .bgsession.toml)
    sandboxed: bool
    derived_file_dir: Path | None
    srcroot: str | None = None

    @property
    def inputs(self) -> list[str]:
        """What to lint: the declared sources and folders, or $SRCROOT when the phase declares nothing."""
        if not self.declared:
            return [self.srcroot] if self.srcroot else []
        return [path for path in self.declared if PurePath(path).suffix.lower() in EXTENSIONS or os.path.isdir(path)]

    @property
    def readable(self) -> frozenset[str] | None:
        """The only files the run may open (absolute, normalized), or None when reads are not confined."""
        if not self.sandboxed:
            return None
        # Both spellings: the configuration lookup resolves links (/tmp is /private/tmp on macOS).
        spelled = {os.path.normpath(os.path.abspath(path)) for path in self.declared}
        return frozenset(spelled | {os.path.realpath(path) for path in spelled})

    def cache_dir(self) -> Path | None:
        """Where the facts cache goes by default in this phase; None: no cache."""
        if self.sandboxed or self.derived_file_dir is None:
            return None
        return self.derived_file_dir / CACHE_FOLDER


def read_phase(environ: Mapping[str, str] | None = None) -> ScriptPhase:
    """The phase's inputs: SCRIPT_INPUT_FILE_0...N-1 and the entries of the .xcfilelist files
    SCRIPT_INPUT_FILE_LIST_0...M-1; sandboxed, a phase that declares none is a usage error."""
    env = os.environ if environ is None else environ
    sandboxed = env.get(SANDBOX_SETTING, "").strip().upper() == "YES"
    paths: list[str] = []
    for index in range(_count(env, "SCRIPT_INPUT_FILE_COUNT")):
        value = env.get(f"SCRIPT_INPUT_FILE_{index}")
        if value:
            paths.append(value)
    for index in range(_count(env, "SCRIPT_INPUT_FILE_LIST_COUNT")):
        listing = env.get(f"SCRIPT_INPUT_FILE_LIST_{index}")
        if not listing:
            continue
        content = read_bytes(listing, what="file list").decode("utf-8", "surrogateescape")
        for line in content.splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                paths.append(_expand(entry, env))
    if not paths and sandboxed:
        raise UsageError(
            f"{SANDBOX_SETTING} is on and the Run Script phase declares no input files: list the sources "
            "to lint as its inputs (bgsession xcfilelist writes an .xcfilelist of a target's sources)"
        )
    derived = env.get("DERIVED_FILE_DIR")
    return ScriptPhase(tuple(paths), sandboxed, Path(derived) if derived else None, env.get("SRCROOT") or None)


def _count(env: Mapping[str, str], name: str) -> int:
    try:
        return max(int(env.get(name, "0") or 0), 0)
    except ValueError:
        return 0


def _expand(entry: str, env: Mapping[str, str]) -> str:
    """xcfilelist entries use $(SRCROOT)-style build settings."""
    for key in _SETTINGS_IN_LISTS:
        value = env.get(key)
        if value:
            entry = entry.replace(f"$({key})", value).replace(f"${{{key}}}", value)
    return entry


def write_stamp(path: Path, content: str) -> None:
    """Write the phase's declared output in place (`files.overwrite_regular`: the sandbox allows
    writing that one path only, so never through a temporary file beside it)."""
    try:
        overwrite_regular(path, content, what="stamp")
    except FileError as problem:
        raise UsageError(str(problem)) from None
