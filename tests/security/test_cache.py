"""Items 1 and 20: the facts cache is data owned by one user, and bounded.

redteam/01: pickled payloads in the cache ran code as the next user; a FIFO entry hung the run.
redteam/20: every editor lint of a buffer left an entry, never pruned.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import threading
import time
from pathlib import Path

import pytest

from bgsession.lint import codec
from bgsession.lint.cache import _SCHEMA as SCHEMA
from bgsession.lint.cache import CACHE_DIR_ENV, DiskCache, cache_key
from bgsession.lint.extract import extract_file
from bgsession.lint.facts import FileFacts
from bgsession.lint.options import LintOptions
from bgsession.lint.runner import LintRequest, lint

from .helpers import FINDING, bad_swift, run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"echo PWNED > {self.marker}",))


def _entries(cache_dir: Path) -> list[Path]:
    return [path for path in cache_dir.rglob("*.json") if path.name != "index.json"]


def test_pickled_payloads_in_every_entry_run_nothing(tmp_path: Path) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    env = {CACHE_DIR_ENV: str(tmp_path / "cache")}
    first = run("lint", tmp_path / "repo", env=env)
    entries = _entries(tmp_path / "cache")
    assert entries, "the first run should fill the cache"
    marker = tmp_path / "pwned.txt"
    for entry in entries:
        entry.write_bytes(pickle.dumps(Payload(marker)))
    again = run("lint", tmp_path / "repo", env=env)
    assert not marker.exists(), "a cache entry ran code"
    assert again.stdout == first.stdout and FINDING in again.stdout and again.returncode == 1


def test_entries_are_json_checked_field_by_field(tmp_path: Path) -> None:
    path = str(bad_swift(tmp_path / "Uploader.swift"))
    data = Path(path).read_bytes()
    key = cache_key(path, data, LintOptions().fingerprint())
    cache = DiskCache(tmp_path / "cache")
    cache.probe()
    cache.put(key, extract_file(path, data))
    entry = _entries(tmp_path / "cache")[0]
    document = json.loads(entry.read_text(encoding="utf-8"))
    assert document["schema"] == codec.SCHEMA and document["key"] == key
    # Wrong types, wrong shapes, another key's entry, another schema: each is a miss, never a crash.
    variants = [
        {**document, "facts": [*document["facts"][:2], "not a tuple", *document["facts"][3:]]},
        {**document, "facts": document["facts"][:-1]},
        {**document, "key": "0" * 64},
        {**document, "schema": "old"},
        ["not", "an", "object"],
    ]
    for variant in variants:
        entry.write_text(json.dumps(variant), encoding="utf-8")
        assert DiskCache(tmp_path / "cache").get(key) is None, variant
    entry.write_bytes(b"[" * 100_000)  # nested past the recursion limit
    assert DiskCache(tmp_path / "cache").get(key) is None


def test_an_entry_copied_to_another_key_is_a_miss(tmp_path: Path) -> None:
    # The red team's forged entry (empty facts under a real file's key) needs write access to the
    # cache folder, which the ownership check denies to other users; an entry moved to a key it was
    # not written for is detected.
    cache = DiskCache(tmp_path / "cache")
    cache.probe()
    cache.put("a" * 64, FileFacts("A.swift", "swift"))
    (tmp_path / "cache" / f"facts-{SCHEMA}" / "bb").mkdir(mode=0o700)
    os.replace(_entries(tmp_path / "cache")[0], tmp_path / "cache" / f"facts-{SCHEMA}" / "bb" / f"{'b' * 64}.json")
    assert DiskCache(tmp_path / "cache").get("b" * 64) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_fifo_or_a_link_in_place_of_an_entry_is_a_miss(tmp_path: Path) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    env = {CACHE_DIR_ENV: str(tmp_path / "cache")}
    expected = run("lint", "--no-cache", tmp_path / "repo", env=env).stdout
    run("lint", tmp_path / "repo", env=env)
    entry = _entries(tmp_path / "cache")[0]
    entry.unlink()
    os.mkfifo(entry)
    done = run("lint", tmp_path / "repo", env=env, timeout=20)
    assert done.stdout == expected
    entry.unlink()
    (tmp_path / "secret").write_text("{}", encoding="utf-8")
    entry.symlink_to(tmp_path / "secret")
    assert run("lint", tmp_path / "repo", env=env, timeout=20).stdout == expected


def test_the_folder_is_private(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "new" / "cache")
    cache.probe()
    assert cache.problem is None
    for folder in (tmp_path / "new" / "cache", cache.folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o777, 0o1777])
def test_a_folder_others_can_write_is_refused_with_one_warning(tmp_path: Path, mode: int) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    done = run("lint", tmp_path / "repo", env={CACHE_DIR_ENV: str(shared)})
    assert FINDING in done.stdout and done.returncode == 1
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "writable by other users" in warnings[0], done.stderr
    assert not _entries(shared)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_folder_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    other = tmp_path / "other"
    other.mkdir(mode=0o700)
    os.chown(other, 65534, 65534)
    done = run("lint", tmp_path / "repo", env={CACHE_DIR_ENV: str(other)})
    assert FINDING in done.stdout
    assert done.stderr.count("owned by another user") == 1, done.stderr
    assert not _entries(other)


def test_facts_of_every_fixture_round_trip_through_json() -> None:
    count = 0
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in (".swift", ".m", ".mm", ".h"):
            facts = extract_file(str(path), path.read_bytes())
            assert codec.decode(json.loads(json.dumps(codec.encode(facts)))) == facts, path
            count += 1
    assert count > 100


def test_editor_buffers_are_not_cached(tmp_path: Path) -> None:
    source = bad_swift(tmp_path / "repo" / "Uploader.swift").read_text(encoding="utf-8")
    env = {CACHE_DIR_ENV: str(tmp_path / "cache")}
    for edit in range(3):
        overrides = {str(tmp_path / "repo" / "Uploader.swift"): (source + f"// edit {edit}\n").encode()}
        cache = DiskCache(tmp_path / "cache")
        cache.probe()
        result = lint(LintRequest(paths=[], overrides=overrides, cache=cache))
        assert any(d.code == "BGS003" for d in result.diagnostics)
    assert not _entries(tmp_path / "cache")
    assert run("lint", "--stdin", "--stdin-filename", "x.swift", env=env).returncode == 0


def test_pruning_bounds_size_and_age(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "cache")
    cache.probe()
    for index in range(200):
        cache.put(f"{index:064x}", FileFacts(f"F{index}.swift", "swift"))
    sizes = sum(path.stat().st_size for path in _entries(tmp_path / "cache"))
    assert len(_entries(tmp_path / "cache")) == 200
    removed = cache.prune(max_bytes=sizes // 4, force=True)
    assert removed >= 150
    assert sum(path.stat().st_size for path in _entries(tmp_path / "cache")) <= sizes // 4
    old = time.time() - 90 * 24 * 3600
    for entry in _entries(tmp_path / "cache"):
        os.utime(entry, (old, old))
    cache.prune(force=True)
    assert not _entries(tmp_path / "cache")
    index = json.loads((cache.folder / "index.json").read_text(encoding="utf-8"))
    assert index["entries"] == 0 and index["bytes"] == 0


def test_racing_writers_and_a_reader_agree(tmp_path: Path) -> None:
    # Held: concurrent runs sharing one cache agree (also in tests/lint/test_parallel_and_cache.py).
    facts = FileFacts("A.swift", "swift", imports=frozenset({"Foundation"}))
    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            cache = DiskCache(tmp_path / "cache")
            cache.probe()
            for _ in range(50):
                cache.put("c" * 64, facts)
                found = cache.get("c" * 64)
                assert found in (None, facts)
        except BaseException as problem:
            errors.append(problem)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert not list((tmp_path / "cache").rglob("*.tmp"))
