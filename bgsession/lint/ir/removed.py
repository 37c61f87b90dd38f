"""Calls of a keyed handler after its entry was removed: `handlers.removeValue(forKey: id)` followed by
`handlers[id]?()` (or by reading `handlers[id]` into a local and calling that) calls nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bgsession.lint import ir

_REMOVALS = ("removeValue", "removeObjectForKey:", "removeValueForKey:")

Entry = tuple[str, str]  # (member, the key as written)
MemberOf = Callable[[ir.Expr], "str | None"]  # the stored member an expression reads, if any


def calls_after_removal(body: list[ir.Stmt], scope: MemberOf) -> set[int]:
    """The identities of the call nodes that call an entry this body removed on the way to them;
    `scope` says which stored member an expression reads."""
    gone: set[int] = set()
    _walk(body, frozenset(), frozenset(), scope, gone)
    return gone


def _entry(base: ir.Expr, key: ir.Expr | None, scope: MemberOf) -> Entry | None:
    member = scope(base)
    text = ir.dotted(key) if key is not None else None
    return (member, text) if member is not None and text is not None else None


def _removal(stmt: ir.Stmt, scope: MemberOf) -> Entry | None:
    if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.expr, ir.Call) and isinstance(stmt.expr.callee, ir.Member):
        call = stmt.expr
        assert isinstance(call.callee, ir.Member)
        if call.callee.name in _REMOVALS and call.args:
            return _entry(call.callee.base, call.args[0].value, scope)
    if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.NilLit) and isinstance(stmt.target, ir.Subscript):
        return _entry(stmt.target.base, stmt.target.index[0] if stmt.target.index else None, scope)
    return None


def _shallow(expr: ir.Expr) -> Iterator[ir.Expr]:
    """`expr` and what is below it, closures themselves included but not their bodies."""
    stack = [expr]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, ir.Closure):
            stack.extend(ir.child_exprs(current))


def _walk(
    stmts: list[ir.Stmt], removed: frozenset[Entry], dead: frozenset[str], scope: MemberOf, gone: set[int]
) -> None:
    """Statements in order: what was removed before each one stays removed for the rest of the list and
    for the blocks and closures inside it (a removal inside a branch is not carried out of it)."""
    for stmt in stmts:
        for top in ir.stmt_exprs(stmt):
            for node in _shallow(top):
                if isinstance(node, ir.Closure):
                    _walk(node.body, removed, dead, scope, gone)
                elif isinstance(node, ir.Call) and not node.args:
                    callee = node.callee
                    if isinstance(callee, ir.Name) and callee.text in dead:
                        gone.add(id(node))
                    elif isinstance(callee, ir.Subscript):
                        if _entry(callee.base, callee.index[0] if callee.index else None, scope) in removed:
                            gone.add(id(node))
        bound: list[tuple[str, ir.Expr]] = []
        if isinstance(stmt, ir.VarDecl) and stmt.value is not None:
            bound = [(name, stmt.value) for name in stmt.names]
        elif isinstance(stmt, (ir.If, ir.Guard)):
            bound = list(stmt.binds)
        for name, value in bound:
            if isinstance(value, ir.Subscript):
                if _entry(value.base, value.index[0] if value.index else None, scope) in removed:
                    dead = dead | {name}
        for inner in ir.stmt_children(stmt):
            _walk(inner, removed, dead, scope, gone)
        entry = _removal(stmt, scope)
        if entry is not None:
            removed = removed | {entry}
