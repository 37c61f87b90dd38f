"""handleEvents on every path: whether each path through the body stores or calls the handler."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bgsession.lint import ir
from bgsession.lint.ir.params import mentions


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
        for stmt in ir.all_stmts(body):
            pairs: list[tuple[str, ir.Expr]] = []
            if isinstance(stmt, ir.VarDecl) and stmt.value is not None:
                pairs = [(name, stmt.value) for name in stmt.names]
            elif isinstance(stmt, (ir.If, ir.Guard)):
                pairs = list(stmt.binds)
            for name, value in pairs:
                if name not in names and any(mentions(value, known) for known in names):
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
        # Inside the else of an optional binding that failed (`guard let owner = … else { … }`):
        # the code has nothing to hand the events to, so calling the handler there is not early.
        self.bailing = 0

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
        return any(mentions(expr, name) for name in self.derived)

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
        if uses.direct and not mismatch and not self.bailing:
            self.report.early.extend(uses.direct)
        if isinstance(stmt, ir.Return):
            # `return false` from the Bool-returning form (a Flutter plugin's or another host's
            # forwarding hook) declines the event: the handler goes on to the next handler.
            declined = isinstance(stmt.value, ir.BoolLit) and not stmt.value.value
            if not (handled or uses.any or declined):
                self.report.dropping.append(mismatch)
            return set()
        if isinstance(stmt, ir.If):
            branch = self.mismatch_branch(stmt.conditions)
            if branch is None and stmt.binds and any(self.checks(value) for _, value in stmt.binds):
                branch = "else"
            self.report.checks_identifier |= branch is not None
            now = handled or any(mentions(c, self.handler) for c in stmt.conditions)
            then = self.walk(stmt.then, handled=now, mismatch=mismatch or branch == "then")
            bails = bool(stmt.binds) and branch is None
            self.bailing += bails
            try:
                otherwise = self.walk(stmt.otherwise or [], handled=now, mismatch=mismatch or branch == "else")
            finally:
                self.bailing -= bails
            return then | otherwise
        if isinstance(stmt, ir.Guard):
            branch = self.mismatch_branch(stmt.conditions)
            checks = branch is not None or any(self.checks(value) for _, value in stmt.binds)
            self.report.checks_identifier |= checks
            # A guard's else runs when the condition fails: for `guard identifier == x` that is the mismatch.
            exits_on_mismatch = checks and branch != "then"
            # A condition that hands the handler on (`guard !downloader.handle(id, completionHandler:
            # handler) else { return }`) uses it on both paths, as an if's condition does.
            now = handled or any(mentions(c, self.handler) for c in stmt.conditions)
            bails = bool(stmt.binds) and not checks
            self.bailing += bails
            try:
                ends = self.walk(stmt.otherwise, handled=now, mismatch=mismatch or exits_on_mismatch)
            finally:
                self.bailing -= bails
            for end_handled, end_mismatch in ends:
                if not end_handled:
                    self.report.dropping.append(end_mismatch)
            return {(now, mismatch or (checks and branch == "then"))}
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
        for node in shallow_exprs(top):
            if isinstance(node, ir.Call) and isinstance(node.callee, ir.Name) and node.callee.text == handler:
                direct.append(node.pos)
        if mentions(top, handler):
            found = True
    if isinstance(stmt, (ir.Block, ir.Loop, ir.OtherStmt)):
        for inner in ir.stmt_children(stmt):
            for node in ir.walk_body(inner):
                if isinstance(node, ir.Name) and node.text == handler:
                    found = True
    return _Uses(found, direct)


def shallow_exprs(expr: ir.Expr) -> Iterator[ir.Expr]:
    """Expressions outside closures (a call inside a closure runs later, not now)."""
    stack = [expr]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, ir.Closure):
            continue
        stack.extend(child for child in ir.child_exprs(current) if not isinstance(child, ir.Closure))
