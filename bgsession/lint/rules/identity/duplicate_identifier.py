"""BGS001 duplicate-identifier: two background configurations created at different places with the same identifier."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import EXTENSION, ConfigSite, ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_duplicates(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
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


RULE = Rule(
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
        bad_swift="final class Downloads: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n"
        "final class Uploads: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Uploads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift="final class Downloads: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.downloads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n"
        "final class Uploads: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
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
        "identifier handleEvents receives is not a duplicate. An initializer reached through an implicit "
        "`.init(identifier:)` (its type taken from context) is not followed: only calls that name the type "
        "(`Manager(identifier:)`) count as creating that type's configuration.",
    ),
    check_duplicates,
    lifecycle=True,
)
