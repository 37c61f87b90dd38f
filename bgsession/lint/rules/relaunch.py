"""Relaunch and the completion handler: BGS010-BGS017.

These rules judge the whole app, so each one speaks only when the code it needs is in view: the app
delegate for a missing handleEvents, the session's delegate for a missing urlSessionDidFinishEvents.
They also report the root cause only: when nothing reconnects the session (BGS017) or the session has
no delegate (BGS003), events never arrive, so what urlSessionDidFinishEvents would do is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import FinishEventsFact, HandleEventsFact, HandlerStore, Memo, Thread
from bgsession.lint.options import LintOptions
from bgsession.lint.project import APP, EXTENSION, CallFlow, ProjectSummary, SessionSite
from bgsession.lint.rules.base import Rule, RuleDoc
from bgsession.lint.rules.examples import OBJC_MANAGER

# --- shared judgements ------------------------------------------------------------------------------------


def relaunches(summary: ProjectSummary) -> bool:
    """Whether iOS can relaunch the app for its sessions: some background configuration keeps launch events on."""
    sites = [site for site in summary.config_sites if site.target in (APP, EXTENSION)]
    return any(site.fact.launch_events is not False for site in sites)


def handle_events(summary: ProjectSummary) -> list[tuple[str, HandleEventsFact]]:
    return [(facts.path, fact) for facts in summary.files for fact in facts.handle_events]


def stored_members(summary: ProjectSummary) -> dict[str, HandlerStore]:
    members: dict[str, HandlerStore] = {}
    for _, fact in handle_events(summary):
        for store in summary.store_flow(fact).stores:
            members.setdefault(store.member, store)
    return members


def delegate_types(summary: ProjectSummary) -> tuple[set[str], bool]:
    """Background sessions' delegate classes, and whether every such delegate is known."""
    names: set[str] = set()
    complete = True
    for site in summary.background_sessions():
        if site.fact.delegate in ("self", "type") and site.fact.delegate_type:
            names.add(site.fact.delegate_type)
        elif site.fact.delegate not in ("none", "nil"):
            complete = False
    return names, complete


def finish_implementations(summary: ProjectSummary) -> list[tuple[str, FinishEventsFact]]:
    delegates, _ = delegate_types(summary)
    return [
        (facts.path, fact)
        for facts in summary.files
        for fact in facts.finish_events
        if fact.type_name in delegates or not delegates
    ]


def events_delivered(summary: ProjectSummary) -> bool:
    """Some background session has a delegate, so its events can arrive at all (else BGS003 is the cause)."""
    return any(site.fact.delegate not in ("none", "nil") for site in summary.background_sessions())


def reconnected(summary: ProjectSummary) -> bool | None:
    """Whether a relaunch reaches a background session (False: BGS017), or None when there is nothing to judge."""
    if not summary.background_sessions():
        return None
    names = summary.touch_names()
    if created_at_launch(summary) or any(
        touches(summary, fact.mentions, fact.calls_methods, names) for _, fact in handle_events(summary)
    ):
        return True
    if any(site.fact.memo is Memo.HANDLE_EVENTS for site in summary.background_sessions()):
        return True
    for facts in summary.files:
        for launch in facts.launches:
            if touches(summary, launch.mentions, launch.calls_methods, names):
                return True
        for task in facts.background_tasks:
            if task.mentions & names:
                return True
    return any(summary.store_flow(fact).unresolved for _, fact in handle_events(summary))


def touches(summary: ProjectSummary, mentions: frozenset[str], calls: tuple[object, ...], names: set[str]) -> bool:
    if mentions & names:
        return True
    for ref in calls:
        method = getattr(ref, "method", "")
        for inner in summary.functions_named(method):
            if inner & names:
                return True
    return False


def created_at_launch(summary: ProjectSummary) -> bool:
    """A session created when the app delegate or the app launches needs no reconnecting."""
    delegates = summary.app_delegates()
    for site in summary.background_sessions():
        if site.fact.memo is Memo.LAUNCH:
            return True
        if site.fact.owner.type_name in delegates and site.fact.memo in (Memo.STORED, Memo.INIT):
            return True
    return False


def _session_sites_for(summary: ProjectSummary, type_name: str | None) -> list[SessionSite]:
    return [site for site in summary.background_sessions() if site.fact.delegate_type == type_name]


def _matching_flows(
    summary: ProjectSummary, fact: FinishEventsFact, members: dict[str, HandlerStore]
) -> list[CallFlow]:
    if not members and (handle_events(summary) or summary.app_entry_groups()):
        # The app's side is in view and keeps no handler (BGS010, BGS011, BGS012 say why): there is
        # no stored handler for urlSessionDidFinishEvents to get wrong.
        return []
    return handler_flows(summary, fact, members)


def handler_flows(summary: ProjectSummary, fact: FinishEventsFact, members: dict[str, HandlerStore]) -> list[CallFlow]:
    """The completion-handler calls urlSessionDidFinishEvents makes: of the stored members, or, when
    nothing is known to be stored, of whatever looks like a handler."""
    flows = summary.finish_calls(fact)
    if members:
        return [flow for flow in flows if flow.call.member in members]
    return [flow for flow in flows if re.search(r"(?i)handler|completion", flow.call.member)]


# --- the rules --------------------------------------------------------------------------------------------


def check_missing_handle_events(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    entries = summary.app_entry_groups()
    if not entries or not relaunches(summary):
        return
    app_sites = [site for site in summary.config_sites if site.target == APP and summary.same_app(site.path, entries)]
    if not app_sites or handle_events(summary):
        return
    if any(facts.background_tasks for facts in summary.files):
        return
    first = min(app_sites, key=lambda site: (site.path, site.loc.line, site.loc.column))
    yield rule.report(
        first.path,
        first.loc,
        "the app creates background sessions, but no app delegate implements "
        "application(_:handleEventsForBackgroundURLSession:completionHandler:) and no scene has "
        ".backgroundTask(.urlSession); a relaunch for finished transfers is never completed",
    )


def check_dropped(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary):
        return
    for path, fact in handle_events(summary):
        if fact.async_form or not fact.drops:
            continue
        if fact.drops_unknown_only:
            message = (
                "handleEventsForBackgroundURLSession drops the completion handler for identifiers it does not "
                "recognise; call it at once on that path"
            )
        else:
            message = "handleEventsForBackgroundURLSession neither stores nor calls the completion handler on some path"
        yield rule.report(path, fact.loc, message)


def check_called_early(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary):
        return
    for path, fact in handle_events(summary):
        if fact.async_form and fact.early:
            yield rule.report(
                path,
                fact.loc,
                "the async handleEventsForBackgroundURLSession returns without waiting "
                "for the session's events; the system treats them as handled",
            )
        elif not fact.async_form and summary.store_flow(fact).early:
            where = f" (line {fact.early_loc.line})" if fact.early_loc else ""
            yield rule.report(
                path,
                fact.loc,
                "handleEventsForBackgroundURLSession calls the completion handler "
                f"itself{where}, before the session's events are delivered",
            )


def check_never_called(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary) or not events_delivered(summary):
        return
    delegates, complete = delegate_types(summary)
    if not delegates or not complete:
        return
    finishes = finish_implementations(summary)
    reported: set[str] = set()
    for path, fact in handle_events(summary):
        flow = summary.store_flow(fact)
        if flow.unresolved or flow.early:
            continue
        for store in flow.stores:
            if (
                store.member in reported
                or summary.handler_called_anywhere(store.member)
                or any(
                    any(ref.method.split(":")[0] == store.member for ref in finish.helpers) for _, finish in finishes
                )
            ):
                continue
            reported.add(store.member)
            if finishes:
                # The owner's own urlSessionDidFinishEvents is where the call belongs, when it has one.
                finish_path, finish = next(
                    ((p, f) for p, f in finishes if store.type_name and f.type_name == store.type_name), finishes[0]
                )
                yield rule.report(
                    finish_path,
                    finish.loc,
                    "urlSessionDidFinishEvents does not call the completion "
                    f"handler stored in `{store.member}`; the system keeps waiting for it",
                )
            else:
                yield rule.report(
                    path,
                    store.loc,
                    f"the completion handler is stored in `{store.member}`, but no "
                    "urlSessionDidFinishEvents(forBackgroundURLSession:) on the background session's "
                    "delegate calls it",
                )


def check_off_main(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary) or not events_delivered(summary):
        return
    members = stored_members(summary)
    for path, fact in finish_implementations(summary):
        if fact.on_main_actor:
            continue
        for flow in _matching_flows(summary, fact, members):
            if _off_main(summary, fact, flow, options):
                yield rule.report(
                    path,
                    fact.loc,
                    f"the completion handler `{flow.call.member}` is called off the "
                    f"main thread (line {flow.call.loc.line}); UIKit requires the main thread",
                )
                break


def _off_main(summary: ProjectSummary, fact: FinishEventsFact, flow: CallFlow, options: LintOptions) -> bool:
    match flow.thread:
        case Thread.MAIN:
            return False
        case Thread.OFF:
            return True
        case Thread.UNKNOWN:
            # A closure bgsession cannot place (a project helper, a completion block): stay silent.
            return False
        case Thread.DIRECT:
            queues = {site.fact.main_queue for site in _session_sites_for(summary, fact.type_name)}
            return bool(queues) and False in queues and None not in queues
    return False


def check_not_cleared(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary) or not events_delivered(summary):
        return
    members = stored_members(summary)
    for path, fact in finish_implementations(summary):
        for flow in _matching_flows(summary, fact, members):
            if not flow.call.cleared:
                yield rule.report(
                    path,
                    fact.loc,
                    f"the completion handler `{flow.call.member}` is called but not "
                    "cleared, so a later urlSessionDidFinishEvents can call it a second time",
                )
                break


def identifier_count(summary: ProjectSummary) -> int:
    keys = set()
    for index, site in enumerate(summary.config_sites):
        if site.target in (APP, EXTENSION):
            keys.add(site.key if site.key is not None else ("site", str(index)))
    return len(keys)


def check_single_slot(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary):
        return
    count = identifier_count(summary)
    if count < 2:
        return
    for path, fact in handle_events(summary):
        flow = summary.store_flow(fact)
        single = [store for store in flow.stores if not store.keyed and not store.matched]
        if single:
            yield rule.report(
                path,
                fact.loc,
                f"the completion handler is kept in the single property "
                f"`{single[0].member}`, but the app has {count} background identifiers; a second "
                "relaunch replaces the first handler, which is then never called",
            )


def check_not_reconnected(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not relaunches(summary) or reconnected(summary) is not False:
        return
    handlers = handle_events(summary)
    for path, fact in handlers:
        flow = summary.store_flow(fact)
        if flow.stores and not flow.early:
            yield rule.report(
                path,
                fact.loc,
                "handleEventsForBackgroundURLSession does not create or touch any "
                "background session, and neither does launch code; the relaunched app never "
                "reconnects, so its events are not delivered and the handler is never called",
            )
    if not handlers and any(facts.background_tasks for facts in summary.files):
        first = min(summary.background_sessions(), key=lambda site: (site.path, site.fact.loc.line))
        yield rule.report(
            first.path,
            first.fact.loc,
            "no .backgroundTask(.urlSession) action or launch code creates or "
            "touches this background session, so a relaunch never reconnects it",
        )


_STORE_SWIFT = (
    "@main\n"
    "final class AppDelegate: UIResponder, UIApplicationDelegate {\n"
    "    var backgroundCompletionHandler: (() -> Void)?\n"
)

_FINISH_SWIFT = (
    "final class Downloader: NSObject, URLSessionDelegate {\n"
    "    static let shared = Downloader()\n"
    '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
    "                                  delegate: self, delegateQueue: nil)\n"
)
_HANDLE_SWIFT = (
    "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: "
    "String,\n                     completionHandler: @escaping () -> Void) {\n"
)
_FINISH_MAIN = (
    "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
    "        DispatchQueue.main.async {\n"
    "            let appDelegate = UIApplication.shared.delegate as? AppDelegate\n"
    "            let handler = appDelegate?.backgroundCompletionHandler\n"
    "            appDelegate?.backgroundCompletionHandler = nil\n"
    "            handler?()\n"
    "        }\n"
    "    }\n"
)
_OBJC_DELEGATE = (
    "@interface AppDelegate : UIResponder <UIApplicationDelegate>\n"
    "@property (nonatomic, copy) void (^backgroundCompletionHandler)(void);\n@end\n"
)
_OBJC_HANDLE = (
    "- (void)application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)"
    "identifier\n  completionHandler:(void (^)(void))completionHandler {\n"
)
_OBJC_FINISH_MAIN = (
    "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
    "    dispatch_async(dispatch_get_main_queue(), ^{\n"
    "        AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
    "        void (^handler)(void) = appDelegate.backgroundCompletionHandler;\n"
    "        appDelegate.backgroundCompletionHandler = nil;\n"
    "        if (handler) { handler(); }\n"
    "    });\n"
    "}\n"
)


def _swift_app(handle_body: str, finish: str = _FINISH_MAIN) -> str:
    return _STORE_SWIFT + _HANDLE_SWIFT + handle_body + "    }\n}\n" + _FINISH_SWIFT + finish + "}\n"


def _objc_app(handle_body: str, finish: str = _OBJC_FINISH_MAIN) -> str:
    return (
        _OBJC_DELEGATE
        + "@implementation AppDelegate\n"
        + _OBJC_HANDLE
        + handle_body
        + "}\n@end\n"
        + OBJC_MANAGER
        + finish
        + "@end\n"
    )


_STORE_AND_TOUCH_SWIFT = (
    "        backgroundCompletionHandler = completionHandler\n        _ = Downloader.shared.session\n"
)
_STORE_AND_TOUCH_OBJC = (
    "    self.backgroundCompletionHandler = completionHandler;\n    [[Downloader sharedDownloader] session];\n"
)

MISSING_HANDLE_EVENTS = Rule(
    "BGS010",
    "missing-handle-events",
    Severity.ERROR,
    "background sessions, but no handleEventsForBackgroundURLSession and no SwiftUI backgroundTask",
    RuleDoc(
        finds="An iOS app that creates background sessions (with launch events on, the default) whose app delegate "
        "does not implement application(_:handleEventsForBackgroundURLSession:completionHandler:) and that has no "
        "SwiftUI `.backgroundTask(.urlSession...)`. Reported at the first background configuration.",
        why="When transfers finish while the app is not running, iOS relaunches it in the background and calls this "
        "method with a completion handler that tells the system the events are handled and a snapshot can be "
        "taken. Without it, nothing ever completes the relaunch.",
        bad_swift="@main\nfinal class AppDelegate: UIResponder, UIApplicationDelegate {}\n"
        "final class Downloader: NSObject, URLSessionDelegate {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc="@interface AppDelegate : UIResponder <UIApplicationDelegate>\n@end\n"
        "@implementation AppDelegate\n@end\n"
        "@implementation Downloader\n"
        "- (void)start {\n"
        "    _session = [NSURLSession sessionWithConfiguration:\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]\n'
        "        delegate:self delegateQueue:nil];\n"
        "}\n"
        "@end\n",
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="Only judged when the app's entry point or delegate is among the linted files (an editor linting "
        "one manager file cannot know). Not reported for watchOS code, app extensions, or when every background "
        "configuration sets sessionSendsLaunchEvents to false.",
    ),
    check_missing_handle_events,
    lifecycle=True,
)

HANDLER_DROPPED = Rule(
    "BGS011",
    "handler-dropped",
    Severity.ERROR,
    "handleEventsForBackgroundURLSession neither stores nor calls the completion handler",
    RuleDoc(
        finds="An implementation of handleEventsForBackgroundURLSession with a path on which the completion handler "
        "is neither stored, passed on, nor called: no use at all, or an `if identifier == ...` without an else, or "
        "a `guard` whose else branch returns without calling it.",
        why="The handler is the only way to tell the system that the app has handled the events and its UI is "
        "ready for a new snapshot. A dropped handler is never called. For identifiers the code does not "
        "recognise (for example one from an earlier version of the app) call it at once.",
        bad_swift=_swift_app(
            '        if identifier == "com.example.bg" {\n'
            "            backgroundCompletionHandler = completionHandler\n"
            "            _ = Downloader.shared.session\n        }\n"
        ),
        good_swift=_swift_app(
            '        guard identifier == "com.example.bg" else { completionHandler(); return }\n'
            + _STORE_AND_TOUCH_SWIFT
        ),
        bad_objc=_objc_app("    [[Downloader sharedDownloader] session];\n"),
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="A handler passed to a method bgsession cannot find is assumed to be handled there.",
    ),
    check_dropped,
    lifecycle=True,
)

HANDLER_CALLED_EARLY = Rule(
    "BGS012",
    "handler-called-early",
    Severity.ERROR,
    "handleEventsForBackgroundURLSession calls the handler before the events are delivered",
    RuleDoc(
        finds="A direct call of the completion handler inside handleEventsForBackgroundURLSession (or in a method "
        "it passes the handler to) on a path for identifiers the app handles, and the async variant of the "
        "method returning without awaiting the events.",
        why="The events for the session are delivered only after the session is re-created; calling the handler "
        "first tells the system everything is done, so it may suspend the app before urlSessionDidFinishEvents. "
        "Store the handler and call it from urlSessionDidFinishEvents.",
        bad_swift=_swift_app("        _ = Downloader.shared.session\n        completionHandler()\n"),
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc=_objc_app("    [[Downloader sharedDownloader] session];\n    completionHandler();\n"),
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="A call inside a closure (a completion block, DispatchGroup.notify) is assumed to run after the "
        "events; calling the handler at once for identifiers the code does not recognise is correct. A SwiftUI "
        ".backgroundTask(.urlSession) action that awaits a helper which itself stops waiting for the events is not "
        "followed.",
    ),
    check_called_early,
    lifecycle=True,
)

HANDLER_NEVER_CALLED = Rule(
    "BGS013",
    "handler-never-called",
    Severity.ERROR,
    "the stored handler is never called from urlSessionDidFinishEvents",
    RuleDoc(
        finds="A completion handler stored by handleEventsForBackgroundURLSession that no code calls: the "
        "background session's delegate has no urlSessionDidFinishEvents(forBackgroundURLSession:), or has one that "
        "does not call the stored handler (directly or through a helper).",
        why="urlSessionDidFinishEvents is the signal that all of the session's events have been delivered; that "
        "is when the stored handler must be called. If nothing calls it, the system keeps waiting and "
        "never takes the snapshot.",
        bad_swift=_swift_app(
            _STORE_AND_TOUCH_SWIFT,
            "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
            '        print("done")\n    }\n',
        ),
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc=_objc_app(
            _STORE_AND_TOUCH_OBJC,
            "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
            '    NSLog(@"done");\n}\n',
        ),
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="Only judged when every background session's delegate is known. A stored handler called anywhere in "
        "the project (for example from a notification observer) counts as called. With SwiftUI's "
        ".backgroundTask(.urlSession), SwiftUI holds the handler; a continuation the action waits on and that is "
        "never resumed is not detected.",
    ),
    check_never_called,
    lifecycle=True,
)

HANDLER_OFF_MAIN = Rule(
    "BGS014",
    "handler-off-main-thread",
    Severity.ERROR,
    "the completion handler is called off the main thread",
    RuleDoc(
        finds="urlSessionDidFinishEvents calling the stored handler directly, when the session's delegate queue "
        "is not the main queue, or from a closure sent to another queue.",
        why="Apple: 'Because the provided completion handler is part of UIKit, you must call it on your main "
        "thread'. urlSessionDidFinishEvents runs on the session's delegate queue, a background queue unless "
        "the session was created with `delegateQueue: .main`. Hop with DispatchQueue.main.async, "
        "`Task { @MainActor in }`, MainActor.run, OperationQueue.main or dispatch_get_main_queue().",
        bad_swift=_swift_app(
            _STORE_AND_TOUCH_SWIFT,
            "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
            "        let appDelegate = UIApplication.shared.delegate as? AppDelegate\n"
            "        let handler = appDelegate?.backgroundCompletionHandler\n"
            "        appDelegate?.backgroundCompletionHandler = nil\n"
            "        handler?()\n    }\n",
        ),
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc=_objc_app(
            _STORE_AND_TOUCH_OBJC,
            "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
            "    AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
            "    void (^handler)(void) = appDelegate.backgroundCompletionHandler;\n"
            "    appDelegate.backgroundCompletionHandler = nil;\n"
            "    if (handler) { handler(); }\n}\n",
        ),
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="A call inside a closure passed to an unknown function (a project helper) is not reported; name such "
        "helpers in the configuration's main-thread helpers to have them count as hops. A @MainActor "
        "urlSessionDidFinishEvents is taken at its word. A direct call is reported only when the session's "
        "delegate queue is known not to be the main queue.",
    ),
    check_off_main,
    lifecycle=True,
)

HANDLER_NOT_CLEARED = Rule(
    "BGS015",
    "handler-not-cleared",
    Severity.WARNING,
    "the completion handler is called but not cleared",
    RuleDoc(
        finds="urlSessionDidFinishEvents calling the stored handler without setting the property to nil or "
        "removing the dictionary entry.",
        why="A handler must be called once. While the app keeps running in the background after a relaunch, "
        "another batch of the session's events is followed by another urlSessionDidFinishEvents, which would call "
        "the same handler again. Clear it where you call it.",
        bad_swift=_swift_app(
            _STORE_AND_TOUCH_SWIFT,
            "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
            "        DispatchQueue.main.async {\n"
            "            (UIApplication.shared.delegate as? AppDelegate)?.backgroundCompletionHandler?()\n"
            "        }\n    }\n",
        ),
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc=_objc_app(
            _STORE_AND_TOUCH_OBJC,
            "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
            "    dispatch_async(dispatch_get_main_queue(), ^{\n"
            "        AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
            "        if (appDelegate.backgroundCompletionHandler) { appDelegate.backgroundCompletionHandler(); }\n"
            "    });\n}\n",
        ),
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="Clearing is looked for in the same method, or in the helper that calls the handler.",
    ),
    check_not_cleared,
    lifecycle=True,
)

SINGLE_HANDLER_SLOT = Rule(
    "BGS016",
    "single-handler-slot",
    Severity.WARNING,
    "one optional property holds the handler while the app has several background identifiers",
    RuleDoc(
        finds="handleEventsForBackgroundURLSession storing the handler in a single property, without looking at "
        "the identifier, in an app that creates two or more background identifiers (an extension's included).",
        why="The system can relaunch the app for a second identifier while the first one's events are pending "
        "(an app extension's session counts too); the second handler replaces the first, which is then never "
        "called. Keep handlers in a "
        "dictionary keyed by identifier, and look them up with session.configuration.identifier. With one "
        "identifier a single property is fine (Apple's sample does it).",
        bad_swift=_STORE_SWIFT + _HANDLE_SWIFT + "        backgroundCompletionHandler = completionHandler\n"
        "        _ = Downloads.shared.session\n        _ = Uploads.shared.session\n    }\n}\n"
        "final class Downloads: NSObject, URLSessionDelegate {\n    static let shared = Downloads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.downloads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n" + _FINISH_MAIN + "}\n"
        "final class Uploads: NSObject, URLSessionDelegate {\n    static let shared = Uploads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.uploads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n" + _FINISH_MAIN + "}\n",
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc=_OBJC_DELEGATE
        + "@implementation AppDelegate\n"
        + _OBJC_HANDLE
        + _STORE_AND_TOUCH_OBJC
        + "    [[Uploader sharedUploader] session];\n}\n@end\n"
        + OBJC_MANAGER
        + _OBJC_FINISH_MAIN
        + "@end\n"
        + OBJC_MANAGER.replace("Downloader", "Uploader").replace("com.example.bg", "com.example.uploads")
        + _OBJC_FINISH_MAIN
        + "@end\n",
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="A property chosen by comparing the identifier (one per manager) counts as keyed. Identifiers "
        "computed at run time count as one each.",
    ),
    check_single_slot,
    lifecycle=True,
)

SESSION_NOT_RECONNECTED = Rule(
    "BGS017",
    "session-not-reconnected",
    Severity.ERROR,
    "a background relaunch does not re-create or touch the session",
    RuleDoc(
        finds="An app whose handleEventsForBackgroundURLSession stores the handler but neither it nor the launch "
        "code (didFinishLaunching, the App's init, a backgroundTask action) creates or touches any background "
        "session, typically a lazy session that only the UI reaches.",
        why="After a relaunch the session's events are delivered only once a session with that identifier exists "
        "in the process; a lazy session nobody touches never exists, so urlSessionDidFinishEvents never "
        "runs and the handler is never called. Touch the session in handleEvents, as Apple recommends.",
        bad_swift=_swift_app("        backgroundCompletionHandler = completionHandler\n"),
        good_swift=_swift_app(_STORE_AND_TOUCH_SWIFT),
        bad_objc=_objc_app("    self.backgroundCompletionHandler = completionHandler;\n"),
        good_objc=_objc_app(_STORE_AND_TOUCH_OBJC),
        limits="A mention of the session's holder, its type or its accessor in handleEvents or launch code (or in "
        "methods they call) counts as touching it. A handler passed to a method bgsession cannot find is assumed "
        "to reach the session there.",
    ),
    check_not_reconnected,
    lifecycle=True,
)
