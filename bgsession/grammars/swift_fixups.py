"""Rewrite the few valid Swift constructs tree-sitter-swift 0.7 cannot parse, keeping every byte offset.

- `()` used as a value (`completion(.success(()))`, `subject.send(())`, `return ()`) becomes `0 `: the
  grammar accepts `()` only as a type or a call. Type positions (`() -> Void`, `Result<(), E>`) and calls
  (`f()`) are left alone.
- `nonisolated(unsafe)` before a local `let` becomes spaces.
- `@available(...)` directly before `#Preview` becomes spaces.
- `/*` inside a string literal becomes `/ `: the grammar's scanner starts a block comment there when it
  follows the opening quote, white space or an interpolation (`"/*"`, `"image /*"`), and swallows the
  code up to the next `*/` without reporting an error.

Comments are left alone, and strings but for `/*`. Facts never depend on the rewritten text.
"""

from __future__ import annotations

import re

_SCANNER = re.compile(
    # An unclosed block comment or multi-line string runs to the end of the file (as the compiler reads
    # it): with `\Z` as a way out the match consumes the rest, where `*?` up to a closing `*/` alone
    # rescanned the rest of the file from every `/*` (8,000 lines of `/*` took seconds).
    rb'(?P<string>"""(?:.|\n)*?(?:"""|\Z)|"(?:\\.|[^"\\\n])*")|//[^\n]*|/\*(?:.|\n)*?(?:\*/|\Z)'
    rb"|(?P<tuple>\(\s*\))|(?P<unsafe>\bnonisolated\s*\(\s*unsafe\s*\))|(?P<available>@available\s*\([^)]*\)\s*(?=#Preview))"
)
_CALL_BEFORE = re.compile(rb"[\w)\]}?!>`]$")
_VALUE_KEYWORD_BEFORE = re.compile(rb"\b(return|in|yield|else|then|try|await)$")
_TYPE_AFTER = re.compile(rb"^\s*(->|throws|rethrows|async|in\b)")


def fix_up(source: bytes) -> bytes:
    if b"()" not in source and b"nonisolated" not in source and b"#Preview" not in source and b"/*" not in source:
        return source
    out = bytearray(source)
    position = 0
    while (found := _SCANNER.search(source, position)) is not None:
        position = found.end()
        if found.group(0).startswith(b"/*"):
            end = _comment_end(source, found)
            if end == -1:
                # Never closed (Swift comments nest): the rest of the file is comment. Blanked, because
                # tree-sitter-swift's scanner rescans to the end from every `/*` inside (quadratic).
                _blank(out, found.start(), len(source))
                break
            position = max(position, end)
        elif found.group("string"):
            opener = source.find(b"/*", found.start(), found.end())
            while opener != -1:
                out[opener + 1] = 0x20
                opener = source.find(b"/*", opener + 2, found.end())
        elif found.group("tuple"):
            if _is_value(source, found.start(), found.end()):
                out[found.start()] = ord("0")
                for index in range(found.start() + 1, found.end()):
                    if out[index] not in b"\r\n":
                        out[index] = 0x20
        elif found.group("unsafe") or found.group("available"):
            _blank(out, found.start(), found.end())
    return bytes(out)


_COMMENT_TOKENS = re.compile(rb"/\*|\*/")


def _comment_end(source: bytes, found: re.Match[bytes]) -> int:
    """Where the block comment matched by `found` ends, nesting as Swift nests, or -1 if it never does."""
    if not found.group(0).endswith(b"*/") or found.end() - found.start() < 4:
        return -1
    if source.find(b"/*", found.start() + 2, found.end() - 2) == -1:
        return found.end()
    depth = 0
    for token in _COMMENT_TOKENS.finditer(source, found.start()):
        depth += 1 if token.group() == b"/*" else -1
        if depth == 0:
            return token.end()
    return -1


def _blank(out: bytearray, start: int, end: int) -> None:
    for index in range(start, end):
        if out[index] not in b"\r\n":
            out[index] = 0x20


def _is_value(source: bytes, start: int, end: int) -> bool:
    before = source[max(0, start - 40) : start].rstrip()
    after = source[end : end + 40]
    if _TYPE_AFTER.match(after):
        return False
    if _VALUE_KEYWORD_BEFORE.search(before):
        return True
    return not _CALL_BEFORE.search(before) and not before.endswith(b"->")
