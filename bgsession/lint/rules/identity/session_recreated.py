"""BGS002 session-recreated: a background session created where that code can run more than once per process."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Edit, Fix, Severity
from bgsession.lint.facts import Memo
from bgsession.lint.project import ProjectSummary, SessionSite, judgements
from bgsession.lint.rules.base import Rule, RuleDoc


def check_recreated(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for site in summary.background_sessions():
        message = judgements.recreation(summary, site)
        if message is not None:
            found = rule.report(site.path, site.fact.loc, message)
            fix = _lazy(summary, site)
            yield found if fix is None else found.with_fixes(fix)


def _sendable(summary: ProjectSummary, type_name: str | None) -> bool:
    """A Sendable class (a URLSession delegate is one: the protocols inherit Sendable) cannot hold a lazy
    var in the Swift 6 language mode, so the fix would not compile there."""
    merged = summary.types.get(type_name or "")
    inherits = merged.inherits if merged is not None else frozenset()
    return any(
        "Sendable" in name or (name.startswith(("URLSession", "NSURLSession")) and "Delegate" in name)
        for name in inherits
    )


def _lazy(summary: ProjectSummary, site: SessionSite) -> Fix | None:
    """A class's getter-only computed property becomes a `lazy var` initialised by the same code: one
    session per instance instead of one per access. Unsafe: the property becomes settable, and its body
    now runs once, at first access, not at every one. Views and view controllers are made many times, so
    a lazy var there would still be BGS002: no fix."""
    fact = site.fact
    if fact.memo is not Memo.COMPUTED or fact.lazy_fix is None:
        return None
    if summary.is_view_controller_or_view(fact.owner.type_name) or _sendable(summary, fact.owner.type_name):
        return None
    if any(fact.owner.type_name in other.inherits for other in summary.types.values()):
        # A subclass may override the property, and a read-only override of a lazy var does not compile.
        return None
    binding, start, end = fact.lazy_fix
    edits = (Edit(binding, binding, "lazy "), Edit(start, start, "= "), Edit(end, end, "()"))
    return Fix(f"make `{fact.owner.member}` a lazy var, created once per instance", "unsafe", edits)


RULE = Rule(
    "BGS002",
    "session-recreated",
    Severity.ERROR,
    "a background session created where that code can run more than once per process",
    RuleDoc(
        finds="A background session created in a computed property, in a method that makes a new session each "
        "time it runs, in view-controller lifecycle methods or stored properties of view types, in "
        "handleEventsForBackgroundURLSession unconditionally, or again right after invalidating the previous one: "
        "in the same method, or by a nil-guarded getter whose holder another method invalidates and sets to nil "
        "at once (outside didBecomeInvalidWithError).",
        why="The second creation with a live identifier returns the existing session (with its old delegate); "
        "after invalidation, creating the identifier again is safe only once didBecomeInvalidWithError has "
        "arrived (Apple: 'it is not safe to create another background session with the same identifier until "
        "URLSession:didBecomeInvalidWithError: has been issued'). Create the session once per process: a "
        "`static let`, a `lazy var` of a singleton, `dispatch_once`, or a nil check on a stored property.",
        bad_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    var session: URLSession {\n"
        '        URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                   delegate: self, delegateQueue: nil)\n"
        "    }\n"
        "}\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session: URLSession = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                              delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc="@implementation Downloader\n"
        "- (void)startDownload:(NSURL *)url {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "    NSURLSession *session = [NSURLSession sessionWithConfiguration:configuration\n"
        "                                                          delegate:self delegateQueue:nil];\n"
        "    [[session downloadTaskWithURL:url] resume];\n"
        "}\n"
        "@end\n",
        good_objc="@implementation Downloader {\n    NSURLSession *_session;\n}\n"
        "- (NSURLSession *)session {\n"
        "    if (_session == nil) {\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    }\n"
        "    return _session;\n"
        "}\n"
        "@end\n",
        limits="A method that stores the new session in a property (a setup method), a nil-guarded getter, a "
        "lazy or stored property and the initializer of a class that is not a view run once per instance: they "
        "are reported only where the project makes a new instance each time some code runs (a method that does "
        "not keep it, a computed property, a view, handleEvents), not where the instance is kept or made outside "
        "the code in view. A view controller's guarded getter or setup method is not judged per view: how many "
        "instances a storyboard makes is not in the code. Any check on stored state before the creation (a nil "
        "check, a flag, a registry lookup) counts as memoization for one instance, even if it checks something "
        "else; a nil-guarded getter of a kept instance is reported only when a method of the same type "
        "invalidates its holder and clears it in the same method, and not when the configuration it uses is made "
        "afresh with a run-time identifier (BGS004's concern). Re-creation from a `catch` after the 'session has "
        "been invalidated' exception is not recognised.",
        fix="Unsafe: a class's getter-only computed property `var session: URLSession { … }` becomes "
        "`lazy var session: URLSession = { … }()`, so the session is created once per instance; the property "
        "becomes settable and its body runs once. Not offered for views and view controllers (made many times), "
        "Sendable classes such as the session's own delegate (Swift 6 rejects a lazy var there), classes with "
        "subclasses in the project, structs, "
        "properties with `get`/`set`, `static` or `override`, or in Objective-C.",
    ),
    check_recreated,
    lifecycle=True,
)
