"""Where code runs: the thread each call site is on, through closures handed to queues and helpers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bgsession.lint import ir
from bgsession.lint.facts import Thread
from bgsession.lint.ir.scope import Scope
from bgsession.lint.ir.vocabulary import IN_LINE_CLOSURE_CALLS


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
    if base_name == "getTasksWithCompletionHandler":
        # Apple: "This handler is executed on the delegate queue" (getTasksWithCompletionHandler(_:)),
        # wherever the call is made; getAllTasks documents no queue.
        return Thread.DIRECT, None
    if base_name in scope.main_helpers or text in scope.main_helpers:
        return Thread.MAIN, None
    return Thread.UNKNOWN, text or base_name or None


def runs_in_line(call: ir.Call) -> bool:
    """Whether `call` runs its closures before returning, on the caller's thread (`forEach`, `map`,
    `MainActor.assumeIsolated`, `enumerateKeysAndObjectsUsingBlock:`)."""
    return isinstance(call.callee, ir.Member) and call.callee.name in IN_LINE_CLOSURE_CALLS


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
        in_line = runs_in_line(expr)
        for closure in closures:
            if in_line and not closure.main_actor:
                # Runs now, where the call is: same thread, and not later (not "in a closure").
                yield from visit(closure.body, scope, thread, wrapper, in_closure)
                continue
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
