"""Stored completion handlers: which a method calls, on which thread, and which it clears."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bgsession.lint import ir
from bgsession.lint.facts import CallSite, HandlerCall, MethodRef, Span, Thread
from bgsession.lint.ir.removed import calls_after_removal
from bgsession.lint.ir.scope import Scope, expr_type, loc
from bgsession.lint.ir.threads import Site, closure_thread, visit
from bgsession.lint.ir.vocabulary import CLEARING_METHODS, HANDLER_LIKE


@dataclass(frozen=True, slots=True)
class Ref:
    """A place that holds a handler: `member` of `type_name`, keyed by some key or not."""

    member: str
    type_name: str | None
    keyed: bool
    removed: bool = False
    # For the fix that clears it: the expression a local copy of the handler was made from, and where
    # the copy is made: the statement it is made by (the clear goes after it), or the first statement
    # of an `if let` body (the clear goes before it).
    place: ir.Pos | None = None
    copied: tuple[ir.Pos, bool] | None = None


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
        name = expr.name
        if isinstance(expr.base, ir.SelfRef) and name.startswith("_") and len(name) > 1:
            name = name[1:]  # `self->_handler`: the ivar behind the property, as a bare `_handler` reads
        return Ref(name, owner, False)
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
        if method == "copy" and not expr.args:
            # `[appDelegate.completionHandler copy]`: the same block.
            return handler_source(expr.callee.base, scope, aliases)
    if isinstance(expr, ir.Binary) and expr.op == "??":
        return handler_source(expr.lhs, scope, aliases)
    if isinstance(expr, ir.Cast):
        return handler_source(expr.expr, scope, aliases)
    return member_ref(expr, scope)


def _aliases(body: list[ir.Stmt], scope: Scope) -> dict[str, Ref]:
    aliases: dict[str, Ref] = {}
    for stmt in ir.all_stmts(body):
        pairs: list[tuple[str, ir.Expr]] = []
        if isinstance(stmt, ir.VarDecl) and stmt.value is not None and len(stmt.names) == 1:
            pairs = [(stmt.names[0], stmt.value)]
        elif isinstance(stmt, (ir.If, ir.Guard)):
            pairs = list(stmt.binds)
        elif isinstance(stmt, ir.Loop):
            # `for h in handlers.values`, `for (_, h) in handlers`, `for (void (^h)(void) in handlers.allValues)`.
            held = collection_source(stmt.iterable, scope, aliases) if stmt.iterable is not None else None
            if stmt.variable and held is not None:
                aliases[stmt.variable] = held
            continue
        for name, value in pairs:
            if isinstance(value, ir.Cast) or expr_type(value, scope) not in (None,):
                # `let d = UIApplication.shared.delegate as? AppDelegate`: a typed object, not a handler.
                if not isinstance(value, (ir.Subscript,)) and not _looks_like_handler_value(value):
                    continue
            source = handler_source(value, scope, aliases)
            if source is not None:
                # A member read (`x.handler`, `handlers[id]`, or a bare member name), not another copy.
                member = isinstance(value, ir.Name) and value.text not in aliases
                plain = (isinstance(value, (ir.Member, ir.Subscript)) or member) and source.place is None
                aliases[name] = replace(source, place=value.pos, copied=_copy_point(stmt)) if plain else source
    return aliases


_VALUES = ("values", "allValues")


def collection_source(expr: ir.Expr, scope: Scope, aliases: dict[str, Ref]) -> Ref | None:
    """The stored handlers a collection holds: `handlers`, `handlers.values`, `[handlers allValues]`,
    or a local copy of one (`let pending = handlers`)."""
    base = expr
    if isinstance(expr, ir.Member) and expr.name in _VALUES:
        base = expr.base
    elif isinstance(expr, ir.Call) and expr.message and not expr.args and isinstance(expr.callee, ir.Member):
        if expr.callee.name in _VALUES:
            base = expr.callee.base
    held = aliases.get(base.text) if isinstance(base, ir.Name) else None
    held = held or member_ref(base, scope)
    return Ref(held.member, held.type_name, True, held.removed) if held is not None else None


def _copy_point(stmt: ir.Stmt) -> tuple[ir.Pos, bool] | None:
    """Where the copy a statement makes exists: after a declaration or `guard`, at the top of an `if`'s
    body (before its first statement)."""
    if isinstance(stmt, ir.If):
        return (stmt.then[0].pos, True) if stmt.then else None
    return stmt.pos, False


def _looks_like_handler_value(expr: ir.Expr) -> bool:
    name = ir.last_name(expr)
    return bool(name and HANDLER_LIKE.search(name))


def cleared_members(body: list[ir.Stmt], scope: Scope) -> set[str]:
    """Members a body sets to nil or removes entries from."""
    cleared: set[str] = set()
    for stmt in ir.all_stmts(body):
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
            if method in CLEARING_METHODS or method.startswith("removeValue"):
                ref = member_ref(expr.callee.base, scope)
                if ref is not None:
                    cleared.add(ref.member)
            elif (
                method.startswith("set")
                and len(method) > 3
                and method[3:4].isupper()
                and expr.args
                and isinstance(expr.args[0].value, ir.NilLit)
            ):
                # `[self setHandler:nil]`, and Swift's `config.setHandler(handler: nil)` method.
                cleared.add(method[3:4].lower() + method[4:].split(":", 1)[0])
    return cleared


def handler_calls(
    body: list[ir.Stmt], scope: Scope, *, exclude: frozenset[str] = frozenset()
) -> tuple[list[HandlerCall], list[MethodRef]]:
    """Stored handlers a body calls (with thread and clearing) and the project methods it calls."""
    aliases = _aliases(body, scope)
    elements = element_calls(body, scope, aliases)
    cleared = cleared_members(body, scope)
    gone = calls_after_removal(body, lambda expr: ref.member if (ref := member_ref(expr, scope)) else None)
    statements = {id(stmt.expr): stmt.pos for stmt in ir.all_stmts(body) if isinstance(stmt, ir.ExprStmt)}
    calls: list[HandlerCall] = []
    methods: list[MethodRef] = []
    for site in visit(body, scope):
        expr = site.expr
        if not isinstance(expr, ir.Call) or id(expr) in gone:
            continue
        callee = expr.callee
        element = elements.get(id(expr))
        if element is not None:
            calls.append(_handler_call(element[0], site, expr, cleared, every=element[1]))
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
            elif (
                isinstance(callee, ir.Member)
                and not expr.message
                and not expr.closures
                and callee.name not in _QUEUE_CALLS
            ):
                # (`DispatchQueue.main.async(execute: {…})` is a hop, not a call of a member named async.)
                ref = member_ref(callee, scope, exclude=exclude)
            elif (
                isinstance(callee, ir.Name)
                and not expr.closures
                and (callee.text.startswith("_") or HANDLER_LIKE.search(callee.text))
            ):
                # A bare call is a C function unless it names a block ivar or a handler-like member.
                ref = member_ref(callee, scope, exclude=exclude)
            if ref is not None and (ref.keyed or not expr.closures):
                call = _handler_call(ref, site, expr, cleared, every=False)
                statement = statements.get(id(expr))
                if statement is not None:
                    copy = isinstance(callee, ir.Name) and callee.text in aliases
                    call = call._replace(site=_call_site(statement, ref, callee, copy=copy))
                calls.append(call)
                continue
        passed = _handed_to_method(expr, scope, aliases, exclude)
        if passed is not None:
            # `[self.delegate completedWithHandler:handler]`: another method calls it, on a thread
            # this code does not show. It is called (not BGS013), and where is unknown (not BGS014).
            calls.append(
                _handler_call(passed, Site(expr, Thread.UNKNOWN, None, site.in_closure), expr, cleared, every=False)
            )
        if (isinstance(callee, ir.Member) and not isinstance(callee.base, ir.Name)) or (
            isinstance(callee, ir.Member) and isinstance(callee.base, ir.Name)
        ):
            assert isinstance(callee, ir.Member)
            owner = expr_type(callee.base, scope)
            receiver = callee.base.name if owner is None and isinstance(callee.base, ir.Member) else None
            methods.append(MethodRef(owner, callee.name, None, site.thread, site.wrapper, receiver=receiver))
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


def _handed_to_method(call: ir.Call, scope: Scope, aliases: dict[str, Ref], exclude: frozenset[str]) -> Ref | None:
    """A stored handler (or a local holding it) passed as an argument to a method or function."""
    for arg in call.args:
        value = arg.value
        if isinstance(value, ir.Name) and value.text in aliases:
            return aliases[value.text]
        if isinstance(value, ir.Member) and _looks_like_handler_value(value):
            ref = handler_source(value, scope, aliases)
            if ref is not None and ref.member not in exclude:
                return ref
    return None


# Calls that hand each element of a collection (or an optional's value) to a closure, and which of the
# closure's parameters is the element: 0 for `forEach`/`map`, 1 (the value) for a dictionary's pairs.
_ELEMENT_PARAM = {
    "forEach": 0,
    "map": 0,
    "flatMap": 0,
    "enumerateObjectsUsingBlock:": 0,
    "enumerateKeysAndObjectsUsingBlock:": 1,
}


def element_calls(body: list[ir.Stmt], scope: Scope, aliases: dict[str, Ref]) -> dict[int, tuple[Ref, bool]]:
    """Calls of a stored handler handed to a closure, by the call node's identity, with whether every stored
    handler is called: `handlers.removeValue(forKey: id).map { $0() }`, `handlers.values.forEach { $0() }`,
    `handlers.forEach { $0.value() }`, `handlers.forEach { _, h in h() }`, and
    `[handlers enumerateKeysAndObjectsUsingBlock:^(NSString *key, void (^h)(void), BOOL *stop) { h(); }]`."""
    found: dict[int, tuple[Ref, bool]] = {}
    for expr in ir.walk_body(body):
        if not isinstance(expr, ir.Call) or not isinstance(expr.callee, ir.Member):
            continue
        position = _ELEMENT_PARAM.get(expr.callee.name)
        closures = [*expr.closures, *(arg.value for arg in expr.args if isinstance(arg.value, ir.Closure))]
        if position is None or len(closures) != 1:
            continue
        base = expr.callee.base
        optional = expr.callee.name in ("map", "flatMap")
        held = handler_source(base, scope, aliases) if optional else collection_source(base, scope, aliases)
        if held is None:
            continue
        for call in _calls_of_element(closures[0], position, pairs=not optional and position == 0):
            found[id(call)] = (held, not optional)
    return found


def _calls_of_element(closure: ir.Closure, position: int, *, pairs: bool) -> list[ir.Call]:
    """The calls in `closure` of its element parameter (by name, or `$0`/`$1`); with `pairs`, a dictionary's
    `forEach` may also name the value as `$0.value`, `$1` or its second parameter."""
    names: set[str] = set()
    values: set[str] = set()
    if closure.params:
        if position < len(closure.params):
            names.add(closure.params[position])
        if pairs and len(closure.params) == 2:
            names = {closure.params[1]}
        elif pairs:
            values.add(closure.params[0])
    else:
        names.add(f"${position}")
        if pairs:
            names.add("$1")
            values.add("$0")
    names.discard("_")
    anonymous = not closure.params
    calls: list[ir.Call] = []
    stack = [top for stmt in closure.body for top in ir.walk_stmt_exprs(stmt)]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Closure):
            # `$0` always means the innermost closure's own argument; a named parameter stays visible.
            if not anonymous:
                stack.extend(top for stmt in node.body for top in ir.walk_stmt_exprs(stmt))
            continue
        if isinstance(node, ir.Call) and not node.args:
            callee = node.callee
            if (isinstance(callee, ir.Name) and callee.text in names) or (
                isinstance(callee, ir.Member)
                and callee.name == "value"
                and isinstance(callee.base, ir.Name)
                and callee.base.text in values
            ):
                calls.append(node)
        if isinstance(node, ir.Opaque):
            stack.extend(top for stmt in node.stmts for top in ir.walk_stmt_exprs(stmt))
        stack.extend(ir.child_exprs(node))
    return calls


def _call_site(statement: ir.Pos, ref: Ref, callee: ir.Expr, *, copy: bool) -> CallSite:
    """Where a handler call that is a statement of its own stands: the place read is the copy's source
    when the callee is a local copy, else the callee itself when that is a member, ivar or lookup."""
    if copy:
        if ref.place is None or ref.copied is None:
            return CallSite(statement.start_byte, statement.end_byte, None, True)
        point, before = ref.copied
        source = Span(ref.place.start_byte, ref.place.end_byte)
        made = Span(point.start_byte, point.end_byte)
        return CallSite(statement.start_byte, statement.end_byte, source, True, copy=made, copy_before=before)
    plain = isinstance(callee, (ir.Member, ir.Subscript, ir.Name))
    place = Span(callee.pos.start_byte, callee.pos.end_byte) if plain else None
    return CallSite(statement.start_byte, statement.end_byte, place, False)


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
