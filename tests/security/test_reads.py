"""Items 11 and 13: files that are not sources are read through files.py.

redteam/11: an Info.plist that is a FIFO or a link to /dev/stdin hung; a baseline linked to /dev/zero
read until memory ran out; a FIFO named like a source was opened (its writer released).
redteam/13: deeply nested TOML, baseline JSON or binary plist: RecursionError tracebacks, exit 1.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .helpers import FINDING, bad_swift, run

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")


def _lint_with_open_stdin(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """stdin an open pipe nobody writes to, as `sleep 30 | bgsession lint` gives it."""
    reader, writer = os.pipe()
    try:
        return subprocess.run(
            [sys.executable, "-m", "bgsession", *map(str, args)],
            stdin=reader, capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    finally:
        os.close(reader)
        os.close(writer)


def test_an_info_plist_fifo_or_link_to_stdin_never_blocks(tmp_path: Path) -> None:
    bad_swift(tmp_path / "fifo" / "Uploader.swift")
    os.mkfifo(tmp_path / "fifo" / "Info.plist")
    bad_swift(tmp_path / "stdin" / "Uploader.swift")
    (tmp_path / "stdin" / "Info.plist").symlink_to("/dev/stdin")
    for folder in ("fifo", "stdin"):
        done = _lint_with_open_stdin("lint", "--no-cache", tmp_path / folder)
        assert FINDING in done.stdout and done.returncode == 1, done.stderr
        assert "Info.plist: is a named pipe, not a regular file" in done.stderr or "not a regular file" in done.stderr


def test_a_baseline_linked_to_stdin_or_zero_is_refused(tmp_path: Path) -> None:
    bad_swift(tmp_path / "Uploader.swift")
    (tmp_path / "stdin.json").symlink_to("/dev/stdin")
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    for name in ("stdin.json", "zero.json"):
        start = time.perf_counter()
        done = _lint_with_open_stdin("lint", "--no-cache", "--baseline", tmp_path / name, tmp_path)
        assert time.perf_counter() - start < 20
        assert done.returncode == 2 and "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_a_huge_baseline_or_config_is_refused_unread(tmp_path: Path) -> None:
    bad_swift(tmp_path / "Uploader.swift")
    with (tmp_path / "huge.json").open("wb") as stream:
        stream.truncate(200_000_000)
    done = run("lint", "--no-cache", "--baseline", tmp_path / "huge.json", tmp_path)
    assert done.returncode == 2 and "larger than the" in done.stderr
    with (tmp_path / ".bgsession.toml").open("wb") as stream:
        stream.truncate(50_000_000)
    done = run("lint", "--no-cache", tmp_path)
    assert done.returncode == 2 and "larger than the 1,048,576-byte limit" in done.stderr


def test_a_fifo_named_like_a_source_is_never_opened(tmp_path: Path) -> None:
    bad_swift(tmp_path / "Uploader.swift")
    os.mkfifo(tmp_path / "pipe.swift")
    released = threading.Event()

    def writer() -> None:
        try:
            descriptor = os.open(tmp_path / "pipe.swift", os.O_WRONLY)  # blocks until a reader opens
        except OSError:
            return
        released.set()
        os.close(descriptor)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    done = run("lint", "--no-cache", tmp_path)
    assert not released.wait(0.5), "the lint opened the FIFO"
    assert "pipe.swift: is not a regular file (a pipe, socket or device)" in done.stdout
    # Release the writer thread.
    descriptor = os.open(tmp_path / "pipe.swift", os.O_RDONLY | os.O_NONBLOCK)
    os.close(descriptor)
    thread.join(timeout=5)


def test_deep_nesting_is_one_error_naming_the_file(tmp_path: Path) -> None:
    n = 100_000
    for folder in ("t", "b", "p"):
        bad_swift(tmp_path / folder / "Uploader.swift")
    (tmp_path / "t" / ".bgsession.toml").write_text("[lint]\ninclude = " + "[" * n + "]" * n + "\n")
    (tmp_path / "b" / "baseline.json").write_text('{"version": 1, "findings": ' + "[" * n + "]" * n + "}")
    value: object = "x"
    for _ in range(3000):
        value = [value]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        (tmp_path / "p" / "Info.plist").write_bytes(plistlib.dumps(value, fmt=plistlib.FMT_BINARY))
    finally:
        sys.setrecursionlimit(limit)
    done = run("lint", "--no-cache", tmp_path / "t")
    assert done.returncode == 2 and done.stderr.strip().endswith("nested too deeply to read"), done.stderr
    assert str(tmp_path / "t" / ".bgsession.toml") in done.stderr and "Traceback" not in done.stderr
    done = run("lint", "--no-cache", "--baseline", tmp_path / "b" / "baseline.json", tmp_path / "b")
    assert done.returncode == 2 and "baseline.json: the baseline is nested too deeply" in done.stderr
    # The plist is read outside any one file: the run goes on, and --exit-zero holds.
    done = run("lint", "--no-cache", "--exit-zero", tmp_path / "p")
    assert done.returncode == 0 and FINDING in done.stdout, done.stderr
    assert "Info.plist: the property list is nested too deeply to read" in done.stderr
    assert "Traceback" not in done.stderr


def test_billion_laughs_plist_is_refused(tmp_path: Path) -> None:
    # Held: expat refuses entity expansion; the plist is skipped and the file linted as app code.
    bad_swift(tmp_path / "Uploader.swift")
    entities = '<!ENTITY e0 "lol">' + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    (tmp_path / "Info.plist").write_text(
        f'<?xml version="1.0"?><!DOCTYPE plist [{entities}]><plist><string>&e9;</string></plist>'
    )
    done = run("lint", "--no-cache", tmp_path, timeout=30)
    assert FINDING in done.stdout and "Traceback" not in done.stderr
