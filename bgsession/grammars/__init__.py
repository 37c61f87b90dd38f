"""The language registry: file extension -> tree-sitter language, parser and compiled queries.

Grammars and queries load lazily, once per process, and only for languages actually present:
compiling a query is the main start-up cost (DESIGN.md, "Grammar facts").
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from pathlib import Path, PurePath

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree


class SourceLanguage(Enum):
    SWIFT = "swift"
    OBJC = "objc"


# Headers (.h) are parsed as Objective-C: in an iOS project they declare Objective-C classes and
# constants far more often than C++. A header the Objective-C grammar cannot parse is reported as
# BGS000 like any other file, and its other facts are still used.
EXTENSIONS = {
    ".swift": SourceLanguage.SWIFT,
    ".m": SourceLanguage.OBJC,
    ".mm": SourceLanguage.OBJC,
    ".h": SourceLanguage.OBJC,
}


def language_of(path: str | PurePath) -> SourceLanguage | None:
    return EXTENSIONS.get(PurePath(path).suffix.lower())


@cache
def tree_sitter_language(language: SourceLanguage) -> Language:
    if language is SourceLanguage.SWIFT:
        import tree_sitter_swift

        return Language(tree_sitter_swift.language())
    import tree_sitter_objc

    return Language(tree_sitter_objc.language())


@cache
def parser(language: SourceLanguage) -> Parser:
    return Parser(tree_sitter_language(language))


def prepare(language: SourceLanguage, source: bytes) -> bytes:
    """The bytes tree-sitter should see, same length and offsets as `source`: Objective-C with one
    branch of each preprocessor conditional and its annotation macros blanked, Swift with the
    constructs the grammar misreads rewritten."""
    # Each language's preparation is imported when a file of it is first seen: a Swift-only run
    # (an editor linting one file) never pays for the Objective-C macro tables.
    if language is SourceLanguage.OBJC:
        from bgsession.grammars.objc_macros import blank_macros
        from bgsession.grammars.objc_preprocessor import preprocess

        return blank_macros(preprocess(source))
    from bgsession.grammars.swift_fixups import fix_up

    return fix_up(source)


def parse(language: SourceLanguage, source: bytes) -> Tree:
    """Parse `source` as the linter does (prepared, same byte offsets as the original)."""
    return parser(language).parse(prepare(language, source))


QUERY_FILES = {
    SourceLanguage.SWIFT: ("sessions", "tasks", "declarations", "app"),
    SourceLanguage.OBJC: ("sessions", "tasks", "declarations", "app"),
}


# The queries ship as files beside this module (the wheel installs them unzipped): read directly, as
# importlib.resources would pull in tempfile, shutil and zipfile on every start.
_QUERIES = Path(__file__).resolve().parent


def query_text(language: SourceLanguage, name: str) -> str:
    return (_QUERIES / language.value / f"{name}.scm").read_text(encoding="utf-8")


@cache
def combined_query(language: SourceLanguage) -> Query:
    """Every concern's patterns in one query: one pass over the tree costs the same as a single pattern."""
    text = "\n".join(query_text(language, name) for name in QUERY_FILES[language])
    return Query(tree_sitter_language(language), text)


# The query engine is superlinear on deep trees (a 70,000-term `a + a + ...` chain, 20,000 nested
# Objective-C message sends: tens of seconds) and its progress callback is never called in the 0.26
# binding, so it cannot be given a deadline. Not starting matches below this depth keeps it linear;
# real code is never nearly this deep, and the bracket-depth check (lint/budget.py) reports files that are.
QUERY_DEPTH = 1_500


def matches(language: SourceLanguage, root: Node) -> list[tuple[int, dict[str, list[Node]]]]:
    """Every match of the language's combined query under `root`, within QUERY_DEPTH."""
    cursor = QueryCursor(combined_query(language))
    cursor.set_max_start_depth(QUERY_DEPTH)
    return cursor.matches(root)


__all__ = [
    "EXTENSIONS",
    "SourceLanguage",
    "Tree",
    "combined_query",
    "language_of",
    "matches",
    "parse",
    "parser",
    "prepare",
    "tree_sitter_language",
]
