"""What a function's names refer to: its locals' values and types, self's properties, parameters."""

from __future__ import annotations

from dataclasses import dataclass, field

from bgsession.diagnostics import Loc
from bgsession.lint import ir
from bgsession.lint.ir.vocabulary import SHARED_ACCESSORS


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
    # Every value a local is given (declaration, binding, assignment), with where it is given.
    assignments: dict[str, list[tuple[int, ir.Expr]]] = field(default_factory=dict)

    def learn(self, body: list[ir.Stmt]) -> None:
        """Record every local binding's value and, where it shows, its type."""
        for stmt in ir.all_stmts(body):
            bindings: list[tuple[str, ir.Expr | None, str | None]] = []
            if isinstance(stmt, ir.VarDecl):
                bindings = [(name, stmt.value, stmt.type_name) for name in stmt.names]
            elif isinstance(stmt, (ir.If, ir.Guard)):
                bindings = [(name, value, None) for name, value in stmt.binds]
            elif isinstance(stmt, ir.Assign) and stmt.op == "=" and isinstance(stmt.target, ir.Name):
                self.assignments.setdefault(stmt.target.text, []).append((stmt.pos.start_byte, stmt.value))
            for name, value, type_name in bindings:
                if value is not None:
                    self.local_values.setdefault(name, value)
                    self.assignments.setdefault(name, []).append((stmt.pos.start_byte, value))
                known = type_name or (expr_type(value, self) if value is not None else None)
                if known and known not in ("id", "var", "let", "void", "auto"):
                    self.local_types.setdefault(name, known)


def values_at(scope: Scope, position: int) -> dict[str, ir.Expr]:
    """Each local's value as of `position`: the last one given before it in the source, so
    `NSString *uuid = nil; … uuid = [[NSUUID UUID] UUIDString]; …WithIdentifier:uuid` reads the UUID."""
    values = dict(scope.local_values)
    for name, given in scope.assignments.items():
        before = [value for start, value in given if start < position and not isinstance(value, ir.NilLit)]
        if before:
            values[name] = before[-1]
    return values


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
        if expr.name in SHARED_ACCESSORS or expr.name.startswith("shared"):
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
                    name in SHARED_ACCESSORS
                    or name.startswith(("shared", "default", "init", "new", "alloc"))
                    or name == "init"
                )
            ):
                return base
            if name.startswith("init") and isinstance(callee.base, ir.Call):
                return expr_type(callee.base, scope)
    if isinstance(expr, ir.Opaque) and len(expr.children) == 1:
        return expr_type(expr.children[0], scope)
    return None
