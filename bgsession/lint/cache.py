"""Per-file facts, cached by what they depend on: the file's path and bytes, and the extractor itself.

A key hashes the file's path and content with the tool's version, the grammar wheels' versions and a
digest of the extraction code and queries, so a changed grammar or a development build never reads
stale facts. Entries are pickles written to a temporary file and renamed into place: two runs racing
on one entry both write a complete file and the last rename wins. A cache directory that cannot be
created or written is reported once and then ignored; a corrupt entry is treated as a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Protocol

from bgsession import __version__
from bgsession.lint.facts import FileFacts

CACHE_DIR_ENV = "BGSESSION_CACHE_DIR"
# 2: suppressions hold the words as written (the catalog is consulted when they are applied).
# 3: the extraction code moved into lint/extract/ and lint/ir/.
_SCHEMA = 3
_PACKAGE = Path(__file__).resolve().parent.parent
# Exactly the code a file's facts depend on: extraction, the IR analyses, the fact types and options,
# the grammars and queries. Rules, the project stage and the catalog are left out on purpose: facts
# never hold a verdict of theirs, so changing them must not invalidate the cache.
_FACT_SOURCES = ("lint/extract", "lint/ir", "lint/facts.py", "lint/options.py", "grammars")


class FactsCache(Protocol):
    def get(self, key: str) -> FileFacts | None: ...

    def put(self, key: str, facts: FileFacts) -> None: ...


@cache
def extractor_fingerprint() -> str:
    """What facts depend on besides the file: the tool's version, the extraction code and queries, and
    the tree-sitter and grammar builds. Files are identified by path, size and modification time, which
    any reinstall or edit changes, so no file is read here and no package metadata is imported."""
    from importlib.util import find_spec

    digest = hashlib.sha256(f"{_SCHEMA}\0{__version__}".encode())
    sources = sorted(
        path
        for part in _FACT_SOURCES
        for path in ((_PACKAGE / part).rglob("*") if (_PACKAGE / part).is_dir() else [_PACKAGE / part])
        if path.suffix in (".py", ".scm")
    )
    # find_spec locates the packages without importing them (the grammar not in use stays unloaded).
    specs = [find_spec(name) for name in ("tree_sitter", "tree_sitter_swift", "tree_sitter_objc")]
    builds = [Path(folder) for spec in specs if spec is not None for folder in spec.submodule_search_locations or []]
    binaries = sorted(path for folder in builds for path in folder.glob("*.so"))
    for path in [*sources, *binaries]:
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

    def get(self, key: str) -> FileFacts | None:
        return self._entries.get(key)

    def put(self, key: str, facts: FileFacts) -> None:
        self._entries[key] = facts


class DiskCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder / f"facts-{_SCHEMA}"
        self.problem: str | None = None
        self.hits = 0
        self.misses = 0

    def probe(self) -> None:
        """Find out once, before any worker starts, whether entries can be written here."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".probe-")
            os.close(handle)
            os.unlink(temporary)
        except OSError as error:
            self._give_up(error)

    def _give_up(self, error: OSError) -> None:
        reason = error.strerror or str(error)
        self.problem = f"the facts cache in {self.folder} cannot be written ({reason}); linting without it"

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> FileFacts | None:
        if self.problem is not None:
            return None
        try:
            with open(self._entry(key), "rb") as stream:
                facts = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += 1
            return None
        if not isinstance(facts, FileFacts):
            self.misses += 1
            return None
        self.hits += 1
        return facts

    def put(self, key: str, facts: FileFacts) -> None:
        if self.problem is not None:
            return
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pickle")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump(facts, stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, entry)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            self._give_up(error)


def default_cache_dir() -> Path:
    """BGSESSION_CACHE_DIR, else the user cache directory of the platform (~/.cache/bgsession on Linux)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("bgsession", appauthor=False))
