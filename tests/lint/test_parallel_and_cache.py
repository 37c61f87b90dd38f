"""Parallel, cached and serial runs give the same diagnostics; the cache survives bad directories and races.

The tree mixes a few hundred files of ordinary app code (from the benchmark corpus) with every fixture
that has findings, so the parallel first pass, the second pass and the whole-project rules all take part.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import build
from bgsession.diagnostics import Diagnostic
from bgsession.lint import runner
from bgsession.lint.cache import CACHE_DIR_ENV, DiskCache
from bgsession.lint.runner import PARALLEL_MIN_FILES, LintRequest, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "App"
    build(root, min_lines=20_000, seed=11)
    # Each fixture in its own folder: names repeat across rules, and the projects may interact, which is
    # what a real app with many modules looks like.
    for fixture in sorted(FIXTURES.glob("BGS*/bad_*")):
        target = root / "Fixtures" / fixture.parent.name / fixture.name
        if fixture.is_dir():
            shutil.copytree(fixture, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(fixture, target)
    return root


def _key(diagnostic: Diagnostic) -> tuple[object, ...]:
    # The trace is not part of a Diagnostic's equality, but parallel runs must explain findings alike.
    return (diagnostic, diagnostic.trace)


def _run(tree: Path, **options: object) -> tuple[list[tuple[object, ...]], int, int]:
    result = lint(LintRequest(paths=[str(tree)], explain=True, **options))  # type: ignore[arg-type]
    return [_key(d) for d in result.diagnostics], result.files_checked, result.files_parsed


def test_the_tree_is_large_enough_to_run_in_parallel(tree: Path) -> None:
    sources = [path for path in tree.rglob("*") if path.suffix in (".swift", ".m", ".h", ".mm")]
    assert len(sources) >= 400
    assert lint(LintRequest(paths=[str(tree)])).files_parsed >= 2 * PARALLEL_MIN_FILES


def test_parallel_run_equals_serial_run(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _run(tree, jobs=1)
    sizes: list[tuple[int, int]] = []
    original = runner._extract_all

    def recording(work: list[tuple[str, bytes, object]], jobs: int) -> object:
        sizes.append((len(work), jobs))
        return original(work, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_extract_all", recording)
    parallel = _run(tree, jobs=2)
    assert any(count >= PARALLEL_MIN_FILES and jobs == 2 for count, jobs in sizes), sizes
    assert serial[0], "the tree should have findings"
    assert parallel == serial
    assert _run(tree, jobs=3) == serial


def test_warm_run_equals_cold_run(tree: Path, tmp_path: Path) -> None:
    uncached = _run(tree)
    cold_cache = DiskCache(tmp_path / "cache")
    cold_cache.probe()
    cold = _run(tree, cache=cold_cache)
    assert cold_cache.problem is None
    assert cold_cache.misses > 0 and cold_cache.hits == 0
    warm_cache = DiskCache(tmp_path / "cache")
    warm = _run(tree, cache=warm_cache)
    assert warm_cache.hits == cold_cache.misses and warm_cache.misses == 0
    assert cold == uncached and warm == uncached


def test_cached_parallel_run_equals_serial_run(tree: Path, tmp_path: Path) -> None:
    serial = _run(tree)
    for _ in range(2):  # first fills the cache from the workers, second reads it
        cache = DiskCache(tmp_path / "cache")
        cache.probe()
        assert _run(tree, cache=cache, jobs=2) == serial
    assert any((tmp_path / "cache").rglob("*.json"))


def test_a_corrupt_entry_is_a_miss(tree: Path, tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "cache")
    cache.probe()
    expected = _run(tree, cache=cache)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_bytes(b"not a cache entry")
    again = DiskCache(tmp_path / "cache")
    assert _run(tree, cache=again) == expected
    assert again.hits == 0 and again.misses > 0


def _cli(tree: Path, cache_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, CACHE_DIR_ENV: str(cache_dir)}
    command = [sys.executable, "-m", "bgsession", "lint", "--format", "json", *extra, str(tree)]
    return subprocess.run(command, check=False, capture_output=True, text=True, env=environment, timeout=300)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to any directory")
def test_an_unwritable_cache_warns_once_and_still_lints(tree: Path, tmp_path: Path) -> None:
    expected = _cli(tree, tmp_path / "unused", "--no-cache")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        done = _cli(tree, locked / "cache")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert done.returncode == expected.returncode == 1
    assert done.stdout == expected.stdout
    warnings = [line for line in done.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1, done.stderr
    assert warnings[0].startswith("bgsession: warning:") and str(locked) in warnings[0]


def test_a_cache_path_that_is_a_file_warns_and_still_lints(tree: Path, tmp_path: Path) -> None:
    expected = _cli(tree, tmp_path / "unused", "--no-cache")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be\n")
    done = _cli(tree, blocker)
    assert done.stdout == expected.stdout
    assert done.stderr.count("warning:") == 1, done.stderr


def test_no_cache_writes_nothing(tree: Path, tmp_path: Path) -> None:
    done = _cli(tree, tmp_path / "cache", "--no-cache")
    assert done.returncode == 1, done.stderr
    assert not (tmp_path / "cache").exists()


def test_racing_runs_share_one_cache_safely(tree: Path, tmp_path: Path) -> None:
    expected = _cli(tree, tmp_path / "unused", "--no-cache").stdout
    cache_dir = tmp_path / "shared"
    environment = {**os.environ, CACHE_DIR_ENV: str(cache_dir)}
    command = [sys.executable, "-m", "bgsession", "lint", "--format", "json", "--jobs", "1", str(tree)]
    for _ in range(2):  # a cold race, then a race over a filled cache
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
                for _ in range(3)]  # fmt: skip
        outputs = [run.communicate(timeout=300) for run in runs]
        for stdout, stderr in outputs:
            assert stdout == expected
            assert stderr == ""
    leftovers = [path for path in cache_dir.rglob(".tmp-*")]
    assert leftovers == []
