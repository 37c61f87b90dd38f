"""What a function does with a handler parameter: stores it, calls it, passes it on."""

from __future__ import annotations

from dataclasses import dataclass, field

from bgsession.lint import ir
from bgsession.lint.facts import HandlerStore, MethodRef, Thread
from bgsession.lint.ir.handlers import member_ref
from bgsession.lint.ir.scope import Scope, expr_type, loc
from bgsession.lint.ir.threads import Site, visit


@dataclass(slots=True)
class ParamUse:
    """How a body uses one handler parameter."""

    stores: list[HandlerStore] = field(default_factory=list)
    direct_calls: list[tuple[ir.Call, Thread, str | None]] = field(default_factory=list)
    deferred: bool = False
    passes: list[MethodRef] = field(default_factory=list)
    unresolved: bool = False


def param_use(body: list[ir.Stmt], param: str, scope: Scope, *, identifier_param: str | None = None) -> ParamUse:
    use = ParamUse()
    names = {param}
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.VarDecl) and isinstance(stmt.value, ir.Name) and stmt.value.text in names:
            names.update(stmt.names)
    matched_ranges = _identifier_matched_ranges(body, identifier_param) if identifier_param else []
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.Assign) and _is_param(stmt.value, names):
            store = _store_target(stmt.target, scope, stmt.pos, matched_ranges)
            if store is not None:
                use.stores.append(store)
            else:
                use.unresolved = True
    for site in visit(body, scope):
        expr = site.expr
        if isinstance(expr, ir.Call):
            if isinstance(expr.callee, ir.Name) and expr.callee.text in names:
                if site.in_closure:
                    use.deferred = True
                else:
                    use.direct_calls.append((expr, site.thread, site.wrapper))
                continue
            for arg in expr.args:
                if _is_param(arg.value, names):
                    _record_pass(use, expr, arg.label, scope, site, matched_ranges)
        elif isinstance(expr, ir.Closure) or site.in_closure:
            if isinstance(expr, ir.Name) and expr.text in names:
                use.deferred = True
    return use


def _is_param(expr: ir.Expr, names: set[str]) -> bool:
    if isinstance(expr, ir.Cast):
        expr = expr.expr
    if (
        isinstance(expr, ir.Call)
        and expr.message
        and isinstance(expr.callee, ir.Member)
        and (expr.callee.name == "copy")
    ):
        expr = expr.callee.base
    return isinstance(expr, ir.Name) and expr.text in names


def _record_pass(
    use: ParamUse, call: ir.Call, label: str, scope: Scope, site: Site, matched: list[tuple[int, int]]
) -> None:
    callee = call.callee
    if isinstance(callee, ir.Member):
        method = callee.name
        base_ref = member_ref(callee.base, scope)
        if method in ("setObject:forKey:", "setObject:forKeyedSubscript:", "updateValue") and base_ref is not None:
            use.stores.append(HandlerStore(base_ref.member, base_ref.type_name, True, True, loc(call.pos)))
            return
        if method in ("append", "addObject:", "insert") and base_ref is not None:
            use.stores.append(HandlerStore(base_ref.member, base_ref.type_name, True, True, loc(call.pos)))
            return
        if method.startswith("set") and method.endswith(":") and method.count(":") == 1 and len(method) > 4:
            owner = expr_type(callee.base, scope)
            member = method[3].lower() + method[4:-1]
            in_match = any(start <= call.pos.start_byte < end for start, end in matched)
            use.stores.append(HandlerStore(member, owner, False, in_match, loc(call.pos)))
            return
        if site.in_closure and method in ("notify",):
            use.deferred = True
            return
        use.passes.append(MethodRef(expr_type(callee.base, scope), method, label, site.thread, site.wrapper))
        return
    if isinstance(callee, ir.Name):
        use.passes.append(MethodRef(scope.type_name, callee.text, label, site.thread, site.wrapper))
        return
    use.unresolved = True


def _store_target(target: ir.Expr, scope: Scope, pos: ir.Pos, matched: list[tuple[int, int]]) -> HandlerStore | None:
    in_match = any(start <= pos.start_byte < end for start, end in matched)
    if isinstance(target, ir.Subscript):
        base = member_ref(target.base, scope)
        if base is None:
            return None
        return HandlerStore(base.member, base.type_name, True, True, loc(pos))
    ref = member_ref(target, scope)
    if ref is None:
        return None
    return HandlerStore(ref.member, ref.type_name, False, in_match, loc(pos))


def _identifier_matched_ranges(body: list[ir.Stmt], identifier: str) -> list[tuple[int, int]]:
    """Byte ranges of code that runs only when the identifier equals some value (per-manager slots)."""
    ranges: list[tuple[int, int]] = []
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.If) and any(_compares_identifier(c, identifier, "==") for c in stmt.conditions):
            if stmt.then:
                ranges.append((stmt.then[0].pos.start_byte, stmt.then[-1].pos.end_byte))
        elif isinstance(stmt, ir.Switch) and mentions(stmt.subject, identifier):
            for case in stmt.cases:
                if not case.is_default and case.body:
                    ranges.append((case.body[0].pos.start_byte, case.body[-1].pos.end_byte))
    return ranges


def _compares_identifier(expr: ir.Expr, identifier: str, op: str) -> bool:
    for node in ir.walk_exprs(expr):
        if (
            isinstance(node, ir.Binary)
            and node.op == op
            and (mentions(node.lhs, identifier) or mentions(node.rhs, identifier))
        ):
            return True
        if (
            isinstance(node, ir.Call)
            and isinstance(node.callee, ir.Member)
            and node.callee.name
            in (
                "isEqualToString:",
                "isEqual:",
                "hasPrefix",
                "hasPrefix:",
                "hasSuffix",
                "starts",
                "contains",
            )
            and (mentions(node.callee.base, identifier) or any(mentions(a.value, identifier) for a in node.args))
        ):
            return True
    return False


def mentions(expr: ir.Expr, name: str) -> bool:
    return any(isinstance(node, ir.Name) and node.text == name for node in ir.walk_exprs(expr))
