"""Names in generated code: validation of user-chosen names, and member names derived from identifiers."""

from __future__ import annotations

import re

SWIFT_KEYWORDS = frozenset(
    """
    associatedtype borrowing class consuming deinit enum extension fileprivate func import init
    inout internal let nonisolated open operator private precedencegroup protocol public rethrows
    static struct subscript typealias var break case catch continue default defer do else
    fallthrough for guard if in repeat return throw switch where while Any as await false is nil
    self Self super throws true try async actor some any macro package
    """.split()
)

OBJC_KEYWORDS = frozenset(
    """
    auto break case char const continue default do double else enum extern float for goto if inline
    int long register restrict return short signed sizeof static struct switch typedef union
    unsigned void volatile while _Bool _Complex _Imaginary bool id in inout out bycopy byref oneway
    self super nil Nil YES NO SEL IMP BOOL Class Protocol instancetype
    """.split()
)

RESERVED = SWIFT_KEYWORDS | OBJC_KEYWORDS

# The manager's own members: a session named after one of them would redeclare it (or shadow it, so
# `manager(for:)` returned the member instead of the session's manager).
MANAGER_MEMBERS = frozenset(
    """
    identifier session delegate configure configuredEvents manager reconnectAll download upload
    logger slot Slot eventsDelivered allTasks init deinit description hash shared Type Protocol
    """.split()
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_valid_name(name: str) -> bool:
    """A name that is an identifier in both Swift and Objective-C and reserved in neither."""
    return bool(_IDENTIFIER.match(name)) and name not in RESERVED


def member_names(identifiers: list[str]) -> list[str]:
    """One distinct lowerCamelCase member name per identifier, from its reverse-DNS components.

    `com.example.app.downloads` becomes `downloads`; two identifiers ending alike take more of
    their components (`appDownloads`, `widgetDownloads`); anything left equal gets a number.
    """
    components = [_words(identifier) for identifier in identifiers]
    depth = [1] * len(identifiers)
    for _ in range(8):
        names = [_camel(words[-d:]) for words, d in zip(components, depth, strict=True)]
        clashes = {name for name in names if names.count(name) > 1}
        if not clashes:
            break
        depth = [d + 1 if name in clashes else d for name, d in zip(names, depth, strict=True)]
    names = [_camel(words[-d:]) for words, d in zip(components, depth, strict=True)]
    seen: dict[str, int] = {}
    unique: list[str] = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name}{count + 1}")
    return unique


def _words(identifier: str) -> list[str]:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", identifier) if w]
    return words or ["session"]


def _camel(words: list[str]) -> str:
    first, *rest = words
    name = first[0].lower() + first[1:] + "".join(w[0].upper() + w[1:] for w in rest)
    if not name[0].isalpha():
        name = "session" + name[0].upper() + name[1:]
    if name in RESERVED or name in MANAGER_MEMBERS:
        name += "Session"
    return name


def upper_camel(name: str) -> str:
    return name[0].upper() + name[1:]
