"""Convert Objective-C tree-sitter nodes into the neutral IR (ir.py).

A message `[receiver a:x b:y]` becomes `Call(Member(receiver, "a:b:"), [Arg("a", x), Arg("b", y)],
message=True)`; a message without arguments keeps its bare name (`[self session]` reads as the
property `session`). Depth is bounded as in swift_ir.py.
"""

from __future__ import annotations

from tree_sitter import Node

from bgsession.lint import ir
from bgsession.lint.extract.syntax import pos, text

MAX_DEPTH = 150

_LITERAL_NAMES = {"nil": None, "NULL": None, "Nil": None, "YES": True, "NO": False, "true": True, "false": False}
_C_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'", "?": "?"}


def body(node: Node | None, depth: int = 0) -> list[ir.Stmt]:
    """The statements of a method definition, block literal or compound statement."""
    if node is None or depth > MAX_DEPTH:
        return []
    if node.type in ("method_definition", "block_literal", "function_definition"):
        compound = next((c for c in node.named_children if c.type == "compound_statement"), None)
        return body(compound, depth + 1)
    if node.type == "compound_statement":
        return _statements(node.named_children, depth + 1)
    stmt = statement(node, depth + 1)
    return [stmt] if stmt is not None else []


def _statements(nodes: list[Node], depth: int) -> list[ir.Stmt]:
    result: list[ir.Stmt] = []
    for child in nodes:
        stmt = statement(child, depth)
        if stmt is not None:
            result.append(stmt)
    return result


def statement(node: Node, depth: int) -> ir.Stmt | None:
    if depth > MAX_DEPTH:
        return ir.OtherStmt(pos(node))
    kind = node.type
    if kind in ("continue_statement", "break_statement"):
        return ir.Jump(pos(node), kind=kind.removesuffix("_statement"))
    if kind == "expression_statement":
        inner = next((c for c in node.named_children if c.type != "comment"), None)
        if inner is None:
            return None
        if inner.type == "assignment_expression":
            return _assign(inner, depth)
        return ir.ExprStmt(pos(node), expression(inner, depth))
    if kind == "declaration":
        return _declaration(node, depth)
    if kind == "if_statement":
        return _if(node, depth)
    if kind == "return_statement":
        value = next((c for c in node.named_children if c.type != "comment"), None)
        return ir.Return(pos(node), expression(value, depth) if value is not None else None)
    if kind == "compound_statement":
        return ir.Block(pos(node), _statements(node.named_children, depth + 1))
    if kind in ("synchronized_statement", "autoreleasepool_statement"):
        compound = next((c for c in node.named_children if c.type == "compound_statement"), None)
        guard_exprs = [expression(c, depth) for c in node.named_children if c.type != "compound_statement"]
        block_kind = "synchronized" if kind == "synchronized_statement" else "block"
        nested = body(compound, depth + 1)
        return ir.Block(pos(node), [ir.OtherStmt(pos(node), guard_exprs), *nested], block_kind)
    if kind == "for_statement":
        return _for(node, depth)
    if kind in ("while_statement", "do_statement"):
        compound = next((c for c in node.named_children if c.type == "compound_statement"), None)
        return ir.Loop(pos(node), None, None, None, body(compound, depth + 1))
    if kind == "switch_statement":
        return _switch(node, depth)
    if kind in (
        "try_statement",
        "preproc_if",
        "preproc_ifdef",
        "preproc_else",
        "preproc_elif",
        "labeled_statement",
        "catch_clause",
        "finally_clause",
    ):
        return ir.Block(pos(node), _statements(node.named_children, depth + 1), kind)
    if kind in (
        "comment",
        "preproc_call",
        "preproc_def",
        "preproc_function_def",
        "preproc_include",
        "goto_statement",
        "type_definition",
    ):
        return None
    return ir.ExprStmt(pos(node), expression(node, depth))


def _assign(node: Node, depth: int) -> ir.Stmt:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    operator = node.child_by_field_name("operator")
    return ir.Assign(
        pos(node), expression(left, depth), expression(right, depth), text(operator) if operator is not None else "="
    )


def declarator_name(node: Node | None) -> str | None:
    """The name a C declarator declares (`*x`, `(^x)(void)`, `x[3]`, `f(void)`): one reading for both
    the anchors and the IR."""
    while node is not None:
        if node.type == "identifier":
            return text(node)
        inner = node.child_by_field_name("declarator")
        if inner is None:
            inner = next(
                (
                    c
                    for c in node.named_children
                    if c.type
                    in (
                        "identifier",
                        "pointer_declarator",
                        "block_pointer_declarator",
                        "parenthesized_declarator",
                        "function_declarator",
                    )
                ),
                None,
            )
        node = inner
    return None


def _declaration(node: Node, depth: int) -> ir.Stmt:
    type_node = node.child_by_field_name("type")
    type_name = text(type_node).split("<", 1)[0].strip() if type_node is not None else None
    names: list[str] = []
    value: ir.Expr | None = None
    for declarator in node.children_by_field_name("declarator"):
        if declarator.type == "init_declarator":
            name = declarator_name(declarator.child_by_field_name("declarator"))
            init = declarator.child_by_field_name("value")
            if init is not None:
                value = expression(init, depth)
        else:
            name = declarator_name(declarator)
        if name:
            names.append(name)
    return ir.VarDecl(pos(node), names, value, type_name)


def _if(node: Node, depth: int) -> ir.Stmt:
    condition = node.child_by_field_name("condition")
    consequence = node.child_by_field_name("consequence")
    alternative = node.child_by_field_name("alternative")
    otherwise: list[ir.Stmt] | None = None
    if alternative is not None:
        inner = next((c for c in alternative.named_children if c.type != "comment"), None)
        otherwise = body(inner, depth + 1) if inner is not None else []
    return ir.If(pos(node), [expression(condition, depth)], body(consequence, depth + 1), otherwise)


def _for(node: Node, depth: int) -> ir.Stmt:
    compound = next((c for c in node.named_children if c.type == "compound_statement"), None)
    if any(child.type == "in" for child in node.children):
        type_node = node.child_by_field_name("type")
        variable = None
        iterable: ir.Expr | None = None
        seen_in = False
        for child in node.children:
            if child.type == "in":
                seen_in = True
            elif not seen_in and child.type in ("pointer_declarator", "identifier", "function_declarator"):
                # `function_declarator` is a block variable: `for (void (^handler)(void) in handlers.allValues)`.
                variable = declarator_name(child)
            elif seen_in and child.is_named and child.type != "compound_statement":
                iterable = expression(child, depth)
        loop_body = body(compound, depth + 1) if compound is not None else []
        type_name = text(type_node) if type_node is not None else None
        return ir.Loop(pos(node), variable, type_name, iterable, loop_body)
    return ir.Loop(pos(node), None, None, None, body(compound, depth + 1) if compound is not None else [])


def _switch(node: Node, depth: int) -> ir.Stmt:
    condition = node.child_by_field_name("condition")
    compound = node.child_by_field_name("body")
    cases: list[ir.Case] = []
    if compound is not None:
        for entry in compound.named_children:
            if entry.type != "case_statement":
                continue
            value = entry.child_by_field_name("value")
            is_default = any(child.type == "default" for child in entry.children)
            stmts = [c for c in entry.named_children if c != value]
            patterns = [expression(value, depth)] if value is not None else []
            cases.append(ir.Case(patterns, _statements(stmts, depth + 1), is_default))
    return ir.Switch(pos(node), expression(condition, depth), cases)


def expression(node: Node | None, depth: int = 0) -> ir.Expr:
    if node is None:
        return ir.Opaque(ir.NOWHERE, "missing")
    here = pos(node)
    if depth > MAX_DEPTH:
        return ir.Opaque(here, "deep")
    depth += 1
    kind = node.type
    if kind == "identifier":
        name = text(node)
        if name == "self":
            return ir.SelfRef(here)
        if name in _LITERAL_NAMES:
            literal = _LITERAL_NAMES[name]
            return ir.NilLit(here) if literal is None else ir.BoolLit(here, literal)
        return ir.Name(here, name)
    if kind in ("true", "false"):
        return ir.BoolLit(here, kind == "true")
    if kind in ("null", "nil"):
        return ir.NilLit(here)
    if kind == "parenthesized_expression":
        inner = next((c for c in node.named_children if c.type != "comment"), None)
        return expression(inner, depth)
    if kind == "message_expression":
        return _message(node, depth)
    if kind == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        args = [
            ir.Arg("_", expression(a, depth))
            for a in (arguments.named_children if arguments else [])
            if a.type != "comment"
        ]
        return ir.Call(here, expression(function, depth), args)
    if kind == "field_expression":
        field = node.child_by_field_name("field")
        return ir.Member(here, expression(node.child_by_field_name("argument"), depth), text(field) if field else "")
    if kind == "subscript_expression":
        index = node.child_by_field_name("index")
        return ir.Subscript(
            here,
            expression(node.child_by_field_name("argument"), depth),
            [expression(index, depth)] if index is not None else [],
        )
    if kind == "block_literal":
        compound = next((c for c in node.named_children if c.type == "compound_statement"), None)
        parameters = next((c for c in node.named_children if c.type == "parameter_list"), None)
        names = [
            declarator_name(p.child_by_field_name("declarator")) or ""
            for p in (parameters.named_children if parameters is not None else [])
            if p.type == "parameter_declaration"
        ]
        # `^(void)` declares no parameter; otherwise positions matter (`^(id key, id obj, BOOL *stop)`).
        return ir.Closure(here, body(compound, depth + 1), params=names if any(names) else [])
    if kind in ("string_literal", "concatenated_string"):
        return _string(node)
    if kind == "number_literal":
        return ir.NumberLit(here, text(node))
    if kind == "cast_expression":
        type_node = node.child_by_field_name("type")
        type_name = text(type_node).replace("*", "").strip() if type_node is not None else ""
        return ir.Cast(here, expression(node.child_by_field_name("value"), depth), type_name)
    if kind in ("unary_expression", "pointer_expression"):
        operator = node.child_by_field_name("operator")
        return ir.Unary(
            here, text(operator) if operator else "", expression(node.child_by_field_name("argument"), depth)
        )
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        return ir.Binary(
            here,
            text(operator) if operator else "",
            expression(node.child_by_field_name("left"), depth),
            expression(node.child_by_field_name("right"), depth),
        )
    if kind == "conditional_expression":
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        if consequence is None:
            return ir.Binary(here, "??", expression(condition, depth), expression(alternative, depth))
        return ir.Opaque(here, "ternary", [expression(c, depth) for c in (condition, consequence, alternative)])
    if kind == "assignment_expression":
        return ir.Opaque(here, "assignment", [], [_assign(node, depth)])
    if kind == "selector_expression":
        return ir.Opaque(here, "selector:" + text(node))
    children = [expression(c, depth) for c in node.named_children if c.type != "comment"]
    return ir.Opaque(here, kind, children)


def _message(node: Node, depth: int) -> ir.Expr:
    receiver_node = node.child_by_field_name("receiver")
    receiver: ir.Expr
    if receiver_node is not None and receiver_node.type == "identifier" and text(receiver_node) == "super":
        receiver = ir.Name(pos(receiver_node), "super")
    else:
        receiver = expression(receiver_node, depth)
    parts: list[str] = []
    args: list[ir.Arg] = []
    current: str | None = None
    has_args = False
    for index, child in enumerate(node.children):
        field = node.field_name_for_child(index)
        if field == "receiver" or not child.is_named or child.type == "comment":
            continue
        if field == "method":
            current = text(child)
            parts.append(current)
            continue
        has_args = True
        args.append(ir.Arg(current or "_", expression(child, depth)))
    selector = "".join(f"{part}:" for part in parts) if has_args else (parts[0] if parts else "")
    return ir.Call(pos(node), ir.Member(pos(node), receiver, selector), args, message=True)


def _string(node: Node) -> ir.Expr:
    parts: list[str | ir.Expr] = []
    stack = [node]
    pieces: list[str] = []
    while stack:
        current = stack.pop(0)
        if current.type in ("string_literal", "concatenated_string"):
            stack[0:0] = list(current.named_children)
        elif current.type == "string_content":
            pieces.append(text(current))
        elif current.type == "escape_sequence":
            pieces.append(_unescape(text(current)))
    parts.append("".join(pieces))
    return ir.StringLit(pos(node), parts)


def _unescape(escape: str) -> str:
    body = escape[1:]
    if body[:1] in ("u", "U", "x") and len(body) > 1:
        try:
            return chr(int(body[1:], 16))
        except ValueError:
            return escape
    if body.isdigit():
        try:
            return chr(int(body, 8))
        except ValueError:
            return escape
    return _C_ESCAPES.get(body, body)
