"""One file's bytes to its facts: decode, parse, extract. Never raises on bad input."""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Tree

from bgsession.diagnostics import Loc
from bgsession.grammars import SourceLanguage, language_of, parser, prepare
from bgsession.lint import ir
from bgsession.lint.budget import Budget
from bgsession.lint.extract import suppressions
from bgsession.lint.facts import FileFacts
from bgsession.lint.options import LintOptions
from bgsession.sources import normalise


def _read(source: bytes) -> Callable[[int, object], bytes]:
    """The read callback of a deadline-bounded parse: large chunks of `source`."""

    def read(offset: int, _point: object) -> bytes:
        return source[offset : offset + _PARSE_READ]

    return read


_PARSE_READ = 1 << 16


def extract_file(
    path: str, source: bytes, options: LintOptions | None = None, budget: Budget | None = None
) -> FileFacts:
    language = language_of(path)
    if language is None:
        return FileFacts(path, "unknown", read_error="is not a Swift or Objective-C source file")
    budget = budget or Budget()
    over = budget.over(source)
    if over is not None:
        return FileFacts(path, language.value, skipped=over)
    text, fatal, warning = normalise(source)
    if fatal is not None:
        return FileFacts(path, language.value, read_error=f"{path} {fatal}")
    try:
        # Swift's fix-ups rewrite constructs the grammar cannot parse; finding their sites costs about a
        # parse (a tokenizer in Python), so the source is parsed as it is first and rewritten only when
        # that tree has an error, unless it holds a site misread without one. Objective-C is always
        # prepared: its preprocessing picks #if branches.
        later = False
        if language is SourceLanguage.SWIFT:
            from bgsession.grammars.swift_fixups import misparses_silently

            later = not misparses_silently(text)
        prepared = text if later else prepare(language, text)
        try:
            tree = _parse(language, prepared, budget)
            if later and tree.root_node.has_error:
                fixed = prepare(language, text)
                if fixed != text:
                    prepared, tree = fixed, _parse(language, fixed, budget)
        except ValueError:  # "Parsing failed": the deadline cancelled it
            return FileFacts(path, language.value, skipped=budget.timeout_reason(len(text)))
        # Imported on first use, so a run over one language never loads the other's extractor.
        if language is SourceLanguage.SWIFT:
            from bgsession.lint.extract.swift import classify as swift_extract

            facts = swift_extract.extract(path, prepared, tree, options)
        else:
            from bgsession.lint.extract.objc import classify as objc_extract

            facts = objc_extract.extract(path, prepared, tree, options)
    except (RecursionError, MemoryError, UnicodeError, ValueError, LookupError, TypeError, AttributeError) as bug:
        # A bug in the linter must cost one file, not the run; the message asks for a report.
        reason = f"could not be analysed: internal error {type(bug).__name__}: {bug}; please report it"
        return FileFacts(path, language.value, read_error=f"{path} {reason}")
    finally:
        ir.forget_walks()
    if warning is not None:
        facts = facts._replace(read_error=f"{path} {warning}", parse_error=facts.parse_error or Loc(1, 1, 1, 1))
    found = suppressions.parse(text)
    if found:
        facts = facts._replace(suppressions=found)
    return facts


def _parse(language: SourceLanguage, source: bytes, budget: Budget) -> Tree:
    # A read callback, because only that form of parse takes the progress callback that enforces the
    # deadline (tree-sitter 0.25+ has no parse timeout of its own). A tree keeps what it was parsed from,
    # and a tree parsed through a callback reads every node's text back through it, a Python call and a
    # point per chunk (twice the query time, and the binding's path that stalled CI for minutes in one
    # text predicate). Reparsing the bytes with that tree as the old one and no edit reuses every node
    # (5% of the parse on a 20 MB file) and gives a tree that slices its bytes instead.
    tree = parser(language).parse(_read(source), progress_callback=budget.deadline(len(source)))
    return parser(language).parse(source, old_tree=tree)


def unreadable(path: str, reason: str) -> FileFacts:
    language = language_of(path)
    return FileFacts(path, language.value if language else "unknown", read_error=f"{path}: {reason}")
