"""Convert Swift tree-sitter nodes into the neutral IR (ir.py).

Only bodies and calls the analyses need are converted. Depth is bounded: past MAX_DEPTH a subtree
becomes an empty Opaque node, so pathological nesting cannot exhaust the Python stack.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from bgsession.lint import ir
from bgsession.lint.extract.syntax import pos, text

MAX_DEPTH = 150

_BINARY = {
    "equality_expression",
    "comparison_expression",
    "conjunction_expression",
    "disjunction_expression",
    "additive_expression",
    "multiplicative_expression",
    "infix_expression",
    "range_expression",
    "bitwise_operation",
    "check_expression",
}
_TRANSPARENT = {"try_expression", "await_expression", "directly_assignable_expression"}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def body(node: Node | None, depth: int = 0) -> list[ir.Stmt]:
    """The statements of a function body, closure or block node."""
    if node is None or depth > MAX_DEPTH:
        return []
    if node.type in ("function_body", "computed_getter", "computed_setter", "lambda_literal", "computed_property"):
        found = [child for child in node.named_children if child.type == "statements"]
        if found:
            return statements(found[0], depth + 1)
        if node.type == "computed_property":
            getters = [child for child in node.named_children if child.type == "computed_getter"]
            return body(getters[0], depth + 1) if getters else []
        return []
    if node.type == "statements":
        return statements(node, depth + 1)
    return []


def statements(node: Node, depth: int) -> list[ir.Stmt]:
    result: list[ir.Stmt] = []
    for child in node.named_children:
        stmt = statement(child, depth + 1)
        if stmt is not None:
            result.append(stmt)
    return result


def statement(node: Node, depth: int) -> ir.Stmt | None:
    if depth > MAX_DEPTH:
        return ir.OtherStmt(pos(node))
    kind = node.type
    if kind == "property_declaration":
        return _var_decl(node, depth)
    if kind == "assignment":
        target = node.child_by_field_name("target")
        value = node.child_by_field_name("result")
        operator = node.child_by_field_name("operator")
        return ir.Assign(
            pos(node),
            expression(target, depth),
            expression(value, depth),
            text(operator) if operator is not None else "=",
        )
    if kind == "if_statement":
        return _if(node, depth)
    if kind == "guard_statement":
        conditions, binds = _conditions(node, depth)
        blocks = [child for child in node.named_children if child.type == "statements"]
        return ir.Guard(pos(node), conditions, statements(blocks[-1], depth) if blocks else [], binds)
    if kind == "switch_statement":
        return _switch(node, depth)
    if kind == "control_transfer_statement":
        keyword = node.children[0].type if node.children else ""
        result = node.child_by_field_name("result")
        if keyword == "return":
            return ir.Return(pos(node), expression(result, depth) if result is not None else None)
        if keyword in ("continue", "break") and result is None:
            return ir.Jump(pos(node), kind=keyword)
        return ir.OtherStmt(pos(node), [expression(result, depth)] if result is not None else [])
    if kind == "for_statement":
        item = node.child_by_field_name("item")
        collection = node.child_by_field_name("collection")
        blocks = [child for child in node.named_children if child.type == "statements"]
        return ir.Loop(
            pos(node),
            _loop_variable(item) if item is not None else None,
            None,
            expression(collection, depth) if collection is not None else None,
            statements(blocks[0], depth) if blocks else [],
        )
    if kind in ("while_statement", "repeat_while_statement"):
        blocks = [child for child in node.named_children if child.type == "statements"]
        return ir.Loop(pos(node), None, None, None, statements(blocks[0], depth) if blocks else [])
    if kind == "do_statement":
        nested: list[ir.Stmt] = []
        for child in node.named_children:
            if child.type == "statements":
                nested.extend(statements(child, depth))
        catches = [child for child in node.named_children if child.type == "catch_block"]
        caught = [stmt for block in catches for stmt in body(_first(block, "statements"), depth)]
        if caught:
            return ir.Block(pos(node), [*nested, ir.OtherStmt(pos(catches[0]), [], caught)], "do")
        return ir.Block(pos(node), nested, "do")
    if kind in (
        "function_declaration",
        "class_declaration",
        "protocol_declaration",
        "directive",
        "comment",
        "multiline_comment",
        "typealias_declaration",
        "import_declaration",
    ):
        return None
    return ir.ExprStmt(pos(node), expression(node, depth))


def _first(node: Node, kind: str) -> Node | None:
    for child in node.named_children:
        if child.type == kind:
            return child
    return None


def _var_decl(node: Node, depth: int) -> ir.Stmt:
    names: list[str] = []
    for child in node.children_by_field_name("name"):
        names.extend(_bound_names(child))
    value = node.child_by_field_name("value")
    annotation = _first(node, "type_annotation")
    type_name = _type_name(annotation) if annotation is not None else None
    return ir.VarDecl(pos(node), names, expression(value, depth) if value is not None else None, type_name)


def _type_name(annotation: Node) -> str | None:
    found = re.search(r"[A-Za-z_][A-Za-z0-9_]*", text(annotation).lstrip(":").strip())
    return found.group(0) if found else None


def _bound_names(node: Node) -> list[str]:
    if node.type == "simple_identifier":
        return [text(node)]
    names: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "simple_identifier":
            names.append(text(current))
        elif current.type in ("pattern", "tuple_pattern", "tuple_pattern_item", "value_binding_pattern"):
            stack.extend(reversed(current.named_children))
    return names


def _loop_variable(item: Node) -> str | None:
    """The name a for-in loop binds to each element: `x` of `for x in xs`, and the last item of a tuple
    pattern, the value of `for (key, value) in dictionary` and the element of `for (i, x) in xs.enumerated()`
    (None when that item is `_`)."""
    items = [child for child in item.named_children if child.type == "pattern"]
    if len(items) >= 2:
        last = items[-1]
        bound = last.named_children[0] if last.named_children else None
        return text(bound) if bound is not None and bound.type == "simple_identifier" else None
    names = _bound_names(item)
    return names[0] if names else None


def _conditions(node: Node, depth: int) -> tuple[list[ir.Expr], list[tuple[str, ir.Expr]]]:
    """The conditions of an if/guard, with `let x = e` bindings paired up."""
    conditions: list[ir.Expr] = []
    binds: list[tuple[str, ir.Expr]] = []
    pending: str | None = None
    binding = False
    for index, child in enumerate(node.children):
        field = node.field_name_for_child(index)
        if not child.is_named:
            continue
        if field == "condition" and child.type == "value_binding_pattern":
            binding = True
            continue
        if field == "bound_identifier":
            pending = text(child)
            continue
        if field == "condition":
            converted = expression(child, depth)
            if binding and pending is not None:
                binds.append((pending, converted))
                binding, pending = False, None
            else:
                conditions.append(converted)
    return conditions, binds


def _if(node: Node, depth: int) -> ir.Stmt:
    conditions, binds = _conditions(node, depth)
    then: list[ir.Stmt] = []
    otherwise: list[ir.Stmt] | None = None
    seen_else = False
    for child in node.children:
        if child.type == "else":
            seen_else = True
        elif child.type == "statements":
            if seen_else:
                otherwise = statements(child, depth)
            else:
                then = statements(child, depth)
        elif child.type == "if_statement" and seen_else:
            otherwise = [_if(child, depth + 1)]
    if seen_else and otherwise is None:
        otherwise = []
    return ir.If(pos(node), conditions, then, otherwise, binds)


def _switch(node: Node, depth: int) -> ir.Stmt:
    subject = node.child_by_field_name("expr")
    cases: list[ir.Case] = []
    for entry in node.named_children:
        if entry.type != "switch_entry":
            continue
        patterns: list[ir.Expr] = []
        binds: list[tuple[str, str]] = []
        is_default = any(child.type == "default_keyword" for child in entry.children)
        block: list[ir.Stmt] = []
        for child in entry.named_children:
            if child.type == "switch_pattern":
                pattern = _first(child, "pattern") or child
                cast_type = pattern.child_by_field_name("name")
                if cast_type is not None and any(c.type == "as" for c in pattern.children):
                    names = [n for c in pattern.named_children if c.type == "pattern" for n in _bound_names(c)]
                    binds.append((names[0] if names else "_", _type_name(cast_type) or text(cast_type)))
                patterns.append(expression(pattern, depth))
            elif child.type == "statements":
                block = statements(child, depth)
        cases.append(ir.Case(patterns, block, is_default, binds))
    return ir.Switch(
        pos(node), expression(subject, depth) if subject is not None else ir.Opaque(pos(node), "none"), cases
    )


def expression(node: Node | None, depth: int = 0) -> ir.Expr:
    if node is None:
        return ir.Opaque(ir.NOWHERE, "missing")
    here = pos(node)
    if depth > MAX_DEPTH:
        return ir.Opaque(here, "deep")
    kind = node.type
    depth += 1
    if kind == "simple_identifier":
        name = text(node)
        return ir.SelfRef(here, type_level=True) if name == "Self" else ir.Name(here, name)
    if kind == "self_expression":
        return ir.SelfRef(here)
    if kind in _TRANSPARENT:
        inner = node.child_by_field_name("expr") or (node.named_children[-1] if node.named_children else None)
        return expression(inner, depth)
    if kind == "navigation_expression":
        return _navigation(node, depth)
    if kind == "prefix_expression":
        target = node.child_by_field_name("target")
        operation = node.child_by_field_name("operation")
        op = text(operation) if operation is not None else ""
        if op == "." and target is not None and target.type == "simple_identifier":
            return ir.Member(here, ir.Name(here, ""), text(target))
        return ir.Unary(here, op, expression(target, depth))
    if kind == "postfix_expression":
        return expression(node.child_by_field_name("target"), depth)
    if kind == "call_expression":
        return _call(node, depth)
    if kind == "lambda_literal":
        return _closure(node, depth)
    if kind in ("line_string_literal", "multi_line_string_literal", "raw_string_literal"):
        return _string(node, depth)
    if kind == "nil_literal" or text(node) == "nil":
        return ir.NilLit(here)
    if kind == "boolean_literal":
        return ir.BoolLit(here, text(node) == "true")
    if kind in ("integer_literal", "real_literal", "hex_literal"):
        return ir.NumberLit(here, text(node))
    if kind == "as_expression":
        operator = _first(node, "as_operator")
        type_node = node.child_by_field_name("name") or node.child_by_field_name("type")
        return ir.Cast(
            here,
            expression(node.child_by_field_name("expr"), depth),
            (_type_name(type_node) or "") if type_node is not None else "",
            conditional=operator is not None and text(operator) == "as?",
        )
    if kind in _BINARY:
        lhs = node.child_by_field_name("lhs")
        rhs = node.child_by_field_name("rhs")
        operator = node.child_by_field_name("op")
        if lhs is not None and rhs is not None:
            return ir.Binary(
                here, text(operator) if operator is not None else kind, expression(lhs, depth), expression(rhs, depth)
            )
    if kind == "nil_coalescing_expression":
        return ir.Binary(
            here,
            "??",
            expression(node.child_by_field_name("value"), depth),
            expression(node.child_by_field_name("if_nil"), depth),
        )
    if kind == "tuple_expression" and len(node.named_children) == 1:
        return expression(node.named_children[0], depth)
    if kind == "ternary_expression":
        return ir.Opaque(here, "ternary", [expression(child, depth) for child in node.named_children])
    return _opaque(node, depth)


def _opaque(node: Node, depth: int) -> ir.Expr:
    children: list[ir.Expr] = []
    nested: list[ir.Stmt] = []
    for child in node.named_children:
        if child.type == "statements":
            nested.extend(statements(child, depth))
        elif child.type not in ("comment", "multiline_comment", "type_annotation", "user_type"):
            children.append(expression(child, depth))
    return ir.Opaque(pos(node), node.type, children, nested)


def _navigation(node: Node, depth: int) -> ir.Expr:
    target = next((child for child in node.children_by_field_name("target") if child.type != "?"), None)
    suffix = node.child_by_field_name("suffix")
    name_node = suffix.child_by_field_name("suffix") if suffix is not None else None
    name = text(name_node) if name_node is not None else ""
    return ir.Member(pos(node), expression(target, depth), name)


def _call(node: Node, depth: int) -> ir.Expr:
    here = pos(node)
    named = node.named_children
    callee_node = named[0] if named else None
    suffix = _first(node, "call_suffix")
    optional_call = any(child.type == "?" for child in node.children)
    callee = (
        expression(callee_node, depth)
        if callee_node is not None and callee_node.type != "call_suffix"
        else (ir.Opaque(here, "missing"))
    )
    args: list[ir.Arg] = []
    closures: list[ir.Closure] = []
    subscript = False
    if suffix is not None:
        for part in suffix.named_children:
            if part.type == "value_arguments":
                subscript = any(child.type == "[" for child in part.children)
                for argument in part.named_children:
                    if argument.type != "value_argument":
                        continue
                    label_node = argument.child_by_field_name("name")
                    value_node = argument.child_by_field_name("value")
                    label = text(label_node).strip() if label_node is not None else "_"
                    args.append(ir.Arg(label, expression(value_node, depth)))
            elif part.type in ("lambda_literal", "annotated_lambda"):
                lambda_node = part if part.type == "lambda_literal" else _first(part, "lambda_literal")
                if lambda_node is not None:
                    converted = _closure(lambda_node, depth)
                    if isinstance(converted, ir.Closure):
                        closures.append(converted)
    if subscript:
        return ir.Subscript(here, callee, [arg.value for arg in args])
    if isinstance(callee, ir.Call) and not args and closures and is_trailing_closure_call(node):
        # `let t = f(x) { ... }` parses as a call of the call `f(x)` with only a trailing closure.
        return ir.Call(here, callee.callee, callee.args, [*callee.closures, *closures], callee.optional_call)
    if isinstance(callee, ir.Unary) and not subscript:
        # `!a.b.run(x)` parses as the call of `!a.b.run`: the operator applies to the call's result.
        inner = ir.Call(here, callee.operand, args, closures, optional_call)
        return ir.Unary(here, callee.op, inner)
    return ir.Call(here, callee, args, closures, optional_call)


def is_trailing_closure_call(node: Node) -> bool:
    """A call_expression whose callee is itself a call and whose suffix is only a trailing closure."""
    named = node.named_children
    if len(named) != 2 or named[0].type != "call_expression" or named[1].type != "call_suffix":
        return False
    return all(part.type in ("lambda_literal", "annotated_lambda") for part in named[1].named_children)


def _closure(node: Node, depth: int) -> ir.Expr:
    main_actor = any(child.type == "attribute" and "MainActor" in text(child) for child in node.named_children)
    params: list[str] = []
    signature = node.child_by_field_name("type")
    if signature is not None:
        params = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text(signature).split("->")[0])
    return ir.Closure(pos(node), body(node, depth), main_actor, params)


def _string(node: Node, depth: int) -> ir.Expr:
    parts: list[str | ir.Expr] = []
    for child in node.named_children:
        if child.type in ("line_str_text", "multi_line_str_text", "raw_str_part", "raw_str_end_part"):
            parts.append(text(child))
        elif child.type == "str_escaped_char":
            parts.append(_unescape(text(child)))
        elif child.type == "interpolated_expression":
            value = child.child_by_field_name("value") or (child.named_children[0] if child.named_children else None)
            parts.append(expression(value, depth))
    return ir.StringLit(pos(node), parts)


def _unescape(escape: str) -> str:
    if escape.startswith("\\u{") and escape.endswith("}"):
        try:
            return chr(int(escape[3:-1], 16))
        except ValueError:
            return escape
    return _ESCAPES.get(escape[1:], escape[1:]) if escape.startswith("\\") else escape
