"""Which files can hold a fact, and which skipped files a second pass must read.

Almost no file of an app mentions background sessions, so a byte prefilter decides which files are
parsed at all: literal searches (memchr speed) for the words any fact's file contains. A second,
targeted pass reads the skipped files that define names the first pass's facts refer to but did not
find (an identifier constant, a handler store class, a delegate class), or start tasks on a session
held elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from bgsession.lint.facts import FileFacts, IdKind, Memo

# Mentions of URLSession that hold no fact: the shared session (never a background one), task and
# metrics types, default and ephemeral configurations. A file with only these (most networking code)
# is left to the second pass, which reads it when it uses a background session made elsewhere.
_HARMLESS = re.compile(
    rb"(?:NS)?URLSession(?:\.shared\b|\s+sharedSession\b|(?:Data|Upload|Download|Stream|WebSocket)?Task\b"
    rb"|Task(?:Transaction)?Metrics\b|Configuration\.(?:default|ephemeral)\b"
    rb"|Configuration\s+(?:default|ephemeral)SessionConfiguration\b)"
)

_TASK_CALL = re.compile(rb"\b(?:data|download|upload)Task(?:With\w*)?\s*[(:]|\.(?:data|download|upload|bytes)\(")

# Words every match of _TASK_CALL contains: the regular expression has no literal prefix to skip on.
_TASK_CALL_WORDS = (b"Task", b"load(", b".data(", b".bytes(")

# Literal searches run at memchr speed; one regular expression with alternatives scans ten times slower.
_TRIGGER_WORDS = (
    b"urlSession",
    b"UIApplicationDelegate",
    b"UIApplicationMain",
    b"@main",
    b"WKRefreshBackgroundTask",
    b"handleBackgroundTasks",
    b"backgroundTask",
    b"DelegateAdaptor",
    b"bgsession:",
    # A host framework's plugin class (its header, for Objective-C): rules leave what its script side
    # drives unjudged, so its conformance must be known.
    b"FlutterPlugin",
    b"RCTBridgeModule",
    b"RCTEventEmitter",
    b"CAPPlugin",
    b"CDVPlugin",
    # A file that lists a session's tasks can silence BGS040 for a session made elsewhere.
    b"getAllTasks",
    b"getTasksWithCompletionHandler",
    # A library's hand-off of the relaunch handler (`+setCompletionHandlerForIdentifier:completionHandler:`).
    b"HandlerForIdentifier",
    b"HandlerWithIdentifier",
)


def not_plain_utf8(data: bytes) -> bool:
    """Whether the bytes must go to extraction whatever the prefilter says: UTF-16 and UTF-32 files (whose
    words the byte prefilter cannot see), binary files and invalid UTF-8, which are reported."""
    if data.isascii():
        return b"\x00" in data
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def triggers(data: bytes) -> bool:
    """Whether a file can hold a fact: the byte prefilter in front of every parse."""
    if any(map(data.__contains__, _TRIGGER_WORDS)):
        return True
    position = data.find(b"URLSession")
    while position != -1:
        start = position - 2 if data[position - 2 : position] == b"NS" else position
        if not _HARMLESS.match(data, start):
            return True
        position = data.find(b"URLSession", position + 10)
    return False


# Up to this many names, substring tests then one regular expression are fastest; beyond, each file's
# words are collected once and intersected with the names, which is linear in the bytes whatever the
# number of names (20,000 names x 5,000 files took 136 s the other way).
_FEW_NAMES = 16
_WORD = re.compile(rb"\w+")


def _finder(names: set[str]) -> Callable[[bytes], bool]:
    """Whether some name in `names` occurs in the bytes as a whole word."""
    if not names:
        return lambda _data: False
    encoded = sorted(name.encode() for name in names)
    if len(encoded) <= _FEW_NAMES:
        pattern = re.compile(rb"\b(?:" + b"|".join(map(re.escape, encoded)) + rb")\b")
        return lambda data: any(name in data for name in encoded) and pattern.search(data) is not None
    wanted = frozenset(encoded)
    return lambda data: not wanted.isdisjoint(_WORD.findall(data))


def session_holders(facts: list[FileFacts]) -> set[str]:
    """Members and accessors that hold a session made from a configuration that is not the default one."""
    holders = {
        session.holder
        for file in facts
        for session in file.sessions
        if session.holder and session.config_kind != "default"
    }
    return {name for name in holders if re.fullmatch(r"[A-Za-z_]\w{2,}", name)}


_TAKES_HANDLER = re.compile(r"(?i)completionhandler:")


class Wanted(NamedTuple):
    """What the second pass looks for in the skipped files."""

    # Names whose mention anywhere matters: identifier constants, methods that make a session on first use.
    named: frozenset[str]
    # Types whose code the facts need (a helper on the handler's path, a session delegate, a cast's type, the
    # implementation of an interface): only a file that declares or extends one has it.
    defined: frozenset[str]
    # Types whose instances own a session: only a file that declares, extends, subclasses or instantiates one
    # can tell how many instances there are; the many that only use one (`FileLog.shared.log(…)`) cannot.
    made: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.named or self.defined or self.made)


def wanted_names(facts: list[FileFacts]) -> Wanted:
    """Names the facts need but no parsed file defines: identifier constants of background configurations,
    classes on the completion handler's path, session delegates, and types whose instances own a session."""
    # An Objective-C @interface in a header declares a class; its methods live in the .m file.
    defined_types = {t.name for f in facts for t in f.types if t.kind not in ("interface", "protocol")}
    defined_constants = {c.name.split(".")[-1] for f in facts for c in f.constants}
    parameter_configs = {
        (config.owner.type_name, config.identifier.text)
        for file in facts for config in file.configs if config.identifier.kind is IdKind.PARAMETER
    }  # fmt: skip
    wanted: set[str] = set()
    types: set[str] = set()
    made: set[str] = set()

    def want_constant(text: str) -> None:
        head, _, rest = text.partition(".")
        name = head if rest else text
        if name not in defined_constants and rest.split(".")[-1:] != [name]:
            wanted.add(name)

    for file in facts:
        for config in file.configs:
            if config.identifier.kind is IdKind.CONSTANT:
                want_constant(config.identifier.text)
        for arg in file.call_args:
            if arg.value.kind is IdKind.CONSTANT and (arg.callee_type, arg.label) in parameter_configs:
                want_constant(arg.value.text)
        refs = [ref for handle in file.handle_events for ref in handle.passes]
        refs += [ref for finish in file.finish_events for ref in finish.helpers]
        types.update(ref.type_name for ref in refs if ref.type_name and ref.type_name not in defined_types)
        types.update(s.delegate_type for s in file.sessions if s.delegate_type and s.delegate_type not in defined_types)
        types.update(cast.type_name for cast in file.casts if cast.type_name not in defined_types)
        # A header declaring a method that takes a completion handler (a library's hand-off,
        # `+setCompletionHandlerForIdentifier:completionHandler:`): its body is in the implementation.
        types.update(
            t.name
            for t in file.types
            if t.kind == "interface"
            and t.name not in defined_types
            and any(_TAKES_HANDLER.search(m) for m in t.methods)
        )
        # A session a method makes on first use (`ensureSessions()`): whoever calls that method decides when
        # it is made, at launch or not; the files that call it must be read.
        wanted.update(
            s.owner.member.split(":", 1)[0].split("(", 1)[0]
            for s in file.sessions
            if s.memo in (Memo.GUARDED, Memo.FUNCTION)
            and s.owner.kind == "method"
            and s.owner.member
            and len(s.owner.member.split(":", 1)[0].split("(", 1)[0]) >= 8
        )
        # A session made in an initializer, or kept in a property (a nil-guarded getter, a setup method),
        # runs once per instance: find where the type is instantiated.
        # Those are judged per instance only for a type that is no singleton (`static let shared`, which
        # has one instance wherever it is used); INIT and STORED instances also say what the app delegate
        # makes at launch (BGS017), so they are looked for in any case.
        singletons = {t.name for t in file.types if t.singleton}
        made.update(
            s.owner.type_name
            for s in file.sessions
            if s.owner.type_name
            and (
                s.memo in (Memo.INIT, Memo.STORED, Memo.LAZY)
                or (
                    s.owner.type_name not in singletons
                    and s.config_index is not None  # from a background configuration made in this file
                    and (s.memo is Memo.GUARDED or (s.memo is Memo.FUNCTION and s.holder is not None))
                )
            )
        )
    named = _searchable(wanted)
    defined = _searchable(types) - named
    return Wanted(named, defined, _searchable(made) - named - defined)


def _searchable(names: set[str]) -> frozenset[str]:
    return frozenset(
        name
        for name in names
        if re.fullmatch(r"[A-Za-z_]\w{2,}", name) and not name.startswith(("UI", "NS")) and name not in _SYSTEM_TYPES
    )


# Framework types a fact can name (a helper's receiver, a cast) that no project file defines.
_SYSTEM_TYPES = frozenset(
    {
        "DispatchQueue", "OperationQueue", "FileManager", "NotificationCenter", "Bundle", "UserDefaults", "URL",
        "URLRequest", "Data", "String", "Thread", "RunLoop", "ProcessInfo", "Task", "MainActor", "Date", "UUID",
        "JSONDecoder", "JSONEncoder", "Array", "Dictionary", "Set", "Int", "Double", "Bool", "Optional", "Result",
    }
)  # fmt: skip


# Where a type is declared or extended (`final class T`, `extension Outer.T`, `@implementation T`,
# `typealias U = T`), and where it can be subclassed or instantiated (`: T`, `T(`, `T.init`, `T.self` for a
# container, `[T alloc]`, `[T new]`).
_DECLARES = (
    rb"(?:(?:\b(?:class|struct|enum|actor|extension|protocol)|@interface|@implementation)\s+(?:\w+\.)*"
    rb"|\btypealias\s+\w+\s*=\s*)"
)
_MAKES_BEFORE = rb"[:,]\s*"
_MAKES_AFTER = rb"\s*(?:[(<{]|\.(?:init|self|new)\b|\s+(?:alloc|new)\b)"


def _site_finder(types: frozenset[str], instances: bool) -> Callable[[bytes], bool]:
    """Whether the bytes declare or extend one of `types` (with `instances`, also subclass or instantiate
    one): the word first (a literal search), then the shapes of those sites around it."""
    has_word = _finder(set(types))
    if not types:
        return has_word
    alternatives = rb"(?:" + b"|".join(map(re.escape, sorted(name.encode() for name in types))) + rb")"
    pattern = _DECLARES + alternatives + rb"\b"
    if instances:
        pattern = (
            rb"(?:" + _DECLARES + rb"|" + _MAKES_BEFORE + rb")" + alternatives + rb"\b|\b" + alternatives + _MAKES_AFTER
        )
    site = re.compile(pattern)
    return lambda data: has_word(data) and site.search(data) is not None


def second_pass(wanted: Wanted, holders: set[str], skipped: dict[str, bytes]) -> list[str]:
    """The skipped files to read: those mentioning a wanted name, making an instance of a type that owns a
    session, or starting tasks on a session holder."""
    has_name = _finder(set(wanted.named))
    declares = _site_finder(wanted.defined, instances=False)
    makes = _site_finder(wanted.made, instances=True)
    has_holder = _finder(holders)
    return [
        path
        for path, data in skipped.items()
        if has_name(data)
        or declares(data)
        or makes(data)
        or (any(map(data.__contains__, _TASK_CALL_WORDS)) and _TASK_CALL.search(data) is not None and has_holder(data))
    ]
