"""Parsed Xcode project tables kept in the facts cache: the same targets as a fresh parse, and an entry
that is not a table of strings, lists and dictionaries (or not for these bytes) is a miss."""

from __future__ import annotations

import json
from pathlib import Path

from bgsession.lint.cache import DiskCache, _table_key
from bgsession.lint.targets import build_map
from bgsession.lint.targets.xcode import parse_pbxproj

DATA = Path(__file__).resolve().parent.parent / "targets" / "data"
PBXPROJ = DATA / "appext" / "App.xcodeproj" / "project.pbxproj"


def _cache(tmp_path: Path) -> DiskCache:
    cache = DiskCache(tmp_path / "cache")
    cache.probe()
    assert cache.problem is None
    return cache


def test_a_kept_table_gives_the_same_targets(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    fresh = build_map(str(DATA / "appext"))
    assert build_map(str(DATA / "appext"), cache) == fresh  # parses and keeps the tables
    assert cache.project_table(PBXPROJ.read_bytes()) is not None
    assert build_map(str(DATA / "appext"), _cache(tmp_path)) == fresh  # from the kept tables


def test_a_forged_or_foreign_table_is_a_miss(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    data = PBXPROJ.read_bytes()
    table = parse_pbxproj(data, str(PBXPROJ), cache)
    assert isinstance(table, dict) and cache.project_table(data) == table
    entry = cache._entry(_table_key(data))
    document = json.loads(entry.read_text())
    forged = [
        {**document, "table": {"x": {"isa": 1}}},  # a number where the parser makes strings
        {**document, "table": {"x": ["not", "an", "object"]}},
        {**document, "table": "not a table"},
        {**document, "key": "0" * 64},  # another file's entry copied here
        {**document, "schema": "pbxproj-0"},
    ]
    for variant in forged:
        entry.write_text(json.dumps(variant))
        assert _cache(tmp_path).project_table(data) is None, variant
    assert _cache(tmp_path).project_table(data + b"\n") is None  # other bytes, another key
