"""Anchor helpers shared by the Swift and Objective-C extractors: they work on IR, not on syntax."""

from __future__ import annotations

from bgsession.lint import ir
from bgsession.lint.ir.recognize import config_call
from bgsession.lint.ir.scope import Scope, expr_type


def config_ref(
    expr: ir.Expr | None, scope: Scope, config_index: dict[int, int], depth: int = 0
) -> tuple[str, str, int | None]:
    """How a session's configuration argument refers to a configuration."""
    if expr is None or depth > 6:
        return "unknown", "", None
    if isinstance(expr, ir.Call):
        if config_call(expr) is not None and expr.pos.start_byte in config_index:
            return "inline", "", config_index[expr.pos.start_byte]
        if isinstance(expr.callee, ir.Closure):
            for node in ir.walk_body(expr.callee.body):
                if isinstance(node, ir.Call) and node.pos.start_byte in config_index:
                    return "inline", "", config_index[node.pos.start_byte]
            return "unknown", "", None
        name = ir.last_name(expr.callee) or ""
        # Apple's factories take no argument; a project's `defaultSessionConfiguration(identifier:)`
        # (MZDownloadManager) may well make a background one.
        if (
            name in ("default", "ephemeral", "defaultSessionConfiguration", "ephemeralSessionConfiguration")
            and not expr.args
        ):
            return "default", name, None
        return "call", name, None
    text_value = ir.dotted(expr) or ""
    if text_value.split(".")[-1] in (
        "default",
        "ephemeral",
        "defaultSessionConfiguration",
        "ephemeralSessionConfiguration",
    ):
        return "default", text_value, None
    if isinstance(expr, ir.Name):
        value = scope.local_values.get(expr.text)
        # `if let configuration = configuration`: the binding unwraps the outer name, the parameter.
        if value is not None and not (isinstance(value, ir.Name) and value.text == expr.text):
            return config_ref(value, scope, config_index, depth + 1)
        if expr.text in scope.parameters:
            return "param", expr.text, None
        return "member", expr.text.lstrip("_"), None
    if isinstance(expr, ir.Member):
        return "member", expr.name, None
    if isinstance(expr, (ir.Cast,)):
        return config_ref(expr.expr, scope, config_index, depth + 1)
    if isinstance(expr, ir.Binary) and expr.op == "??":
        # `configuration ?? Manager.defaultConfiguration(identifier:)`: a caller's optional, or the
        # fallback this code builds; the fallback is what it makes when callers pass none.
        fallback = config_ref(expr.rhs, scope, config_index, depth + 1)
        return fallback if fallback[0] != "unknown" else config_ref(expr.lhs, scope, config_index, depth + 1)
    return "unknown", "", None


def receiver_of(
    expr: ir.Expr, scope: Scope, session_starts: dict[int, int], type_name: str | None, depth: int = 0
) -> tuple[str, str | None, str | None, int | None]:
    """What a task's receiver refers to: ("session", ...) a session made here, ("member", name, type), ..."""
    if depth > 6:
        return "unknown", None, None, None
    if isinstance(expr, ir.Call) and expr.pos.start_byte in session_starts:
        return "session", None, None, session_starts[expr.pos.start_byte]
    dotted = ir.dotted(expr) or ""
    if dotted in ("URLSession.shared", "NSURLSession.sharedSession"):
        return "shared", dotted, None, None
    if isinstance(expr, ir.Name):
        if expr.text in scope.local_values:
            return receiver_of(scope.local_values[expr.text], scope, session_starts, type_name, depth + 1)
        if expr.text in scope.parameters:
            return "unknown", expr.text, None, None
        return "member", expr.text.lstrip("_"), type_name, None
    if isinstance(expr, ir.Member):
        return "member", expr.name, expr_type(expr.base, scope), None
    if isinstance(expr, ir.Call) and expr.message and not expr.args and isinstance(expr.callee, ir.Member):
        return "member", expr.callee.name, expr_type(expr.callee.base, scope), None
    if isinstance(expr, ir.Call):
        name = ir.last_name(expr.callee)
        return "call", name, None, None
    return "unknown", None, None, None
