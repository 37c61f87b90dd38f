"""Writing generated files safely: only when changed, atomically, never over a user's file unasked."""

from __future__ import annotations

import difflib
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import FrameType

from bgsession.errors import BgsessionError
from bgsession.gen.render import GeneratedFile


class WriteError(BgsessionError):
    """A file cannot be written; the message names it."""


class Action(Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class PlannedWrite:
    path: Path
    text: str
    action: Action
    old_text: str | None = None
    reason: str = ""


def plan_writes(files: list[GeneratedFile], out_dir: Path, *, force: bool) -> list[PlannedWrite]:
    """Decide, for each file, whether it is new, changed, unchanged or in the way of a user's file."""
    if out_dir.exists() and not out_dir.is_dir():
        raise WriteError(f"{out_dir}: the output path exists and is not a folder")
    return [_plan_one(out_dir / generated.name, generated.text, force=force) for generated in files]


def _plan_one(path: Path, text: str, *, force: bool) -> PlannedWrite:
    if path.is_symlink():
        # A rename replaces the link itself, never its target, so nothing outside the folder is
        # written; still, replacing a link the user made needs --force.
        if force:
            return PlannedWrite(path, text, Action.UPDATE, None, "replaces a symbolic link")
        return PlannedWrite(path, text, Action.CONFLICT, None, "is a symbolic link")
    if path.is_dir():
        raise WriteError(f"{path}: a folder is in the way of a generated file")
    if not path.exists():
        return PlannedWrite(path, text, Action.CREATE)
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        if not force:
            return PlannedWrite(path, text, Action.CONFLICT, None, f"cannot be read ({_reason(problem)})")
        return PlannedWrite(path, text, Action.UPDATE, None)
    if old == text:
        return PlannedWrite(path, text, Action.UNCHANGED, old)
    if force:
        return PlannedWrite(path, text, Action.UPDATE, old)
    return PlannedWrite(path, text, Action.CONFLICT, old, "exists and differs from the generated code")


def conflicts(plans: list[PlannedWrite]) -> list[PlannedWrite]:
    return [plan for plan in plans if plan.action is Action.CONFLICT]


def apply_plan(plans: list[PlannedWrite]) -> list[PlannedWrite]:
    """Write every created or updated file atomically; return the ones written."""
    written = []
    with _signals_raise():
        for plan in plans:
            if plan.action in (Action.CREATE, Action.UPDATE):
                write_atomically(plan.path, plan.text)
                written.append(plan)
    return written


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename it over the target.

    A reader sees the old file or the new one, never a partial one; on any failure or signal the
    temporary file is removed.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise WriteError(f"{path.parent}: cannot create the folder ({_reason(problem)})") from problem
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _new_file_mode(path))
        os.replace(temporary, path)
        temporary = None
    except OSError as problem:
        raise WriteError(f"{path}: cannot write ({_reason(problem)})") from problem
    finally:
        if temporary is not None:
            _remove_quietly(temporary)


def _new_file_mode(path: Path) -> int:
    try:
        if not path.is_symlink():
            return path.stat().st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _remove_quietly(temporary: str) -> None:
    with suppress(OSError):
        os.unlink(temporary)


class WriteInterruptedError(BgsessionError):
    """A signal arrived while files were being written; no partial file was left."""


@contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while writing, so cleanup runs (SIGINT already does)."""

    def raise_interrupted(signum: int, _frame: FrameType | None) -> None:
        interrupted = WriteInterruptedError(
            f"stopped by signal {signal.Signals(signum).name}; files already renamed are complete"
        )
        interrupted.exit_status = 128 + signum  # what a shell reports for a process killed by the signal
        raise interrupted

    handled = [sig for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if sig is not None]
    try:
        previous = {sig: signal.signal(sig, raise_interrupted) for sig in handled}
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def describe_plan(plans: list[PlannedWrite], *, diff: bool) -> str:
    """What a run would do (for --dry-run), with a unified diff for each new or changed file."""
    lines: list[str] = []
    for plan in plans:
        label = {
            Action.CREATE: "would create",
            Action.UPDATE: "would update",
            Action.UNCHANGED: "unchanged",
            Action.CONFLICT: "would refuse to overwrite",
        }[plan.action]
        suffix = f" ({plan.reason})" if plan.reason else ""
        lines.append(f"{label} {plan.path}{suffix}")
        if diff and plan.action is not Action.UNCHANGED:
            before = (plan.old_text or "").splitlines(keepends=True)
            after = plan.text.splitlines(keepends=True)
            old_name = str(plan.path) if plan.old_text is not None else "/dev/null"
            lines.extend(line.rstrip("\n") for line in difflib.unified_diff(before, after, old_name, str(plan.path)))
    return "\n".join(lines) + ("\n" if lines else "")


def _reason(problem: BaseException) -> str:
    if isinstance(problem, OSError) and problem.strerror:
        return problem.strerror.lower()
    return str(problem)
