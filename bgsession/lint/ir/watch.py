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
    bodies: list[tuple[str, list[ir.Stmt], bool]] = [(loop.variable or "", loop.body, False) for loop in loops]
    # A `return` in a for-in over the set leaves handle(_:) with the tasks not yet reached uncompleted
    # (in a forEach closure it only ends that element's call, like `continue`).
    early_exit = any(_returns(loop.body) for loop in loops)
    for expr in ir.walk_body(body):
        if isinstance(expr, ir.Call) and isinstance(expr.callee, ir.Member) and expr.callee.name == "forEach":
            if mentions(expr.callee.base, tasks_param) and expr.closures:
                closure = expr.closures[0]
                bodies.append((closure.params[0] if closure.params else "$0", closure.body, True))
    if not bodies:
        return []
    problems: list[str] = []
    for variable, loop_body, in_closure in bodies:
        problems.extend(_watch_loop(variable, loop_body, in_closure))
    if early_exit:
        problems.append(
            "returns from inside the loop over its tasks, so the tasks it has not reached are never completed"
        )
    return sorted(set(problems))


def _returns(body: list[ir.Stmt]) -> bool:
    """Whether a statement of `body` returns from the function: nested statements count, closures'
    bodies do not (their `return` leaves the closure)."""
    for stmt in body:
        if isinstance(stmt, ir.Return):
            return True
        if any(_returns(inner) for inner in ir.stmt_children(stmt)):
            return True
    return False


def _watch_loop(variable: str, body: list[ir.Stmt], in_closure: bool) -> list[str]:
    tasks = {variable}
    url_branches: list[list[ir.Stmt]] = []
    other_branches: list[list[ir.Stmt]] = []
    has_other = False
    # `if urlTask { keep; continue }` then code for every other task (`return` in a forEach closure), and
    # `guard urlTask else { complete; continue }` then code for the URL-session task: the rest of the
    # iteration is the other branch.
    for index, stmt in enumerate(body):
        rest = body[index + 1 :]
        if isinstance(stmt, ir.If) and stmt.otherwise is None and _on_url_task(stmt.conditions, stmt.binds):
            if rest and _leaves_iteration(stmt.then, in_closure):
                has_other = True
                other_branches.append(rest)
        elif isinstance(stmt, ir.Guard) and _on_url_task(stmt.conditions, stmt.binds):
            if _leaves_iteration(stmt.otherwise, in_closure):
                tasks.update(name for name, _ in stmt.binds)
                url_branches.append(rest)
                has_other = True
                other_branches.append(stmt.otherwise)
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.Switch):
            for case in stmt.cases:
                tasks.update(name for name, _ in case.binds)
                if any(type_name == _URL_TASK for _, type_name in case.binds) or any(
                    _URL_TASK in (ir.dotted(p) or _type_in(p)) for p in case.patterns
                ):
                    url_branches.append(case.body)
                elif case.is_default:
                    has_other = True
                    other_branches.append(case.body)
                else:
                    other_branches.append(case.body)
        elif isinstance(stmt, ir.If) and _on_url_task(stmt.conditions, stmt.binds):
            tasks.update(name for name, _ in stmt.binds)
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
        # Path by path: completing at once is right for identifiers the app does not own, as long as
        # the paths for its own sessions keep the task for later (pocket-casts-ios, R24).
        statuses = {_path_status(path, tasks) for path in _paths(branch)}
        if statuses == {"direct"}:
            problems.append("completes the URL-session refresh task before the session's events are processed")
        elif "none" in statuses:
            problems.append("neither completes nor keeps the URL-session refresh task")
    if not has_other:
        problems.append("has no default branch: task kinds it does not handle are never completed")
    elif any(_completes(branch) == "none" and not _hands_on(branch, tasks) for branch in other_branches):
        # A task handed to a function (`enqueueForCompletion(task)`) is that function's to complete.
        problems.append("does not complete every other kind of background task")
    return problems


def _on_url_task(conditions: list[ir.Expr], binds: list[tuple[str, ir.Expr]]) -> bool:
    return any(_URL_TASK in _type_in(c) for c in conditions) or any(_URL_TASK in _type_in(v) for _, v in binds)


def _leaves_iteration(body: list[ir.Stmt], in_closure: bool) -> bool:
    """Whether `body` ends by going on to the next task: `continue` in a for-in, `return` in a forEach
    closure."""
    if not body:
        return False
    last = body[-1]
    if in_closure:
        return isinstance(last, ir.Return)
    return isinstance(last, ir.Jump) and last.kind == "continue"


def _paths(body: list[ir.Stmt]) -> list[list[ir.Stmt]]:
    """The statement sequences through `body`, forking at each if/else (bounded: a long chain of
    conditions is read as one path beyond 64)."""
    paths: list[list[ir.Stmt]] = [[]]
    for stmt in body:
        if isinstance(stmt, ir.If) and len(paths) < 64:
            arm_paths = [arm_path for arm in (stmt.then, stmt.otherwise or []) for arm_path in _paths(arm)]
            paths = [[*path, stmt, *arm_path] for path in paths for arm_path in arm_paths]
        else:
            paths = [[*path, stmt] for path in paths]
    return paths


def _path_status(path: list[ir.Stmt], tasks: set[str]) -> str:
    """ "kept" when the path hands the task on or stores it, else how it completes it."""
    flat = [stmt for stmt in path if not isinstance(stmt, ir.If)]
    if _hands_on(flat, tasks):
        return "kept"
    status = _completes(flat)
    return "kept" if status == "none" and _keeps_task(flat) else status


def _hands_on(body: list[ir.Stmt], tasks: set[str]) -> bool:
    """The task itself passed to a call or stored (`manager.process(task: urlTask)`), not just read."""
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.text in tasks:
            return True
        for top in ir.stmt_exprs(stmt):
            for node in shallow_exprs(top):
                if isinstance(node, ir.Call) and any(
                    isinstance(arg.value, ir.Name) and arg.value.text in tasks for arg in node.args
                ):
                    return True
    return False


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
