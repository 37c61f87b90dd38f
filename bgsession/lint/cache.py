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
from importlib import metadata
from pathlib import Path
from typing import Protocol

from bgsession import __version__
from bgsession.lint.facts import FileFacts

CACHE_DIR_ENV = "BGSESSION_CACHE_DIR"
_SCHEMA = 1
_PACKAGE = Path(__file__).resolve().parent.parent


class FactsCache(Protocol):
    def get(self, key: str) -> FileFacts | None: ...

    def put(self, key: str, facts: FileFacts) -> None: ...


@cache
def extractor_fingerprint() -> str:
    """What facts depend on besides the file: versions, and the extraction code and queries themselves."""
    digest = hashlib.sha256(f"{_SCHEMA}\0{__version__}".encode())
    for distribution in ("tree-sitter", "tree-sitter-swift", "tree-sitter-objc"):
        try:
            digest.update(f"\0{distribution}={metadata.version(distribution)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{distribution}=?".encode())
    sources = sorted(
        path
        for folder in ("lint", "grammars")
        for path in (_PACKAGE / folder).rglob("*")
        if path.suffix in (".py", ".scm") and "rules" not in path.relative_to(_PACKAGE).parts
    )
    for path in sources:
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
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

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> FileFacts | None:
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
            reason = error.strerror or str(error)
            self.problem = f"the facts cache in {self.folder} cannot be written ({reason}); linting without it"


def default_cache_dir() -> Path:
    """BGSESSION_CACHE_DIR, else the user cache directory of the platform (~/.cache/bgsession on Linux)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("bgsession", appauthor=False))
