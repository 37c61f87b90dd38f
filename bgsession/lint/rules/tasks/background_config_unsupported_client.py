"""BGS025 background-config-unsupported-client:
a background configuration handed to a client that rejects it at run time.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import CallArgFact
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc

# Alamofire 5's Session (Alamofire 4 called it SessionManager, which supports background sessions):
# `precondition(configuration.identifier == nil, "Alamofire does not support background
# URLSessionConfigurations.")` in Session.init(configuration:...) since 5.0.0-rc.1 (Alamofire #2917).
_ALAMOFIRE = "Alamofire"
_SESSION = "Session"


def check_unsupported_client(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if _project_defines(summary, _SESSION):
        return  # `Session` is the project's own type, not Alamofire's
    for facts in summary.files:
        if _ALAMOFIRE not in facts.imports:
            continue
        for arg in facts.call_args:
            if arg.label == "configuration" and arg.background_config and _is_alamofire_session(arg):
                yield rule.report(
                    facts.path,
                    arg.loc,
                    "a background configuration handed to Alamofire's Session(configuration:), which stops the "
                    "app with the precondition 'Alamofire does not support background URLSessionConfigurations'; "
                    "use a URLSession with a delegate for background transfers",
                )


def _is_alamofire_session(arg: CallArgFact) -> bool:
    return (arg.callee_type == _SESSION and arg.callee == "init") or (
        arg.callee_type == _ALAMOFIRE and arg.callee == _SESSION
    )


def _project_defines(summary: ProjectSummary, name: str) -> bool:
    merged = summary.types.get(name)
    return merged is not None and merged.kind not in ("", "extension")


RULE = Rule(
    "BGS025",
    "background-config-unsupported-client",
    Severity.ERROR,
    "a background configuration handed to a client that rejects it at run time",
    RuleDoc(
        finds="A background URLSessionConfiguration passed to Alamofire 5's `Session(configuration:)` (or "
        "`Alamofire.Session(configuration:)`) in a file that imports Alamofire.",
        why="Alamofire 5 does not support background sessions: `Session.init(configuration:...)` starts with "
        '`precondition(configuration.identifier == nil, "Alamofire does not support background '
        'URLSessionConfigurations.")` (Alamofire 5.0.0-rc.1 onwards, pull request #2917), so the app stops there. '
        "Its closure-based requests could not run in a background session anyway: Apple's background sessions "
        "support only delegate-based upload and download tasks.",
        bad_swift="import Alamofire\n\n"
        "final class Network {\n"
        "    static let shared = Network()\n"
        "    let session: Session = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.app.af")\n'
        "        return Session(configuration: configuration)\n"
        "    }()\n}\n",
        good_swift="import Alamofire\n\n"
        "final class Network: NSObject, URLSessionDelegate {\n"
        "    static let shared = Network()\n"
        "    let api = Session(configuration: .default)\n"
        "    lazy var transfers: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.app.bg")\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        bad_objc="// Swift only: Alamofire is a Swift library, not callable from Objective-C.\n",
        good_objc="// Swift only: Alamofire is a Swift library, not callable from Objective-C.\n",
        limits="Only Alamofire 5's Session is known to reject background configurations (Alamofire 4's SessionManager "
        "accepted them). The configuration must be visibly a background one at the call: created there, or in a "
        "local variable or property initializer the call passes; one returned by a helper function is not "
        "followed. `Session(session:...)` with a background URLSession is not recognised. A project that "
        "defines its own `Session` type is skipped.",
    ),
    check_unsupported_client,
)
