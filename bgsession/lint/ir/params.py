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
    dispatch = _Dispatch(body, identifier_param)
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.Assign) and _is_param(stmt.value, names):
            store = _store_target(stmt.target, scope, stmt.pos, dispatch)
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
                    _record_pass(use, expr, arg.label, scope, site, dispatch)
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


# Dictionary stores: `setValue:forKey:` is NSMutableDictionary's KVC spelling of `setObject:forKey:`.
_KEYED_STORES = frozenset({"setObject:forKey:", "setObject:forKeyedSubscript:", "setValue:forKey:", "updateValue"})


class _Dispatch:
    """Which identifiers the code at a position serves: those equal to a value it was compared to
    (`matched`), or all but the `excludes` values the final `else` of a chain of comparisons rules out."""

    def __init__(self, body: list[ir.Stmt], identifier: str | None) -> None:
        self.matched = _identifier_matched_ranges(body, identifier) if identifier else []
        self.excluded = _identifier_excluded_ranges(body, identifier) if identifier else []

    def at(self, position: int) -> tuple[bool, int]:
        matched = any(start <= position < end for start, end in self.matched)
        excludes = max((count for start, end, count in self.excluded if start <= position < end), default=0)
        return matched, excludes


def _record_pass(use: ParamUse, call: ir.Call, label: str, scope: Scope, site: Site, dispatch: _Dispatch) -> None:
    callee = call.callee
    if isinstance(callee, ir.Member):
        method = callee.name
        base_ref = member_ref(callee.base, scope)
        if method in _KEYED_STORES and base_ref is not None:
            use.stores.append(HandlerStore(base_ref.member, base_ref.type_name, True, True, loc(call.pos)))
            return
        if method in ("append", "addObject:", "insert") and base_ref is not None:
            use.stores.append(HandlerStore(base_ref.member, base_ref.type_name, True, True, loc(call.pos)))
            return
        if method.startswith("set") and method.endswith(":") and method.count(":") == 1 and len(method) > 4:
            owner = expr_type(callee.base, scope)
            member = method[3].lower() + method[4:-1]
            in_match, excludes = dispatch.at(call.pos.start_byte)
            use.stores.append(HandlerStore(member, owner, False, in_match, loc(call.pos), excludes))
            return
        if site.in_closure and method in ("notify",):
            use.deferred = True
            return
        in_match, excludes = dispatch.at(call.pos.start_byte)
        use.passes.append(
            MethodRef(
                expr_type(callee.base, scope),
                method,
                label,
                site.thread,
                site.wrapper,
                in_match,
                excludes,
                _receiver_name(callee.base, scope),
            )
        )
        return
    if isinstance(callee, ir.Name):
        in_match, excludes = dispatch.at(call.pos.start_byte)
        use.passes.append(MethodRef(scope.type_name, callee.text, label, site.thread, site.wrapper, in_match, excludes))
        return
    use.unresolved = True


def _receiver_name(base: ir.Expr, scope: Scope) -> str | None:
    """`uploader` in `controllers.uploader.run()` or `self.uploader.run()`, when the type is not known."""
    if expr_type(base, scope) is not None:
        return None
    if isinstance(base, ir.Member):
        return base.name
    if isinstance(base, ir.Name) and base.text not in scope.local_values and base.text not in scope.parameters:
        return base.text  # an implicit member of self
    return None


def _store_target(target: ir.Expr, scope: Scope, pos: ir.Pos, dispatch: _Dispatch) -> HandlerStore | None:
    in_match, excludes = dispatch.at(pos.start_byte)
    if isinstance(target, ir.Subscript):
        base = member_ref(target.base, scope)
        if base is None:
            return None
        return HandlerStore(base.member, base.type_name, True, True, loc(pos))
    ref = member_ref(target, scope)
    if ref is None:
        return None
    return HandlerStore(ref.member, ref.type_name, False, in_match, loc(pos), excludes)


def _identifier_excluded_ranges(body: list[ir.Stmt], identifier: str) -> list[tuple[int, int, int]]:
    """Byte ranges of the final `else` of `if id == a {…} else if id == b {…} else {…}`, with how many
    values the chain compared the identifier to: that code serves every identifier but those."""
    ranges: list[tuple[int, int, int]] = []
    inner: set[int] = set()
    for stmt in ir.all_stmts(body):
        if id(stmt) in inner or not isinstance(stmt, ir.If):
            continue
        count = 0
        current: ir.If | None = stmt
        while current is not None and any(_compares_identifier(c, identifier, "==") for c in current.conditions):
            count += 1
            otherwise = current.otherwise or []
            if len(otherwise) == 1 and isinstance(otherwise[0], ir.If):
                inner.add(id(otherwise[0]))
                current = otherwise[0]
                continue
            if otherwise:
                ranges.append((otherwise[0].pos.start_byte, otherwise[-1].pos.end_byte, count))
            current = None
    return ranges


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
