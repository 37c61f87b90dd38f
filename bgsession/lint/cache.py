"""Per-file facts, cached by what they depend on: the file's path and bytes, and the extractor itself.

A key hashes the file's path and content with the tool's version, the grammar wheels' versions, a
digest of the extraction code and queries, and the facts' schema (codec.py), so a changed grammar or
a development build never reads stale facts.

A cache is data owned by one user, and never crosses a trust boundary:
- entries are JSON, checked field by field against the facts' types (codec.py); anything else, an
  entry for another key or schema, or one over the size cap, is a miss. Nothing is ever unpickled.
- the folder is created 0700; one owned by another user, or writable by group or others, is refused
  with one warning and the run goes on without a cache (someone else could plant entries there).
- entries are opened non-blocking, without following links, and must be regular files (a FIFO planted
  as an entry must not hang the run).
- entries are written to a temporary file and renamed into place: two runs racing on one entry both
  write a complete file and the last rename wins.
- the cache is bounded: `prune` drops entries older than MAX_AGE, then the least recently used until
  the total is under MAX_BYTES; `index.json` records when that last ran and the totals it found.
- the stat index of a set of linted paths (stat_index.py), which lets a warm run skip reading unchanged
  files, lives in the same folder under the same rules, and is pruned with the entries.
- parsed Xcode project tables are entries too, keyed by the digest of the project file's bytes and
  the parser's build, and checked to hold only strings, lists and dictionaries before use.
A restored CI cache written by another job (say, a pull request's) can still hold well-formed but
forged facts: the README says not to share a cache across a trust boundary.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import time
from functools import cache
from pathlib import Path
from typing import Protocol, cast

from bgsession import __version__
from bgsession.files import (
    FileError,
    dumps_json,
    open_regular,
    parsing,
    private_folder,
    read_bytes,
    read_descriptor,
    write_file,
)
from bgsession.lint import codec
from bgsession.lint.facts import FileFacts

CACHE_DIR_ENV = "BGSESSION_CACHE_DIR"
# 2: suppressions hold the words as written (the catalog is consulted when they are applied).
# 3: the extraction code moved into lint/extract/ and lint/ir/; entries are JSON, checked field by field.
# 4: stored-handler calls through map/forEach/loops over pairs and block enumerations; finish-events paths;
#    a configuration records the value and place of its sharedContainerIdentifier; invalidations.
# 5: configurations bound with a default alternative, cancel-only sessions, instantiations' owners;
#    facts record the byte ranges that fixes edit (ConfigFact.factory/argument, HandlerCall.site, ...).
_SCHEMA = 6
# An entry is a few kilobytes; the largest real file's facts are well under a megabyte.
ENTRY_LIMIT = 8 * 1024 * 1024
MAX_BYTES = 256 * 1024 * 1024
MAX_AGE = 30 * 24 * 3600
# The stat indexes (stat_index.py) sit beside the entries' buckets and are pruned with them.
STAT_INDEX_PREFIX = "stat-"
# How often a run looks at the whole folder to prune it (every run stores its new entries).
PRUNE_EVERY = 24 * 3600
_PACKAGE = Path(__file__).resolve().parent.parent
# Exactly the code a file's facts depend on: decoding (sources.py), extraction, the IR analyses, the
# fact types, options and budgets, the grammars and queries. Rules, the project stage and the catalog
# are left out on purpose: facts never hold a verdict of theirs, so changing them must not invalidate
# the cache.
_FACT_SOURCES = (
    "sources.py",
    "lint/extract",
    "lint/ir",
    "lint/facts.py",
    "lint/options.py",
    "lint/budget.py",
    "lint/codec.py",
    "grammars",
)


class FactsCache(Protocol):
    def get(self, key: str) -> FileFacts | None: ...

    def put(self, key: str, facts: FileFacts) -> None: ...


@cache
def extractor_fingerprint() -> str:
    """What facts depend on besides the file: the tool's version, the extraction code and queries, and
    the tree-sitter and grammar builds. Files are identified by path, size and modification time, which
    any reinstall or edit changes, so no file is read here and no package metadata is imported."""
    from importlib.util import find_spec

    # find_spec locates the packages without importing them (the grammar not in use stays unloaded).
    specs = [find_spec(name) for name in ("tree_sitter", "tree_sitter_swift", "tree_sitter_objc")]
    builds = [Path(folder) for spec in specs if spec is not None for folder in spec.submodule_search_locations or []]
    binaries = [str(path) for folder in builds for path in folder.glob("*.so")]
    return source_fingerprint(_FACT_SOURCES, f"{_SCHEMA}\0{codec.SCHEMA}\0{__version__}", binaries)


def source_fingerprint(parts: tuple[str, ...], base: str, extra: list[str] | None = None) -> str:
    """A digest of `base` and the path, size and modification time of the package's files and folders
    `parts` (their .py and .scm files) and of the files `extra`."""
    digest = hashlib.sha256(base.encode())
    sources = sorted(
        path
        for part in parts
        for path in ((_PACKAGE / part).rglob("*") if (_PACKAGE / part).is_dir() else [_PACKAGE / part])
        if path.suffix in (".py", ".scm")
    )
    for path in [*sources, *sorted(Path(name) for name in extra or [])]:
        status = path.stat()
        digest.update(f"\0{path}\0{status.st_size}\0{status.st_mtime_ns}".encode())
    return digest.hexdigest()


def cache_key(path: str, source: bytes, options: str = "") -> str:
    digest = hashlib.sha256(extractor_fingerprint().encode())
    digest.update(b"\0" + options.encode("utf-8"))
    digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(source)
    return digest.hexdigest()


class MemoryCache:
    """A cache for one process: the agreement tests lint thousands of projects that share files."""

    def __init__(self) -> None:
        self._entries: dict[str, FileFacts] = {}
        self._tables: dict[bytes, dict[str, dict[str, object]]] = {}

    def project_table(self, data: bytes) -> dict[str, dict[str, object]] | None:
        return self._tables.get(data)

    def keep_project_table(self, data: bytes, table: dict[str, dict[str, object]]) -> None:
        self._tables[data] = table

    def get(self, key: str) -> FileFacts | None:
        return self._entries.get(key)

    def put(self, key: str, facts: FileFacts) -> None:
        self._entries[key] = facts


class DiskCache:
    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.folder = folder / f"facts-{_SCHEMA}"
        self.problem: str | None = None
        self.hits = 0
        self.misses = 0
        self.stored = 0

    def probe(self) -> None:
        """Find out once, before any worker starts, whether this folder can be trusted and written."""
        for folder in (self.root, self.folder):
            reason = private_folder(folder)
            if reason is not None:
                self.problem = f"the facts cache cannot be used: {reason}; linting without it"
                return
        try:
            # A name of its own: runs racing on one cache each probe, and a shared name made one
            # run's unlink fail after another's (the racing-runs test, under load).
            probe = self.folder / f".probe-{os.getpid()}-{secrets.token_hex(4)}"
            write_file(probe, b"", what="cache entry", private=True)
            os.unlink(probe)
        except (OSError, FileError) as error:
            self._give_up(str(error))

    def _give_up(self, reason: str) -> None:
        self.problem = f"the facts cache in {self.folder} cannot be written ({reason}); linting without it"

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> FileFacts | None:
        if self.problem is not None:
            return None
        facts = self._load(key)
        if facts is None:
            self.misses += 1
        else:
            self.hits += 1
        return facts

    def _load(self, key: str) -> FileFacts | None:
        document = self._document(key, codec.SCHEMA)
        if document is None:
            return None
        try:
            return codec.decode(document.get("facts"))
        except Exception:  # any surprise in a cache entry is a miss, never a crash
            return None

    def _document(self, key: str, schema: str) -> dict[str, object] | None:
        """The JSON document of an entry, when it is one for `key` and `schema`."""
        entry = self._entry(key)
        try:
            descriptor = open_regular(entry, follow_symlinks=False)
        except (OSError, FileError):
            return None
        try:
            data = read_descriptor(descriptor, ENTRY_LIMIT, str(entry))
            with contextlib.suppress(OSError):
                os.utime(descriptor)  # recently used: pruned last
        except (OSError, FileError):
            return None
        finally:
            os.close(descriptor)
        try:
            document = parsing(entry, lambda: json.loads(data.decode("utf-8")), "cache entry")
        except Exception:  # any surprise in a cache entry is a miss, never a crash
            return None
        if not isinstance(document, dict) or document.get("schema") != schema or document.get("key") != key:
            return None
        return document

    def project_table(self, data: bytes) -> dict[str, dict[str, object]] | None:
        """A project file's parsed `objects` table (targets/xcode.py), kept by the digest of its bytes."""
        if self.problem is not None:
            return None
        document = self._document(_table_key(data), _TABLE_SCHEMA)
        table = document.get("table") if document is not None else None
        return table if _is_table(table) else None  # type: ignore[return-value]

    def keep_project_table(self, data: bytes, table: dict[str, dict[str, object]]) -> None:
        self._store(_table_key(data), {"schema": _TABLE_SCHEMA, "key": _table_key(data), "table": table})

    def put(self, key: str, facts: FileFacts) -> None:
        self._store(key, {"schema": codec.SCHEMA, "key": key, "facts": codec.encode(facts)})

    def _store(self, key: str, document: dict[str, object]) -> None:
        if self.problem is not None:
            return
        entry = self._entry(key)
        try:
            text = dumps_json(document, indent=None)
            if len(text) > ENTRY_LIMIT:
                return  # it would be refused when read
            if not entry.parent.is_dir():
                entry.parent.mkdir(mode=0o700, exist_ok=True)
            write_file(entry, text, what="cache entry", private=True)
            self.stored += 1
        except (OSError, FileError) as error:
            self._give_up(getattr(error, "strerror", None) or str(error))

    def prune(self, max_bytes: int = MAX_BYTES, max_age: float = MAX_AGE, *, force: bool = False) -> int:
        """Bound the cache: drop entries older than `max_age`, then the least recently used until the
        total is under `max_bytes`. Runs when this run stored entries and the last prune is older than
        PRUNE_EVERY (or with `force`); returns how many entries were removed."""
        if self.problem is not None or not (force or self.stored):
            return 0
        index = self.folder / "index.json"
        now = time.time()
        if not force:
            try:
                last = json.loads(read_bytes(index, limit=4096, what="cache index")).get("pruned", 0)
            except (FileError, ValueError, AttributeError):
                last = 0
            if isinstance(last, int | float) and now - last < PRUNE_EVERY:
                return 0
        entries: list[tuple[float, int, str]] = []
        with contextlib.suppress(OSError):
            for bucket in os.scandir(self.folder):
                if bucket.name.startswith(STAT_INDEX_PREFIX) and bucket.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        status = bucket.stat(follow_symlinks=False)
                        entries.append((status.st_mtime, status.st_size, bucket.path))
                    continue
                if not bucket.is_dir(follow_symlinks=False):
                    continue
                with contextlib.suppress(OSError), os.scandir(bucket.path) as names:
                    for name in names:
                        with contextlib.suppress(OSError):
                            status = name.stat(follow_symlinks=False)
                            entries.append((status.st_mtime, status.st_size, name.path))
        entries.sort()
        total = sum(size for _, size, _ in entries)
        removed = 0
        for mtime, size, path in entries:
            if now - mtime <= max_age and total <= max_bytes:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
                total -= size
        summary = {"schema": codec.SCHEMA, "pruned": now, "entries": len(entries) - removed, "bytes": total}
        with contextlib.suppress(OSError, FileError):
            write_file(index, dumps_json(summary) + "\n", what="cache index", private=True)
        return removed


# A parsed project table: a dict of objects, each a dict whose values are strings, lists and dicts of
# them (what the OpenStep parser makes), checked before use.
_TABLE_SCHEMA = "pbxproj-1"


@cache
def _parser_build() -> str:
    import openstep_parser

    status = Path(openstep_parser.__file__ or "").stat()
    return f"{status.st_size}:{status.st_mtime_ns}"


def _table_key(data: bytes) -> str:
    digest = hashlib.sha256(f"{_TABLE_SCHEMA}\0{_parser_build()}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def _is_table(value: object) -> bool:
    """A dict of dicts whose values are strings, and lists and dicts of them: what the OpenStep parser
    makes. Iterative with exact type checks (JSON object keys are always strings): a large app's
    tables hold a hundred thousand values, and this runs on every warm run."""
    if type(value) is not dict or not all(type(item) is dict for item in value.values()):
        return False
    pending: list[object] = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(cast("dict[str, object]", item).values())
        elif kind is list:
            pending.extend(cast("list[object]", item))
        elif kind is not str:
            return False
    return True


def default_cache_dir() -> Path:
    """BGSESSION_CACHE_DIR, else the user cache directory of the platform (~/.cache/bgsession on Linux)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("bgsession", appauthor=False))
