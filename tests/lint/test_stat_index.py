"""A warm run reads only what changed, and every run prints the same report: serial, parallel, cold, warm.

The JSON reports of whole `bgsession lint` processes are compared byte for byte (each process has its
own hash seed, so an order that depends on a set's shows up here), on a tree of ordinary app code and
every fixture with findings, after touching a file, after rewriting one with its size and mtime
restored (only the content digest can tell), and after deleting one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import build
from bgsession.lint.cache import DiskCache
from bgsession.lint.runner import LintRequest, lint
from bgsession.lint.stat_index import StatIndex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stat-index") / "App"
    build(root, min_lines=5_000, seed=7)
    for fixture in sorted(FIXTURES.glob("BGS*/bad_*")):
        target = root / "Fixtures" / fixture.parent.name / fixture.name
        if fixture.is_dir():
            shutil.copytree(fixture, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(fixture, target)
    return root


@pytest.fixture
def tree(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "App"
    shutil.copytree(pristine, copy)
    return copy


def _report(tree: Path, cache: Path | None, jobs: int) -> bytes:
    caching = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    command = [sys.executable, "-m", "bgsession", "lint", "--format", "json", "--exit-zero", "--jobs", str(jobs)]
    done = subprocess.run([*command, *caching, str(tree)], check=False, capture_output=True, timeout=300)
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    return done.stdout


def _finding_file(tree: Path) -> tuple[Path, int]:
    """A fixture file with a finding, and the line of its first finding."""
    result = lint(LintRequest([str(tree)]))
    for diagnostic in result.diagnostics:
        if "/Fixtures/" in diagnostic.path and diagnostic.code != "BGS000":
            return Path(diagnostic.path), diagnostic.loc.line
    raise AssertionError("the fixtures have findings")


def _same_size_same_mtime(path: Path, line: int) -> None:
    """Comment out the start of `line` in place: same inode, same size, the mtime put back."""
    before = path.stat()
    lines = path.read_bytes().split(b"\n")
    text = lines[line - 1]
    indent = len(text) - len(text.lstrip())
    lines[line - 1] = text[:indent] + b"//" + text[indent + 2 :]
    with path.open("r+b") as stream:
        stream.write(b"\n".join(lines))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


def test_serial_parallel_cold_and_warm_reports_are_identical(tree: Path, tmp_path: Path) -> None:
    expected = _report(tree, None, 1)
    assert b'"code": "BGS' in expected
    assert _report(tree, None, 2) == expected
    assert _report(tree, tmp_path / "serial", 1) == expected  # cold, fills the cache
    assert _report(tree, tmp_path / "serial", 1) == expected  # warm
    assert _report(tree, tmp_path / "serial", 2) == expected  # warm, parallel
    assert _report(tree, tmp_path / "parallel", 2) == expected  # cold, parallel
    assert _report(tree, tmp_path / "parallel", 1) == expected


def test_reports_stay_identical_after_touching_rewriting_and_deleting(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _report(tree, cache, 2)
    changed, line = _finding_file(tree)

    os.utime(changed)  # touched: a new mtime, the same bytes
    assert _report(tree, cache, 1) == _report(tree, None, 1)

    before = _report(tree, None, 1)
    _same_size_same_mtime(changed, line)
    expected = _report(tree, None, 1)
    assert expected != before, "the rewrite must change the findings, or this proves nothing"
    assert _report(tree, cache, 1) == expected
    assert _report(tree, cache, 2) == expected

    changed.unlink()
    expected = _report(tree, None, 1)
    assert _report(tree, cache, 2) == expected
    assert _report(tree, cache, 1) == expected


def _indexed(tree: Path, cache: Path) -> tuple[StatIndex, int]:
    disk = DiskCache(cache)
    disk.probe()
    index = StatIndex(disk.folder, [str(tree)])
    index.load()
    result = lint(LintRequest([str(tree)], cache=disk, index=index))
    return index, result.files_checked


def test_a_warm_run_reads_only_the_files_that_changed(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold, files = _indexed(tree, cache)
    assert cold.unchanged == 0 and files > 300
    warm, _ = _indexed(tree, cache)
    assert (warm.unchanged, warm.rehashed) == (files, 0)

    changed, line = _finding_file(tree)
    os.utime(changed)
    touched, _ = _indexed(tree, cache)
    assert (touched.unchanged, touched.rehashed) == (files - 1, 1)  # read, and kept by its digest

    _same_size_same_mtime(changed, line)
    rewritten, _ = _indexed(tree, cache)
    assert (rewritten.unchanged, rewritten.rehashed) == (files - 1, 0)  # read, and its digest said changed


def test_a_corrupt_index_is_a_miss(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = _report(tree, None, 1)
    _report(tree, cache, 1)
    index = StatIndex(DiskCache(cache).folder, [str(tree)]).file
    assert index.is_file()
    for damage in (b"not json", b'{"schema": 1}', index.read_bytes().replace(b'"x"', b'"y"', 1)):
        index.write_bytes(damage)
        warm, _ = _indexed(tree, cache)
        assert warm.unchanged == 0
        index.write_bytes(damage)
        assert _report(tree, cache, 1) == expected
