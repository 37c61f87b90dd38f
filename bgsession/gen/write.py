"""Writing generated files safely: inside the project only, atomically, never over a user's file unasked.

Every write goes through a folder descriptor opened component by component from the project root
with O_NOFOLLOW, so no symbolic link (planted before or during the run) can take a write outside.
A new file is created with a no-replace link of a fully written temporary file: a file that appears
between the plan and the write is never overwritten. An update re-reads its target just before the
rename and refuses when the file changed since the plan. Temporary files have unpredictable names,
are created O_EXCL|O_NOFOLLOW with the umask's mode, and are removed on any failure or signal.

This is the generator's half of the safe file layer (DESIGN.md): the temporary file and the
no-replace link are files.py's (`temporary_file`, `link_new`, given the folder descriptor), the one
atomic writer reports, baselines and the cache use too; the folder walk and the planning (markers,
conflicts, the re-read before a replace) stay here.
"""

from __future__ import annotations

import difflib
import errno
import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import FrameType

from bgsession.errors import BgsessionError
from bgsession.files import link_new, temporary_file
from bgsession.gen.marker import Provenance, provenance
from bgsession.gen.render import GeneratedFile

MAX_EXISTING_BYTES = 4 * 1024 * 1024


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
    root: Path | None = None


def output_folder(out_dir: Path, root: Path | None = None) -> tuple[Path, Path]:
    """(the project root, the output folder), both absolute; raise when the folder is outside the root
    or reached through a symbolic link (as git and copier refuse), or a component is not a folder."""
    project = Path(os.path.abspath(root if root is not None else Path.cwd()))
    folder = Path(os.path.abspath(out_dir))
    if folder != project and project not in folder.parents:
        raise WriteError(
            f"{out_dir}: the output folder is outside the project ({project}); generated code is written "
            "inside the folder of the configuration file or the current directory"
        )
    current = project
    for part in folder.relative_to(project).parts:
        current = current / part
        try:
            status = os.lstat(current)
        except FileNotFoundError:
            break
        except OSError as problem:
            raise WriteError(f"{current}: cannot be read ({_reason(problem)})") from problem
        if stat.S_ISLNK(status.st_mode):
            raise WriteError(
                f"{out_dir}: the output folder is reached through the symbolic link {current}; "
                "generated code is never written through a link"
            )
        if not stat.S_ISDIR(status.st_mode):
            raise WriteError(f"{current}: the output path exists and is not a folder")
    return project, folder


def plan_writes(
    files: list[GeneratedFile], out_dir: Path, *, force: bool, root: Path | None = None
) -> list[PlannedWrite]:
    """Decide, for each file, whether it is new, changed, unchanged or in the way of a user's file."""
    project, folder = output_folder(out_dir, root)
    return [_plan_one(folder / generated.name, generated.text, force=force, root=project) for generated in files]


def _plan_one(path: Path, text: str, *, force: bool, root: Path) -> PlannedWrite:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return PlannedWrite(path, text, Action.CREATE, root=root)
    except OSError as problem:
        raise WriteError(f"{path}: cannot be read ({_reason(problem)})") from problem
    if stat.S_ISLNK(status.st_mode):
        # A rename replaces the link itself, never its target, so nothing outside the folder is
        # written; still, replacing a link the user made needs --force.
        if force:
            return PlannedWrite(path, text, Action.UPDATE, None, "replaces a symbolic link", root=root)
        return PlannedWrite(path, text, Action.CONFLICT, None, "is a symbolic link", root=root)
    if stat.S_ISDIR(status.st_mode):
        raise WriteError(f"{path}: a folder is in the way of a generated file")
    if not stat.S_ISREG(status.st_mode):
        raise WriteError(f"{path}: is not a regular file (a device, socket or FIFO); it is never replaced")
    try:
        old = read_existing(path)
    except (OSError, UnicodeDecodeError) as problem:
        if not force:
            return PlannedWrite(path, text, Action.CONFLICT, None, f"cannot be read ({_reason(problem)})", root=root)
        return PlannedWrite(path, text, Action.UPDATE, None, root=root)
    if old == text:
        return PlannedWrite(path, text, Action.UNCHANGED, old, root=root)
    origin = provenance(old)
    if origin is Provenance.GENERATED:
        return PlannedWrite(path, text, Action.UPDATE, old, root=root)
    if force:
        return PlannedWrite(path, text, Action.UPDATE, old, root=root)
    reason = (
        "was edited after bgsession generated it"
        if origin is Provenance.EDITED
        else "exists and was not written by bgsession"
    )
    return PlannedWrite(path, text, Action.CONFLICT, old, reason, root=root)


def read_existing(path: Path, dir_fd: int | None = None) -> str:
    """A regular file's text, opened without following links or blocking, at most MAX_EXISTING_BYTES."""
    descriptor = os.open(path.name if dir_fd is not None else path, _READ_FLAGS, dir_fd=dir_fd)
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = stream.read(MAX_EXISTING_BYTES + 1)
    if len(data) > MAX_EXISTING_BYTES:
        raise OSError(errno.EFBIG, "file too large")
    return data.decode("utf-8")


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def conflicts(plans: list[PlannedWrite]) -> list[PlannedWrite]:
    return [plan for plan in plans if plan.action is Action.CONFLICT]


def apply_plan(plans: list[PlannedWrite]) -> list[PlannedWrite]:
    """Write every created or updated file; return the ones written. A file that appeared or changed
    since the plan is not touched: WriteError names it (the files before it are complete)."""
    written = []
    with _signals_raise():
        for plan in plans:
            if plan.action in (Action.CREATE, Action.UPDATE):
                write_planned(plan)
                written.append(plan)
    return written


def write_atomically(path: Path, text: str, *, root: Path | None = None) -> None:
    """Create or replace `path` (inside `root`, default the current directory) atomically."""
    project, folder = output_folder(path.parent, root)
    write_planned(PlannedWrite(folder / path.name, text, Action.UPDATE, None, "", project))


def write_planned(plan: PlannedWrite) -> None:
    folder = open_folder(plan.root or Path(os.path.abspath(Path.cwd())), plan.path.parent)
    try:
        _write_in(folder, plan)
    finally:
        os.close(folder)


def open_folder(root: Path, folder: Path) -> int:
    """A descriptor of `folder`, opened from `root` one component at a time without following links
    (missing folders are created); so a link planted at any time cannot redirect the write."""
    try:
        current = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as problem:
        raise WriteError(f"{root}: cannot open the project folder ({_reason(problem)})") from problem
    path = root
    try:
        for part in folder.relative_to(root).parts:
            path = path / part
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=current)
            except FileNotFoundError:
                try:
                    os.mkdir(part, 0o777, dir_fd=current)
                    child = os.open(part, _DIR_FLAGS, dir_fd=current)
                except OSError as problem:
                    raise WriteError(f"{path}: cannot create the folder ({_reason(problem)})") from problem
            except OSError as problem:
                if problem.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise WriteError(
                        f"{path}: is a symbolic link or not a folder; generated code is never written through it"
                    ) from problem
                raise WriteError(f"{path}: cannot open the folder ({_reason(problem)})") from problem
            os.close(current)
            current = child
    except BaseException:
        os.close(current)
        raise
    return current


def _write_in(folder: int, plan: PlannedWrite) -> None:
    name = plan.path.name
    data = plan.text.encode("utf-8")
    try:
        with temporary_file(name, data, _kept_mode(folder, name), folder=folder) as temporary:
            if plan.action is Action.CREATE:
                try:
                    link_new(temporary, name, data, folder=folder)
                except FileExistsError:
                    raise WriteError(f"{plan.path}: appeared while bgsession was writing; not overwritten") from None
            else:
                _check_unchanged(folder, plan)
                os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as problem:
        raise WriteError(f"{plan.path}: cannot write ({_reason(problem)})") from problem


def _check_unchanged(folder: int, plan: PlannedWrite) -> None:
    """Refuse to replace a target that changed since the plan (or is no longer a plain file or link)."""
    name = plan.path.name
    try:
        status = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(status.st_mode):
        if plan.reason == "replaces a symbolic link":
            return
        raise WriteError(f"{plan.path}: became a symbolic link while bgsession was writing; not replaced")
    if not stat.S_ISREG(status.st_mode):
        raise WriteError(f"{plan.path}: is not a regular file; it is never replaced")
    if plan.old_text is None:
        return
    try:
        current = read_existing(plan.path, dir_fd=folder)
    except (OSError, UnicodeDecodeError):
        current = None
    if current != plan.old_text:
        raise WriteError(f"{plan.path}: changed while bgsession was writing; not overwritten")


def _kept_mode(folder: int, name: str) -> int | None:
    """An existing regular file's permission bits (kept by an update); None for a new file (umask)."""
    try:
        status = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return None
    return stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else None


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


def describe_plan(plans: list[PlannedWrite], *, diff: bool, stale: list[Path] | None = None) -> str:
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
            lines.extend(plan_diff(plan))
    for path in stale or []:
        lines.append(f"stale {path} (written by bgsession, no longer generated by these options)")
    return "\n".join(lines) + ("\n" if lines else "")


def plan_diff(plan: PlannedWrite) -> list[str]:
    before = (plan.old_text or "").splitlines(keepends=True)
    after = plan.text.splitlines(keepends=True)
    old_name = str(plan.path) if plan.old_text is not None else "/dev/null"
    return [line.rstrip("\n") for line in difflib.unified_diff(before, after, old_name, str(plan.path))]


def stale_files(folder: Path, plans: list[PlannedWrite]) -> list[Path]:
    """Files in the output folder that bgsession wrote (their marker says so) and this run does not."""
    planned = {plan.path.name for plan in plans}
    found = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    for entry in entries:
        if entry.name in planned or entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        if not entry.name.endswith((".swift", ".h", ".m")):
            continue
        try:
            text = read_existing(Path(entry.path))
        except (OSError, UnicodeDecodeError):
            continue
        if provenance(text) is not Provenance.FOREIGN:
            found.append(Path(entry.path))
    return found


def _reason(problem: BaseException) -> str:
    if isinstance(problem, OSError) and problem.strerror:
        return problem.strerror.lower()
    return str(problem)
