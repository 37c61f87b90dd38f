"""Shared by the security tests: the red team's one-finding file, and the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

# One file with one finding (BGS003: a background session without a delegate), as in redteam/common.sh.
BAD_SWIFT = """\
import Foundation
final class Uploader {
    static let shared = Uploader()
    lazy var session: URLSession = {
        let c = URLSessionConfiguration.background(withIdentifier: "com.example.up")
        return URLSession(configuration: c, delegate: nil, delegateQueue: nil)
    }()
}
"""
FINDING = "[BGS003 missing-delegate]"


def bad_swift(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BAD_SWIFT, encoding="utf-8")
    return path


def run(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdin: int | None = subprocess.DEVNULL,
) -> subprocess.CompletedProcess[str]:
    """`bgsession ARGS` in a subprocess; a hang fails the test through `timeout`."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bgsession", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        env=environment,
        timeout=timeout,
        stdin=stdin,
        check=False,
    )


def timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start
