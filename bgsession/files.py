"""The one safe file layer: every read and write bgsession does besides reading source files.

A checkout is untrusted input: its author controls every name, link, FIFO and device in it. So:

- Reads (configurations, plists, baselines, cache entries, file lists) look at the path before opening
  it (a FIFO, a socket or a device is refused unopened: opening some devices has side effects), open it
  non-blocking, check again on the open descriptor, and read at most a size cap. Parsing the bytes runs
  under `parsing`, which turns a RecursionError (deeply nested TOML, JSON or plists) into one error
  naming the file.
- Writes go to a temporary file made with `mkstemp` in the target's folder (an unpredictable name,
  created with O_EXCL, so a planted symlink is never followed), flushed and renamed over the target.
  Only a regular file is ever replaced: a character device or FIFO (`-o /dev/null`, `-o /dev/stdout`)
  is written in place; a directory, a socket, or a symbolic link to a regular file is refused, never
  replaced or written through. New files get the mode the umask gives; a replaced file keeps its mode.
  The temporary file is removed on any exception. `create_new` never replaces an existing file.
- File names are str with lone surrogates for bytes that are not UTF-8 (`os.fsdecode`), and the text
  written is encoded with `surrogateescape`, so such names round-trip instead of crashing the run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TypeVar

from bgsession.errors import UsageError

# Configurations, baselines, plists and file lists larger than this are refused: none is legitimately
# anywhere near it, and reading a link to /dev/zero must stop.
DEFAULT_READ_LIMIT = 16 * 1024 * 1024

T = TypeVar("T")
StrPath = str | os.PathLike[str]


class FileError(UsageError):
    """A file cannot be read or written safely; the message names it and says why, on one line."""


class NotRegularError(FileError):
    """The path names a FIFO, socket, device or directory where a regular file was expected."""


class TooLargeError(FileError):
    """The file is larger than the cap for its kind."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _reason(problem: OSError) -> str:
    return (problem.strerror or str(problem)).lower()


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def open_regular(path: StrPath, *, follow_symlinks: bool = True) -> int:
    """A descriptor on `path`, which must be a regular file: checked before opening (nothing else is
    opened) and again on the descriptor (the path may have been swapped in between). Raises OSError
    (missing, unreadable) or NotRegularError."""
    before = os.stat(path, follow_symlinks=follow_symlinks)
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularError(f"{os.fspath(path)}: is {_kind(before.st_mode)}, not a regular file")
    flags = _READ_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    descriptor = os.open(path, flags)
    try:
        after = os.fstat(descriptor)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise NotRegularError(f"{os.fspath(path)}: changed while it was being opened")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_descriptor(descriptor: int, limit: int, name: str) -> bytes:
    """At most `limit` bytes from an open regular file; TooLargeError beyond (nothing more is read)."""
    size = os.fstat(descriptor).st_size
    if size > limit:
        raise TooLargeError(f"{name}: is larger than the {limit:,}-byte limit ({size:,} bytes)", size)
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:  # the file grew after fstat
            raise TooLargeError(f"{name}: is larger than the {limit:,}-byte limit", total)
    return b"".join(chunks)


def read_bytes(path: StrPath, *, limit: int = DEFAULT_READ_LIMIT, what: str = "file") -> bytes:
    """The bytes of a regular file, never blocking and never more than `limit`. Every failure is a
    FileError whose message names the file: `what` says what it is for (\"configuration\", \"baseline\")."""
    name = os.fspath(path)
    try:
        descriptor = open_regular(path)
    except OSError as problem:
        raise FileError(f"{name}: cannot read the {what} ({_reason(problem)})") from problem
    try:
        return read_descriptor(descriptor, limit, name)
    except OSError as problem:
        raise FileError(f"{name}: cannot read the {what} ({_reason(problem)})") from problem
    finally:
        os.close(descriptor)


def parsing(path: StrPath, parse: Callable[[], T], what: str = "file") -> T:
    """`parse()`, with nesting too deep for the parser reported as one error naming the file."""
    try:
        return parse()
    except RecursionError:
        raise FileError(f"{os.fspath(path)}: the {what} is nested too deeply to read") from None


@cache
def current_umask() -> int:
    """The process's umask (read once: setting it to read it back is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _encode(content: str | bytes) -> bytes:
    if isinstance(content, bytes):
        return content
    try:
        return content.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no undecodable byte stands for
        return content.encode("utf-8", "backslashreplace")


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def write_file(path: StrPath, content: str | bytes, *, what: str = "file", private: bool = False) -> None:
    """Write `content` to `path` atomically (see the module docstring for what is replaced, written in
    place or refused). Raises FileError naming the path. `private`: the path is inside a folder only
    this user can write (the cache), where a FIFO, device or link found at the name is junk to replace,
    never something to write into."""
    name = os.fspath(path)
    data = _encode(content)
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as problem:
        raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from problem
    if private and status is not None and not stat.S_ISDIR(status.st_mode):
        status = None
    if status is not None and stat.S_ISLNK(status.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            raise FileError(f"{name}: is a symbolic link; refusing to write the {what} through it") from None
        if stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode):
            _write_in_place(name, data, what)  # -o /dev/stdout, a link to a terminal or pipe
            return
        raise FileError(f"{name}: is a symbolic link; refusing to write the {what} through it")
    if status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        _write_in_place(name, data, what)
        return
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise FileError(f"{name}: is {_kind(status.st_mode)}; refusing to replace it with the {what}")
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~current_umask()
    with _temporary(name, data, mode, what) as temporary:
        try:
            now = os.lstat(path)
        except FileNotFoundError:
            now = None
        if now is not None and not stat.S_ISREG(now.st_mode) and not (private and not stat.S_ISDIR(now.st_mode)):
            raise FileError(f"{name}: was replaced by {_kind(now.st_mode)} while the {what} was written")
        try:
            os.replace(temporary, path)
        except OSError as problem:
            raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from problem


def create_new(path: StrPath, content: str | bytes, *, what: str = "file") -> None:
    """Create `path` with `content`, complete or not at all; FileExistsError when anything (a file, a
    link, a folder) already has the name, however late it appeared."""
    name = os.fspath(path)
    with _temporary(name, _encode(content), 0o666 & ~current_umask(), what) as temporary:
        try:
            link_new(temporary, name, _encode(content))
        except FileExistsError:
            raise
        except OSError as problem:
            raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from problem


def link_new(temporary: str, name: str, data: bytes, *, folder: int | None = None) -> None:
    """Give the complete temporary file (holding `data`) the name `name` only while nothing has it: a
    no-replace rename, FileExistsError however late the other file appeared. `folder`: both names are
    inside this open folder. A file system without hard links gets an exclusive create instead."""
    try:
        os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as problem:
        if problem.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        _create_exclusive(name, data, folder)


def _create_exclusive(name: str, data: bytes, folder: int | None) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(name, flags, 0o666, dir_fd=folder)
    try:
        _write_all(descriptor, data)
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)
        raise
    os.close(descriptor)


@contextlib.contextmanager
def _temporary(name: str, data: bytes, mode: int, what: str) -> Iterator[str]:
    """`temporary_file` next to the path `name`, its failures a FileError naming `name`."""
    try:
        with temporary_file(name, data, mode) as temporary:
            yield temporary
    except FileExistsError:
        raise
    except OSError as problem:
        raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from problem


_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@contextlib.contextmanager
def temporary_file(name: str, data: bytes, mode: int | None, *, folder: int | None = None) -> Iterator[str]:
    """A complete, flushed temporary file holding `data` with permission bits `mode` (None: what the
    umask gives a new file), next to `name` (a path, or with `folder` a name inside that open folder);
    removed unless the body renamed it away. Its name is unpredictable and it is created
    O_EXCL|O_NOFOLLOW, so a planted file or link is never written through. Failures are the OSError raised."""
    if folder is None:
        import tempfile  # only runs that write pay for it (it pulls in shutil, random and compressors)

        directory, base = os.path.split(name)
        descriptor, temporary = tempfile.mkstemp(dir=directory or ".", prefix=f".{base[:64]}.", suffix=".tmp")
        mode = 0o666 & ~current_umask() if mode is None else mode
    else:
        # Created with 0o666 when no mode is asked for, so the kernel applies the umask as it is now.
        descriptor, temporary = _temporary_in(folder, name, 0o666 if mode is None else 0o600)
    try:
        try:
            _write_all(descriptor, data)
            if mode is not None:
                os.fchmod(descriptor, mode)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        yield temporary
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)


def _temporary_in(folder: int, name: str, creation_mode: int) -> tuple[int, str]:
    """mkstemp inside an open folder (tempfile has no dir_fd): a random name, created exclusively."""
    for _ in range(100):
        # os.urandom is what secrets.token_hex reads; importing secrets (hmac, base64) would slow start-up.
        temporary = f".{name[:64]}.{os.urandom(8).hex()}.tmp"
        try:
            return os.open(temporary, _TEMPORARY_FLAGS, creation_mode, dir_fd=folder), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", name)


def _write_in_place(name: str, data: bytes, what: str) -> None:
    """A device or FIFO: opened for writing as it is (never created, never replaced). Opened
    non-blocking, so a FIFO nobody reads is an error rather than a hang, then switched to blocking
    writes (a pipe's reader may be slow)."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(name, flags)
    except OSError as problem:
        reason = "nothing reads from it" if problem.errno == errno.ENXIO else _reason(problem)
        raise FileError(f"{name}: cannot write the {what} ({reason})") from problem
    try:
        os.set_blocking(descriptor, True)
        if not (stat.S_ISCHR(os.fstat(descriptor).st_mode) or stat.S_ISFIFO(os.fstat(descriptor).st_mode)):
            raise FileError(f"{name}: changed while it was being opened")
        _write_all(descriptor, data)
    except OSError as problem:
        raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from problem
    finally:
        os.close(descriptor)


def overwrite_regular(path: StrPath, content: str | bytes, *, what: str = "file") -> None:
    """Write a regular file in place: created or truncated, never replaced through a temporary file
    (a sandboxed Xcode phase may write its declared output path only), never through a link, and only
    into a regular file (a FIFO planted there must not hang the build)."""
    name = os.fspath(path)
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(name, flags, 0o666)
    except OSError as problem:
        raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise FileError(f"{name}: is not a regular file; refusing to write the {what} into it")
        os.ftruncate(descriptor, 0)
        _write_all(descriptor, _encode(content))
    except OSError as problem:
        raise FileError(f"{name}: cannot write the {what} ({_reason(problem)})") from None
    finally:
        with contextlib.suppress(OSError):
            os.close(descriptor)


def private_folder(path: Path) -> str | None:
    """Create `path` (and missing parents) for this user only, or say why it cannot be trusted: it must
    be a real folder (not a link), owned by this user, and not writable by group or others. None: fine."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.lstat(path)
    except OSError as problem:
        return f"{path} cannot be created ({_reason(problem)})"
    if not stat.S_ISDIR(status.st_mode):
        return f"{path} is {_kind(status.st_mode)}, not a folder"
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return f"{path} is owned by another user (uid {status.st_uid})"
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{path} is writable by other users (mode {stat.S_IMODE(status.st_mode):04o})"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps_json(document: object, *, indent: int | None = 2) -> str:
    """JSON text that is valid UTF-8 whatever the file names in it: a name's undecodable byte (a lone
    surrogate in Python) is written as its `\\udcXX` escape, which json.loads reads back as the same name."""
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def inside(path: StrPath, root: StrPath) -> bool:
    """Whether `path`, with every link resolved, is `root` or below it."""
    resolved = os.path.realpath(path)
    top = os.path.realpath(root)
    return resolved == top or resolved.startswith(top.rstrip(os.sep) + os.sep)


__all__ = [
    "DEFAULT_READ_LIMIT",
    "FileError",
    "NotRegularError",
    "TooLargeError",
    "create_new",
    "current_umask",
    "dumps_json",
    "inside",
    "link_new",
    "open_regular",
    "parsing",
    "private_folder",
    "read_bytes",
    "read_descriptor",
    "temporary_file",
    "write_file",
]
