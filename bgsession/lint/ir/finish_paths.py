"""urlSessionDidFinishEvents on every path: where a path ends without calling a handler the body calls
on other paths, because of a condition that has nothing to do with the handler.

A path that skips the call because there is no handler (`guard let handler = stored else { return }`,
`if (self.handler)`), because the object holding it cannot be reached (`as? AppDelegate` failing),
or because the events are another session's (a check of the session or its identifier) calls
nothing that exists: it is fine. A path that skips it on any other condition (`if pendingTasks.isEmpty`,
`guard uploadsRecorded > 0`) leaves the stored handler uncalled. Closures that run exactly once (a hop
to a queue, `Task`, `getAllTasks`'s completion) are followed as part of the path; other closures and
loops that contain the call count as calling it, and a path too complex to follow is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from bgsession.diagnostics import Loc
from bgsession.lint import ir
from bgsession.lint.facts import HandlerCall, MethodRef, SkippedCall
from bgsession.lint.ir.scope import Scope, expr_type, loc
from bgsession.lint.ir.vocabulary import ASYNC_WORK, HANDLER_LIKE

# Calls whose closure runs exactly once, later or now: the closure's body continues the path.
_ONCE = ASYNC_WORK | {
    "run",
    "assumeIsolated",
    "getAllTasks",
    "getTasksWithCompletionHandler",
    "getAllTasksWithCompletionHandler:",
    "getTasksWithCompletionHandler:",
}
# Calls that cannot reach a stored handler: a path that makes only these calls did not call it elsewhere.
_INERT = {"print", "debugPrint", "NSLog", "os_log", "assert", "assertionFailure", "precondition"}
_SELF_NAMES = {"self", "weakSelf", "strongSelf"}
_MAX_STATES = 64


@dataclass(frozen=True, slots=True)
class _State:
    """One path so far: has it called the handler, which unrelated condition sent it this way, is it a
    path on which there is nothing to call, and which project methods it calls (one may call the handler)."""

    called: bool = False
    condition: Loc | None = None
    excused: bool = False
    methods: frozenset[tuple[str | None, str]] = frozenset()


class _TooComplexError(Exception):
    """More paths than are worth following: the body is not judged."""


def skipped_calls(body: list[ir.Stmt], scope: Scope, calls: Iterable[HandlerCall], session: str) -> list[SkippedCall]:
    """For each handler member the body calls, the first path that ends without calling it after an
    unrelated condition, with that condition and the project methods the path calls."""
    by_member: dict[str, set[tuple[int, int]]] = {}
    for call in calls:
        by_member.setdefault(call.member, set()).add((call.loc.line, call.loc.column))
    skipped: list[SkippedCall] = []
    for member, sites in sorted(by_member.items()):
        walker = _Walker(member, sites, _related_names(body, member, sites, session), scope)
        found = _first_skip(walker, body)
        if found is not None:
            skipped.append(found._replace(member=member))
    handler_sites = {site for member, sites in by_member.items() if HANDLER_LIKE.search(member) for site in sites}
    skipped.extend(_skipped_own_methods(body, scope, session, set(by_member), handler_sites))
    return skipped


# Beyond this many of the type's own methods called in one body, the paths are not followed per method.
_MAX_OWN_METHODS = 8


def _skipped_own_methods(
    body: list[ir.Stmt], scope: Scope, session: str, members: set[str], handler_sites: set[tuple[int, int]]
) -> list[SkippedCall]:
    """Paths that skip a call of one of the type's own methods (`self.process(…)`) that other paths make,
    and call no handler themselves: whether that method calls a stored handler is the project summary's
    question."""
    sites: dict[str, set[tuple[int, int]]] = {}
    for expr in ir.walk_body(body):
        if not isinstance(expr, ir.Call):
            continue
        callee = expr.callee
        if isinstance(callee, ir.Member) and isinstance(callee.base, ir.SelfRef):
            name = callee.name
        elif isinstance(callee, ir.Name) and callee.text[:1].islower() and callee.text not in _INERT:
            name = callee.text
        else:
            continue
        if name in members or name in scope.parameters or name in scope.local_values:
            continue
        sites.setdefault(name, set()).add((expr.pos.line, expr.pos.column))
    if len(sites) > _MAX_OWN_METHODS:
        return []
    skipped: list[SkippedCall] = []
    for name, positions in sorted(sites.items()):
        walker = _Walker(name, positions | handler_sites, _related_names(body, name, positions, session), scope)
        found = _first_skip(walker, body)
        if found is not None:
            skipped.append(found._replace(via_method=name))
    return skipped


def _first_skip(walker: _Walker, body: list[ir.Stmt]) -> SkippedCall | None:
    """The first path that ends without the call after an unrelated condition, when other paths make it
    (its member is left for the caller to fill in)."""
    try:
        ends = walker.run(body)
    except _TooComplexError:
        return None
    if not any(end.called for end in ends):
        return None
    for end in ends:
        if not end.called and end.condition is not None and not end.excused:
            methods = tuple(MethodRef(type_name, method) for type_name, method in sorted(end.methods, key=str))
            return SkippedCall("", end.condition, methods)
    return None


def _names(expr: ir.Expr) -> set[str]:
    """Identifiers and member names an expression mentions, closures included."""
    found: set[str] = set()
    for node in ir.walk_exprs(expr):
        if isinstance(node, ir.Name):
            found.add(node.text)
        elif isinstance(node, ir.Member):
            found.add(node.name.split(":", 1)[0])
    return found


def _locals(expr: ir.Expr) -> set[str]:
    """The lower-case identifiers an expression mentions: locals and implicit members, not types."""
    return {
        node.text
        for node in ir.walk_exprs(expr)
        if isinstance(node, ir.Name) and (node.text[:1].islower() or node.text[:1] == "_")
    }


def _within(pos: ir.Pos, site: tuple[int, int]) -> bool:
    return (pos.line, pos.column) <= site <= (pos.end_line, pos.end_column)


def _call_nodes(body: list[ir.Stmt], sites: set[tuple[int, int]]) -> Iterator[ir.Call]:
    for expr in ir.walk_body(body):
        if isinstance(expr, ir.Call) and (expr.pos.line, expr.pos.column) in sites:
            yield expr


def _related_names(body: list[ir.Stmt], member: str, sites: set[tuple[int, int]], session: str) -> frozenset[str]:
    """Names a condition may mention and still be about the handler: the member, the session, the names
    the handler call is made through (`appDelegate`, `identifier`), and every local bound from or to one."""
    related = {member, session, *_SELF_NAMES}
    for call in _call_nodes(body, sites):
        related |= _locals(call.callee)
    bindings: list[tuple[str, ir.Expr]] = []
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.VarDecl) and stmt.value is not None:
            bindings.extend((name, stmt.value) for name in stmt.names)
        elif isinstance(stmt, (ir.If, ir.Guard)):
            bindings.extend(stmt.binds)
    # `if let tasks = self.finishedTasks[sessionId]`: state kept per session, looked up by its identifier,
    # says what happened in the session, not which session it is (zotero): not related.
    bindings = [(name, value) for name, value in bindings if not _state_lookup(value, member)]
    changed = True
    while changed:
        changed = False
        for name, value in bindings:
            value_names = _names(value)
            if name in related and not _locals(value) <= related:
                related |= _locals(value)
                changed = True
            if name not in related and value_names & related:
                related.add(name)
                changed = True
    return frozenset(related)


def _state_lookup(value: ir.Expr, member: str) -> bool:
    """A keyed read of one of the type's own collections that holds no handler (`self.finished[id]`,
    `[self.finished objectForKey:id]`)."""
    base: ir.Expr | None = None
    if isinstance(value, ir.Subscript):
        base = value.base
    elif (
        isinstance(value, ir.Call)
        and isinstance(value.callee, ir.Member)
        and value.callee.name
        in (
            "objectForKey:",
            "valueForKey:",
        )
    ):
        base = value.callee.base
    if isinstance(base, ir.Member) and isinstance(base.base, ir.SelfRef):
        name = base.name
    elif isinstance(base, ir.Name):
        name = base.text
    else:
        return False
    return name.lstrip("_") != member and not HANDLER_LIKE.search(name)


class _Walker:
    """Follows if/guard/switch/return, and closures that run once, through a finish-events body."""

    def __init__(self, member: str, sites: set[tuple[int, int]], related: frozenset[str], scope: Scope) -> None:
        self.member = member
        self.sites = sites
        self.related = related
        self.scope = scope

    def run(self, body: list[ir.Stmt]) -> set[_State]:
        through, returned = self.walk(body, {_State()})
        return through | returned

    def walk(self, stmts: list[ir.Stmt], states: set[_State]) -> tuple[set[_State], set[_State]]:
        """The states that fall through the end of `stmts`, and those that returned inside them."""
        returned: set[_State] = set()
        for stmt in stmts:
            if not states:
                break
            states, ended = self.step(stmt, states)
            returned |= ended
            if len(states) + len(returned) > _MAX_STATES:
                raise _TooComplexError
        return states, returned

    def contains_call(self, stmt: ir.Stmt) -> bool:
        return any(_within(stmt.pos, site) for site in self.sites)

    def step(self, stmt: ir.Stmt, states: set[_State]) -> tuple[set[_State], set[_State]]:
        if isinstance(stmt, ir.Return):
            return set(), self.note(stmt, states)
        if isinstance(stmt, ir.If):
            otherwise = stmt.otherwise or []
            passed, failed = self.split(stmt, stmt.conditions, stmt.binds, states, (stmt.then, otherwise))
            then_through, then_returned = self.walk(stmt.then, passed)
            else_through, else_returned = self.walk(otherwise, failed)
            return then_through | else_through, then_returned | else_returned
        if isinstance(stmt, ir.Guard):
            # The else must leave the scope: whatever falls out of it has returned.
            passed, failed = self.split(stmt, stmt.conditions, stmt.binds, states, (None, stmt.otherwise))
            through, returned = self.walk(stmt.otherwise, failed)
            return passed, returned | through
        if isinstance(stmt, ir.Switch):
            return self.switch(stmt, states)
        if isinstance(stmt, ir.Block):
            return self.walk(stmt.body, states)
        closure = self.once_closure(stmt)
        if closure is not None:
            inner, returned = self.walk(closure.body, self.note(stmt, states, closure))
            # A `return` in the closure ends the closure, not the method: the path goes on.
            return inner | returned, set()
        return self.note(stmt, states), set()

    def note(self, stmt: ir.Stmt, states: set[_State], skip: ir.Closure | None = None) -> set[_State]:
        """The states after a simple statement: called if it contains the call, plus the methods it calls."""
        called = self.contains_call(stmt) and skip is None
        methods = self.methods(stmt, skip)
        return {replace(state, called=state.called or called, methods=state.methods | methods) for state in states}

    def methods(self, stmt: ir.Stmt, skip: ir.Closure | None) -> frozenset[tuple[str | None, str]]:
        found: set[tuple[str | None, str]] = set()
        for top in ir.stmt_exprs(stmt):
            for node in _shallow(top, skip):
                if not isinstance(node, ir.Call):
                    continue
                callee = node.callee
                if isinstance(callee, ir.Member):
                    found.add((expr_type(callee.base, self.scope), callee.name))
                elif isinstance(callee, ir.Name) and callee.text not in _INERT and callee.text[:1].islower():
                    found.add((self.scope.type_name, callee.text))
        return frozenset(found)

    def once_closure(self, stmt: ir.Stmt) -> ir.Closure | None:
        """The closure of `DispatchQueue.main.async { … }`, `Task { … }`, `session.getAllTasks { … }`."""
        if not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.expr, ir.Call):
            return None
        call = stmt.expr
        callee = call.callee
        name = callee.name if isinstance(callee, ir.Member) else (callee.text if isinstance(callee, ir.Name) else "")
        closures = [*call.closures, *(arg.value for arg in call.args if isinstance(arg.value, ir.Closure))]
        if (name.split(":", 1)[0] not in _ONCE and name not in _ONCE) or len(closures) != 1:
            return None
        return closures[0]

    def split(
        self,
        stmt: ir.Stmt,
        conditions: list[ir.Expr],
        binds: list[tuple[str, ir.Expr]],
        states: set[_State],
        bodies: tuple[list[ir.Stmt] | None, list[ir.Stmt]],
    ) -> tuple[set[_State], set[_State]]:
        """The states entering the branch taken when the conditions hold, and the one when they fail.
        `bodies` are the two branches (None for the rest of the scope after a guard)."""
        states = self.note_conditions(stmt, conditions, binds, states)
        unrelated = [c for c in conditions if not self.is_related(c)] + [
            value for name, value in binds if not self.is_related_bind(name, value)
        ]
        if unrelated:
            flagged = self.flag(stmt, states)
            return flagged, flagged
        absent = self.absent_branch(conditions, binds)
        if absent == "both":
            # A check of the session or its identifier: the branch without the call is another session's.
            then_body, else_body = bodies
            return (
                self.excuse(states) if then_body is not None and not self.calls_in(then_body) else states,
                self.excuse(states) if not self.calls_in(else_body) else states,
            )
        return (
            self.excuse(states) if absent == "then" else states,
            self.excuse(states) if absent == "else" else states,
        )

    def calls_in(self, body: list[ir.Stmt]) -> bool:
        return any(self.contains_call(stmt) for stmt in body)

    def flag(self, stmt: ir.Stmt, states: set[_State]) -> set[_State]:
        return {state if state.condition else replace(state, condition=loc(stmt.pos)) for state in states}

    @staticmethod
    def excuse(states: set[_State]) -> set[_State]:
        return {replace(state, excused=True) for state in states}

    def note_conditions(
        self, stmt: ir.Stmt, conditions: list[ir.Expr], binds: list[tuple[str, ir.Expr]], states: set[_State]
    ) -> set[_State]:
        exprs = [*conditions, *(value for _, value in binds)]
        if any(_within(expr.pos, site) for expr in exprs for site in self.sites):
            # `if handler?() != nil`, `if let x = handlers.removeValue(forKey: id)?()`: the call is the test.
            return {replace(state, called=True) for state in states}
        return states

    def is_related(self, condition: ir.Expr) -> bool:
        names = _names(condition)
        if names & self.related or any(HANDLER_LIKE.search(name) for name in names):
            return True
        # `#available(...)`, `@available(...)`, `if (self)`: not a condition on the app's state.
        if isinstance(condition, ir.Opaque) and "availab" in condition.kind:
            return True
        # `[self.delegate respondsToSelector:@selector(finished:)]`: whether an optional protocol method
        # exists, a capability check like #available, not a state the app is in (downloadfiles).
        if any(
            isinstance(node, ir.Call)
            and isinstance(node.callee, ir.Member)
            and node.callee.name == "respondsToSelector:"
            for node in ir.walk_exprs(condition)
        ):
            return True
        return isinstance(condition, (ir.Opaque, ir.SelfRef)) and not names

    def is_related_bind(self, name: str, value: ir.Expr) -> bool:
        if _state_lookup(value, self.member):
            return False
        return name in self.related or self.is_related(value)

    def absent_branch(self, conditions: list[ir.Expr], binds: list[tuple[str, ir.Expr]]) -> str:
        """Which branch runs when there is no handler to call: `else` for `if let h = …`, `if (handler)`,
        `h != nil`; `then` for `if h == nil`, `if (!handler)`; both for a check of the session."""
        branches: set[str] = {"else"} if binds else set()
        for condition in conditions:
            node = condition
            negated = isinstance(node, ir.Unary) and node.op == "!"
            if negated and isinstance(node, ir.Unary):
                node = node.operand
            if (
                isinstance(node, ir.Binary)
                and node.op in ("==", "!=", "===", "!==")
                and (isinstance(node.lhs, ir.NilLit) or isinstance(node.rhs, ir.NilLit))
            ):
                is_nil = node.op in ("==", "===")
                branches.add("then" if is_nil != negated else "else")
            elif isinstance(node, (ir.Name, ir.Member, ir.SelfRef)) or (isinstance(node, ir.Call) and node.message):
                branches.add("then" if negated else "else")
            else:
                return "both"
        if len(branches) != 1:
            return "both"
        return branches.pop()

    def switch(self, stmt: ir.Switch, states: set[_State]) -> tuple[set[_State], set[_State]]:
        related = self.is_related(stmt.subject)
        states = self.note_conditions(stmt, [stmt.subject], [], states)
        through: set[_State] = set()
        returned: set[_State] = set()
        bodies = [case.body for case in stmt.cases]
        if not any(case.is_default for case in stmt.cases):
            bodies.append([])
        for body in bodies:
            # On the session's identifier, a case without the call is another session's.
            entering = (
                (self.excuse(states) if not self.calls_in(body) else states) if related else self.flag(stmt, states)
            )
            case_through, case_returned = self.walk(body, entering)
            through |= case_through
            returned |= case_returned
        return through, returned


def _shallow(expr: ir.Expr, skip: ir.Closure | None) -> Iterator[ir.Expr]:
    """`expr` and what is below it, except the closure `skip` (walked as part of the path instead)."""
    stack = [expr]
    while stack:
        current = stack.pop()
        if current is skip:
            continue
        yield current
        if isinstance(current, ir.Closure):
            stack.extend(top for stmt in current.body for top in ir.walk_stmt_exprs(stmt))
            continue
        stack.extend(ir.child_exprs(current))
