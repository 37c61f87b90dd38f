"""BGS035 duplicate-handle-events: two implementations of handleEventsForBackgroundURLSession for one class."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import FileFacts, HandleEventsFact
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc

_SELECTOR = "application:handleEventsForBackgroundURLSession:completionHandler:"


def _in_category(facts: FileFacts, fact: HandleEventsFact) -> bool:
    """Whether the implementation sits in an Objective-C category (`@implementation C (Name)`)."""
    return any(
        t.kind == "category" and t.name == fact.type_name and t.loc.line <= fact.loc.line <= t.loc.end_line
        for t in facts.types
    )


def check_duplicate_handle_events(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    # Two implementations of one class's method in one module are a compile or link error, except
    # through a category: the class and a category, or two categories, link silently and the runtime
    # picks one. So a category implementation must be involved; anything else is separate targets.
    found: dict[str, list[tuple[str, HandleEventsFact, bool]]] = defaultdict(list)
    for facts in summary.files:
        for fact in facts.handle_events:
            if fact.type_name:
                found[fact.type_name].append((facts.path, fact, _in_category(facts, fact)))
    for type_name, places in sorted(found.items()):
        if len(places) < 2 or not any(category for _, _, category in places):
            continue
        places.sort(key=lambda place: (place[0], place[1].loc.line))
        plain = [place for place in places if not place[2]]
        # The class's own implementation stands; each category's replaces it. With categories only,
        # the first (by file) is taken to stand.
        first = plain[0] if plain else places[0]
        for path, fact, _ in places:
            if (path, fact.loc) == (first[0], first[1].loc):
                continue
            yield rule.report(
                path,
                fact.loc,
                f"`{type_name}` implements {_SELECTOR} more than once (also at {first[0]}:{first[1].loc.line}); "
                "which implementation runs is undefined",
            )


RULE = Rule(
    "BGS035",
    "duplicate-handle-events",
    Severity.ERROR,
    "two implementations of handleEventsForBackgroundURLSession for one class (class and category, or two categories)",
    RuleDoc(
        finds="Two implementations of `application:handleEventsForBackgroundURLSession:completionHandler:` for one "
        "class in one app, where at least one is in an Objective-C category: the class (Swift or Objective-C) "
        "and a category, or two categories.",
        why="Apple's Objective-C runtime documentation: when a category implements a method that the class or "
        "another category also implements, which implementation is used at run time is undefined. Neither clang "
        "nor the linker says a word. The losing implementation's handler storage is then dead code, and the "
        "system's completion handler can end up where no urlSessionDidFinishEvents looks for it.",
        bad_swift="// Mixed: a Swift app delegate and an Objective-C category on it (see the Objective-C example).\n"
        "@main\nfinal class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) {\n"
        "        BackgroundHandlers.shared.store(completionHandler, for: identifier)\n    }\n}\n"
        "// AppDelegate+Legacy.m: @implementation AppDelegate (Legacy) implements the same selector.\n",
        good_swift="@main\nfinal class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) {\n"
        "        BackgroundHandlers.shared.store(completionHandler, for: identifier)\n    }\n}\n"
        "@MainActor\nfinal class BackgroundHandlers {\n    static let shared = BackgroundHandlers()\n"
        "    private var handlers: [String: () -> Void] = [:]\n"
        "    func store(_ handler: @escaping () -> Void, for identifier: String) { handlers[identifier] = handler }\n"
        "}\n",
        bad_objc="@interface AppDelegate : UIResponder <UIApplicationDelegate>\n@end\n"
        "@interface BackgroundHandlers : NSObject\n+ (instancetype)shared;\n"
        "- (void)store:(void (^)(void))handler forIdentifier:(NSString *)identifier;\n@end\n\n"
        "@implementation AppDelegate\n"
        "- (void)application:(UIApplication *)application\n"
        "    handleEventsForBackgroundURLSession:(NSString *)identifier\n"
        "                      completionHandler:(void (^)(void))completionHandler {\n"
        "    [[BackgroundHandlers shared] store:completionHandler forIdentifier:identifier];\n}\n@end\n\n"
        "@implementation AppDelegate (Legacy)\n"
        "- (void)application:(UIApplication *)application\n"
        "    handleEventsForBackgroundURLSession:(NSString *)identifier\n"
        "                      completionHandler:(void (^)(void))completionHandler {\n"
        "    completionHandler();\n}\n@end\n",
        good_objc="@interface AppDelegate : UIResponder <UIApplicationDelegate>\n@end\n"
        "@interface BackgroundHandlers : NSObject\n+ (instancetype)shared;\n"
        "- (void)store:(void (^)(void))handler forIdentifier:(NSString *)identifier;\n@end\n\n"
        "@interface AppDelegate (Legacy)\n"
        "- (void)legacy_handleEventsForBackgroundURLSession:(NSString *)identifier\n"
        "                               completionHandler:(void (^)(void))completionHandler;\n@end\n\n"
        "@implementation AppDelegate\n"
        "- (void)application:(UIApplication *)application\n"
        "    handleEventsForBackgroundURLSession:(NSString *)identifier\n"
        "                      completionHandler:(void (^)(void))completionHandler {\n"
        "    [self legacy_handleEventsForBackgroundURLSession:identifier completionHandler:completionHandler];\n"
        "}\n@end\n\n"
        "@implementation AppDelegate (Legacy)\n"
        "- (void)legacy_handleEventsForBackgroundURLSession:(NSString *)identifier\n"
        "                               completionHandler:(void (^)(void))completionHandler {\n"
        "    [[BackgroundHandlers shared] store:completionHandler forIdentifier:identifier];\n}\n@end\n",
        limits="Classes are matched by name within one app, so two targets that each define a class of that name "
        "are not told apart unless a category is involved; a subclass overriding the method is not a duplicate. "
        "Code inside `#if 0` is still read as code. A Swift class's own extension cannot re-implement the method "
        "(the compiler rejects it), so Swift-only projects never get this finding. The Swift example is not "
        "linted alone: the duplicate needs the Objective-C category next to it.",
    ),
    check_duplicate_handle_events,
)
