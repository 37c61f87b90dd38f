"""watchOS: whether a handle(_:) completes every background task, and at the right time."""

from __future__ import annotations

from bgsession.lint import ir
from bgsession.lint.ir.params import mentions
from bgsession.lint.ir.paths import shallow_exprs
from bgsession.lint.ir.scope import Scope

_COMPLETE = ("setTaskCompletedWithSnapshot", "setTaskCompleted", "setTaskCompletedWithSnapshot:")
_URL_TASK = "WKURLSessionRefreshBackgroundTask"


def watch_problems(body: list[ir.Stmt], tasks_param: str, scope: Scope) -> list[str]:
    """What a watchOS `handle(_:)` gets wrong about completing its background tasks (R24)."""
    loops = [
        stmt
        for stmt in ir.all_stmts(body)
        if isinstance(stmt, ir.Loop) and stmt.iterable is not None and mentions(stmt.iterable, tasks_param)
    ]
    bodies: list[tuple[str, list[ir.Stmt]]] = [(loop.variable or "", loop.body) for loop in loops]
    for expr in ir.walk_body(body):
        if isinstance(expr, ir.Call) and isinstance(expr.callee, ir.Member) and expr.callee.name == "forEach":
            if mentions(expr.callee.base, tasks_param) and expr.closures:
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
    for stmt in ir.all_stmts(body):
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
            for node in shallow_exprs(top):
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
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.Assign):
            return True
        for top in ir.stmt_exprs(stmt):
            if isinstance(top, ir.Call) and top.args:
                return True
    return False
