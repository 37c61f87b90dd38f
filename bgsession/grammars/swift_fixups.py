"""Rewrite the valid Swift constructs tree-sitter-swift 0.7.4 cannot parse, keeping every byte offset and line.

Each rewrite keeps the length of what it replaces and never touches a line break; grammars/README.md gives
each grammar bug with a minimal input, the tree expected and the tree produced. In short:

- `()` used as a value (`completion(.success(()))`, `return ()`) becomes `0 `; in a type (`() -> Void`,
  `(()) -> Void`, `lazy var x: () = …`, `func f(a: ())`) or a call it is left alone.
- `nonisolated(unsafe)` before a local `let`/`var`, and `@available(...)` before `#Preview`, become spaces.
- `/*` inside a string literal becomes `/ ` (the scanner would start a block comment there).
- `if`/`while`/`switch` conditions ending in `await x` or `try x` without a call: the grammar takes the
  body for a trailing closure. The clause is parenthesised in the white space around it: `= await a {`
  becomes `=(await a){` — only when the condition alone fails to parse and the rewritten one parses.
- A variable named `final` (`final.append(x)`, `final = y`) is renamed `fina_` throughout the file.
- Attributes alone in an `#if` block (`#if os(iOS)\n@main\n#endif\nstruct A`): the directive lines and
  any `#else` branch become spaces, leaving the first branch's attributes on the declaration.
- In a closure's parameter list, the `_` of `_ name` becomes a space and a parameter named `self`
  becomes `_elf`.
- ` ; ` between statements: the `;` moves left onto the end of the statement (`a() ; b()` → `a();  b()`).
- `#if` inside an argument list or a collection literal: the directive lines and any `#else` branches
  become spaces, keeping the first branch (as a preprocessor would keep one).

Comments are left alone, and strings but for `/*`. Identifiers keep their text except `final` and `self`
as named above; keywords the facts read (`await`, `try`, attributes) keep theirs.
"""

from __future__ import annotations

import re

from bgsession.grammars.swift_conditions import rewrite_condition, rewrite_conditional
from bgsession.grammars.swift_tokens import (
    _COMMENT_EDGE,
    COMMENT,
    DIRECTIVE,
    ID,
    NL,
    PUNCT,
    STRING,
    WS,
    Tokens,
    tokenize,
)

# Every site a fix-up rewrites matches one of these (a superset; each is a literal-led or one-class scan).
_CANDIDATES = [
    re.compile(pattern)
    for pattern in (
        rb"[^\w)\]}?!>`$\s][ \t\r\n]*\(\s*\)",  # a `()` value after an operator or bracket
        rb"nonisolated",
        rb"#Preview",
        rb'"[^"\n]*/\*',
        rb"(?:await|try)[?!]?[ \t(][^\n{}]*\{",
        rb"case[ \t]+[-\"0-9]",
        rb"final[ \t]*[^\w\s@`]",
        rb"#if[^\n]*\n\s*@",
        rb"[,(\[][ \t]*(?://[^\n]*)?\r?\n\s*#if",
        rb"_[ \t]+\w+[ \t]*[,)]",
        rb"self[ \t]*:",
        rb'"""',
    )
] + [
    re.compile(rb"\b" + keyword + rb"[ \t]*\(\s*\)")
    for keyword in (b"return", b"in", b"yield", b"else", b"then", b"try", b"await", b"throw")
]
_SKIP = {WS, NL, COMMENT}
_MAX_CONDITIONS = 256
_CALL_BEFORE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_)]}?!>`")
_VALUE_KEYWORDS = {b"return", b"in", b"yield", b"else", b"then", b"try", b"await", b"throw"}
_TYPE_AFTER = {b"throws", b"rethrows", b"async", b"in"}
_DECLARATION_KEYWORDS = {b"func", b"init", b"subscript"}
_MODIFIER_FOLLOWERS = {b"@", b"`"}
_CLAUSE_KEYWORDS = {b"if", b"while", b"switch", b"guard"}
_OPEN = {0x28: 0x29, 0x5B: 0x5D, 0x7B: 0x7D}  # ( [ {
_CLOSE = {0x29, 0x5D, 0x7D}


# The sites a tree can be wrong at without an error to show it: `/*` in a string starts a block comment
# that swallows code up to the next `*/` (grammars/README.md, 11), and a block comment that never closes
# is rescanned from every `/*` inside it (quadratic). A caller that parses first and fixes up only a tree
# with an error must fix up these files before parsing.
_SILENT = re.compile(rb'"[^"\n]*/\*')


def misparses_silently(source: bytes) -> bool:
    """Whether `source` may hold a site whose misreading leaves no error in the tree (see `_SILENT`)."""
    return source.count(b"/*") > source.count(b"*/") or _SILENT.search(source) is not None


def fix_up(source: bytes) -> bytes:
    # Tokenizing costs about as much as parsing: most files have no site any fix-up could touch.
    # More openers than closers: a block comment may never close (Swift comments nest).
    unclosed = source.count(b"/*") > source.count(b"*/")
    if not unclosed and b" ;" not in source and b"\t;" not in source and not any(c.search(source) for c in _CANDIDATES):
        return source
    return _FixUp(source).run()


class _FixUp:
    def __init__(self, source: bytes) -> None:
        self.source = source
        self.out = bytearray(source)
        self.tokens: Tokens = tokenize(source)
        self.branch_table: dict[int, list[int]] | None = None
        kinds, starts = self.tokens.kinds, self.tokens.starts
        self.byte = [source[start] for start in starts]
        # partner[i]: the matching bracket; parent[i]: the innermost open bracket around token i (-1: none).
        count = len(kinds)
        self.partner = [-1] * count
        self.parent = [-1] * count
        stack: list[int] = []
        for index in range(count):
            self.parent[index] = stack[-1] if stack else -1
            if kinds[index] != PUNCT:
                continue
            byte = self.byte[index]
            if byte in _OPEN:
                stack.append(index)
            elif byte in _CLOSE and stack and _OPEN[self.byte[stack[-1]]] == byte:
                opener = stack.pop()
                self.partner[opener], self.partner[index] = index, opener
                self.parent[index] = stack[-1] if stack else -1

    # -- token helpers -----------------------------------------------------------------------------------

    def text(self, index: int) -> bytes:
        if index < 0 or index >= len(self.tokens.kinds):
            return b""
        return self.source[self.tokens.starts[index] : self.tokens.ends[index]]

    def next_sig(self, index: int, skip: set[str] = _SKIP) -> int:
        kinds = self.tokens.kinds
        index += 1
        while index < len(kinds) and kinds[index] in skip:
            index += 1
        return index if index < len(kinds) else -1

    def prev_sig(self, index: int, skip: set[str] = _SKIP) -> int:
        kinds = self.tokens.kinds
        index -= 1
        while index >= 0 and kinds[index] in skip:
            index -= 1
        return index

    def is_punct(self, index: int, char: bytes) -> bool:
        return index >= 0 and self.tokens.kinds[index] == PUNCT and self.byte[index] == char[0]

    def blank(self, start: int, end: int) -> None:
        out = self.out
        for position in range(start, end):
            if out[position] not in b"\r\n":
                out[position] = 0x20

    def line_end(self, index: int) -> int:
        """The index of the line break ending token `index`'s line (or one past the last token)."""
        kinds = self.tokens.kinds
        while index < len(kinds) and kinds[index] != NL:
            index += 1
        return index

    # -- passes ------------------------------------------------------------------------------------------

    def unclosed_comment(self) -> None:
        """A block comment that never closes runs to the end of the file, as the compiler reads it; it is
        blanked, because tree-sitter-swift's scanner rescans to the end from every `/*` inside it, which
        is quadratic (8,000 lines of `/*` took seconds)."""
        kinds, starts, ends = self.tokens.kinds, self.tokens.starts, self.tokens.ends
        if not kinds or kinds[-1] != COMMENT or ends[-1] != len(self.source):
            return
        start = starts[-1]
        if not self.source.startswith(b"/*", start):
            return
        depth = 0
        for edge in _COMMENT_EDGE.finditer(self.source, start):
            depth += 1 if edge.group() == b"/*" else -1
            if depth == 0:
                return
        for index in range(start, len(self.source)):
            if self.out[index] not in b"\r\n":
                self.out[index] = 0x20

    def run(self) -> bytes:
        kinds = self.tokens.kinds
        self.unclosed_comment()
        closure_lists = self.closure_parameter_lists()
        conditions: list[int] = []
        for index, kind in enumerate(kinds):
            if kind == STRING:
                self.comment_opener_in_string(index)
            elif kind == PUNCT:
                byte = self.byte[index]
                if byte == 0x28 and self.partner[index] != -1:  # (
                    if index in closure_lists:
                        self.closure_parameters(index)
                    elif self.next_sig(index) == self.partner[index]:
                        self.empty_tuple(index)
                elif byte == 0x3B:  # ;
                    self.spaced_semicolon(index)
            elif kind == ID:
                word = self.text(index)
                if word == b"nonisolated":
                    self.nonisolated_unsafe(index)
                elif word == b"final":
                    self.final_variable(index)
                elif word in _CLAUSE_KEYWORDS:
                    conditions.append(index)
            elif kind == DIRECTIVE:
                word = self.text(index)
                if word == b"#if":
                    rewrite_conditional(self, index)
                elif word == b"#Preview":
                    self.available_before_preview(index)
        # Last: a condition is checked by parsing it with every other rewrite in place.
        # A check parses a snippet of the condition twice (~0.2 ms): a bounded number of checks per file.
        checks = 0
        for index in conditions:
            if checks < _MAX_CONDITIONS and rewrite_condition(self, index):
                checks += 1
        return bytes(self.out)

    def comment_opener_in_string(self, index: int) -> None:
        start, end = self.tokens.starts[index], self.tokens.ends[index]
        position = self.source.find(b"/*", start, end)
        while position != -1:
            self.out[position + 1] = 0x20
            position = self.source.find(b"/*", position + 2, end)

    def empty_tuple(self, index: int) -> None:
        close = self.partner[index]
        if self.is_type_tuple(index, close):
            return
        start = self.tokens.starts[index]
        self.out[start] = ord("0")
        self.blank(start + 1, self.tokens.ends[close])

    def is_type_tuple(self, index: int, close: int) -> bool:
        after = self.next_sig(close)
        if self.text(after) in _TYPE_AFTER or (self.is_punct(after, b"-") and self.is_punct(after + 1, b">")):
            return True
        before = self.prev_sig(index)
        if before >= 0 and self.tokens.kinds[before] == ID:
            # `f()`, `$0()`, `x.yield()` are calls; `return ()`, `await ()` values
            return self.text(before) not in _VALUE_KEYWORDS or self.is_punct(self.prev_sig(before), b".")
        if before >= 0 and self.tokens.kinds[before] == PUNCT and self.byte[before] in _CALL_BEFORE:
            return True  # a call `f()`, `a[0]()`, `x?()`, or a type `-> ()`
        if self.is_punct(before, b"<"):
            return True  # `Result<(), E>`
        enclosing = self.parent[index]
        if self.is_punct(before, b":") or self.is_punct(before, b"="):
            name = self.prev_sig(before)
            declared = self.text(self.prev_sig(name)) if self.tokens.kinds[name] == ID else b""
            if self.is_punct(before, b":") and declared in (b"let", b"var"):
                return True  # `var x: () = …` (but `case .a: ()`, `default: ()` are values)
            if self.is_punct(before, b"=") and declared == b"typealias":
                return True  # `typealias Result = ()`
            if self.is_punct(before, b":") and enclosing != -1 and self.is_parameter_list(enclosing):
                return True  # `func f(a: ())`
        if enclosing != -1 and self.byte[enclosing] == 0x28 and self.is_punct(before, b"("):
            # `(())` is a type when the outer parentheses are: `(()) -> Void`.
            outer_before = self.prev_sig(enclosing)
            arrow = self.is_punct(outer_before, b">") and self.is_punct(outer_before - 1, b"-")
            return arrow or self.is_parameter_like(enclosing)  # `-> (())`
        return False

    def is_parameter_like(self, index: int) -> bool:
        after = self.next_sig(self.partner[index])
        return self.text(after) in _TYPE_AFTER or (self.is_punct(after, b"-") and self.is_punct(after + 1, b">"))

    def is_parameter_list(self, index: int) -> bool:
        """`(` opening a function's, initializer's or subscript's parameters."""
        before = self.prev_sig(index)
        if self.is_punct(before, b">"):  # a generic clause: walk back to its `<`
            depth = 0
            while before >= 0:
                if self.is_punct(before, b">"):
                    depth += 1
                elif self.is_punct(before, b"<"):
                    depth -= 1
                    if depth == 0:
                        break
                elif self.tokens.kinds[before] == PUNCT and self.byte[before] in b"{};":
                    return False
                before -= 1
            before = self.prev_sig(before)
        if self.is_punct(before, b"?") or self.is_punct(before, b"!"):
            before = self.prev_sig(before)
        if self.text(before) in _DECLARATION_KEYWORDS:
            return not self.is_punct(self.prev_sig(before), b".")  # `.init(…)` is a call
        return self.tokens.kinds[before] == ID and self.text(self.prev_sig(before)) == b"func"

    def nonisolated_unsafe(self, index: int) -> None:
        open_ = self.next_sig(index)
        if not self.is_punct(open_, b"(") or self.partner[open_] == -1:
            return
        inner = self.next_sig(open_)
        close = self.partner[open_]
        if self.text(inner) != b"unsafe" or self.next_sig(inner) != close:
            return
        if self.text(self.next_sig(close)) not in (b"let", b"var"):
            return
        enclosing = self.parent[index]
        if enclosing == -1 or self.byte[enclosing] != 0x7B or self.is_type_body(enclosing):
            return  # top level and type members parse; only locals fail
        self.blank(self.tokens.starts[index], self.tokens.ends[close])

    def is_type_body(self, brace: int) -> bool:
        """`{` opening a class, struct, enum, actor, protocol or extension body."""
        index = self.prev_sig(brace)
        while index >= 0:
            kind, word = self.tokens.kinds[index], self.text(index)
            if word in (b"class", b"struct", b"enum", b"actor", b"protocol", b"extension"):
                return True
            if (kind == PUNCT and self.byte[index] in b"{};()=") or word in (b"func", b"init", b"var", b"let"):
                return False
            if kind == NL and self.is_punct(self.prev_sig(index), b"}"):
                return False
            index -= 1
        return False

    def available_before_preview(self, index: int) -> None:
        close = self.prev_sig(index)
        if not self.is_punct(close, b")") or self.partner[close] == -1:
            return
        name = self.prev_sig(self.partner[close])
        at = self.prev_sig(name)
        if self.text(name) == b"available" and self.is_punct(at, b"@"):
            self.blank(self.tokens.starts[at], self.tokens.ends[close])

    def final_variable(self, index: int) -> None:
        after = self.next_sig(index)
        if after != -1 and (self.tokens.kinds[after] == ID or self.text(after)[:1] in _MODIFIER_FOLLOWERS):
            return  # the modifier: `final class`, `final @objc func`
        self.out[self.tokens.ends[index] - 1] = ord("_")

    def closure_parameter_lists(self) -> set[int]:
        """The `(` of every closure parameter list: `{ (a, b) in`, `{ [weak self] (a) -> T in`."""
        found: set[int] = set()
        for index, kind in enumerate(self.tokens.kinds):
            if kind != PUNCT or self.byte[index] != 0x7B:
                continue
            open_ = self.next_sig(index)
            if self.is_punct(open_, b"[") and self.partner[open_] != -1:
                open_ = self.next_sig(self.partner[open_])
            if not self.is_punct(open_, b"(") or self.partner[open_] == -1:
                continue
            after = self.next_sig(self.partner[open_])
            if self.text(after) in _TYPE_AFTER or (self.is_punct(after, b"-") and self.is_punct(after + 1, b">")):
                found.add(open_)
        return found

    def closure_parameters(self, open_: int) -> None:
        close = self.partner[open_]
        index = open_
        while index != -1 and index < close:
            name = self.next_sig(index)
            if name == -1 or name >= close:
                break
            following = self.next_sig(name)
            if self.text(name) == b"_" and self.tokens.kinds[following] == ID:
                after = self.next_sig(following)
                if after == close or self.is_punct(after, b","):
                    self.out[self.tokens.starts[name]] = 0x20  # `_ core` -> `  core`
            elif self.text(name) == b"self" and self.is_punct(following, b":"):
                self.out[self.tokens.starts[name]] = ord("_")  # `self: T` -> `_elf: T`
            # on to the next parameter: the `,` at this depth
            index = name
            while index < close and not (self.is_punct(index, b",") and self.parent[index] == open_):
                index = self.partner[index] if self.partner[index] > index else index + 1
            if index >= close:
                break

    def spaced_semicolon(self, index: int) -> None:
        kinds = self.tokens.kinds
        if index == 0 or kinds[index - 1] != WS:
            return
        before = index - 2
        if before < 0 or kinds[before] in (NL, COMMENT, WS):
            return
        enclosing = self.parent[index]
        if enclosing != -1 and self.byte[enclosing] != 0x7B:
            return
        if self.is_punct(before, b"{") or self.is_punct(before, b";"):
            return
        target = self.tokens.ends[before]
        self.out[self.tokens.starts[index]] = 0x20
        self.out[target] = ord(";")


__all__ = ["fix_up"]
