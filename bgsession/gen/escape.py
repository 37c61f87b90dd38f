"""Escaping user values for the places templates put them: Swift and Objective-C literals, comments."""

from __future__ import annotations

import shlex
import unicodedata

_SWIFT_SIMPLE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}
_C_SIMPLE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


# Letters and symbols that render as nothing (Hangul fillers, the Braille blank, invisible combining
# marks): escaped like format characters, so the source shows that they are there.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f")


def _needs_unicode_escape(char: str) -> bool:
    # Control, format (bidi overrides: "Trojan source"), surrogate, private-use and unassigned
    # characters are written as escapes so that the source shows exactly what the string holds.
    return char in INVISIBLE or unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def swift_string(value: str) -> str:
    """A Swift string literal, with quotes, that evaluates to `value` (interpolation included).

    A `*` next to a `/` is written `\\u{2A}`: swiftc reads `"/*"` correctly, but tree-sitter-swift's
    scanner starts a block comment there and swallows the code up to the next `*/`, which would break
    every tool built on it, bgsession's own linter included.
    """
    parts: list[str] = []
    for index, char in enumerate(value):
        if char in _SWIFT_SIMPLE:
            parts.append(_SWIFT_SIMPLE[char])
        elif _needs_unicode_escape(char) or (char == "*" and "/" in value[max(index - 1, 0) : index + 2]):
            parts.append(f"\\u{{{ord(char):X}}}")
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


def objc_string(value: str) -> str:
    """An Objective-C string literal, `@"..."`, that evaluates to `value`.

    Bytes are escaped in octal, never `\\x`, because a hex escape swallows every hex digit after it.
    `??` is split so that a trigraph can never form.
    """
    parts: list[str] = []
    previous = ""
    for char in value:
        if char in _C_SIMPLE:
            parts.append(_C_SIMPLE[char])
        elif char == "?" and previous == "?":
            parts.append("\\?")
        elif _needs_unicode_escape(char):
            parts.append(_c_universal(char))
        else:
            parts.append(char)
        previous = char
    return '@"' + "".join(parts) + '"'


def _c_universal(char: str) -> str:
    code = ord(char)
    if code < 0x80:
        return f"\\{code:03o}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def comment_text(value: str) -> str:
    """`value` made safe inside a `//` comment: shell-quoted, so it never ends in a backslash
    (which would splice the next line into the comment in C) and never spans lines."""
    quoted = shlex.quote(value)
    return "".join(f"\\u{{{ord(c):X}}}" if _needs_unicode_escape(c) else c for c in quoted)
