"""Item 15: worker processes die cleanly.

redteam/15: a killed worker turned into a BrokenProcessPool traceback with no report; after SIGTERM to
the main process both workers stayed blocked forever, re-parented to init.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bgsession.lint import workers
from bgsession.lint.runner import usable_cpus

SESSION = (
    'final class M{index} {{ static let s = URLSession(configuration: .background(withIdentifier: "a.b{index}")) }}\n'
)
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork and /proc")


def _chunk(items: list[int]) -> list[int]:
    if 13 in items:
        os._exit(9)  # what the OOM killer does to a worker
    return [item * 2 for item in items]


def test_a_dead_worker_is_retried_in_the_parent() -> None:
    retried: list[int] = []

    def retry(item: int) -> int:
        retried.append(item)
        return item * 2

    results = workers.extract_in_workers(list(range(100)), 2, _chunk, retry)
    assert results == [item * 2 for item in range(100)]
    assert 13 in retried


# A fresh interpreter, one thread as the command line is, so the workers are forked and inherit the
# patched extractor: it kills the worker that gets f7.swift, and fails again in the parent's retry.
_DEADLY = """
import os, sys
from bgsession.lint import runner
from bgsession.lint.runner import LintRequest, lint

original = runner.extract_file
parent = os.getpid()

def deadly(path, data, *rest):
    if path.endswith("f7.swift"):
        if os.getpid() != parent:
            os._exit(9)
        raise MemoryError
    return original(path, data, *rest)

runner.extract_file = deadly
runner.usable_cpus = lambda: 2
for d in lint(LintRequest(paths=[sys.argv[1]], jobs=2)).diagnostics:
    print(d.code, d.path, d.message, sep="\\t")
"""


def test_a_file_that_kills_its_worker_is_one_note(tmp_path: Path) -> None:
    for index in range(60):
        (tmp_path / f"f{index}.swift").write_text(SESSION.format(index=index))
    done = subprocess.run(
        [sys.executable, "-c", _DEADLY, str(tmp_path)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    found = [line.split("\t") for line in done.stdout.splitlines()]
    notes = [(path, message) for code, path, message in found if code == "BGS000"]
    assert [path for path, _ in notes] == [str(tmp_path / "f7.swift")]
    assert "worker process died" in notes[0][1]
    assert sum(code == "BGS003" for code, _, _ in found) == 59


def test_workers_are_forked_only_from_a_single_threaded_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked child keeps the locks the parent's other threads held: from a test runner's worker (an
    execnet thread) or a host with threads, workers come from a fork server."""
    linux = ["fork", "spawn", "forkserver"]
    monkeypatch.setattr(workers, "_threads", lambda: 1)
    assert workers._start_method(linux) == "fork"
    monkeypatch.setattr(workers, "_threads", lambda: 2)
    assert workers._start_method(linux) == "forkserver"
    assert workers._start_method(["spawn"]) == "spawn"


def test_a_process_with_another_thread_still_extracts_in_workers() -> None:
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers._threads() >= 2
        assert workers.extract_in_workers(list(range(50)), 2, _double, _double) == [item * 2 for item in range(50)]
    finally:
        stop.set()
        other.join()


def _double(items: list[int] | int) -> list[int] | int:
    return [item * 2 for item in items] if isinstance(items, list) else items * 2


@pytest.mark.skipif(usable_cpus() < 2, reason="one CPU: no workers are started")
def test_sigterm_ends_the_workers(tmp_path: Path) -> None:
    body = "".join(f"let v{j} = {j}\n" for j in range(1500))
    for index in range(200):
        (tmp_path / f"f{index}.swift").write_text(SESSION.format(index=index) + body)
    process = subprocess.Popen(
        [sys.executable, "-m", "bgsession", "lint", "--no-cache", "-j", "2", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    children: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not children:
        time.sleep(0.05)
        children = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    assert children, "no workers started"
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in stderr, stderr
    time.sleep(1)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == [], [(pid, _state(pid)) for pid in alive]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
