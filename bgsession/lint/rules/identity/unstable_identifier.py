"""BGS004 unstable-identifier: a background session identifier that changes from launch to launch, or is empty."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Edit, Fix, Severity
from bgsession.lint.facts import (
    IdKind,
)
from bgsession.lint.project import ConfigSite, ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_unstable(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    # A helper that is also called with an identifier handed in at run time (pocket-casts' watch sync:
    # the refresh task's sessionIdentifier) re-creates sessions for identifiers it made with a UUID.
    reattached = {
        id(site.fact)
        for site in summary.config_sites
        if site.via_call is not None and site.identifier.kind in (IdKind.PARAMETER, IdKind.DYNAMIC)
    }
    taken = {site.key for site in summary.config_sites}
    for site in summary.config_sites:
        value = site.identifier
        if site.fact.deprecated_guarded:
            continue  # the fallback arm for an OS before iOS 8 (BGS005's concern), never run today
        if value.kind is IdKind.UNSTABLE and not value.persisted and id(site.fact) not in reattached:
            found = rule.report(
                site.path,
                site.loc,
                f"the background session identifier comes from {value.text}, so it differs in every launch and a "
                "relaunched app cannot reconnect to its transfers (if you persist per-job identifiers on purpose, "
                "suppress this finding)",
            )
        elif value.kind is IdKind.LITERAL and value.text == "":
            found = rule.report(site.path, site.loc, "the background session identifier is an empty string")
        else:
            continue
        fix = _stable(site, taken)
        yield found if fix is None else found.with_fixes(fix)


def _stable(site: ConfigSite, taken: set[tuple[str, str] | None]) -> Fix | None:
    """A fixed identifier, the bundle identifier and a suffix named after where the configuration is
    made (unique in the project, so the fix makes no duplicate). Unsafe: transfers already running under
    the old identifiers are orphaned."""
    argument = site.fact.argument
    if argument is None or site.via_call is not None:
        return None
    where = site.fact.holder or site.fact.owner.member or site.fact.binding or ""
    name = re.sub(r"[^A-Za-z0-9]", "", where.split(":")[0]) or "background"
    suffix = f".{name[:1].lower()}{name[1:]}"
    if ("bundle", suffix) in taken:
        suffix = f"{suffix}{site.loc.line}"
    taken.add(("bundle", suffix))
    if site.path.endswith(".swift"):
        text = f'"\\(Bundle.main.bundleIdentifier ?? "app"){suffix}"'
    else:
        text = f'[[[NSBundle mainBundle] bundleIdentifier] stringByAppendingString:@"{suffix}"]'
    title = (
        f"use the fixed identifier <bundle identifier>{suffix}; transfers running under the old identifier are orphaned"
    )
    return Fix(title, "unsafe", (Edit(argument.start, argument.end, text),))


RULE = Rule(
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
        bad_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        "    lazy var session = URLSession(configuration: .background(withIdentifier: UUID().uuidString),\n"
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
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
        "the message says how to suppress the finding. Nor is a helper that some caller also hands an identifier "
        "known only at run time (the one the system passes back in handleEvents or a watch refresh task): it "
        "re-creates sessions for the identifiers it made.",
        fix="Unsafe: replaces the identifier argument with a fixed one built from the bundle identifier, "
        '`"\\(Bundle.main.bundleIdentifier ?? "app").name"` / '
        '`[[[NSBundle mainBundle] bundleIdentifier] stringByAppendingString:@".name"]`, named after the '
        "property, method or variable that holds the configuration. Transfers already running under the old "
        "identifiers are orphaned: the app never reconnects to them. Not offered when the value comes from a "
        "variable, constant or property named in the call (set, and maybe compared, elsewhere).",
    ),
    check_unstable,
    lifecycle=True,
)
