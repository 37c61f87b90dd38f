"""Fix-ups that need a look at a whole construct: awaited conditions and `#if` blocks the grammar rejects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bgsession.grammars.swift_tokens import DIRECTIVE, ID, PUNCT, STRING, WS

if TYPE_CHECKING:
    from bgsession.grammars.swift_fixups import _FixUp

_EFFECTS = {b"await", b"try"}
_SNIPPET_END = {b"switch": b"\ndefault: break\n}\n"}


def rewrite_condition(fx: _FixUp, index: int) -> bool:
    """Parenthesise, in the white space around it, what the grammar misreads in an `if`/`while`/`switch`/
    `guard` condition: `= await a {` -> `=(await a){` (it reads `a { … }` as a trailing closure when the
    awaited or tried operand of the last clause does not end in a call), and `case 1 = x` ->
    `case(1)= x` (it accepts no literal as a `case` pattern there). Only when the condition alone fails to
    parse and the rewritten one parses."""
    kinds = fx.tokens.kinds
    if fx.is_punct(fx.prev_sig(index), b"."):
        return False
    enclosing = fx.parent[index]
    body, clauses = -1, [index]
    position = index + 1
    while position < len(kinds):
        if kinds[position] == PUNCT:
            byte = fx.byte[position]
            if byte in b"([" and fx.partner[position] > position:
                position = fx.partner[position] + 1
                continue
            if byte == 0x7B:  # {
                body = position
                break
            if byte in b"});]":
                return False
            if byte == 0x2C and fx.parent[position] == enclosing:  # ,
                clauses.append(position)
        position += 1
    if body == -1:
        return False
    end_of_condition = fx.prev_sig(body) if fx.text(index) == b"guard" else body
    if fx.text(index) == b"guard" and fx.text(end_of_condition) != b"else":
        return False
    edits: list[tuple[int, int]] = []
    for number, clause in enumerate(clauses):
        stop = clauses[number + 1] if number + 1 < len(clauses) else end_of_condition
        _case_pattern(fx, fx.next_sig(clause), stop, edits)
    if fx.text(index) != b"guard":
        effect = next(
            (
                i
                for i in range(clauses[-1] + 1, body)
                if kinds[i] == ID and fx.text(i) in _EFFECTS and fx.parent[i] == enclosing
            ),
            -1,
        )
        if effect != -1 and kinds[effect - 1] == WS and kinds[body - 1] == WS:
            edits += [(fx.tokens.ends[effect - 1] - 1, ord("(")), (fx.tokens.starts[body - 1], ord(")"))]
    if not edits:
        return False
    start, end = fx.tokens.starts[index], fx.tokens.ends[body]
    tail = _SNIPPET_END.get(fx.text(index), b"\n}\n")
    if not _fails(bytes(fx.out[start:end]) + tail):
        return True
    candidate = bytearray(fx.out[start:end])
    for at, byte in edits:
        candidate[at - start] = byte
    if _fails(bytes(candidate) + tail):
        return True
    for at, byte in edits:
        fx.out[at] = byte
    return True


def _case_pattern(fx: _FixUp, case: int, stop: int, edits: list[tuple[int, int]]) -> None:
    """`case 200 ..< 300 = x`: parenthesise a pattern that starts with a literal."""
    kinds = fx.tokens.kinds
    if case == -1 or fx.text(case) != b"case" or kinds[case + 1] != WS:
        return
    first = fx.next_sig(case)
    if not (kinds[first] == STRING or (kinds[first] == PUNCT and fx.byte[first] in b"-0123456789")):
        return
    equals = next(
        (
            i
            for i in range(first, stop)
            if fx.is_punct(i, b"=")
            and fx.parent[i] == fx.parent[case]
            and kinds[i - 1] == WS
            and not fx.is_punct(i + 1, b"=")
        ),
        -1,
    )
    if equals != -1:
        edits += [(fx.tokens.starts[case + 1], ord("(")), (fx.tokens.starts[equals - 1], ord(")"))]


def _fails(snippet: bytes) -> bool:
    from bgsession.grammars import SourceLanguage, parser

    return parser(SourceLanguage.SWIFT).parse(snippet).root_node.has_error


def rewrite_conditional(fx: _FixUp, index: int) -> None:
    """Blank an `#if` block's directive lines and every branch but the first, where the grammar accepts no
    directive: inside an argument list or collection literal, or around attributes alone (`@main`)."""
    branches = _branches(fx).get(index)
    if branches is None:
        return
    endif = branches[-1]
    enclosing = fx.parent[index]
    if fx.parent[endif] != enclosing:
        return
    inside_brackets = enclosing != -1 and fx.byte[enclosing] in b"(["
    if not inside_brackets and not _attributes_only(fx, index, branches):
        return
    fx.blank(
        fx.tokens.starts[index],
        fx.tokens.starts[fx.line_end(index)] if fx.line_end(index) < len(fx.tokens.kinds) else len(fx.source),
    )
    first_other = branches[0]
    last = fx.line_end(endif)
    fx.blank(fx.tokens.starts[first_other], fx.tokens.starts[last] if last < len(fx.tokens.kinds) else len(fx.source))


def _attributes_only(fx: _FixUp, index: int, branches: list[int]) -> bool:
    """Every branch holds only attributes (`@main`, `@available(iOS 15, *)`), and a declaration follows."""
    after = fx.next_sig(branches[-1])
    if after == -1 or not (fx.tokens.kinds[after] == ID or fx.is_punct(after, b"@")):
        return False
    start = fx.line_end(index)
    for stop in branches:
        position, seen = fx.next_sig(start), False
        while position != -1 and position < stop:
            if not fx.is_punct(position, b"@") or fx.tokens.kinds[position + 1] != ID:
                return False
            position = fx.next_sig(position + 1)
            if fx.is_punct(position, b"(") and fx.partner[position] > position:
                position = fx.next_sig(fx.partner[position])
            seen = True
        if not seen and stop == branches[0]:
            return False
        start = fx.line_end(stop)
    return True


def _branches(fx: _FixUp) -> dict[int, list[int]]:
    """For each `#if`: its `#elseif`/`#else` directives, then its `#endif` (one pass over the file)."""
    if fx.branch_table is not None:
        return fx.branch_table
    table: dict[int, list[int]] = {}
    stack: list[int] = []
    for position, kind in enumerate(fx.tokens.kinds):
        if kind != DIRECTIVE:
            continue
        word = fx.text(position)
        if word == b"#if":
            stack.append(position)
            table[position] = []
        elif word in (b"#elseif", b"#else") and stack:
            table[stack[-1]].append(position)
        elif word == b"#endif" and stack:
            table[stack.pop()].append(position)
    for opener in stack:  # unterminated
        table.pop(opener, None)
    fx.branch_table = table
    return table


__all__ = ["rewrite_condition", "rewrite_conditional"]
