"""Objective-C facts: the same facts as Swift, from messages, methods, classes and categories.

Categories and class extensions count as their class; an `@interface` in a header and its
`@implementation` elsewhere are merged in project.py by class name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from bgsession.grammars import SourceLanguage
from bgsession.grammars import matches as query_matches
from bgsession.grammars.objc_preprocessor import SCRIPT_ENTRY
from bgsession.lint import ir
from bgsession.lint.extract.base import Captures, Consumer, Extractor, OptionKey, group_captures
from bgsession.lint.extract.objc import ir as objc_ir
from bgsession.lint.extract.syntax import node_loc, pos, text, unique
from bgsession.lint.facts import (
    CallArgFact,
    ConstantFact,
    DelegateCastFact,
    EntryFact,
    FileFacts,
    IdentifierValue,
    IdKind,
    PropertyFact,
    TypeFact,
    TypeKind,
    closed,
)
from bgsession.lint.ir import roles
from bgsession.lint.ir.anchors import config_ref
from bgsession.lint.ir.context import Context, compares_identifier, is_availability, tests_state
from bgsession.lint.ir.recognize import config_call, identifier_value, session_call
from bgsession.lint.ir.roles import FunctionInfo, Param, Role
from bgsession.lint.ir.scope import expr_type
from bgsession.lint.ir.vocabulary import SESSION_TYPES
from bgsession.lint.options import LintOptions

_TYPES = ("class_interface", "class_implementation")
_FUNCTIONS = ("method_definition", "function_definition")
_WRAPPERS = ("parenthesized_expression", "cast_expression")


def extract(path: str, source: bytes, tree: Tree, options: LintOptions | None = None) -> FileFacts:
    matches = query_matches(SourceLanguage.OBJC, tree.root_node)
    return ObjcFile(path, source, classify(group_captures(matches)), options, root=tree.root_node).facts()


_CONFIG_SELECTORS = frozenset({"backgroundSessionConfigurationWithIdentifier", "backgroundSessionConfiguration"})
_INVALIDATE = frozenset({"invalidateAndCancel", "finishTasksAndInvalidate"})
_OPTION_SETTERS = frozenset({"setSessionSendsLaunchEvents", "setSharedContainerIdentifier"})
_OPTION_FIELDS = frozenset({"sessionSendsLaunchEvents", "sharedContainerIdentifier"})


def _message_of(method: Node) -> Node | None:
    parent = method.parent
    return parent if parent is not None and parent.type == "message_expression" else None


def _receiver_name(message: Node) -> str:
    receiver = message.child_by_field_name("receiver")
    return text(receiver) if receiver is not None and receiver.type == "identifier" else ""


def _is_first_method(message: Node, method: Node) -> bool:
    first = message.child_by_field_name("method")
    return first is not None and first.id == method.id


def _cast_of(value: Node) -> Node | None:
    parent = value.parent
    if parent is not None and parent.type == "cast_expression":
        cast_value = parent.child_by_field_name("value")
        if cast_value is not None and cast_value.id == value.id:
            return parent
    return None


@dataclass(slots=True)
class ObjcCaptures(Captures):
    """The anchors only Objective-C has: messages with a labelled argument, file-level constants and
    `#define`s."""

    labeled_message: list[Node] = field(default_factory=list)
    constant: list[Node] = field(default_factory=list)
    define: list[Node] = field(default_factory=list)


def classify(leaves: dict[str, list[Node]]) -> ObjcCaptures:
    """The queries capture leaf names (cheap to compile); this finds the message, assignment, cast or
    declaration each belongs to, under the kinds the extractor reads."""
    found = ObjcCaptures(
        types=list(leaves.get("type", [])),
        function=list(leaves.get("function", [])),
        imports=list(leaves.get("import", [])),
        error=list(leaves.get("error", [])),
    )
    for leaf in leaves.get("message_name", []):
        message = _message_of(leaf)
        if message is None or not _is_first_method(message, leaf):
            continue
        name, receiver = text(leaf), _receiver_name(message)
        if name in _CONFIG_SELECTORS and receiver == "NSURLSessionConfiguration":
            found.config.append(message)
        elif name == "sessionWithConfiguration" and receiver in SESSION_TYPES:
            found.session.append(message)
        elif name in _INVALIDATE:
            found.invalidate.append(message)
        elif name in _OPTION_SETTERS:
            found.option.append(message)
        elif name == "alloc" and receiver:
            outer = message.parent
            inner_of = outer.child_by_field_name("receiver") if outer is not None else None
            if outer is not None and outer.type == "message_expression" and inner_of is not None:
                if inner_of.id == message.id:
                    found.instantiation.append(outer)
        elif name == "new" and receiver:
            found.instantiation.append(message)
        elif name == "delegate" and (cast := _cast_of(message)) is not None:
            found.delegate_cast.append(cast)
    for leaf in leaves.get("field_name", []):
        field = leaf.parent
        if field is None or field.type != "field_expression":
            continue
        holder = field.parent
        if text(leaf) in _OPTION_FIELDS and holder is not None and holder.type == "assignment_expression":
            left = holder.child_by_field_name("left")
            if left is not None and left.id == field.id:
                found.option.append(holder)
        elif text(leaf) == "delegate" and (cast := _cast_of(field)) is not None:
            found.delegate_cast.append(cast)
    for leaf in leaves.get("task_name", []):
        message = _message_of(leaf)
        if message is not None and _is_first_method(message, leaf):
            found.task.append(message)
    for leaf in leaves.get("arg_selector", []):
        message = _message_of(leaf)
        if message is not None:
            found.labeled_message.append(message)
    for leaf in leaves.get("entry_name", []):
        call = leaf.parent
        if call is not None and call.type == "call_expression":
            function = call.child_by_field_name("function")
            if function is not None and function.id == leaf.id:
                found.uiapplicationmain.append(call)
    for node in leaves.get("declaration", []):
        declarator = node.child_by_field_name("declarator")
        value = declarator.child_by_field_name("value") if declarator is not None else None
        if (
            node.parent is not None
            and node.parent.type == "translation_unit"
            and declarator is not None
            and declarator.type == "init_declarator"
            and value is not None
            and value.type in ("string_literal", "message_expression")
        ):
            found.constant.append(node)
    for node in leaves.get("define", []):
        if node.child_by_field_name("name") is not None and node.child_by_field_name("value") is not None:
            found.define.append(node)
    found.in_source_order()
    return found


class ObjcFile(Extractor[ObjcCaptures]):
    language = "objc"

    # --- hooks -------------------------------------------------------------------------------------------

    def expression(self, node: Node) -> ir.Expr:
        return objc_ir.expression(node)

    def body_range(self, node: Node) -> tuple[int, int]:
        compound = next((c for c in node.named_children if c.type == "compound_statement"), None)
        return (compound.start_byte, compound.end_byte) if compound is not None else (node.end_byte, node.end_byte)

    def type_node(self, node: Node) -> Node | None:
        return self.ancestry.enclosing(node, _TYPES)

    def owner_type(self, node: Node) -> str | None:
        owner = self.type_node(node)
        return _class_name(owner) if owner is not None else None

    def scope_node(self, node: Node) -> Node | None:
        ancestors = self.ancestry.of(node)
        for index, current in enumerate(ancestors):
            if current.type in _FUNCTIONS:
                return current
            if current.type == "declaration" and index + 1 < len(ancestors):
                if ancestors[index + 1].type == "translation_unit":
                    return current
        return None

    def convert_body(self, node: Node) -> list[ir.Stmt]:
        if node.type in _FUNCTIONS:
            return objc_ir.body(node)
        if node.type == "declaration":
            stmt = objc_ir.statement(node, 0)
            return [stmt] if stmt is not None else []
        return []

    def describe(self, node: Node) -> FunctionInfo:
        if node.type == "function_definition":
            declarator = node.child_by_field_name("declarator")
            name_node = declarator.child_by_field_name("declarator") if declarator is not None else None
            return FunctionInfo(None, text(name_node), (), [], node_loc(node), objc=True)
        parts: list[str] = []
        params: list[Param] = []
        static = False
        for child in node.children:
            if child.type == "+":
                static = True
            elif child.type == "identifier":
                parts.append(text(child))
            elif child.type == "method_parameter":
                type_node = next((c for c in child.named_children if c.type == "method_type"), None)
                name_node = next((c for c in reversed(child.named_children) if c.type == "identifier"), None)
                label = parts[-1] if parts else "_"
                params.append(Param(label, text(name_node), _unwrap_parens(text(type_node))))
        first = parts[0] if parts else ""
        name_node = next((c for c in node.children if c.type == "identifier"), node)
        return FunctionInfo(
            type_name=self.owner_type(node),
            base=first,
            labels=tuple(parts) if params else (),
            params=params,
            loc=node_loc(name_node),
            static=static,
            objc=True,
            script_entry=SCRIPT_ENTRY in self.source[node.start_byte : node.start_byte + 24],
        )

    def instantiated_type(self, node: Node) -> str | None:
        receiver = node.child_by_field_name("receiver")
        if receiver is not None and receiver.type == "message_expression":
            receiver = receiver.child_by_field_name("receiver")
        if receiver is None or receiver.type != "identifier":
            return None
        name = text(receiver)
        return self.owner_type(node) if name == "self" else name

    def consumer(self, node: Node) -> Consumer | None:
        ancestors = self.ancestry.of(node)
        index = next((i for i, ancestor in enumerate(ancestors) if ancestor.type not in _WRAPPERS), None)
        if index is None:
            return None
        parent = ancestors[index]
        if parent.type == "init_declarator":
            name = objc_ir.declarator_name(parent.child_by_field_name("declarator"))
            if index + 2 < len(ancestors) and ancestors[index + 2].type == "translation_unit":
                return Consumer("value")
            return Consumer("local", name) if name else None
        if parent.type == "assignment_expression":
            left = parent.child_by_field_name("left")
            found = re.findall(r"[A-Za-z_]\w*", text(left))
            return Consumer("assign", found[-1].lstrip("_")) if found else None
        if parent.type == "return_statement":
            return Consumer("return")
        return None

    def options(self) -> dict[OptionKey, bool | None]:
        found: dict[OptionKey, bool | None] = {}
        for node in self.captures.option:
            scope = self.scope_node(node)
            key = scope.start_byte if scope is not None else -1
            if node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                base = text(left.child_by_field_name("argument")) if left is not None else ""
                option = text(left.child_by_field_name("field")) if left is not None else ""
                value = text(node.child_by_field_name("right")).strip()
            else:
                call = objc_ir.expression(node)
                if not isinstance(call, ir.Call) or not isinstance(call.callee, ir.Member) or not call.args:
                    continue
                base = ir.dotted(call.callee.base) or ""
                option = call.callee.name[3:4].lower() + call.callee.name[4:-1]
                value_expr = call.args[0].value
                value = (
                    "NO"
                    if isinstance(value_expr, ir.BoolLit) and not value_expr.value
                    else ("nil" if isinstance(value_expr, ir.NilLit) else "value")
                )
            if option == "sessionSendsLaunchEvents":
                found[(key, base, "launch")] = {"NO": False, "false": False, "YES": True, "true": True}.get(value)
            elif option == "sharedContainerIdentifier":
                found[(key, base, "shared")] = value not in ("nil", "NULL")
        return found

    def container_value(self, node: Node) -> tuple[str, Node] | None:
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            value = node.child_by_field_name("right")
            if left is None or value is None or text(left.child_by_field_name("field")) != "sharedContainerIdentifier":
                return None
            return text(left.child_by_field_name("argument")), value
        method = node.child_by_field_name("method")
        if text(method) != "setSharedContainerIdentifier":
            return None
        receiver = node.child_by_field_name("receiver")
        if receiver is None or method is None:
            return None
        arguments = [child for child in node.named_children if child.id not in (method.id, receiver.id)]
        if not arguments:
            return None
        return ir.dotted(objc_ir.expression(receiver)) or "", arguments[-1]

    def context(self, node: Node) -> Context:
        context = Context()
        ancestors = self.ancestry.of(node)
        for index, parent in enumerate(ancestors):
            child = ancestors[index - 1] if index else node
            grand = ancestors[index + 1] if index + 1 < len(ancestors) else None
            kind = parent.type
            if kind == "block_literal":
                calls = ("call_expression", "message_expression")
                call = next((a for a in ancestors[index + 1 :] if a.type in calls), None)
                if (
                    call is not None
                    and call.type == "call_expression"
                    and text(call.child_by_field_name("function")) == "dispatch_once"
                ):
                    context.in_dispatch_once = True
                elif call is not None:
                    context.closure_calls.append(_callee_name(call))
            elif kind == "if_statement":
                self._if_context(parent, child, context)
            elif (
                kind == "conditional_expression"
                and parent.child_by_field_name("consequence") is None
                and (parent.child_by_field_name("alternative") == child)
            ):
                context.nil_coalescing = True
            elif kind == "synchronized_statement":
                context.in_synchronized = True
            elif kind == "compound_statement" and context.member is None:
                self._preceding_guards(parent, child, context)
            elif kind in _FUNCTIONS and context.member is None:
                info = self.info(parent)
                context.member = info.name if kind == "method_definition" else info.base
                context.member_kind = (
                    "function"
                    if kind == "function_definition"
                    else ("init" if info.base.startswith("init") and not info.static else "method")
                )
                context.function_name = info.base
                context.function_labels = info.labels
                context.static = info.static
                context.handle_events = roles.role_of(info) is Role.HANDLE_EVENTS
            elif kind == "declaration" and grand is not None and grand.type == "translation_unit":
                context.member_kind = "global"
                context.in_property_value = True
            elif kind in _TYPES:
                context.type_name = _class_name(parent)
                context.type_kind = "category" if parent.child_by_field_name("category") is not None else kind
                break
        return context

    def _if_context(self, statement: Node, child: Node, context: Context) -> None:
        condition = text(statement.child_by_field_name("condition"))
        in_else = statement.child_by_field_name("alternative") == child
        if context.branch is None:
            context.branch = (statement.start_byte, 1 if in_else else 0)
        if is_availability(condition):
            context.availability_guarded |= in_else
            return
        if not in_else and tests_state(condition):
            context.state_guarded = True

    def _preceding_guards(self, compound: Node, child: Node, context: Context) -> None:
        for sibling in compound.named_children:
            if sibling.start_byte >= child.start_byte:
                break
            if sibling.type != "if_statement":
                continue
            condition = text(sibling.child_by_field_name("condition"))
            returns = b"return" in self.source[sibling.start_byte : sibling.end_byte]
            if returns and tests_state(condition) and not compares_identifier(condition):
                context.state_guarded = True
            if returns and is_availability(condition):
                context.availability_guarded = True

    # --- types and constants -------------------------------------------------------------------------------

    def type_fact(self, node: Node) -> TypeFact:
        name = _class_name(node)
        category = node.child_by_field_name("category")
        kind = (
            "category"
            if category is not None
            else ("interface" if node.type == "class_interface" else "implementation")
        )
        inherits: list[str] = []
        superclass = node.child_by_field_name("superclass")
        if superclass is not None:
            inherits.append(text(superclass))
        for child in node.named_children:
            if child.type in ("parameterized_arguments", "protocol_reference_list"):
                inherits.extend(re.findall(r"[A-Za-z_]\w*", text(child)))
        properties: list[PropertyFact] = []
        methods: list[str] = []
        singleton = False
        for child in _members(node):
            if child.type == "property_declaration":
                fact = self._property(child)
                if fact is not None:
                    properties.append(fact)
            elif child.type in ("method_definition", "method_declaration"):
                info = self.describe(child)
                methods.append(info.name)
                if child.type == "method_definition" and info.static and not info.params:
                    body = self.source[child.start_byte : child.end_byte]
                    if b"dispatch_once" in body or (b"static " in body and info.base.startswith(("shared", "default"))):
                        singleton = True
        return TypeFact(
            name,
            closed(kind, TypeKind),
            node_loc(node),
            tuple(inherits),
            (),
            singleton,
            tuple(properties),
            tuple(methods),
        )

    def _property(self, node: Node) -> PropertyFact | None:
        declaration = next((c for c in node.named_children if c.type == "struct_declaration"), None)
        if declaration is None:
            return None
        names = re.findall(r"[A-Za-z_]\w*", text(declaration))
        declarator = next((c for c in declaration.named_children if c.type == "struct_declarator"), None)
        name = objc_ir.declarator_name(declarator) or (names[-1] if names else None)
        if name is None:
            return None
        return PropertyFact(name, False, "stored", text(declaration), node_loc(node))

    def constants(self) -> list[ConstantFact]:
        found: list[ConstantFact] = []
        for node in self.captures.constant:
            declarator = node.child_by_field_name("declarator")
            name = (
                objc_ir.declarator_name(declarator.child_by_field_name("declarator"))
                if declarator is not None
                else None
            )
            value_node = declarator.child_by_field_name("value") if declarator is not None else None
            if not name or value_node is None:
                continue
            value = identifier_value(
                objc_ir.expression(value_node), local_values={}, parameters=frozenset(), scope=None
            )
            if value.kind is not IdKind.DYNAMIC:
                found.append(ConstantFact(name, value, node_loc(node)))
        for node in self.captures.define:
            name = text(node.child_by_field_name("name"))
            raw = text(node.child_by_field_name("value")).strip()
            while raw.startswith("(") and raw.endswith(")"):
                raw = raw[1:-1].strip()
            literal = re.fullmatch(r'@"((?:[^"\\]|\\.)*)"', raw)
            if literal:
                found.append(ConstantFact(name, IdentifierValue(IdKind.LITERAL, literal.group(1)), node_loc(node)))
            elif re.fullmatch(r"[A-Za-z_]\w*", raw):
                found.append(ConstantFact(name, IdentifierValue(IdKind.CONSTANT, raw), node_loc(node)))
        return found

    def casts(self) -> list[DelegateCastFact]:
        found: list[DelegateCastFact] = []
        for node in self.captures.delegate_cast:
            cast = objc_ir.expression(node)
            if isinstance(cast, ir.Cast) and "sharedApplication" in text(node):
                found.append(DelegateCastFact(node_loc(node), cast.type_name))
        return found

    def entries(self, types: tuple[TypeFact, ...]) -> list[EntryFact]:
        found: list[EntryFact] = []
        for node in self.captures.uiapplicationmain:
            named = re.search(r"NSStringFromClass\s*\(\s*\[\s*([A-Za-z_]\w*)\s+class\s*\]", text(node))
            found.append(EntryFact("UIApplicationMain", named.group(1) if named else None, node_loc(node)))
        for fact in types:
            if {"WKApplicationDelegate", "WKExtensionDelegate"} & set(fact.inherits):
                found.append(EntryFact("watch", fact.name, fact.loc))
        return found

    def call_args(self, config_index: dict[int, int]) -> list[CallArgFact]:
        found: list[CallArgFact] = []
        for node in unique(self.captures.labeled_message):
            call = objc_ir.expression(node)
            if not isinstance(call, ir.Call) or not isinstance(call.callee, ir.Member):
                continue
            if session_call(call) is not None or config_call(call) is not None:
                continue
            scope = self.scope(self.scope_node(node))
            callee_type = expr_type(call.callee.base, scope)
            for arg in call.args:
                if not re.search(r"(?i)(identifier|configuration|config)$", arg.label):
                    continue
                identifier = identifier_value(
                    arg.value,
                    local_values=scope.local_values,
                    parameters=frozenset(scope.parameters),
                    scope=self.owner_type(node),
                )
                kind, _, index = config_ref(arg.value, scope, config_index)
                inside = [start for start in config_index if arg.value.pos.start_byte <= start < arg.value.pos.end_byte]
                if inside and index is None:
                    index = config_index[inside[0]]
                found.append(
                    CallArgFact(
                        callee_type,
                        call.callee.name,
                        arg.label,
                        identifier,
                        bool(inside) or kind in ("inline", "local"),
                        index,
                        node_loc(node),
                    )
                )
        return found

    def imports(self) -> list[str]:
        modules = []
        for node in self.captures.imports:
            found = re.search(r"[<\"]([A-Za-z_]\w*)/|@import\s+([A-Za-z_]\w*)|\"([A-Za-z_]\w*)\.h\"", text(node))
            if found:
                modules.append(next(group for group in found.groups() if group))
        return modules


def _unwrap_parens(value: str) -> str:
    """`(void (^)(void))` -> `void (^)(void)`: the method type's own parentheses only."""
    value = value.strip()
    return value[1:-1].strip() if value.startswith("(") and value.endswith(")") else value


def _members(node: Node) -> list[Node]:
    members: list[Node] = []
    for child in node.named_children:
        if child.type == "implementation_definition":
            members.extend(child.named_children)
        else:
            members.append(child)
    return members


def _class_name(node: Node) -> str:
    first = next((c for c in node.named_children if c.type == "identifier"), None)
    return text(first)


__all__ = ["ObjcFile", "extract", "pos"]


def _callee_name(call: Node) -> str:
    """`run_on_main` for a C call; `onceWithKey:block:` for a message."""
    if call.type == "call_expression":
        return text(call.child_by_field_name("function"))
    return "".join(f"{text(part)}:" for part in call.children_by_field_name("method")) or text(call)[:60]
