"""Session identity and lifetime: BGS000 (parse errors) and BGS001-BGS005."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.lint.facts import IdKind, Memo
from bgsession.lint.options import LintOptions
from bgsession.lint.project import EXTENSION, ConfigSite, ProjectSummary, SessionSite
from bgsession.lint.rules.base import Rule, RuleDoc


def check_parse_errors(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for facts in sorted(summary.files + summary.test_files, key=lambda f: f.path):
        if facts.read_error is not None:
            yield rule.report(facts.path, facts.parse_error or _FIRST, facts.read_error, Severity.WARNING)
        elif facts.parse_error is not None and not facts.auxiliary:
            count = facts.parse_error_count
            more = f" (and {count - 1} more)" if count > 1 else ""
            yield rule.report(
                facts.path,
                facts.parse_error,
                f"the parser could not read this code{more}; findings near it may be missing",
            )


def check_duplicates(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    groups: dict[tuple[str, str], list[ConfigSite]] = defaultdict(list)
    for site in summary.config_sites:
        key = site.key
        if key is not None and not site.fact.in_handle_events:
            groups[key].append(site)
    for sites in groups.values():
        distinct: dict[tuple[str, int, int], ConfigSite] = {}
        for site in sites:
            distinct.setdefault((site.path, site.loc.line, site.loc.column), site)
        ordered = sorted(distinct.values(), key=lambda s: (s.path, s.loc.line, s.loc.column))
        for index, site in enumerate(ordered[1:], start=1):
            earlier = next(
                (
                    first
                    for first in ordered[:index]
                    if not _exclusive(first, site) and not summary.separate_apps(first.path, site.path)
                ),
                None,
            )
            if earlier is None:
                continue
            where = f"line {earlier.loc.line}" if earlier.path == site.path else f"{earlier.path}:{earlier.loc.line}"
            extension = (
                " (an app extension and its app must use different identifiers)"
                if ({earlier.target, site.target} == {EXTENSION, "app"})
                else ""
            )
            yield rule.report(
                site.path,
                site.loc,
                f"background session identifier {site.identifier.describe()} is also used at {where}; "
                f"the second session gets the first one's delegate{extension}",
            )


def _exclusive(first: ConfigSite, second: ConfigSite) -> bool:
    """Two creations in the two branches of one `if` never both run."""
    a, b = first.fact.branch, second.fact.branch
    return first.path == second.path and a is not None and b is not None and a[0] == b[0] and a[1] != b[1]


def check_recreated(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for site in summary.background_sessions():
        message = recreation(summary, site)
        if message is not None:
            yield rule.report(site.path, site.fact.loc, message)


def recreation(summary: ProjectSummary, site: SessionSite) -> str | None:
    """Why `site` can create its session more than once per process while the first is alive, or None
    when it runs once (the model's `memoized`)."""
    fact = site.fact
    owner = fact.owner.member or "this code"
    match fact.memo:
        case Memo.COMPUTED:
            return f"the computed property `{owner}` creates a new background session on every access"
        case Memo.FUNCTION if fact.holder is None or fact.used_for_task:
            return f"`{owner}` creates a new background session every time it runs"
        case Memo.FUNCTION if fact.holder == (fact.owner.member or "").split(":")[0] and _used_as_property(
            summary, fact.holder, fact.owner.type_name
        ):
            return f"the getter `{owner}` returns a new background session each time it is called"
        case Memo.VIEW_LIFECYCLE:
            return f"`{owner}` creates a background session for every view instance"
        case Memo.HANDLE_EVENTS:
            return (
                "handleEventsForBackgroundURLSession creates a session each time it runs; when the app is "
                "resumed with that session alive, iOS returns the existing one"
            )
        case Memo.AFTER_INVALIDATE:
            return (
                "the session is created again right after invalidating the previous one, before "
                "didBecomeInvalidWithError; iOS returns the invalidated session"
            )
        case Memo.LAZY | Memo.STORED | Memo.INIT if not summary.single_instance(fact.owner.type_name):
            return _per_instance_message(summary, site)
    return None


def _used_as_property(summary: ProjectSummary, name: str | None, type_name: str | None) -> bool:
    """A method that reads like a property (`[self session]`, `self.session`) and is used for tasks."""
    return any(
        task.receiver_kind == "member" and task.receiver == name and task.receiver_type in (None, type_name)
        for facts in summary.files
        for task in facts.tasks
    )


def _per_instance_message(summary: ProjectSummary, site: SessionSite) -> str | None:
    type_name = site.fact.owner.type_name
    if summary.is_view_controller_or_view(type_name):
        return f"every instance of `{type_name}` creates its own background session"
    if site.fact.memo is Memo.LAZY and summary.is_struct(type_name):
        return f"`{type_name}` is a struct: every copy that reads this lazy property creates its own background session"
    if any(config.key is None for config in site.configs):
        # Each instance may get its own identifier (from an initializer's parameter): no conflict to report.
        return None
    repeated = summary.repeated_instance(type_name)
    if repeated is None:
        return None
    path, instance = repeated
    return (
        f"a new `{type_name}` is made each time {path}:{instance.loc.line} runs ({instance.memo.value}), and each "
        "instance creates its own background session"
    )


def check_missing_delegate(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for site in summary.background_sessions():
        if site.fact.delegate in ("none", "nil"):
            how = "without a delegate" if site.fact.delegate == "none" else "with a nil delegate"
            yield rule.report(
                site.path,
                site.fact.loc,
                f"background session created {how}; its events can only be delivered to a delegate",
            )


def check_unstable(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for site in summary.config_sites:
        value = site.identifier
        if value.kind is IdKind.UNSTABLE and not value.persisted:
            yield rule.report(
                site.path,
                site.loc,
                f"the background session identifier comes from {value.text}, so it differs in every launch and a "
                "relaunched app cannot reconnect to its transfers (if you persist per-job identifiers on purpose, "
                "suppress this finding)",
            )
        elif value.kind is IdKind.LITERAL and value.text == "":
            yield rule.report(site.path, site.loc, "the background session identifier is an empty string")


def check_deprecated(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for facts in summary.files:
        for config in facts.configs:
            if not config.deprecated:
                continue
            if config.deprecated_guarded:
                yield rule.report(
                    facts.path,
                    config.loc,
                    "deprecated configuration factory kept as a fallback for "
                    "systems before iOS 8; remove it once the deployment target allows",
                    Severity.NOTE,
                )
            else:
                replacement = (
                    "background(withIdentifier:)"
                    if facts.language == "swift"
                    else "backgroundSessionConfigurationWithIdentifier:"
                )
                yield rule.report(
                    facts.path, config.loc, f"deprecated background configuration factory; use {replacement}"
                )


_FIRST = Loc(1, 1, 1, 1)


PARSE_ERROR = Rule(
    "BGS000",
    "parse-error",
    Severity.NOTE,
    "a file the parser cannot read cleanly",
    RuleDoc(
        finds="A Swift or Objective-C file in which tree-sitter finds a syntax error, or a file that cannot be read "
        "or decoded as UTF-8.",
        why="Facts inside a broken region are missing, so findings near it may be missing too. Everything outside "
        "the broken region is still checked. Objective-C annotation macros (NS_ASSUME_NONNULL_BEGIN, NS_ENUM, "
        "NS_SWIFT_NAME, API_AVAILABLE and the like) are blanked before parsing and do not cause this.",
        bad_swift="let session: URLSession = .shared\nlet sizes = [1, 2,\n",
        good_swift="let session: URLSession = .shared\nlet sizes = [1, 2]\n",
        bad_objc="@implementation A\n- (NSURLSession *)session { return [NSURLSession sharedSession }\n@end\n",
        good_objc="@implementation A\n- (NSURLSession *)session { return [NSURLSession sharedSession]; }\n@end\n",
        limits="Only files that can hold a finding (they mention URLSession other than the shared session, an app "
        "delegate, and the like) are parsed, so a broken file elsewhere is not reported. The grammars lag the "
        "newest language features; "
        "code the compiler accepts can still be reported.",
    ),
    check_parse_errors,
)

DUPLICATE_IDENTIFIER = Rule(
    "BGS001",
    "duplicate-identifier",
    Severity.ERROR,
    "two background configurations created at different places with the same identifier",
    RuleDoc(
        finds="Two places that create a background configuration with the same identifier: the same literal, the "
        "same constant (resolved across files), or the same bundle-identifier suffix, including two calls of one "
        "manager initializer with the same identifier.",
        why="A process may hold one background session per identifier (Apple: 'You must create exactly one session "
        "per identifier ... The behavior of multiple sessions sharing the same identifier is undefined'). In "
        "practice iOS logs 'A background URLSession with identifier ... already exists!' and hands back the first "
        "session with its delegate, so the second place's delegate never receives events. An app extension and its "
        "containing app must not share an identifier either: only one process can use a background session at a time.",
        bad_swift="final class Downloads: NSObject, URLSessionDelegate {\n"
        "    static let shared = Downloads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n"
        "final class Uploads: NSObject, URLSessionDelegate {\n"
        "    static let shared = Uploads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift="final class Downloads: NSObject, URLSessionDelegate {\n"
        "    static let shared = Downloads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.downloads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n"
        "final class Uploads: NSObject, URLSessionDelegate {\n"
        "    static let shared = Uploads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.uploads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc='static NSString *const kID = @"com.example.bg";\n'
        "@implementation Downloads\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:kID];\n"
        "}\n"
        "@end\n"
        "@implementation Uploads\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "}\n"
        "@end\n",
        good_objc="@implementation Downloads\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    return [NSURLSessionConfiguration\n"
        '        backgroundSessionConfigurationWithIdentifier:@"com.example.downloads"];\n'
        "}\n"
        "@end\n"
        "@implementation Uploads\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.uploads"];\n'
        "}\n"
        "@end\n",
        limits="Identifiers computed at run time (other than a bundle-identifier prefix plus a literal suffix) are "
        "not compared. Creations in the two branches of one `if` are not duplicates; creations in different "
        "`#if` branches are not told apart. The containing app re-creating an extension's session with the "
        "identifier handleEvents receives is not a duplicate.",
    ),
    check_duplicates,
    lifecycle=True,
)

SESSION_RECREATED = Rule(
    "BGS002",
    "session-recreated",
    Severity.ERROR,
    "a background session created where that code can run more than once per process",
    RuleDoc(
        finds="A background session created in a computed property, in a method that makes a new session each "
        "time it runs, in view-controller lifecycle methods or stored properties of view types, in "
        "handleEventsForBackgroundURLSession unconditionally, or again right after invalidating the previous one.",
        why="The second creation with a live identifier returns the existing session (with its old delegate); "
        "after invalidation, creating the identifier again is safe only once didBecomeInvalidWithError has "
        "arrived (Apple: 'it is not safe to create another background session with the same identifier until "
        "URLSession:didBecomeInvalidWithError: has been issued'). Create the session once per process: a "
        "`static let`, a `lazy var` of a singleton, `dispatch_once`, or a nil check on a stored property.",
        bad_swift="final class Downloader: NSObject, URLSessionDelegate {\n"
        "    var session: URLSession {\n"
        '        URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                   delegate: self, delegateQueue: nil)\n"
        "    }\n"
        "}\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate {\n"
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
        good_objc="@implementation Downloader\n"
        "- (NSURLSession *)session {\n"
        "    if (_session == nil) {\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    }\n"
        "    return _session;\n"
        "}\n"
        "@end\n",
        limits="A method that stores the new session in a property is assumed to run once (a setup method). An "
        "initializer of a class that is not a view is assumed to run once, since bgsession does not count "
        "instances. Any check on stored state before the creation (a nil check, a flag, a registry lookup) counts "
        "as memoization, even if it checks something else.",
    ),
    check_recreated,
    lifecycle=True,
)

MISSING_DELEGATE = Rule(
    "BGS003",
    "missing-delegate",
    Severity.ERROR,
    "a background session created without a delegate",
    RuleDoc(
        finds="`URLSession(configuration:)`, `[NSURLSession sessionWithConfiguration:]`, or a nil delegate, for a "
        "background configuration.",
        why="Apple: 'The session must provide a delegate for event delivery.' Without one, finished transfers are "
        "never reported, urlSessionDidFinishEvents never runs, and the completion handler from "
        "handleEventsForBackgroundURLSession is never called. (The seed page's Swift example makes exactly this "
        "mistake.)",
        bad_swift='let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.bg")\n'
        "let session = URLSession(configuration: configuration)\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc="@implementation Downloader\n"
        "+ (NSURLSession *)session {\n"
        "    static NSURLSession *session;\n"
        "    static dispatch_once_t once;\n"
        "    dispatch_once(&once, ^{\n"
        "        session = [NSURLSession sessionWithConfiguration:\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]];\n'
        "    });\n"
        "    return session;\n"
        "}\n"
        "@end\n",
        good_objc="@implementation Downloader\n"
        "+ (NSURLSession *)session {\n"
        "    static NSURLSession *session;\n"
        "    static dispatch_once_t once;\n"
        "    dispatch_once(&once, ^{\n"
        "        session = [NSURLSession sessionWithConfiguration:\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]\n'
        "                                                delegate:[Downloader new] delegateQueue:nil];\n"
        "    });\n"
        "    return session;\n"
        "}\n"
        "@end\n",
        limits="A delegate expression that is not nil is accepted whatever it is; whether it implements the "
        "right protocol is the compiler's job.",
    ),
    check_missing_delegate,
    lifecycle=True,
)

UNSTABLE_IDENTIFIER = Rule(
    "BGS004",
    "unstable-identifier",
    Severity.ERROR,
    "a background session identifier that changes from launch to launch, or is empty",
    RuleDoc(
        finds="An identifier built from `UUID()`, `NSUUID`, the current date or time, a random number, a hash, "
        "`globallyUniqueString`, or a URL; or an empty string.",
        why="When iOS relaunches the app for finished transfers, the app must create a session with the same "
        "identifier to receive them. A fresh identifier in every launch never reconnects, so the "
        "completion handler waits forever and the downloaded files are lost. Apple recommends a fixed string. "
        "The identifier must not be empty.",
        bad_swift="final class Downloader: NSObject, URLSessionDelegate {\n"
        "    static let shared = Downloader()\n"
        "    lazy var session = URLSession(configuration: .background(withIdentifier: UUID().uuidString),\n"
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc="@implementation Downloader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:\n"
        "        [[NSUUID UUID] UUIDString]];\n"
        "}\n"
        "@end\n",
        good_objc="@implementation Downloader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "}\n"
        "@end\n",
        limits="Per-job identifiers that the code persists (UserDefaults, a database, the keychain) are a deliberate "
        "design: when the type or function that creates them also persists data, nothing is reported. Otherwise "
        "the message says how to suppress the finding.",
    ),
    check_unstable,
    lifecycle=True,
)

DEPRECATED_API = Rule(
    "BGS005",
    "deprecated-configuration-api",
    Severity.WARNING,
    "the deprecated background configuration factory",
    RuleDoc(
        finds="`URLSessionConfiguration.backgroundSessionConfiguration(_:)` and "
        "`+[NSURLSessionConfiguration backgroundSessionConfiguration:]`.",
        why="Both were deprecated in iOS 8 in favour of `background(withIdentifier:)` / "
        "`backgroundSessionConfigurationWithIdentifier:`. They behave the same, but the compiler warns and they "
        "may go away. A call kept only for systems before iOS 8, in the else branch of `#available` or of "
        "`respondsToSelector:`, is reported as a note.",
        bad_swift='let configuration = URLSessionConfiguration.backgroundSessionConfiguration("com.example.bg")\n',
        good_swift='let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.bg")\n',
        bad_objc="NSURLSessionConfiguration *Configuration(void) {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfiguration:@"com.example.bg"];\n'
        "}\n",
        good_objc="NSURLSessionConfiguration *Configuration(void) {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "}\n",
        limits="Only the configuration factory is checked; other deprecated URLSession API is the compiler's job.",
    ),
    check_deprecated,
)
