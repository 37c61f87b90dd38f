"""Recognise background-session API calls in the IR, for both languages, and evaluate identifiers.

Each recogniser takes an IR Call and answers in facts' vocabulary: is this a background
configuration (and with which identifier expression), a session creation (with which
configuration, delegate and queue), a task creation (of which kind)?
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bgsession.lint import ir
from bgsession.lint.facts import IdentifierValue, IdKind, TaskKind
from bgsession.lint.ir.vocabulary import SESSION_TYPES

_CONFIG_TYPES = {"URLSessionConfiguration", "NSURLSessionConfiguration", ""}


@dataclass(frozen=True, slots=True)
class ConfigCall:
    identifier: ir.Expr | None
    deprecated: bool


@dataclass(frozen=True, slots=True)
class SessionCall:
    configuration: ir.Expr | None
    delegate: ir.Expr | None  # None: no delegate argument at all
    queue: ir.Expr | None


@dataclass(frozen=True, slots=True)
class TaskCall:
    kind: TaskKind
    method: str


def callee_parts(call: ir.Call) -> tuple[str | None, str]:
    """(receiver as dotted text or None, method or function name without the selector's colons)."""
    callee = call.callee
    if isinstance(callee, ir.Member):
        return ir.dotted(callee.base), callee.name
    if isinstance(callee, ir.Name):
        return None, callee.text
    return None, ""


def labels(call: ir.Call) -> list[str]:
    return [arg.label for arg in call.args]


def argument(call: ir.Call, *names: str) -> ir.Expr | None:
    for arg in call.args:
        if arg.label in names:
            return arg.value
    return None


def config_call(call: ir.Call) -> ConfigCall | None:
    """`URLSessionConfiguration.background(withIdentifier:)`, `.background(withIdentifier:)`, the
    deprecated `backgroundSessionConfiguration(_:)`, and their Objective-C selectors."""
    receiver, name = callee_parts(call)
    if receiver not in _CONFIG_TYPES and receiver is not None:
        return None
    if receiver is None and not isinstance(call.callee, ir.Member):
        return None
    first = call.args[0].value if call.args else None
    if name == "background" and labels(call)[:1] == ["withIdentifier"]:
        return ConfigCall(first, deprecated=False)
    if name == "backgroundSessionConfigurationWithIdentifier:":
        return ConfigCall(first, deprecated=False)
    if name in ("backgroundSessionConfiguration", "backgroundSessionConfiguration:") and len(call.args) == 1:
        return ConfigCall(first, deprecated=True)
    return None


def session_call(call: ir.Call) -> SessionCall | None:
    """`URLSession(configuration:delegate:delegateQueue:)`, `URLSession(configuration:)` and
    `[NSURLSession sessionWithConfiguration:(delegate:delegateQueue:)]`; and HLS download sessions,
    `AVAssetDownloadURLSession(configuration:assetDownloadDelegate:delegateQueue:)` and
    `[AVAssetDownloadURLSession sessionWithConfiguration:assetDownloadDelegate:delegateQueue:]`."""
    receiver, name = callee_parts(call)
    swift_init = (receiver in (None, "Foundation") and name in SESSION_TYPES) or (
        receiver in (*SESSION_TYPES, "Foundation.URLSession") and name == "init"
    )
    if swift_init and labels(call)[:1] == ["configuration"]:
        return SessionCall(
            argument(call, "configuration"),
            argument(call, "delegate", "assetDownloadDelegate"),
            argument(call, "delegateQueue"),
        )
    if receiver in SESSION_TYPES and name in (
        "sessionWithConfiguration:",
        "sessionWithConfiguration:delegate:delegateQueue:",
        "sessionWithConfiguration:assetDownloadDelegate:delegateQueue:",
    ):
        return SessionCall(
            argument(call, "sessionWithConfiguration"),
            argument(call, "delegate", "assetDownloadDelegate"),
            argument(call, "delegateQueue"),
        )
    return None


# Swift task factories: (method name, first labels) -> kind, judged by the labels present.
_SWIFT_ASYNC = {"data", "download", "upload", "bytes"}


def task_call(call: ir.Call) -> TaskCall | None:
    """A task created on some session, classified by what a background session allows (R12-R14)."""
    _, name = callee_parts(call)
    call_labels = labels(call)
    has_closure = bool(call.closures) or "completionHandler" in call_labels
    if ":" in name:
        return _objc_task(call, name)
    if name in ("dataTask", "downloadTask", "uploadTask"):
        if not call_labels and not call.closures:
            return None
        method = f"{name}({''.join(label + ':' for label in call_labels)})"
        if has_closure:
            return TaskCall(TaskKind.CONVENIENCE, method)
        if name == "dataTask":
            return TaskCall(TaskKind.DATA, method)
        if name == "downloadTask":
            return TaskCall(TaskKind.DOWNLOAD, method)
        if "fromFile" in call_labels:
            return TaskCall(TaskKind.UPLOAD_FILE, method)
        if "withStreamedRequest" in call_labels:
            return TaskCall(TaskKind.UPLOAD_STREAM, method)
        if "from" in call_labels:
            return TaskCall(TaskKind.UPLOAD_DATA, method)
        return None
    if name in _SWIFT_ASYNC and call_labels[:1] in (["for"], ["from"]):
        # `data(for:)`, `download(from:)`, `upload(for:from:)`, `bytes(for:)`: async convenience API.
        return TaskCall(TaskKind.ASYNC, f"{name}({''.join(label + ':' for label in call_labels)})")
    return None


def _objc_task(call: ir.Call, selector: str) -> TaskCall | None:
    if not selector.startswith(("dataTaskWith", "downloadTaskWith", "uploadTaskWith")):
        return None
    handler = argument(call, "completionHandler")
    if handler is not None and not isinstance(handler, ir.NilLit):
        return TaskCall(TaskKind.CONVENIENCE, selector)
    if selector.startswith("dataTask"):
        return TaskCall(TaskKind.DATA, selector)
    if selector.startswith("downloadTask"):
        return TaskCall(TaskKind.DOWNLOAD, selector)
    if "fromFile:" in selector:
        return TaskCall(TaskKind.UPLOAD_FILE, selector)
    if "fromData:" in selector:
        return TaskCall(TaskKind.UPLOAD_DATA, selector)
    if selector.startswith("uploadTaskWithStreamedRequest"):
        return TaskCall(TaskKind.UPLOAD_STREAM, selector)
    return None


# --- identifiers ----------------------------------------------------------------------------------

_UNSTABLE_CALLS = {
    "UUID": "UUID()",
    "NSUUID": "NSUUID",
    "Date": "the current date",
    "NSDate": "the current date",
    "arc4random": "a random number",
    "arc4random_uniform": "a random number",
    "random": "a random number",
    "CFAbsoluteTimeGetCurrent": "the current time",
    "CFUUIDCreate": "a UUID",
    "CACurrentMediaTime": "the current time",
}
_UNSTABLE_MEMBERS = {
    "uuidString": "a UUID",
    "UUIDString": "a UUID",
    "timeIntervalSince1970": "the current time",
    "timeIntervalSinceReferenceDate": "the current time",
    "globallyUniqueString": "globallyUniqueString",
    "hashValue": "a hash value",
    "hash": "a hash value",
    "randomElement": "a random number",
    "absoluteString": "a URL",
    "lastPathComponent": "a URL",
}
_BUNDLE = {"Bundle.main.bundleIdentifier", "NSBundle.mainBundle.bundleIdentifier", "Bundle.main.bundleId"}


def unstable_reason(expr: ir.Expr) -> str | None:
    """Why a value changes from launch to launch (R3), or None."""
    for node in ir.walk_exprs(expr):
        if isinstance(node, ir.Call):
            receiver, name = callee_parts(node)
            base = name.split(":", 1)[0]
            if receiver is None and base in _UNSTABLE_CALLS:
                return _UNSTABLE_CALLS[base]
            if receiver in ("NSUUID", "UUID") or (receiver in ("NSDate", "Date") and base in ("date", "now")):
                return _UNSTABLE_CALLS.get(receiver, "a UUID")
            if base == "random" and receiver is not None:
                return "a random number"
        elif isinstance(node, ir.Member):
            if node.name in _UNSTABLE_MEMBERS:
                return _UNSTABLE_MEMBERS[node.name]
            if node.name == "now" and ir.dotted(node.base) in ("Date", "NSDate"):
                return "the current date"
    return None


def _is_bundle(expr: ir.Expr) -> bool:
    for node in ir.walk_exprs(expr):
        text = ir.dotted(node)
        if text in _BUNDLE:
            return True
    return False


def identifier_value(
    expr: ir.Expr | None,
    *,
    local_values: Mapping[str, ir.Expr],
    parameters: frozenset[str],
    scope: str | None,
    depth: int = 0,
) -> IdentifierValue:
    """The symbolic value of an identifier expression (DESIGN.md, "Facts")."""
    if expr is None or depth > 8:
        return IdentifierValue(IdKind.DYNAMIC, "an expression bgsession cannot evaluate")
    if isinstance(expr, ir.StringLit) and expr.constant is not None:
        return IdentifierValue(IdKind.LITERAL, expr.constant)
    reason = unstable_reason(expr)
    if reason is not None:
        return IdentifierValue(IdKind.UNSTABLE, reason)
    if isinstance(expr, ir.Name):
        if expr.text in local_values and depth < 8:
            return identifier_value(
                local_values[expr.text],
                local_values=local_values,
                parameters=parameters,
                scope=scope,
                depth=depth + 1,
            )
        if expr.text in parameters:
            return IdentifierValue(IdKind.PARAMETER, expr.text)
        return IdentifierValue(IdKind.CONSTANT, expr.text, scope)
    text = ir.dotted(expr)
    if text is not None:
        if text in _BUNDLE:
            return IdentifierValue(IdKind.BUNDLE, "")
        if text.startswith("Self."):
            return IdentifierValue(IdKind.CONSTANT, text.split(".", 1)[1], scope)
        # `self.x` stays marked as an instance's: unless x resolves to a constant, each instance may
        # hold its own value (the project summary decides).
        return IdentifierValue(IdKind.CONSTANT, text, scope)
    bundle_suffix = _bundle_suffix(expr)
    if bundle_suffix is not None:
        return IdentifierValue(IdKind.BUNDLE, bundle_suffix)
    if isinstance(expr, ir.Binary) and expr.op == "+":
        left = identifier_value(
            expr.lhs, local_values=local_values, parameters=parameters, scope=scope, depth=depth + 1
        )
        right = identifier_value(
            expr.rhs, local_values=local_values, parameters=parameters, scope=scope, depth=depth + 1
        )
        if left.kind is IdKind.LITERAL and right.kind is IdKind.LITERAL:
            return IdentifierValue(IdKind.LITERAL, left.text + right.text)
        if left.kind is IdKind.BUNDLE and right.kind is IdKind.LITERAL:
            return IdentifierValue(IdKind.BUNDLE, left.text + right.text)
    if isinstance(expr, (ir.Cast, ir.Unary)):
        inner = expr.expr if isinstance(expr, ir.Cast) else expr.operand
        return identifier_value(inner, local_values=local_values, parameters=parameters, scope=scope, depth=depth + 1)
    if isinstance(expr, ir.Binary) and expr.op == "??":
        return identifier_value(
            expr.lhs, local_values=local_values, parameters=parameters, scope=scope, depth=depth + 1
        )
    return IdentifierValue(IdKind.DYNAMIC, "a value computed at run time")


def _bundle_suffix(expr: ir.Expr) -> str | None:
    """`Bundle.main.bundleIdentifier! + ".bg"`, `"\\(bundleID).bg"`, `stringWithFormat:@"%@.bg"`,
    `[bundleID stringByAppendingString:@".bg"]`: the part after the bundle identifier."""
    if isinstance(expr, ir.StringLit) and expr.parts and _is_bundle(expr):
        first, *rest = expr.parts
        if isinstance(first, ir.Expr) and _is_bundle(first) and all(isinstance(p, str) for p in rest):
            return "".join(p for p in rest if isinstance(p, str))
        return None
    if isinstance(expr, ir.Binary) and expr.op == "+" and _is_bundle(expr.lhs):
        right = expr.rhs
        if isinstance(right, ir.StringLit) and right.constant is not None:
            return right.constant
    if isinstance(expr, ir.Call):
        receiver, name = callee_parts(expr)
        if name in ("stringByAppendingString:", "appending") and isinstance(expr.callee, ir.Member):
            if _is_bundle(expr.callee.base) and expr.args:
                value = expr.args[0].value
                if isinstance(value, ir.StringLit) and value.constant is not None:
                    return value.constant
        if name in ("stringWithFormat:", "String", "localizedStringWithFormat:") or receiver == "String":
            if len(expr.args) >= 2 and isinstance(expr.args[0].value, ir.StringLit):
                template = expr.args[0].value.constant or ""
                if template.startswith("%@") and template.count("%") == 1 and _is_bundle(expr.args[1].value):
                    return template[2:]
    return None


# --- delegates and queues ---------------------------------------------------------------------------


def delegate_reference(
    expr: ir.Expr | None,
    *,
    enclosing_type: str | None,
    local_types: Mapping[str, str],
    parameters: Mapping[str, str | None] | None = None,
) -> tuple[str, str | None]:
    """("none" | "nil" | "self" | "type" | "unknown", the delegate's class when known). A parameter
    stays "unknown" with its declared type: a protocol, or a class a caller may subclass; the project
    summary decides whether that type is a class of the project (ProjectSummary.delegate_class)."""
    if expr is None:
        return "none", None
    if isinstance(expr, ir.Name) and parameters and expr.text not in local_types and parameters.get(expr.text):
        return "unknown", parameters[expr.text]
    if isinstance(expr, ir.NilLit):
        return "nil", None
    if isinstance(expr, ir.SelfRef) and not expr.type_level:
        return "self", enclosing_type
    if isinstance(expr, ir.Name) and expr.text in local_types:
        return "type", local_types[expr.text]
    if isinstance(expr, ir.Call):
        receiver, name = callee_parts(expr)
        base = name.split(":", 1)[0]
        if receiver is None and base[:1].isupper():
            return "type", base
        if (
            receiver is not None
            and receiver[:1].isupper()
            and base in ("init", "new", "shared", "sharedInstance", "default", "alloc")
        ):
            return "type", receiver.split(".")[0]
        if isinstance(expr.callee, ir.Member) and isinstance(expr.callee.base, ir.Call):
            inner = expr.callee.base
            inner_receiver, inner_name = callee_parts(inner)
            if inner_name == "alloc" and inner_receiver:
                return "type", inner_receiver
    text = ir.dotted(expr)
    if text and text.count(".") == 1:
        owner, member = text.split(".")
        if owner[:1].isupper() and member in ("shared", "sharedInstance", "default", "instance", "main"):
            return "type", owner
    return "unknown", None


def is_main_queue(expr: ir.Expr | None) -> bool | None:
    """True for `.main`, `OperationQueue.main`, `[NSOperationQueue mainQueue]`; None when unknown."""
    if expr is None or isinstance(expr, ir.NilLit):
        return False
    text = ir.dotted(expr)
    if text in (".main", "OperationQueue.main", "NSOperationQueue.mainQueue", "NSOperationQueue.main"):
        return True
    if (
        isinstance(expr, ir.Member)
        and expr.name in ("main", "mainQueue")
        and (ir.dotted(expr.base) in ("", "OperationQueue", "NSOperationQueue"))
    ):
        return True
    if isinstance(expr, ir.Call):
        receiver, name = callee_parts(expr)
        if receiver in ("NSOperationQueue", "OperationQueue") and name in ("mainQueue", "main"):
            return True
        if name in ("OperationQueue", "init") or name == "new":
            return False
    return None
