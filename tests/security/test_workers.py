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


def test_a_file_that_kills_its_worker_is_one_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bgsession.lint import runner
    from bgsession.lint.runner import LintRequest, lint

    for index in range(60):
        (tmp_path / f"f{index}.swift").write_text(SESSION.format(index=index))
    original = runner.extract_file

    def deadly(path: str, data: bytes, *rest: object) -> object:
        if path.endswith("f7.swift"):
            if os.getpid() != parent:
                os._exit(9)
            raise MemoryError  # and the parent's retry fails too
        return original(path, data, *rest)  # type: ignore[arg-type]

    parent = os.getpid()
    monkeypatch.setattr(runner, "extract_file", deadly)
    monkeypatch.setattr(runner, "usable_cpus", lambda: 2)
    result = lint(LintRequest(paths=[str(tmp_path)], jobs=2))
    notes = [d for d in result.diagnostics if d.code == "BGS000"]
    assert [note.path for note in notes] == [str(tmp_path / "f7.swift")]
    assert "worker process died" in notes[0].message
    assert sum(d.code == "BGS003" for d in result.diagnostics) == 59


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
