"""Analyses of function bodies in the IR, shared by Swift and Objective-C.

Each analysis answers one question the rules ask: what `handleEvents` does with its completion
handler on every path; which stored handlers a method calls, on which thread, and whether it clears
them; whether a download callback lets its temporary file escape; whether a watchOS task handler
completes every task at the right time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bgsession.diagnostics import Loc
from bgsession.lint import ir
from bgsession.lint.facts import HandlerCall, HandlerStore, MethodRef, Thread

_SHARED = {"shared", "sharedInstance", "default", "instance", "current", "main", "standard"}
_HANDLER_LIKE = re.compile(r"(?i)handler|completion|callback|block")
_ASYNC_WORK = {
    "async",
    "asyncAfter",
    "addOperation",
    "addOperationWithBlock:",
    "performBackgroundTask",
    "perform",
    "dispatch_async",
    "dispatch_after",
    "Task",
    "detached",
    "notify",
}
_CLEARING_METHODS = {
    "removeValue",
    "removeAll",
    "removeObjectForKey:",
    "removeAllObjects",
    "removeValueForKey:",
    "removeObject:",
    "removeObjectsForKeys:",
}


def loc(pos: ir.Pos) -> Loc:
    return Loc(pos.line, pos.column, pos.end_line, pos.end_column)


@dataclass(slots=True)
class Scope:
    """What is known inside one function: its type, parameters, and local names' types and values."""

    type_name: str | None
    parameters: dict[str, str | None] = field(default_factory=dict)  # name -> type text
    local_types: dict[str, str] = field(default_factory=dict)
    local_values: dict[str, ir.Expr] = field(default_factory=dict)
    main_helpers: frozenset[str] = frozenset()

    def learn(self, body: list[ir.Stmt]) -> None:
        """Record every local binding's value and, where it shows, its type."""
        for stmt in _all_stmts(body):
            bindings: list[tuple[str, ir.Expr | None, str | None]] = []
            if isinstance(stmt, ir.VarDecl):
                bindings = [(name, stmt.value, stmt.type_name) for name in stmt.names]
            elif isinstance(stmt, (ir.If, ir.Guard)):
                bindings = [(name, value, None) for name, value in stmt.binds]
            for name, value, type_name in bindings:
                if value is not None:
                    self.local_values.setdefault(name, value)
                known = type_name or (expr_type(value, self) if value is not None else None)
                if known and known not in ("id", "var", "let", "void", "auto"):
                    self.local_types.setdefault(name, known)


def _all_stmts(body: list[ir.Stmt]) -> Iterator[ir.Stmt]:
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        for inner in ir.stmt_children(stmt):
            stack.extend(reversed(inner))
        for top in ir.stmt_exprs(stmt):
            for expr in ir.walk_exprs(top):
                if isinstance(expr, ir.Closure):
                    stack.extend(reversed(expr.body))
                elif isinstance(expr, ir.Opaque):
                    stack.extend(reversed(expr.stmts))


def expr_type(expr: ir.Expr | None, scope: Scope) -> str | None:
    """The class an expression refers to, when the code shows it."""
    if expr is None:
        return None
    if isinstance(expr, ir.SelfRef):
        return scope.type_name
    if isinstance(expr, ir.Cast):
        return expr.type_name.rstrip("?!") or None
    if isinstance(expr, ir.Name):
        if expr.text in scope.local_types:
            return scope.local_types[expr.text]
        parameter_type = scope.parameters.get(expr.text)
        if parameter_type:
            return parameter_type
        return expr.text if expr.text[:1].isupper() else None
    if isinstance(expr, ir.Member):
        if expr.name in _SHARED or expr.name.startswith("shared"):
            base = ir.dotted(expr.base)
            if base and base[:1].isupper() and "." not in base:
                return base
        return None
    if isinstance(expr, ir.Call):
        callee = expr.callee
        if isinstance(callee, ir.Name) and callee.text[:1].isupper():
            return callee.text
        if isinstance(callee, ir.SelfRef) and callee.type_level:
            return scope.type_name
        if isinstance(callee, ir.Member):
            name = callee.name.split(":", 1)[0]
            if isinstance(callee.base, ir.SelfRef) and name in ("alloc", "new"):
                return scope.type_name
            base = ir.dotted(callee.base)
            if (
                base
                and base[:1].isupper()
                and "." not in base
                and (
                    name in _SHARED or name.startswith(("shared", "default", "init", "new", "alloc")) or name == "init"
                )
            ):
                return base
            if name.startswith("init") and isinstance(callee.base, ir.Call):
                return expr_type(callee.base, scope)
    if isinstance(expr, ir.Opaque) and len(expr.children) == 1:
        return expr_type(expr.children[0], scope)
    return None


# --- where code runs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Site:
    """An expression with the thread it runs on and whether it is inside a closure."""

    expr: ir.Expr
    thread: Thread
    wrapper: str | None
    in_closure: bool


def closure_thread(call: ir.Call, closure: ir.Closure, scope: Scope) -> tuple[Thread, str | None]:
    """The thread a closure passed to `call` runs on."""
    if closure.main_actor:
        return Thread.MAIN, None
    callee = call.callee
    text = ir.dotted(callee) or ""
    name = callee.name if isinstance(callee, ir.Member) else (callee.text if isinstance(callee, ir.Name) else "")
    base_name = name.split(":", 1)[0]
    if text.startswith(("DispatchQueue.main.", "OperationQueue.main.", "RunLoop.main.", "MainActor.")):
        return Thread.MAIN, None
    if text in ("NSOperationQueue.mainQueue.addOperationWithBlock:", "NSOperationQueue.main.addOperationWithBlock:"):
        return Thread.MAIN, None
    if name in ("dispatch_async", "dispatch_sync", "dispatch_after", "dispatch_barrier_async") and call.args:
        queue = call.args[0].value if name != "dispatch_after" else (call.args[1].value if len(call.args) > 1 else None)
        queue_text = ir.dotted(queue.callee) if isinstance(queue, ir.Call) else (ir.dotted(queue) if queue else None)
        if queue_text in ("dispatch_get_main_queue", "_dispatch_main_q"):
            return Thread.MAIN, None
        if queue_text == "dispatch_get_global_queue":
            return Thread.OFF, None
        return Thread.UNKNOWN, name
    if isinstance(callee, ir.Member) and isinstance(callee.base, ir.Call):
        inner = ir.dotted(callee.base.callee) or ""
        if inner in ("DispatchQueue.global", "DispatchQueue"):
            return Thread.OFF, None
    if text == "Task.detached":
        return Thread.OFF, None
    if base_name in scope.main_helpers or text in scope.main_helpers:
        return Thread.MAIN, None
    return Thread.UNKNOWN, text or base_name or None


def _is_main_thread_check(expr: ir.Expr) -> bool:
    text = ir.dotted(expr) or ""
    return text in ("Thread.isMainThread", "NSThread.isMainThread", "Thread.current.isMainThread") or (
        isinstance(expr, ir.Call) and (ir.dotted(expr.callee) or "") in ("NSThread.isMainThread", "isMainThread")
    )


def visit(
    body: list[ir.Stmt],
    scope: Scope,
    thread: Thread = Thread.DIRECT,
    wrapper: str | None = None,
    in_closure: bool = False,
) -> Iterator[Site]:
    """Every expression of `body`, at any depth, with where it runs."""
    for stmt in body:
        if isinstance(stmt, ir.If) and any(_is_main_thread_check(c) for c in stmt.conditions):
            for condition in stmt.conditions:
                yield from _visit_expr(condition, scope, thread, wrapper, in_closure)
            yield from visit(stmt.then, scope, Thread.MAIN, None, in_closure)
            if stmt.otherwise:
                yield from visit(stmt.otherwise, scope, thread, wrapper, in_closure)
            continue
        for top in ir.stmt_exprs(stmt):
            yield from _visit_expr(top, scope, thread, wrapper, in_closure)
        for inner in ir.stmt_children(stmt):
            yield from visit(inner, scope, thread, wrapper, in_closure)


def _visit_expr(expr: ir.Expr, scope: Scope, thread: Thread, wrapper: str | None, in_closure: bool) -> Iterator[Site]:
    yield Site(expr, thread, wrapper, in_closure)
    if isinstance(expr, ir.Call):
        yield from _visit_expr(expr.callee, scope, thread, wrapper, in_closure)
        closures = [*expr.closures, *(arg.value for arg in expr.args if isinstance(arg.value, ir.Closure))]
        for arg in expr.args:
            if not isinstance(arg.value, ir.Closure):
                yield from _visit_expr(arg.value, scope, thread, wrapper, in_closure)
        for closure in closures:
            inner_thread, inner_wrapper = closure_thread(expr, closure, scope)
            if inner_thread is Thread.UNKNOWN and thread is Thread.OFF:
                inner_thread = Thread.OFF
            yield from visit(closure.body, scope, inner_thread, inner_wrapper, True)
        return
    if isinstance(expr, ir.Closure):
        inner = Thread.MAIN if expr.main_actor else Thread.UNKNOWN
        yield from visit(expr.body, scope, inner, None if expr.main_actor else "a stored closure", True)
        return
    if isinstance(expr, ir.Opaque):
        yield from visit(expr.stmts, scope, thread, wrapper, in_closure)
    for child in ir.child_exprs(expr):
        yield from _visit_expr(child, scope, thread, wrapper, in_closure)


# --- stored handlers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """A place that holds a handler: `member` of `type_name`, keyed by some key or not."""

    member: str
    type_name: str | None
    keyed: bool
    removed: bool = False


def member_ref(expr: ir.Expr, scope: Scope, *, exclude: frozenset[str] = frozenset()) -> Ref | None:
    """The member an expression reads: `self.x`, `x` (an implicit member), `T.shared.x`, `_x`, `d.x`."""
    if isinstance(expr, ir.Name):
        name = expr.text
        if name in exclude or name in scope.parameters or name in scope.local_values or name[:1].isupper():
            return None
        return Ref(name[1:] if name.startswith("_") and len(name) > 1 else name, scope.type_name, False)
    if isinstance(expr, ir.Member):
        if expr.name in ("values",):
            return None
        owner = expr_type(expr.base, scope)
        if isinstance(expr.base, ir.Name) and expr.base.text in scope.parameters and owner is None:
            return None
        return Ref(expr.name, owner, False)
    if isinstance(expr, ir.Call) and expr.message and not expr.args and isinstance(expr.callee, ir.Member):
        owner = expr_type(expr.callee.base, scope)
        return Ref(expr.callee.name, owner, False)
    return None


def handler_source(expr: ir.Expr, scope: Scope, aliases: dict[str, Ref]) -> Ref | None:
    """Where a handler value comes from: a member, a keyed lookup, a removal, or an alias of one."""
    if isinstance(expr, ir.Name) and expr.text in aliases:
        return aliases[expr.text]
    if isinstance(expr, ir.Subscript):
        base = member_ref(expr.base, scope)
        return Ref(base.member, base.type_name, True) if base else None
    if isinstance(expr, ir.Call) and isinstance(expr.callee, ir.Member):
        method = expr.callee.name
        if method in ("removeValue", "objectForKey:", "valueForKey:", "removeValueForKey:"):
            base = member_ref(expr.callee.base, scope)
            if base is not None:
                return Ref(base.member, base.type_name, True, removed=method.startswith("remove"))
    if isinstance(expr, ir.Binary) and expr.op == "??":
        return handler_source(expr.lhs, scope, aliases)
    if isinstance(expr, ir.Cast):
        return handler_source(expr.expr, scope, aliases)
    return member_ref(expr, scope)


def _aliases(body: list[ir.Stmt], scope: Scope) -> dict[str, Ref]:
    aliases: dict[str, Ref] = {}
    for stmt in _all_stmts(body):
        pairs: list[tuple[str, ir.Expr]] = []
        if isinstance(stmt, ir.VarDecl) and stmt.value is not None and len(stmt.names) == 1:
            pairs = [(stmt.names[0], stmt.value)]
        elif isinstance(stmt, (ir.If, ir.Guard)):
            pairs = list(stmt.binds)
        elif isinstance(stmt, ir.Loop) and stmt.variable and isinstance(stmt.iterable, ir.Member):
            if stmt.iterable.name == "values":
                base = member_ref(stmt.iterable.base, scope)
                if base is not None:
                    aliases[stmt.variable] = Ref(base.member, base.type_name, True)
            continue
        for name, value in pairs:
            if isinstance(value, ir.Cast) or expr_type(value, scope) not in (None,):
                # `let d = UIApplication.shared.delegate as? AppDelegate`: a typed object, not a handler.
                if not isinstance(value, (ir.Subscript,)) and not _looks_like_handler_value(value):
                    continue
            source = handler_source(value, scope, aliases)
            if source is not None:
                aliases[name] = source
    return aliases


def _looks_like_handler_value(expr: ir.Expr) -> bool:
    name = ir.last_name(expr)
    return bool(name and _HANDLER_LIKE.search(name))


def cleared_members(body: list[ir.Stmt], scope: Scope) -> set[str]:
    """Members a body sets to nil or removes entries from."""
    cleared: set[str] = set()
    for stmt in _all_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.NilLit):
            target = stmt.target.base if isinstance(stmt.target, ir.Subscript) else stmt.target
            ref = member_ref(target, scope)
            if ref is not None:
                cleared.add(ref.member)
            elif isinstance(target, ir.Name):
                cleared.add(target.text)
    for expr in ir.walk_body(body):
        if isinstance(expr, ir.Call) and isinstance(expr.callee, ir.Member):
            method = expr.callee.name
            if method in _CLEARING_METHODS or method.startswith("removeValue"):
                ref = member_ref(expr.callee.base, scope)
                if ref is not None:
                    cleared.add(ref.member)
            elif (
                method.startswith("set")
                and method.endswith(":")
                and expr.args
                and isinstance(expr.args[0].value, ir.NilLit)
            ):
                cleared.add(method[3:4].lower() + method[4:-1])
    return cleared


def handler_calls(
    body: list[ir.Stmt], scope: Scope, *, exclude: frozenset[str] = frozenset()
) -> tuple[list[HandlerCall], list[MethodRef]]:
    """Stored handlers a body calls (with thread and clearing) and the project methods it calls."""
    aliases = _aliases(body, scope)
    cleared = cleared_members(body, scope)
    calls: list[HandlerCall] = []
    methods: list[MethodRef] = []
    for site in visit(body, scope):
        expr = site.expr
        if not isinstance(expr, ir.Call):
            continue
        callee = expr.callee
        every = _calls_every(expr, scope)
        if every is not None:
            calls.append(_handler_call(every, site, expr, cleared, every=True))
            continue
        handed = _handed_to_queue(expr, site, scope, aliases, exclude)
        if handed is not None:
            calls.append(_handler_call(handed[0], handed[1], expr, cleared, every=False))
            continue
        if not expr.args or (expr.message is False and all(isinstance(a.value, ir.Closure) for a in expr.args)):
            ref: Ref | None = None
            if isinstance(callee, ir.Name) and callee.text in aliases:
                ref = aliases[callee.text]
            elif isinstance(callee, (ir.Subscript, ir.Call)) and not expr.message:
                ref = handler_source(callee, scope, aliases)
            elif isinstance(callee, ir.Member) and not expr.message and not expr.closures:
                ref = member_ref(callee, scope, exclude=exclude)
            elif (
                isinstance(callee, ir.Name)
                and not expr.closures
                and (callee.text.startswith("_") or _HANDLER_LIKE.search(callee.text))
            ):
                # A bare call is a C function unless it names a block ivar or a handler-like member.
                ref = member_ref(callee, scope, exclude=exclude)
            if ref is not None and (ref.keyed or not expr.closures):
                calls.append(_handler_call(ref, site, expr, cleared, every=False))
                continue
        if (isinstance(callee, ir.Member) and not isinstance(callee.base, ir.Name)) or (
            isinstance(callee, ir.Member) and isinstance(callee.base, ir.Name)
        ):
            assert isinstance(callee, ir.Member)
            methods.append(MethodRef(expr_type(callee.base, scope), callee.name, None, site.thread, site.wrapper))
        elif isinstance(callee, ir.Name) and not callee.text[:1].isupper() and callee.text not in scope.parameters:
            methods.append(MethodRef(scope.type_name, callee.text, None, site.thread, site.wrapper))
    return calls, methods


_QUEUE_CALLS = {
    "async",
    "asyncAfter",
    "sync",
    "addOperation",
    "addOperationWithBlock:",
    "dispatch_async",
    "dispatch_after",
}


def _handed_to_queue(
    call: ir.Call, site: Site, scope: Scope, aliases: dict[str, Ref], exclude: frozenset[str]
) -> tuple[Ref, Site] | None:
    """`dispatch_async(dispatch_get_main_queue(), handler)`, `DispatchQueue.main.async(execute: handler)`:
    the handler itself is the work item, so the queue's thread is where it is called."""
    callee = call.callee
    name = callee.name if isinstance(callee, ir.Member) else (callee.text if isinstance(callee, ir.Name) else "")
    helper = name.split(":", 1)[0] in scope.main_helpers or (ir.dotted(callee) or "") in scope.main_helpers
    if name not in _QUEUE_CALLS and not helper:
        return None
    work = call.args[1:] if name.startswith("dispatch_") else call.args
    for arg in work:
        value = arg.value
        work_label = helper or arg.label in ("", "_", "execute") or arg.label.startswith("addOperation")
        if isinstance(value, ir.Closure) or not work_label:
            continue
        if isinstance(value, ir.Name) and value.text in aliases:
            ref: Ref | None = aliases[value.text]
        elif _looks_like_handler_value(value):
            ref = handler_source(value, scope, aliases)
            if ref is not None and ref.member in exclude:
                ref = None
        else:
            ref = None
        if ref is not None:
            thread, wrapper = closure_thread(call, ir.Closure(call.pos, []), scope)
            if thread is Thread.UNKNOWN and site.thread is Thread.OFF:
                thread = Thread.OFF
            return ref, Site(call, thread, wrapper, site.in_closure)
    return None


def _calls_every(call: ir.Call, scope: Scope) -> Ref | None:
    """`handlers.values.forEach { $0() }`: every stored handler is called."""
    callee = call.callee
    if isinstance(callee, ir.Member) and callee.name == "forEach" and isinstance(callee.base, ir.Member):
        if callee.base.name == "values" and call.closures:
            base = member_ref(callee.base.base, scope)
            if base is not None:
                return Ref(base.member, base.type_name, True)
    return None


def _handler_call(ref: Ref, site: Site, call: ir.Call, cleared: set[str], *, every: bool) -> HandlerCall:
    return HandlerCall(
        member=ref.member,
        type_name=ref.type_name,
        keyed=ref.keyed,
        every=every,
        thread=site.thread,
        wrapper=site.wrapper,
        cleared=ref.removed or ref.member in cleared,
        loc=loc(call.pos),
    )


# --- what a function does with a handler parameter --------------------------------------------------


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
    for stmt in _all_stmts(body):
        if isinstance(stmt, ir.VarDecl) and isinstance(stmt.value, ir.Name) and stmt.value.text in names:
            names.update(stmt.names)
    matched_ranges = _identifier_matched_ranges(body, identifier_param) if identifier_param else []
    for stmt in _all_stmts(body):
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
    for stmt in _all_stmts(body):
        if isinstance(stmt, ir.If) and any(_compares_identifier(c, identifier, "==") for c in stmt.conditions):
            if stmt.then:
                ranges.append((stmt.then[0].pos.start_byte, stmt.then[-1].pos.end_byte))
        elif isinstance(stmt, ir.Switch) and _mentions(stmt.subject, identifier):
            for case in stmt.cases:
                if not case.is_default and case.body:
                    ranges.append((case.body[0].pos.start_byte, case.body[-1].pos.end_byte))
    return ranges


def _compares_identifier(expr: ir.Expr, identifier: str, op: str) -> bool:
    for node in ir.walk_exprs(expr):
        if (
            isinstance(node, ir.Binary)
            and node.op == op
            and (_mentions(node.lhs, identifier) or _mentions(node.rhs, identifier))
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
            and (_mentions(node.callee.base, identifier) or any(_mentions(a.value, identifier) for a in node.args))
        ):
            return True
    return False


def _mentions(expr: ir.Expr, name: str) -> bool:
    return any(isinstance(node, ir.Name) and node.text == name for node in ir.walk_exprs(expr))


# --- handleEvents: every path ----------------------------------------------------------------------------


@dataclass(slots=True)
class PathReport:
    """Paths through handleEvents that end without touching the handler, and direct calls' paths."""

    dropping: list[bool] = field(default_factory=list)  # True when that path is an unknown-identifier path
    early: list[ir.Pos] = field(default_factory=list)
    checks_identifier: bool = False


def handle_events_paths(body: list[ir.Stmt], handler: str, identifier: str) -> PathReport:
    """Walk every path of handleEvents: does it keep or call the handler, and where is it called directly?"""
    report = PathReport()
    walker = _PathWalker(handler, _derived_names(body, identifier), report)
    for handled, mismatch in walker.walk(body, handled=False, mismatch=False):
        if not handled:
            report.dropping.append(mismatch)
    return report


def _derived_names(body: list[ir.Stmt], identifier: str) -> frozenset[str]:
    """The identifier and every local computed from it (`let manager = Manager.manager(for: identifier)`)."""
    names = {identifier}
    changed = True
    while changed:
        changed = False
        for stmt in _all_stmts(body):
            pairs: list[tuple[str, ir.Expr]] = []
            if isinstance(stmt, ir.VarDecl) and stmt.value is not None:
                pairs = [(name, stmt.value) for name in stmt.names]
            elif isinstance(stmt, (ir.If, ir.Guard)):
                pairs = list(stmt.binds)
            for name, value in pairs:
                if name not in names and any(_mentions(value, known) for known in names):
                    names.add(name)
                    changed = True
    return frozenset(names)


class _PathWalker:
    """Follows if/guard/switch/return through a body, tracking whether the handler was used yet and
    whether the path is the one taken for identifiers the code does not recognise."""

    def __init__(self, handler: str, derived: frozenset[str], report: PathReport) -> None:
        self.handler = handler
        self.derived = derived
        self.report = report

    def walk(self, stmts: list[ir.Stmt], *, handled: bool, mismatch: bool) -> set[tuple[bool, bool]]:
        states = {(handled, mismatch)}
        for stmt in stmts:
            next_states: set[tuple[bool, bool]] = set()
            for state_handled, state_mismatch in states:
                next_states |= self.step(stmt, state_handled, state_mismatch)
            states = next_states
            if not states:
                break
        return states

    def checks(self, expr: ir.Expr) -> bool:
        return any(_mentions(expr, name) for name in self.derived)

    def mismatch_branch(self, conditions: list[ir.Expr]) -> str | None:
        """Which branch of a condition on the identifier is taken for an unknown identifier."""
        for condition in conditions:
            if not self.checks(condition):
                continue
            node = condition.operand if isinstance(condition, ir.Unary) and condition.op == "!" else condition
            negated = node is not condition
            if isinstance(node, ir.Binary) and node.op in ("==", "!="):
                against_nil = isinstance(node.lhs, ir.NilLit) or isinstance(node.rhs, ir.NilLit)
                then_is_mismatch = (node.op == "==") == against_nil
            elif isinstance(node, (ir.Name, ir.Member)) and not negated:
                then_is_mismatch = False
            elif isinstance(node, (ir.Name, ir.Member)):
                then_is_mismatch = True
            else:
                then_is_mismatch = negated
            return "then" if then_is_mismatch else "else"
        return None

    def step(self, stmt: ir.Stmt, handled: bool, mismatch: bool) -> set[tuple[bool, bool]]:
        uses = _statement_uses(stmt, self.handler)
        if uses.direct and not mismatch:
            self.report.early.extend(uses.direct)
        if isinstance(stmt, ir.Return):
            if not (handled or uses.any):
                self.report.dropping.append(mismatch)
            return set()
        if isinstance(stmt, ir.If):
            branch = self.mismatch_branch(stmt.conditions)
            if branch is None and stmt.binds and any(self.checks(value) for _, value in stmt.binds):
                branch = "else"
            self.report.checks_identifier |= branch is not None
            now = handled or any(_mentions(c, self.handler) for c in stmt.conditions)
            then = self.walk(stmt.then, handled=now, mismatch=mismatch or branch == "then")
            otherwise = self.walk(stmt.otherwise or [], handled=now, mismatch=mismatch or branch == "else")
            return then | otherwise
        if isinstance(stmt, ir.Guard):
            branch = self.mismatch_branch(stmt.conditions)
            checks = branch is not None or any(self.checks(value) for _, value in stmt.binds)
            self.report.checks_identifier |= checks
            # A guard's else runs when the condition fails: for `guard identifier == x` that is the mismatch.
            exits_on_mismatch = checks and branch != "then"
            for end_handled, end_mismatch in self.walk(
                stmt.otherwise, handled=handled, mismatch=mismatch or exits_on_mismatch
            ):
                if not end_handled:
                    self.report.dropping.append(end_mismatch)
            return {(handled, mismatch or (checks and branch == "then"))}
        if isinstance(stmt, ir.Switch):
            checks = self.checks(stmt.subject)
            self.report.checks_identifier |= checks
            results: set[tuple[bool, bool]] = set()
            for case in stmt.cases:
                results |= self.walk(case.body, handled=handled, mismatch=mismatch or (checks and case.is_default))
            if not any(case.is_default for case in stmt.cases):
                results.add((handled, mismatch or checks))
            return results
        if isinstance(stmt, (ir.Block, ir.OtherStmt)) and not uses.any:
            return self.walk(stmt.body, handled=handled, mismatch=mismatch)
        return {(handled or uses.any, mismatch)}


@dataclass(slots=True)
class _Uses:
    any: bool
    direct: list[ir.Pos]


def _statement_uses(stmt: ir.Stmt, handler: str) -> _Uses:
    found = False
    direct: list[ir.Pos] = []
    if isinstance(stmt, (ir.If, ir.Guard, ir.Switch)):
        return _Uses(False, [])
    exprs = list(ir.stmt_exprs(stmt))
    for top in exprs:
        for node in _shallow_exprs(top):
            if isinstance(node, ir.Call) and isinstance(node.callee, ir.Name) and node.callee.text == handler:
                direct.append(node.pos)
        if _mentions(top, handler):
            found = True
    if isinstance(stmt, (ir.Block, ir.Loop, ir.OtherStmt)):
        for inner in ir.stmt_children(stmt):
            for node in ir.walk_body(inner):
                if isinstance(node, ir.Name) and node.text == handler:
                    found = True
    return _Uses(found, direct)


def _shallow_exprs(expr: ir.Expr) -> Iterator[ir.Expr]:
    """Expressions outside closures (a call inside a closure runs later, not now)."""
    stack = [expr]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, ir.Closure):
            continue
        stack.extend(child for child in ir.child_exprs(current) if not isinstance(child, ir.Closure))


# --- download callbacks ---------------------------------------------------------------------------------


def download_problem(body: list[ir.Stmt], location: str, scope: Scope) -> tuple[ir.Pos, str] | None:
    """Where `location` escapes didFinishDownloadingTo: into asynchronous work, or into stored state."""
    for stmt in _all_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.text == location:
            if member_ref(stmt.target, scope) is not None:
                return (
                    stmt.pos,
                    "stores the temporary file's URL for later; the file is deleted when this method returns",
                )
    for site in visit(body, scope):
        expr = site.expr
        if not isinstance(expr, ir.Call):
            continue
        callee = expr.callee
        name = callee.name if isinstance(callee, ir.Member) else (callee.text if isinstance(callee, ir.Name) else "")
        if name.split(":", 1)[0] not in {n.split(":", 1)[0] for n in _ASYNC_WORK}:
            continue
        closures = [*expr.closures, *(a.value for a in expr.args if isinstance(a.value, ir.Closure))]
        for closure in closures:
            for node in ir.walk_body(closure.body):
                if isinstance(node, ir.Name) and node.text == location:
                    work = ir.dotted(callee) or name
                    return node.pos, (
                        f"uses the temporary file `{location}` inside asynchronous work (`{work.rstrip(':')}`); "
                        "the file is deleted when this method returns"
                    )
    return None


# --- watchOS ---------------------------------------------------------------------------------------------

_COMPLETE = ("setTaskCompletedWithSnapshot", "setTaskCompleted", "setTaskCompletedWithSnapshot:")
_URL_TASK = "WKURLSessionRefreshBackgroundTask"


def watch_problems(body: list[ir.Stmt], tasks_param: str, scope: Scope) -> list[str]:
    """What a watchOS `handle(_:)` gets wrong about completing its background tasks (R24)."""
    loops = [
        stmt
        for stmt in _all_stmts(body)
        if isinstance(stmt, ir.Loop) and stmt.iterable is not None and _mentions(stmt.iterable, tasks_param)
    ]
    bodies: list[tuple[str, list[ir.Stmt]]] = [(loop.variable or "", loop.body) for loop in loops]
    for expr in ir.walk_body(body):
        if isinstance(expr, ir.Call) and isinstance(expr.callee, ir.Member) and expr.callee.name == "forEach":
            if _mentions(expr.callee.base, tasks_param) and expr.closures:
                closure = expr.closures[0]
                bodies.append((closure.params[0] if closure.params else "$0", closure.body))
    if not bodies:
        return []
    problems: list[str] = []
    for variable, loop_body in bodies:
        problems.extend(_watch_loop(variable, loop_body))
    return sorted(set(problems))


def _watch_loop(variable: str, body: list[ir.Stmt]) -> list[str]:
    url_branches: list[list[ir.Stmt]] = []
    other_branches: list[list[ir.Stmt]] = []
    has_other = False
    for stmt in _all_stmts(body):
        if isinstance(stmt, ir.Switch):
            for case in stmt.cases:
                if any(type_name == _URL_TASK for _, type_name in case.binds) or any(
                    _URL_TASK in (ir.dotted(p) or _type_in(p)) for p in case.patterns
                ):
                    url_branches.append(case.body)
                elif case.is_default:
                    has_other = True
                    other_branches.append(case.body)
                else:
                    other_branches.append(case.body)
        elif (isinstance(stmt, ir.If) and any(_URL_TASK in _type_in(c) for c in stmt.conditions)) or (
            isinstance(stmt, ir.If) and any(_URL_TASK in _type_in(v) for _, v in stmt.binds)
        ):
            assert isinstance(stmt, ir.If)
            url_branches.append(stmt.then)
            if stmt.otherwise is not None:
                has_other = True
                other_branches.append(stmt.otherwise)
    problems: list[str] = []
    if not url_branches:
        completes = _completes(body)
        if completes == "direct":
            problems.append("completes URL-session refresh tasks at once, before the session's events are processed")
        elif completes == "none":
            problems.append("never completes the background tasks it receives")
        return problems
    for branch in url_branches:
        status = _completes(branch)
        if status == "direct":
            problems.append("completes the URL-session refresh task before the session's events are processed")
        elif status == "none" and not _keeps_task(branch):
            problems.append("neither completes nor keeps the URL-session refresh task")
    if not has_other:
        problems.append("has no default branch: task kinds it does not handle are never completed")
    elif any(_completes(branch) == "none" for branch in other_branches if branch is not None):
        problems.append("does not complete every other kind of background task")
    return problems


def _type_in(expr: ir.Expr) -> str:
    names = []
    for node in ir.walk_exprs(expr):
        if isinstance(node, ir.Cast):
            names.append(node.type_name)
        elif isinstance(node, ir.Name):
            names.append(node.text)
    return " ".join(names)


def _completes(body: list[ir.Stmt]) -> str:
    direct = False
    deferred = False
    for stmt in body:
        for top in ir.stmt_exprs(stmt):
            for node in _shallow_exprs(top):
                if isinstance(node, ir.Call) and isinstance(node.callee, ir.Member) and node.callee.name in _COMPLETE:
                    direct = True
            for node in ir.walk_exprs(top):
                if isinstance(node, ir.Call) and isinstance(node.callee, ir.Member) and node.callee.name in _COMPLETE:
                    deferred = True
        for inner in ir.stmt_children(stmt):
            nested = _completes(inner)
            direct |= nested == "direct"
            deferred |= nested != "none"
    if direct:
        return "direct"
    return "deferred" if deferred else "none"


def _keeps_task(body: list[ir.Stmt]) -> bool:
    for stmt in _all_stmts(body):
        if isinstance(stmt, ir.Assign):
            return True
        for top in ir.stmt_exprs(stmt):
            if isinstance(top, ir.Call) and top.args:
                return True
    return False


def is_handler_like(name: str) -> bool:
    return bool(_HANDLER_LIKE.search(name))
