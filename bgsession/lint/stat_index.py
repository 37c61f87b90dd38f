"""Which files are unchanged since the last run over the same paths, and what that run concluded of them.

A warm run should cost a stat per file, not a read: one index file per set of linted paths (as ruff
keeps one per package) records each file's (size, mtime_ns, ctime_ns, inode), the digest of its bytes,
the prefilter's verdict, its facts when it was extracted, and the second pass's answers. A file whose
stat matches is not read at all. On a stat mismatch the file is read and its content digest decides:
the same bytes (a `touch`, a checkout, a restored CI cache) keep the facts; other bytes are a miss.
The ctime is part of the stat on purpose: a write that restores size and mtime still moves it, so
only the content digest can let such a file keep its facts.

The index is named by a digest of everything the facts cache key covers (tool version, grammar builds,
extractor code, schema), of the prefilter and runner code that make the verdicts, and of the linted
paths, so a stale index is never read: it is another name, a miss, and pruned with the entries.

It inherits every property of the facts cache (cache.py): it lives in the same private folder; it is
opened without following links, non-blocking, as a regular file, under a size cap; it is JSON checked
field by field (facts through codec.py), anything malformed making the whole index a miss; it is
written to a temporary file and renamed into place (of two racing runs, the last complete write wins);
it is dropped by `DiskCache.prune` like an entry, and holds only the files of its last run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgsession.files import FileError, dumps_json, open_regular, read_descriptor, write_file
from bgsession.lint import codec
from bgsession.lint.budget import Budget
from bgsession.lint.cache import STAT_INDEX_PREFIX, extractor_fingerprint, source_fingerprint
from bgsession.lint.facts import FileFacts
from bgsession.lint.options import LintOptions

if TYPE_CHECKING:
    from bgsession.lint.prefilter import Wanted

# The bytes of every file's record, facts included: 10,000 files with a few hundred extracted are a
# few megabytes.
INDEX_LIMIT = 64 * 1024 * 1024
# Which prefilter and second-pass code made the verdicts and answers the index keeps.
_VERDICT_SOURCES = ("lint/prefilter.py", "lint/runner.py", "lint/stat_index.py")
_DIGEST = re.compile(r"[0-9a-f]{64}")
# What the first pass concluded of a file: extracted (its facts are kept), or left to the second pass.
EXTRACTED = "x"
SKIPPED = "s"
_VERDICTS = frozenset({EXTRACTED, SKIPPED})
# A second pass asks each skipped file one question per run and root; a few answers are plenty.
_MAX_ANSWERS = 8

Stat = tuple[int, int, int, int]


def stat_of(status: os.stat_result) -> Stat:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signature(options: LintOptions, budget: Budget) -> str:
    """What besides the bytes a file's verdict and facts depend on: its options and budget."""
    return f"{options.fingerprint()}|{budget!r}"


def question(wanted: Wanted, holders: set[str]) -> str:
    """One second-pass question (the names wanted and the session holders), as a short digest."""
    text = "\0".join(sorted(wanted.named)) + "\1" + "\0".join(sorted(holders)) + "\2" + "\0".join(sorted(wanted.made))
    text += "\3" + "\0".join(sorted(wanted.defined))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


@cache
def _verdict_fingerprint() -> str:
    return source_fingerprint(_VERDICT_SOURCES, extractor_fingerprint())


@dataclass(slots=True)
class Record:
    stat: Stat
    digest: str
    signature: str
    verdict: str
    # Encoded facts (codec.encode), decoded only when a run uses them; None: never extracted.
    encoded: Any = None
    answers: dict[str, bool] = field(default_factory=dict)

    def facts(self) -> FileFacts | None:
        if self.encoded is None:
            return None
        try:
            return codec.decode(self.encoded)
        except Exception:  # a record that does not decode is a miss, never a crash
            self.encoded = None
            return None


class StatIndex:
    """The records of the last run over `paths`, and the ones this run makes (saved by `save`)."""

    def __init__(self, folder: Path, paths: list[str]) -> None:
        named = "\0".join(sorted(os.path.abspath(path) for path in paths))
        self.key = hashlib.sha256(f"{_verdict_fingerprint()}\0{named}".encode("utf-8", "surrogateescape")).hexdigest()
        self.file = folder / f"{STAT_INDEX_PREFIX}{self.key[:32]}.json"
        self._old: dict[str, Record] = {}
        self._new: dict[str, Record] = {}
        self._changed = False
        self._seen: dict[str, os.stat_result] = {}
        self.unchanged = 0
        self.rehashed = 0

    def load(self) -> None:
        """Read the last run's records; anything unreadable or malformed is an empty index."""
        try:
            descriptor = open_regular(self.file, follow_symlinks=False)
        except (OSError, FileError):
            return
        try:
            data = read_descriptor(descriptor, INDEX_LIMIT, str(self.file))
            with contextlib.suppress(OSError):
                os.utime(descriptor)  # recently used: pruned last
        except (OSError, FileError):
            return
        finally:
            os.close(descriptor)
        try:
            self._old = _records(json.loads(data.decode("utf-8")), self.key)
        except Exception:  # any surprise in the index is a miss, never a crash
            self._old = {}

    def seen(self, statuses: dict[str, os.stat_result]) -> None:
        """Stats the walk already took (discover.py), so that each file is looked at once."""
        self._seen = statuses

    def lookup(self, path: str, sign: str) -> tuple[Record | None, Stat | None]:
        """The record of a file whose stat is the one recorded (None: it must be read), and its stat
        now, taken before it is read (None: it cannot be looked at; the read will say why)."""
        status = self._seen.pop(path, None)
        try:
            now = stat_of(status if status is not None else os.stat(path))
        except (OSError, ValueError):
            return None, None
        record = self._old.get(path)
        if record is not None and record.stat == now and record.signature == sign:
            self._keep(path, record)
            self.unchanged += 1
            return record, now
        return None, now

    def by_content(self, path: str, now: Stat, data: bytes, sign: str) -> tuple[Record | None, str]:
        """The record of a file read again whose bytes are the ones recorded (its stat is updated), and
        the digest of its bytes."""
        digest = content_digest(data)
        record = self._old.get(path)
        if record is not None and record.digest == digest and record.signature == sign and len(data) == now[0]:
            record.stat = now
            self._keep(path, record)
            self._changed = True
            self.rehashed += 1
            return record, digest
        return None, digest

    def remember(self, path: str, now: Stat, digest: str, sign: str, verdict: str, facts: FileFacts | None) -> None:
        """What this run concluded of a file it read (facts: when it was extracted and may be kept)."""
        self._new[path] = Record(now, digest, sign, verdict, None if facts is None else codec.encode(facts))
        self._changed = True

    def keep_facts(self, path: str, facts: FileFacts) -> None:
        """The facts of a skipped file the second pass extracted (kept as extraction made them)."""
        record = self._new.get(path)
        if record is not None and facts.skipped is None:
            record.encoded = codec.encode(facts._replace(auxiliary=False))
            self._changed = True

    def facts_of(self, path: str) -> FileFacts | None:
        """The facts this run's record of the file holds (from the last run, or extracted in this one)."""
        record = self._new.get(path)
        return None if record is None else record.facts()

    def answer(self, path: str, asked: str) -> bool | None:
        record = self._new.get(path)
        return None if record is None else record.answers.get(asked)

    def give_answer(self, path: str, asked: str, answer: bool) -> None:
        record = self._new.get(path)
        if record is not None and record.answers.get(asked) != answer:
            if len(record.answers) >= _MAX_ANSWERS:
                record.answers.clear()
            record.answers[asked] = answer
            self._changed = True

    def _keep(self, path: str, record: Record) -> None:
        self._new[path] = record

    def save(self) -> None:
        """Write this run's records when they differ from the last run's: a file of the last run not
        seen in this one (deleted, or no longer included) is dropped. They become the records a next
        run in this process starts from (--fix lints again after writing)."""
        changed = self._changed or self._new.keys() != self._old.keys()
        self._old, self._new, self._changed = self._new, {}, False
        if changed:
            self._write(self._old)

    def _write(self, records: dict[str, Record]) -> None:
        document = {
            "schema": codec.SCHEMA,
            "key": self.key,
            "files": {
                path: [*record.stat, record.digest, record.signature, record.verdict, record.encoded, record.answers]
                for path, record in records.items()
            },
        }
        text = dumps_json(document, indent=None)
        if len(text) > INDEX_LIMIT:
            return  # it would be refused when read: better not written
        with contextlib.suppress(OSError, FileError):
            write_file(self.file, text, what="cache index", private=True)


def _records(document: Any, key: str) -> dict[str, Record]:
    """The records of an index document, checked field by field (facts are checked when decoded)."""
    if not isinstance(document, dict) or document.get("schema") != codec.SCHEMA or document.get("key") != key:
        return {}
    files = document.get("files")
    if not isinstance(files, dict):
        return {}
    records: dict[str, Record] = {}
    for path, fields in files.items():
        if not isinstance(fields, list) or len(fields) != 9:
            return {}
        size, mtime, ctime, inode, digest, sign, verdict, encoded, answers = fields
        numbers = (size, mtime, ctime, inode)
        if not all(type(number) is int and number >= 0 for number in numbers):
            return {}
        if not (isinstance(digest, str) and _DIGEST.fullmatch(digest)) or not isinstance(sign, str):
            return {}
        if verdict not in _VERDICTS or not isinstance(answers, dict):
            return {}
        if not all(isinstance(asked, str) and type(value) is bool for asked, value in answers.items()):
            return {}
        if encoded is not None and not isinstance(encoded, list):
            return {}
        records[path] = Record((size, mtime, ctime, inode), digest, sign, verdict, encoded, dict(answers))
    return records
