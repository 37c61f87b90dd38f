"""Play the part of the preprocessor the Objective-C grammar cannot, keeping every byte offset.

tree-sitter parses preprocessor conditionals as syntax, so code whose branches are alternatives of one
construct breaks the parse of valid files: `#if A` / `if (@available(…)) {` / `#else` / `if ([x
respondsToSelector:…]) {` / `#endif` sharing one body, two `@interface` lines under `#ifdef` / `#else`,
`#elif` inside a message's arguments, `__has_include(<…>)` conditions, variadic macros under `#if 0`.
A compiler sees one branch of each conditional; so does the linter after this: the branch iOS code
builds (the first, unless its condition is known false on iOS, like `0` or `TARGET_OS_OSX`), with the
other branches and every conditional directive line blanked (spaces, newlines kept), so line and
column numbers still point at the user's text.

It also expands the React Native module macros into the methods they stand for (`RCT_EXPORT_METHOD(
sel:(T)a) {…}` is `- (void)sel:(T)a {…}`), since the bridge's background-transfer code lives in
those methods, and blanks `#pragma` lines (meaningless to the linter, and rejected inside an ivar
block).
"""

from __future__ import annotations

import re

# Strings, characters and comments: directives inside them are text, not directives.
_SKIP = re.compile(rb'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?(?:\*/|\Z)', re.DOTALL)
_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|pragma)\b", re.MULTILINE)
_QUICK = re.compile(
    rb"#[ \t]*(?:if|elif|else|endif|pragma|define)\b|\bRCT_(?:EXPORT|REMAP|EXTERN)_|\bXCT\w+\(|NSLocalizedString|\w::\w"
    rb"|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+[ \t]*\{"
    rb"|(?m:^[ \t]*[A-Z][A-Z0-9]*_[A-Z0-9_]+[ \t]*$)|\)[ \t]*\r?\n[ \t]+\}|(?m:^(?:class|namespace)[ \t])"
    rb"|\}[ \t\r\n]*;"
)
# `#define LOG(...)` / `#define LOG(format, ...)`: the grammar has no variadic macro parameter.
_VARIADIC_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+\w+\([^)\n]*?(\.\.\.)\)", re.MULTILINE)
# Objective-C++: `JS::Native::Options &` in a method's parameter type. The grammar has no C++; the
# scope operator becomes part of one identifier and the reference a pointer, which it can read.
# A project's annotation macro without arguments between a method's declaration and its body
# (`- (void)run GTM_SWIFT_DISABLE_ASYNC {`): the preprocessor makes it nothing.
_BARE_ANNOTATION = re.compile(rb"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?=[ \t]*\{)")
_TAGS = re.compile(rb"(?:\b(?:enum|struct|union|class)|@interface|@implementation|@protocol)[ \t]*$")
_CPP_SCOPE = re.compile(rb"(?<=\w)::(?=\w)")
_CPP_REFERENCE = re.compile(rb":\s*\(([\w \t]+)&([ \t]*)\)")

# Conditions that are false whenever iOS, iPadOS, watchOS or visionOS code is built.
_FALSE_ON_IOS = re.compile(
    rb"^\(?\s*(?:0|false|TARGET_OS_OSX|TARGET_OS_MACCATALYST\s*&&\s*0|!\s*TARGET_OS_IPHONE|!\s*TARGET_OS_IOS"
    rb"|defined\s*\(?\s*__MAC_OS_X_VERSION_MIN_REQUIRED\s*\)?|!\s*defined\s*\(?\s*__IPHONE_OS_VERSION_MIN_REQUIRED"
    rb"\s*\)?)\s*\)?\s*$"
)

# React Native's bridge macros, and what each stands for (`-(void)` / `-(id)` padded to the macro's length).
_RCT_METHOD = re.compile(
    rb"\bRCT_(?P<kind>EXPORT_METHOD|EXPORT_BLOCKING_SYNCHRONOUS_METHOD|REMAP_METHOD|REMAP_BLOCKING_SYNCHRONOUS_METHOD"
    rb"|EXTERN_METHOD|EXTERN__BLOCKING_SYNCHRONOUS_METHOD|EXTERN_REMAP_METHOD)"
    rb"[ \t]*\("
)
# `@interface RCT_EXTERN_MODULE(Name, Superclass)`: a Swift module's Objective-C face, `Name : Superclass`.
_RCT_EXTERN_MODULE = re.compile(rb"\bRCT_EXTERN_MODULE[ \t]*\(")
_RCT_STATEMENT = re.compile(rb"\bRCT_(?:EXPORT_MODULE|EXPORT_MODULE_NO_LOAD|EXPORT_PRE_REGISTERED_MODULE)\b")
# `XCTAssertEqual(a, b, )`: an empty last macro argument, which a call cannot have.
_EMPTY_LAST_ARGUMENT = re.compile(rb"(\bXCT\w+\([^;\n]*?),([ \t]*\))")
# `NSLocalizedString(@"x", comment: "")`: the macro drops its second argument, whatever it looks like.
_LOCALIZED_LABEL = re.compile(rb"(\bNSLocalizedString\s*\([^;\n]*?,\s*)(comment\s*:)")


def preprocess(source: bytes) -> bytes:
    """`source` as the compiler's preprocessor leaves it for iOS, as far as parsing needs; same length."""
    if not _QUICK.search(source):
        return source
    out = bytearray(source)
    skipped = _skipped_spans(source)
    # The macros first: choosing branches then blanks the expansions in branches not built.
    _expand_react_native(source, out, skipped)
    _rename_cpp_scopes(source, out, skipped)
    _choose_branches(source, out, skipped)
    _end_statement_macros(source, out, skipped)
    _blank_cpp_definitions(source, out, skipped)
    _blank_semicolons_after_functions(source, out, skipped)
    for pattern, group in ((_EMPTY_LAST_ARGUMENT, 1), (_LOCALIZED_LABEL, 2)):
        for found in pattern.finditer(source):
            if not _inside(skipped, found.start()):
                start = found.end(1) if group == 1 else found.start(2)
                _blank(out, start, start + 1 if group == 1 else found.end(2))
    return bytes(out)


# A macro that expands to whole statements, written alone on its line without `;`
# (`INSTALL_TRANSACTION_ERROR_COLLECTION_RESULT_HANDLER`): after a statement's end, it is nothing.
_STATEMENT_MACRO = re.compile(rb"^([ \t]*)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[ \t]*\r?$", re.MULTILINE)
# A logging macro's call as the last statement of a block, its `;` left out because the macro's
# expansion ends with one (`OCLogError(@"…", error)` then `}`): the `;` goes on the closing line's indent.
_UNENDED_CALL = re.compile(rb"^[ \t]*([A-Za-z_]\w*)[ \t]*\(.*\)[ \t]*\r?\n([ \t]+)\}", re.MULTILINE)
_LIST_OPENER = re.compile(rb"\b(?:enum|struct|union|NS_ENUM|NS_OPTIONS|NS_CLOSED_ENUM|NS_ERROR_ENUM)\b|=|@interface")
_NOT_CALLS = frozenset({b"if", b"while", b"for", b"switch", b"return", b"sizeof", b"catch", b"defined"})


# Objective-C++: a C++ class or namespace at file scope (`class Rate {` … `};`). `class` and `namespace`
# are no Objective-C keywords, so such a line is C++; the grammar has none, and the definition, which holds
# no Objective-C fact, is blanked through its closing brace.
_CPP_DEFINITION = re.compile(rb"^(?:class|struct|namespace)[ \t]+\w+[^;{\n]*\{", re.MULTILINE)


def _blank_cpp_definitions(source: bytes, out: bytearray, skipped: list[tuple[int, int]]) -> None:
    for found in _CPP_DEFINITION.finditer(source):
        keyword = source[found.start() : found.start() + 9]
        if keyword.startswith(b"struct") and b"::" not in found.group(0) and b"public" not in found.group(0):
            continue  # a C struct: the grammar reads it
        if _inside(skipped, found.start()):
            continue
        depth, index = 0, found.end() - 1
        while index < len(source):
            byte = source[index]
            if byte == ord("{"):
                depth += 1
            elif byte == ord("}"):
                depth -= 1
                if depth == 0:
                    break
            index += 1
        else:
            continue
        end = index + 1
        if source[end : end + 1] == b";":
            end += 1
        _blank(out, found.start(), end)


def _end_statement_macros(source: bytes, out: bytearray, skipped: list[tuple[int, int]]) -> None:
    for found in _STATEMENT_MACRO.finditer(source):
        before = source[: found.start()].rstrip()
        opener = before[before.rfind(b"\n") + 1 :]
        # Not an enumerator (`enum STATE {` / `NS_ENUM(…) {` then `STATE_A`) nor an initializer's element.
        in_list = opener.endswith(b"{") and _LIST_OPENER.search(opener) is not None
        if before.endswith((b";", b"{", b"}")) and not in_list and not _inside(skipped, found.start(2)):
            _blank(out, found.start(2), found.end(2))
    for found in _UNENDED_CALL.finditer(source):
        call = source[found.start(1) : found.start(2)]
        if found.group(1) in _NOT_CALLS or _inside(skipped, found.start(1)) or call.count(b"(") != call.count(b")"):
            continue
        if out[found.start(2)] in b" \t":
            out[found.start(2)] = ord(";")


def _rename_cpp_scopes(source: bytes, out: bytearray, skipped: list[tuple[int, int]]) -> None:
    if b"::" in source:
        for found in _CPP_SCOPE.finditer(source):
            if not _inside(skipped, found.start()):
                out[found.start() : found.end()] = b"__"
        text = bytes(out)
        for found in _CPP_REFERENCE.finditer(text):
            if not _inside(skipped, found.start()):
                out[found.end(1)] = ord("*")
    for found in _BARE_ANNOTATION.finditer(source):
        before = source[max(0, found.start() - 200) : found.start()].rstrip()
        if before[-1:] in (b")",) or (before[-1:].isalnum() and not _TAGS.search(before)):
            if not _inside(skipped, found.start()):
                _blank(out, found.start(), found.end())
    for found in _VARIADIC_DEFINE.finditer(source):
        out[found.start(1) : found.end(1)] = b"x  "


# A `;` after the closing brace of a C function defined inside @implementation (`static void f(…) {…};`,
# owncloud ios-sdk OCSQLiteDB.m:271) is an empty declaration: valid C, ignored by the compiler. The grammar
# takes it for the end of the @implementation (an ERROR, or a MISSING @end with the rest at file scope),
# so it becomes a blank. Only when the brace closes a function: after an initializer (`int a[] = {…};`)
# or a block literal (`void (^b)(void) = ^{…};`) the `;` is required, and their heads hold an `=`.
_BRACES = re.compile(rb"[{};]|" + _SKIP.pattern, re.DOTALL)  # braces, or a string or comment to step over
_IMPLEMENTATION = re.compile(rb"^[ \t]*@(implementation|end)\b", re.MULTILINE)
_STRAY_SEMICOLON = re.compile(rb"[ \t\r\n]*;")
_FUNCTION_HEAD = re.compile(
    rb"(?!(?:typedef|struct|enum|union|extern)\b)[A-Za-z_][\w \t\r\n*]*?\b[A-Za-z_]\w*[ \t\r\n]*\([^=;{}]*\)[ \t\r\n]*"
)
_HEAD_LIMIT = 2_000
_HEAD_NOISE = re.compile(rb"/\*.*?\*/|//[^\n]*|^[ \t]*#[^\n]*", re.DOTALL | re.MULTILINE)


def _blank_semicolons_after_functions(source: bytes, out: bytearray, skipped: list[tuple[int, int]]) -> None:
    regions = [(m.start(), m.group(1)) for m in _IMPLEMENTATION.finditer(source) if not _inside(skipped, m.start())]
    if not any(kind == b"implementation" for _, kind in regions):
        return
    depth = 0
    head_start = 0
    opened = 0
    region = iter(regions)
    boundary = next(region, None)
    implementing = False
    for found in _BRACES.finditer(source):
        while boundary is not None and boundary[0] <= found.start():
            implementing = boundary[1] == b"implementation"
            head_start = source.find(b"\n", boundary[0]) + 1 or len(source)
            boundary = next(region, None)
        token = found.group()
        if len(token) != 1:
            continue
        if token == b"{":
            if depth == 0:
                opened = found.start()
            depth += 1
        elif token == b"}" and depth > 0:
            depth -= 1
            if depth == 0:
                after = _STRAY_SEMICOLON.match(source, found.end())
                # A function's head is a line or a few; a longer one is not looked at (the pattern
                # backtracks on long runs of words).
                if implementing and after is not None and 0 < opened - head_start <= _HEAD_LIMIT:
                    head = _HEAD_NOISE.sub(b"", source[head_start:opened]).strip()
                    if _FUNCTION_HEAD.fullmatch(head):
                        out[after.end() - 1] = ord(" ")
                head_start = found.end()
        elif token == b";" and depth == 0:
            head_start = found.end()


def _skipped_spans(source: bytes) -> list[tuple[int, int]]:
    """Where strings and comments are, in order (only the multi-line ones matter for directives)."""
    return [(found.start(), found.end()) for found in _SKIP.finditer(source) if b"\n" in found.group()]


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    low, high = 0, len(spans)
    while low < high:
        middle = (low + high) // 2
        start, end = spans[middle]
        if position < start:
            high = middle
        elif position >= end:
            low = middle + 1
        else:
            return True
    return False


class _Group:
    """One `#if` … `#endif`: whether a branch has been chosen, and whether the current one is kept."""

    __slots__ = ("chosen", "keeping", "outer_keeping")

    def __init__(self, outer_keeping: bool) -> None:
        self.outer_keeping = outer_keeping
        self.chosen = False
        self.keeping = False

    def enter(self, condition: bytes | None) -> None:
        """Start a branch (`condition` None: `#else`): kept if no branch was and it is not known false."""
        known_false = condition is not None and _FALSE_ON_IOS.match(_COMMENT.sub(b"", condition).strip())
        take = not self.chosen and not known_false
        self.keeping = self.outer_keeping and take
        self.chosen |= take


def _choose_branches(source: bytes, out: bytearray, skipped: list[tuple[int, int]]) -> None:
    stack: list[_Group] = []
    blank_from: int | None = None  # start of a run of dropped code
    for found in _DIRECTIVE.finditer(source):
        if _inside(skipped, found.start()):
            continue
        line_end = _directive_end(source, found.start())
        keyword = found.group(1)
        keeping = not stack or stack[-1].keeping
        if keyword == b"pragma":
            if keeping:
                _blank(out, found.start(), line_end)
            continue
        condition = source[found.end() : line_end]
        if keyword in (b"if", b"ifdef", b"ifndef"):
            group = _Group(keeping)
            if keyword == b"if":
                group.enter(condition)
            else:
                group.enter(b"1")
            stack.append(group)
        elif not stack:
            continue  # an #else or #endif with no #if: left for the grammar to report
        elif keyword == b"elif":
            stack[-1].enter(condition)
        elif keyword == b"else":
            stack[-1].enter(None)
        else:
            stack.pop()
        now_keeping = not stack or stack[-1].keeping
        # The directive line itself goes, and the code after it if its branch is dropped.
        if blank_from is None:
            _blank(out, found.start(), line_end)
        if not now_keeping and blank_from is None:
            blank_from = found.start()
        elif now_keeping and blank_from is not None:
            _blank(out, blank_from, line_end)
            blank_from = None
    if blank_from is not None:
        _blank(out, blank_from, len(source))


def _directive_end(source: bytes, start: int) -> int:
    """The end of a directive's logical line (backslash continuations included)."""
    position = start
    while True:
        end = source.find(b"\n", position)
        if end == -1:
            return len(source)
        if source[end - 1 : end] == b"\\" or source[end - 2 : end] == b"\\\r":
            position = end + 1
            continue
        return end


# What an exported React Native method's expansion carries after its return type (see the extractor).
SCRIPT_ENTRY = b"/*RCT*/"


def _expand_react_native(source: bytes, out: bytearray, skipped: list[tuple[int, int]]) -> None:
    if b"RCT_" not in source:
        return
    for found in _RCT_STATEMENT.finditer(source):
        if _inside(skipped, found.start()):
            continue
        end = _balanced_end(source, found.end())
        while end < len(source) and source[end] in b" \t":
            end += 1
        if source[end : end + 1] == b";":
            end += 1
        _blank(out, found.start(), end)
    for found in _RCT_METHOD.finditer(source):
        if _inside(skipped, found.start()):
            continue
        close = _balanced_end(source, found.end() - 1)
        if close == found.end() - 1:
            continue
        kind = found.group("kind")
        returns = b"- (id)" if b"SYNCHRONOUS" in kind else b"- (void)"
        if not kind.startswith(b"EXTERN"):
            # Marked as a method JavaScript calls (on the module's methodQueue): a comment, which the
            # grammar skips, in the macro's own bytes (`RCT_EXPORT_METHOD(` is longer than both).
            returns += SCRIPT_ENTRY
        selector_start = found.end()
        if b"REMAP" in kind:
            # RCT_REMAP_METHOD(jsName, selector…): the JavaScript name is not part of the method.
            comma = source.find(b",", selector_start, close)
            if comma == -1:
                continue
            selector_start = comma + 1
        _blank(out, found.start(), selector_start)
        out[found.start() : found.start() + len(returns)] = returns
        _blank(out, close - 1, close)
        if kind.startswith(b"EXTERN"):
            out[close - 1] = ord(";")  # a declaration in an @interface, not a definition
    for found in _RCT_EXTERN_MODULE.finditer(source):
        close = _balanced_end(source, found.end() - 1)
        comma = source.find(b",", found.end(), close)
        if _inside(skipped, found.start()) or close == found.end() - 1 or comma == -1:
            continue
        _blank(out, found.start(), found.end())
        out[comma] = ord(":")
        _blank(out, close - 1, close)


def _balanced_end(source: bytes, after: int) -> int:
    """The index after the `)` closing the `(` at or after `after` (blanks allowed), or `after`."""
    index = after
    while index < len(source) and source[index] in b" \t":
        index += 1
    if index >= len(source) or source[index] != ord("("):
        return after
    depth = 0
    while index < len(source):
        char = source[index]
        if char == ord("("):
            depth += 1
        elif char == ord(")"):
            depth -= 1
            if depth == 0:
                return index + 1
        elif char == ord('"'):
            closing = re.compile(rb'(?:\\.|[^"\\\n])*"').match(source, index + 1)
            index = closing.end() - 1 if closing else index
        index += 1
    return after


_VISIBLE = re.compile(rb"[^\r\n]")
_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.DOTALL)


def _blank(out: bytearray, start: int, end: int) -> None:
    out[start:end] = _VISIBLE.sub(b" ", bytes(out[start:end]))
