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
    rb'(?P<string>"""(?:.|\n)*?"""|"(?:\\.|[^"\\\n])*")|//[^\n]*|/\*(?:.|\n)*?\*/'
    rb"|(?P<tuple>\(\s*\))|(?P<unsafe>\bnonisolated\s*\(\s*unsafe\s*\))|(?P<available>@available\s*\([^)]*\)\s*(?=#Preview))"
)
_CALL_BEFORE = re.compile(rb"[\w)\]}?!>`]$")
_VALUE_KEYWORD_BEFORE = re.compile(rb"\b(return|in|yield|else|then|try|await)$")
_TYPE_AFTER = re.compile(rb"^\s*(->|throws|rethrows|async|in\b)")


def fix_up(source: bytes) -> bytes:
    if b"()" not in source and b"nonisolated" not in source and b"#Preview" not in source and b"/*" not in source:
        return source
    out = bytearray(source)
    for found in _SCANNER.finditer(source):
        if found.group("string"):
            position = source.find(b"/*", found.start(), found.end())
            while position != -1:
                out[position + 1] = 0x20
                position = source.find(b"/*", position + 2, found.end())
        elif found.group("tuple"):
            if _is_value(source, found.start(), found.end()):
                out[found.start()] = ord("0")
                for index in range(found.start() + 1, found.end()):
                    if out[index] not in b"\r\n":
                        out[index] = 0x20
        elif found.group("unsafe") or found.group("available"):
            for index in range(found.start(), found.end()):
                if out[index] not in b"\r\n":
                    out[index] = 0x20
    return bytes(out)


def _is_value(source: bytes, start: int, end: int) -> bool:
    before = source[max(0, start - 40) : start].rstrip()
    after = source[end : end + 40]
    if _TYPE_AFTER.match(after):
        return False
    if _VALUE_KEYWORD_BEFORE.search(before):
        return True
    return not _CALL_BEFORE.search(before) and not before.endswith(b"->")
