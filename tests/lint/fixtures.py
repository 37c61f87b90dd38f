"""Fixture cases and their strict inline expectations.

A case is a file `bad_*.swift|m|h` / `good_*...` in `tests/fixtures/<CODE>/`, or a folder `bad_*` / `good_*`
holding several files (cross-file facts, app extensions with an Info.plist). An annotation is a comment on
the line before the line it speaks about:

    // ruleid: BGS013     the rule reports this line
    // ok: BGS013         the rule must not report this line (a near miss worth documenting)

Any other keyword, an unknown code, or a malformed annotation fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bgsession.lint.rules import RULES_BY_CODE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCE_SUFFIXES = {".swift", ".m", ".mm", ".h"}
_ANNOTATION = re.compile(r"^\s*//\s*(?P<keyword>[A-Za-z][\w-]*)\s*:\s*(?P<code>BGS\d{3})\s*$")
_LOOKS_LIKE = re.compile(r"//.*\b(BGS\d{3})\b|//\s*(ruleid|ok)\b", re.IGNORECASE)


class AnnotationError(Exception):
    pass


@dataclass(frozen=True)
class Expectation:
    path: str
    line: int
    code: str
    keyword: str


@dataclass(frozen=True)
class Case:
    code: str
    path: Path
    kind: str  # "bad" or "good"

    @property
    def languages(self) -> set[str]:
        return {("swift" if p.suffix == ".swift" else "objc") for p in self.sources()}

    def sources(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.rglob("*") if p.suffix in SOURCE_SUFFIXES)
        return [self.path]

    @property
    def id(self) -> str:
        return f"{self.code}/{self.path.name}"


def cases() -> list[Case]:
    found = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for entry in sorted(folder.iterdir()):
            kind = entry.name.split("_", 1)[0]
            if kind in ("bad", "good") and (entry.is_dir() or entry.suffix in SOURCE_SUFFIXES):
                found.append(Case(folder.name, entry, kind))
    return found


def expectations(case: Case) -> list[Expectation]:
    result = []
    for source in case.sources():
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            match = _ANNOTATION.match(line)
            if match is None:
                if _LOOKS_LIKE.search(line) and "bgsession:" not in line:
                    raise AnnotationError(f"{source}:{number}: malformed annotation: {line.strip()}")
                continue
            keyword, code = match.group("keyword"), match.group("code")
            if keyword not in ("ruleid", "ok"):
                raise AnnotationError(f"{source}:{number}: unknown annotation keyword {keyword!r}")
            if code not in RULES_BY_CODE:
                raise AnnotationError(f"{source}:{number}: unknown rule code {code}")
            result.append(Expectation(str(source), number + 1, code, keyword))
    return result
