"""A small language-neutral syntax tree for the few bodies the lifecycle analyses read.

Swift and Objective-C are converted into these nodes (extract/swift/ir.py, extract/objc/ir.py) only
for the functions that matter (handleEvents, urlSessionDidFinishEvents, their helpers, download
callbacks, watchOS task handlers) and for the anchor calls the queries find. The analyses of this
package (scope, threads, handlers, params, paths, callbacks, watch) then exist once, for both
languages. An Objective-C message `[a b:x c:y]` becomes a Call whose callee is
`Member(a, "b:c:")` with argument labels "b" and "c"; a Swift call keeps its labels ("_" for none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column (UTF-8 bytes), and the byte range, of a node."""

    line: int
    column: int
    end_line: int
    end_column: int
    start_byte: int
    end_byte: int


NOWHERE = Pos(1, 1, 1, 1, 0, 0)


@dataclass(slots=True)
class Expr:
    pos: Pos


@dataclass(slots=True)
class Name(Expr):
    text: str


@dataclass(slots=True)
class SelfRef(Expr):
    """`self` (an instance) or, with `type_level`, `Self`/the class object in a class method."""

    type_level: bool = False


@dataclass(slots=True)
class Member(Expr):
    base: Expr
    name: str


@dataclass(slots=True)
class Arg:
    label: str
    value: Expr


@dataclass(slots=True)
class Call(Expr):
    """A call or message send. `closures` are trailing closures (Swift) or block arguments."""

    callee: Expr
    args: list[Arg] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    optional_call: bool = False
    message: bool = False


@dataclass(slots=True)
class Subscript(Expr):
    base: Expr
    index: list[Expr]


@dataclass(slots=True)
class Closure(Expr):
    body: list[Stmt]
    main_actor: bool = False
    params: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StringLit(Expr):
    """A string literal; `parts` mixes text and interpolated expressions."""

    parts: list[str | Expr]

    @property
    def constant(self) -> str | None:
        if all(isinstance(part, str) for part in self.parts):
            return "".join(part for part in self.parts if isinstance(part, str))
        return None


@dataclass(slots=True)
class NilLit(Expr):
    pass


@dataclass(slots=True)
class BoolLit(Expr):
    value: bool


@dataclass(slots=True)
class NumberLit(Expr):
    text: str


@dataclass(slots=True)
class Cast(Expr):
    expr: Expr
    type_name: str
    conditional: bool = False


@dataclass(slots=True)
class Binary(Expr):
    op: str
    lhs: Expr
    rhs: Expr


@dataclass(slots=True)
class Unary(Expr):
    op: str
    operand: Expr


@dataclass(slots=True)
class Opaque(Expr):
    """Anything else; the children are kept so that what it mentions is still seen."""

    kind: str
    children: list[Expr] = field(default_factory=list)
    stmts: list[Stmt] = field(default_factory=list)


@dataclass(slots=True)
class Stmt:
    pos: Pos


@dataclass(slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(slots=True)
class Assign(Stmt):
    target: Expr
    value: Expr
    op: str = "="


@dataclass(slots=True)
class VarDecl(Stmt):
    names: list[str]
    value: Expr | None
    type_name: str | None = None


@dataclass(slots=True)
class If(Stmt):
    conditions: list[Expr]
    then: list[Stmt]
    otherwise: list[Stmt] | None
    binds: list[tuple[str, Expr]] = field(default_factory=list)


@dataclass(slots=True)
class Guard(Stmt):
    conditions: list[Expr]
    otherwise: list[Stmt]
    binds: list[tuple[str, Expr]] = field(default_factory=list)


@dataclass(slots=True)
class Case:
    patterns: list[Expr]
    body: list[Stmt]
    is_default: bool = False
    binds: list[tuple[str, str]] = field(default_factory=list)  # (name, type) of `case let x as T`


@dataclass(slots=True)
class Switch(Stmt):
    subject: Expr
    cases: list[Case]


@dataclass(slots=True)
class Return(Stmt):
    value: Expr | None


@dataclass(slots=True)
class Loop(Stmt):
    variable: str | None
    variable_type: str | None
    iterable: Expr | None
    body: list[Stmt]


@dataclass(slots=True)
class Block(Stmt):
    """A nested block that runs in line: `do`, `@synchronized`, `#if` bodies, bare braces."""

    body: list[Stmt]
    kind: str = "block"


@dataclass(slots=True)
class OtherStmt(Stmt):
    exprs: list[Expr] = field(default_factory=list)
    body: list[Stmt] = field(default_factory=list)


@dataclass(slots=True)
class Jump(OtherStmt):
    """`continue` or `break` (`kind`): an OtherStmt to every analysis but those that follow loops."""

    kind: str = "continue"


# --- traversal -------------------------------------------------------------------------------------


def child_exprs(expr: Expr) -> Iterator[Expr]:
    """The expressions directly inside `expr` (not inside closures' statements)."""
    match expr:
        case Member(base=base):
            yield base
        case Call(callee=callee, args=args, closures=closures):
            yield callee
            for arg in args:
                yield arg.value
            yield from closures
        case Subscript(base=base, index=index):
            yield base
            yield from index
        case StringLit(parts=parts):
            yield from (part for part in parts if isinstance(part, Expr))
        case Cast(expr=inner):
            yield inner
        case Binary(lhs=lhs, rhs=rhs):
            yield lhs
            yield rhs
        case Unary(operand=operand):
            yield operand
        case Opaque(children=children):
            yield from children
        case _:
            return


def stmt_exprs(stmt: Stmt) -> Iterator[Expr]:
    match stmt:
        case ExprStmt(expr=expr):
            yield expr
        case Assign(target=target, value=value):
            yield target
            yield value
        case VarDecl(value=value):
            if value is not None:
                yield value
        case If(conditions=conditions, binds=binds) | Guard(conditions=conditions, binds=binds):
            yield from conditions
            yield from (value for _, value in binds)
        case Switch(subject=subject, cases=cases):
            yield subject
            for case in cases:
                yield from case.patterns
        case Return(value=value):
            if value is not None:
                yield value
        case Loop(iterable=iterable):
            if iterable is not None:
                yield iterable
        case OtherStmt(exprs=exprs):
            yield from exprs
        case _:
            return


def stmt_children(stmt: Stmt) -> Iterator[list[Stmt]]:
    """The statement lists nested in `stmt`."""
    match stmt:
        case If(then=then, otherwise=otherwise):
            yield then
            if otherwise is not None:
                yield otherwise
        case Guard(otherwise=otherwise):
            yield otherwise
        case Switch(cases=cases):
            for case in cases:
                yield case.body
        case Loop(body=body) | Block(body=body):
            yield body
        case OtherStmt(body=body):
            yield body
        case _:
            return


def walk_exprs(expr: Expr) -> Iterator[Expr]:
    """`expr` and every expression below it, closures' bodies included."""
    stack = [expr]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Closure):
            for stmt in current.body:
                stack.extend(walk_stmt_exprs(stmt))
            continue
        if isinstance(current, Opaque):
            for stmt in current.stmts:
                stack.extend(walk_stmt_exprs(stmt))
        stack.extend(child_exprs(current))


def walk_stmt_exprs(stmt: Stmt) -> Iterator[Expr]:
    """The top expressions of `stmt` and of every statement nested in it."""
    yield from stmt_exprs(stmt)
    for body in stmt_children(stmt):
        for inner in body:
            yield from walk_stmt_exprs(inner)


def walk_body(body: list[Stmt]) -> Iterator[Expr]:
    """Every expression in a statement list, at any depth."""
    for stmt in body:
        for top in walk_stmt_exprs(stmt):
            yield from walk_exprs(top)


def mentioned_names(body: list[Stmt]) -> set[str]:
    """Every identifier and member name a body mentions."""
    names: set[str] = set()
    for expr in walk_body(body):
        if isinstance(expr, Name):
            names.add(expr.text)
        elif isinstance(expr, Member):
            names.add(expr.name.split(":", 1)[0])
    for stmt in body:
        _collect_declared(stmt, names)
    return names


def _collect_declared(stmt: Stmt, names: set[str]) -> None:
    if isinstance(stmt, VarDecl) and stmt.type_name:
        names.add(stmt.type_name)
    for inner_body in stmt_children(stmt):
        for inner in inner_body:
            _collect_declared(inner, names)


def dotted(expr: Expr) -> str | None:
    """`a.b.c` for a chain of names and members (self as `self`), else None."""
    parts: list[str] = []
    current: Expr = expr
    while True:
        if isinstance(current, Member):
            parts.append(current.name)
            current = current.base
        elif isinstance(current, Name):
            parts.append(current.text)
            break
        elif isinstance(current, SelfRef):
            parts.append("Self" if current.type_level else "self")
            break
        elif isinstance(current, Call) and current.message and not current.args:
            # `[NSBundle mainBundle]` and `[self session]` read like properties; Swift `a.b()` does not.
            current = current.callee
        else:
            return None
    return ".".join(reversed(parts))


def last_name(expr: Expr) -> str | None:
    """The final identifier of a name or member chain (`a.b.handler` -> `handler`)."""
    if isinstance(expr, Name):
        return expr.text
    if isinstance(expr, Member):
        return expr.name
    if isinstance(expr, Call) and isinstance(expr.callee, Member) and not expr.args:
        return expr.callee.name
    return None


# The statements of each body walked since the last forget_walks(), by the body's identity. Every analysis
# of a function walks its body (a file's 2,000 bodies were walked 10,000 times); the IR is built once per
# file and never changed after, and holding the body keeps its id from being reused while it is remembered.
_WALKED: dict[int, tuple[list[Stmt], tuple[Stmt, ...]]] = {}
_MAX_WALKED = 20_000


def forget_walks() -> None:
    """Drop the remembered walks: called when a file's extraction ends, so memory holds one file's IR."""
    _WALKED.clear()


def all_stmts(body: list[Stmt]) -> Iterator[Stmt]:
    """Every statement of a body, in source order, including those inside closures and opaque blocks:
    the one statement walker the analyses share."""
    known = _WALKED.get(id(body))
    if known is None or known[0] is not body:
        if len(_WALKED) >= _MAX_WALKED:  # a caller outside extraction, which never forgets: stay bounded
            _WALKED.clear()
        known = (body, tuple(_walk_stmts(body)))
        _WALKED[id(body)] = known
    return iter(known[1])


def _walk_stmts(body: list[Stmt]) -> Iterator[Stmt]:
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        for inner in stmt_children(stmt):
            stack.extend(reversed(inner))
        for top in stmt_exprs(stmt):
            for expr in walk_exprs(top):
                if isinstance(expr, Closure):
                    stack.extend(reversed(expr.body))
                elif isinstance(expr, Opaque):
                    stack.extend(reversed(expr.stmts))
