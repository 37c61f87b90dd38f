"""BGS019 handler-called-on-some-paths: urlSessionDidFinishEvents calls the stored handler on some paths only."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_some_paths(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary) or not judgements.events_delivered(summary):
        return
    members = judgements.stored_members(summary)
    for path, fact in judgements.finish_implementations(summary):
        if not judgements.matching_flows(summary, fact, members):
            continue  # nothing is stored for it to call (BGS010-BGS012 say why)
        for skip in judgements.skipped_paths(summary, fact, members):
            yield rule.report(
                path,
                fact.loc,
                f"urlSessionDidFinishEvents calls the completion handler `{skip.member}` on some paths only: the "
                f"condition on line {skip.condition.line} lets it return without calling it, and the system keeps "
                "waiting",
            )
            break


_BAD_SWIFT_FINISH = (
    "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
    "        session.getAllTasks { tasks in\n"
    "            // Tasks still running in the background are listed too: while any is, nothing is called.\n"
    "            guard tasks.isEmpty else { return }\n"
    "            DispatchQueue.main.async {\n"
    "                let appDelegate = UIApplication.shared.delegate as? AppDelegate\n"
    "                let handler = appDelegate?.backgroundCompletionHandler\n"
    "                appDelegate?.backgroundCompletionHandler = nil\n"
    "                handler?()\n"
    "            }\n"
    "        }\n"
    "    }\n"
)

_BAD_OBJC_FINISH = (
    "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
    "    [session getAllTasksWithCompletionHandler:^(NSArray<__kindof NSURLSessionTask *> *tasks) {\n"
    "        // Tasks still running in the background are listed too: while any is, nothing is called.\n"
    "        if (tasks.count > 0) { return; }\n"
    "        dispatch_async(dispatch_get_main_queue(), ^{\n"
    "            AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
    "            void (^handler)(void) = appDelegate.backgroundCompletionHandler;\n"
    "            appDelegate.backgroundCompletionHandler = nil;\n"
    "            if (handler) { handler(); }\n"
    "        });\n"
    "    }];\n"
    "}\n"
)

RULE = Rule(
    "BGS019",
    "handler-called-on-some-paths",
    Severity.ERROR,
    "urlSessionDidFinishEvents calls the stored handler on some paths and returns without it on others",
    RuleDoc(
        finds="A urlSessionDidFinishEvents(forBackgroundURLSession:) that calls the stored completion handler on "
        "some paths, and on others returns without calling it because of a condition that is not about the "
        "handler: only when no task is pending, only when a count reaches zero, only if uploads were recorded.",
        why="urlSessionDidFinishEvents is Apple's signal that all of the session's events have been delivered and "
        "that it is now safe to invoke the stored handler. Tasks that are still running do not change that: "
        "their events come with a later relaunch and a new handler. A path that returns without calling the "
        "handler leaves the system waiting: no new snapshot is taken, and the app stays awake in the background "
        "until iOS suspends it. Call the handler on every path once the events are handled.",
        bad_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT, _BAD_SWIFT_FINISH),
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC, _BAD_OBJC_FINISH),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="Paths are followed through if/guard/switch/return and into closures that run once (a hop to a "
        "queue, Task, getAllTasks); a path through a loop, or through a closure passed to any other function, "
        "that contains the call counts as calling it. A condition that mentions the handler, the object it is "
        "read from, the session or its identifier is taken as 'nothing to call' (no handler stored, another "
        "session's events), and so is an availability check (#available): those paths are not reported. A path "
        "that calls a project method which calls the handler counts as calling it; paths inside such helpers are "
        "not judged. Bodies with more than 64 paths, and handlers nothing is known to store, are not judged.",
    ),
    check_some_paths,
    lifecycle=True,
)
