"""A real SIGINT or SIGTERM while `bgsession gen` writes leaves every file complete or absent.

The child process is the real command line; only `os.fsync` is slowed down, so the signal lands while a
temporary file is written but not yet renamed, which is the moment a naive writer leaves half a file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bgsession.cli import main

ARGS = ["gen", "--lang", "swift", "--style", "uikit", "--identifier", "com.example.upload",
        "--identifier", "com.example.download"]  # fmt: skip

# Runs in the child: announce each fsync on stdout and, at the chosen one, wait to be signalled.
CHILD = """
import os, sys, time
stop_at = int(sys.argv[1])
real_fsync = os.fsync
calls = 0

def slow_fsync(descriptor):
    global calls
    calls += 1
    real_fsync(descriptor)
    print(f"fsync {calls}", flush=True)
    if calls == stop_at:
        time.sleep(60)

os.fsync = slow_fsync
from bgsession.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = tmp_path_factory.mktemp("complete")
    out = project / "Generated"
    before = os.getcwd()
    os.chdir(project)  # gen writes only inside the project (the current directory)
    try:
        assert main([*ARGS, "--out", "Generated"]) == 0
    finally:
        os.chdir(before)
    files = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    assert len(files) >= 2
    return files


@pytest.mark.parametrize("stop_at", [1, 2])
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_during_write_leaves_no_partial_file(
    tmp_path: Path, expected: dict[str, str], stop_at: int, signum: int, status: int
) -> None:
    out = tmp_path / "Generated"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(stop_at), *ARGS, "--out", "Generated"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == f"fsync {stop_at}":
            break
    else:
        pytest.fail(f"the child never reached fsync {stop_at}: {child.communicate()}")
    temporaries = [path.name for path in out.iterdir() if path.name.endswith(".tmp")]
    assert temporaries, "the signal should land while a temporary file exists"
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == status, stderr
    assert "interrupted" in stderr or signal.Signals(signum).name in stderr
    assert "Traceback" not in stderr
    left = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    assert len(left) == stop_at - 1  # the files renamed before the signal, and nothing else
    for name, text in left.items():
        assert text == expected[name]


def test_rerun_after_an_interrupt_completes_the_set(
    tmp_path: Path, expected: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "Generated"
    monkeypatch.chdir(tmp_path)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "2", *ARGS, "--out", "Generated"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None
    while child.stdout.readline().strip() != b"fsync 2":
        pass
    os.kill(child.pid, signal.SIGTERM)
    child.communicate(timeout=30)
    # The file written before the signal is the tool's own output, so a rerun needs no --force.
    assert main([*ARGS, "--out", "Generated"]) == 0
    assert {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()} == expected
