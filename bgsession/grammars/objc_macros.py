"""Blank the annotation macros the Objective-C grammar cannot expand, keeping every byte offset.

tree-sitter does not run the preprocessor, so `NS_ASSUME_NONNULL_BEGIN`, `NS_SWIFT_NAME(...)` after
a declaration or `typedef NS_ENUM(NSInteger, Name) {...}` break the parse of otherwise ordinary
headers. Each such macro (with its parenthesised arguments) becomes spaces, newlines kept, so line
and column numbers in diagnostics still point at the user's text. The enum macros become the plain
C they stand for, `enum Name : Type`, padded to the same length. Strings and comments are left alone.
"""

from __future__ import annotations

import re

_ANNOTATIONS = (
    "NS_ASSUME_NONNULL_BEGIN NS_ASSUME_NONNULL_END NS_HEADER_AUDIT_BEGIN NS_HEADER_AUDIT_END  "
    "NS_UNAVAILABLE NS_DESIGNATED_INITIALIZER NS_REQUIRES_SUPER NS_REFINED_FOR_SWIFT NS_SWIFT_UI_ACTOR  "
    "NS_SWIFT_SENDABLE NS_SWIFT_NONSENDABLE NS_SWIFT_NONISOLATED NS_SWIFT_NOTHROW NS_TYPED_ENUM  "
    "NS_TYPED_EXTENSIBLE_ENUM NS_EXTENSIBLE_STRING_ENUM NS_STRING_ENUM NS_ROOT_CLASS  "
    "NS_RETURNS_RETAINED NS_RETURNS_NOT_RETAINED NS_RETURNS_INNER_POINTER NS_NOESCAPE  "
    "NS_AUTOMATED_REFCOUNT_UNAVAILABLE NS_REQUIRES_NIL_TERMINATION NS_SWIFT_NAME NS_SWIFT_ASYNC_NAME  "
    "NS_SWIFT_UNAVAILABLE NS_SWIFT_ASYNC NS_SWIFT_DISABLE_ASYNC NS_EXTENSION_UNAVAILABLE_IOS  "
    "NS_EXTENSION_UNAVAILABLE NS_FORMAT_FUNCTION NS_FORMAT_ARGUMENT NS_AVAILABLE NS_AVAILABLE_IOS  "
    "NS_AVAILABLE_MAC NS_DEPRECATED NS_DEPRECATED_IOS NS_DEPRECATED_MAC NS_CLASS_AVAILABLE  "
    "NS_CLASS_AVAILABLE_IOS NS_CLASS_DEPRECATED_IOS NS_ENUM_AVAILABLE_IOS NS_ENUM_DEPRECATED_IOS  "
    "NS_SWIFT_MAIN_ACTOR NS_SWIFT_SENDABLE_IF API_AVAILABLE API_UNAVAILABLE API_DEPRECATED  "
    "API_DEPRECATED_WITH_REPLACEMENT API_AVAILABLE_BEGIN API_AVAILABLE_END API_UNAVAILABLE_BEGIN  "
    "API_UNAVAILABLE_END __IOS_AVAILABLE __IOS_DEPRECATED __OSX_AVAILABLE __TVOS_PROHIBITED  "
    "__WATCHOS_PROHIBITED __IOS_PROHIBITED __API_AVAILABLE __API_DEPRECATED __deprecated_msg  "
    "DEPRECATED_ATTRIBUTE DEPRECATED_MSG_ATTRIBUTE UNAVAILABLE_ATTRIBUTE UI_APPEARANCE_SELECTOR  "
    "IB_DESIGNABLE IBInspectable WK_AVAILABLE_WATCHOS_ONLY WK_DEPRECATED_WATCHOS CF_RETURNS_RETAINED  "
    "CF_RETURNS_NOT_RETAINED CF_SWIFT_NAME CF_REFINED_FOR_SWIFT CF_IMPLICIT_BRIDGING_ENABLED  "
    "CF_IMPLICIT_BRIDGING_DISABLED CF_ASSUME_NONNULL_BEGIN CF_ASSUME_NONNULL_END __attribute__  "
    "__attribute NS_VALID_UNTIL_END_OF_SCOPE NS_SWIFT_DISABLE_ASYNC"
).split()
_ENUMS = "NS_ENUM NS_OPTIONS NS_CLOSED_ENUM NS_ERROR_ENUM CF_ENUM CF_OPTIONS CF_CLOSED_ENUM".split()

# A string, a character or a comment (kept), or a macro (blanked). Project macros named like
# FOUNDATION_EXPORT (`MYLIB_EXTERN`, `SD_EXPORT`) are blanked too: they stand for `extern`.
_SCANNER = re.compile(
    rb'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?(?:\*/|\Z)'
    rb"|(?P<typedef>\btypedef\s+)?\b(?P<enum>" + "|".join(_ENUMS).encode() + rb")\b"
    rb"|\b(?P<macro>"
    + "|".join(re.escape(m) for m in _ANNOTATIONS).encode()
    + rb"|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:EXTERN|EXPORT))\b"
    rb"|\b(?P<unknown>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?=[ \t]*\()",
    re.DOTALL,
)
# What may follow a leading attribute line: a declaration, never a statement.
_DECLARATION_START = re.compile(
    rb"\s*(@interface|@protocol|@implementation|typedef|extern|static|[-+]\s*\(|[A-Z]\w*\s*\*)"
)
_QUICK = re.compile(
    rb"\b(?:NS|API|CF|UI|WK|IB|__|DEPRECATED|UNAVAILABLE)\w*|_EXTERN\b|_EXPORT\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\s*\("
)


def blank_macros(source: bytes) -> bytes:
    """`source` with annotation macros blanked and enum macros rewritten, byte offsets unchanged."""
    last_comment = source.rfind(b"/*")
    unterminated = last_comment != -1 and source.find(b"*/", last_comment + 2) == -1
    if not unterminated and not _QUICK.search(source):
        return source
    out = bytearray(source)
    parens = _Parens(source)
    position = 0
    while True:
        found = _SCANNER.search(source, position)
        if found is None:
            break
        position = found.end()
        if found.group(0).startswith(b"/*") and not found.group(0).endswith(b"*/"):
            # An unterminated comment runs to the end of the file: blanked, because tree-sitter rescans
            # the rest of the file from every `/*` in it when the comment never closes (quadratic).
            _blank(out, found.start(), found.end())
        elif found.group("enum"):
            position = _rewrite_enum(source, out, found, parens)
        elif found.group("macro"):
            end = parens.end(found.end())
            _blank(out, found.start(), end)
            position = end
        elif found.group("unknown"):
            end = parens.end(found.end())
            if end != found.end() and _attribute_position(source, found.start(), end):
                _blank(out, found.start(), end)
            position = max(end, found.end())
    return bytes(out)


def _attribute_position(source: bytes, start: int, end: int) -> bool:
    """A project's own annotation macro (`MYLIB_AVAILABLE(ios(10))`), not a macro used as a statement:
    it trails a declaration before `;` or `{`, or stands alone on the line before one."""
    # Only the neighbourhood is looked at: a line with thousands of macros must not be sliced for each.
    line_start = source.rfind(b"\n", max(0, start - _NEAR), start) + 1
    before = source[max(line_start, start - _NEAR) : start].rstrip()
    line_end = source.find(b"\n", end, end + _NEAR)
    after = source[end : line_end if line_end != -1 else min(len(source), end + _NEAR)].strip()
    if re.search(rb"#\s*(?:define|undef|ifdef|ifndef)$", before):
        return False  # the macro's own definition, not a use of it
    if (before and before[-1:] in b")]*") or (before and (before[-1:].isalnum() or before[-1:] == b"_")):
        return after[:1] in (b";", b"{", b"") or bool(re.match(rb"[A-Z][A-Z0-9_]*\b", after))
    if not before and not after and line_end != -1:
        return bool(_DECLARATION_START.match(source, line_end + 1))
    return False


def _rewrite_enum(source: bytes, out: bytearray, found: re.Match[bytes], parens: _Parens) -> int:
    start = found.start()
    arguments_end = parens.end(found.end())
    if arguments_end == found.end():
        return found.end()
    inner = source[found.end() : arguments_end].strip()[1:-1]
    parts = [part.strip() for part in inner.split(b",")]
    if len(parts) != 2:
        return arguments_end
    underlying, name = parts
    if found.group("enum") == b"NS_ERROR_ENUM":
        underlying = b"NSInteger"
    replacement = b"enum " + name + (b" : " + underlying if underlying else b"")
    if len(replacement) > arguments_end - start:
        replacement = b"enum " + name
    _blank(out, start, arguments_end)
    out[start : start + len(replacement)] = replacement
    return arguments_end


_NEAR = 256
_PAREN_TOKENS = re.compile(rb'[()]|"(?:\\.|[^"\\])*(?:"|\Z)')


class _Parens:
    """Where each parenthesised argument list ends, found in one pass per unbalanced region.

    Finding the closing parenthesis by walking forward from each macro was quadratic when there is none
    (8,000 `NS_SWIFT_NAME(` lines: minutes): a walk now records the end of every `(` it passes, and
    every `(` still open when the file ends as unclosed, so no byte is walked twice.
    """

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.ends: dict[int, int] = {}  # index of "(" -> index after its ")", or -1: never closed

    def end(self, after: int) -> int:
        """The end of a balanced argument list right after `after` (blanks allowed), or `after` itself."""
        source = self.source
        index = after
        while index < len(source) and source[index] in b" \t":
            index += 1
        if index >= len(source) or source[index] != ord("("):
            return after
        if index not in self.ends:
            self._walk(index)
        found = self.ends[index]
        return found if found != -1 else after

    def _walk(self, start: int) -> None:
        stack: list[int] = []
        for token in _PAREN_TOKENS.finditer(self.source, start):
            char = token.group()
            if char == b"(":
                stack.append(token.start())
            elif char == b")":
                if not stack:  # pragma: no cover - the walk starts at a "(" and stops when it closes
                    break
                self.ends[stack.pop()] = token.end()
                if not stack:
                    return
        for opened in stack:
            self.ends[opened] = -1


def _blank(out: bytearray, start: int, end: int) -> None:
    for index in range(start, end):
        if out[index] not in b"\r\n":
            out[index] = 0x20
