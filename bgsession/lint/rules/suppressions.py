"""BGS090 unused-suppression and BGS091 invalid-suppression: findings about bgsession's own comments.

Both are decided in `bgsession.lint.suppress`, after every other rule has run (a suppression is unused
only once the findings it could silence are known), so their check here finds nothing on its own. They
are rules like the others all the same: listed, documented, selectable, ignorable and re-severable.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.options import LintOptions
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def decided_by_suppress(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    """The suppression stage reports these codes; the project stage has nothing to say about them."""
    return iter(())


_SWIFT_FINDING = (
    "import Foundation\n"
    "final class Uploader: NSObject, URLSessionDelegate {\n"
    "    static let shared = Uploader()\n"
    "    lazy var session: URLSession = {\n"
    '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.up")\n'
)
_OBJC_FINDING = (
    "@implementation Uploader\n"
    "- (NSURLSession *)session {\n"
    "    static NSURLSession *session;\n"
    "    static dispatch_once_t once;\n"
    "    dispatch_once(&once, ^{\n"
    "        NSURLSessionConfiguration *configuration =\n"
    '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.up"];\n'
)

UNUSED_SUPPRESSION = Rule(
    "BGS090",
    "unused-suppression",
    Severity.WARNING,
    "a bgsession:disable comment that suppresses nothing",
    RuleDoc(
        finds="A `bgsession:disable…` comment that silences no finding of a rule that ran: the code it was written "
        "for has changed, or the rule it names no longer reports there.",
        why="A stale suppression hides the next real defect on its line. Removing it keeps every silenced "
        "finding one that somebody decided about.",
        bad_swift=_SWIFT_FINDING + "        // bgsession:disable-next-line BGS003 -- the delegate is set below\n"
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        good_swift=_SWIFT_FINDING
        + "        // bgsession:disable-next-line BGS003 -- events are ignored on purpose (a fire-and-forget upload)\n"
        "        return URLSession(configuration: configuration)\n"
        "    }()\n}\n",
        bad_objc=_OBJC_FINDING + "        // bgsession:disable-next-line BGS003 -- the delegate is set below\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    });\n    return session;\n}\n@end\n",
        good_objc=_OBJC_FINDING
        + "        // bgsession:disable-next-line BGS003 -- events are ignored on purpose (a fire-and-forget upload)\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration];\n"
        "    });\n    return session;\n}\n@end\n",
        limits="A suppression of a rule that did not run (deselected with --select or --ignore, or off in the "
        "configuration) is not reported as unused. Suppressions in files that were read only because they define "
        "a name other files need are not judged.",
    ),
    decided_by_suppress,
)

INVALID_SUPPRESSION = Rule(
    "BGS091",
    "invalid-suppression",
    Severity.WARNING,
    "a bgsession: comment with an unknown directive or code",
    RuleDoc(
        finds="A `bgsession:` comment whose directive is not one of disable-next-line, disable-line, disable, "
        "enable and disable-file; a word in it that is neither a rule code nor a rule name (a typo like `BGS20`, a "
        "code that does not exist); or an `enable` with no matching `disable`.",
        why="A misspelt suppression silences nothing: the finding it was meant for is still reported, and this "
        "says why. (It never silences every rule instead: only the codes and names it spells right count.)",
        bad_swift=_SWIFT_FINDING + "        // bgsession:disable-next-line BGS30 -- typo for BGS003\n"
        "        return URLSession(configuration: configuration)\n"
        "    }()\n}\n",
        good_swift=_SWIFT_FINDING
        + "        // bgsession:disable-next-line missing-delegate -- events are ignored on purpose\n"
        "        return URLSession(configuration: configuration)\n"
        "    }()\n}\n",
        bad_objc=_OBJC_FINDING + "        // bgsession:disable-next-line BGS30 -- typo for BGS003\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration];\n"
        "    });\n    return session;\n}\n@end\n",
        good_objc=_OBJC_FINDING
        + "        // bgsession:disable-next-line missing-delegate -- events are ignored on purpose\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration];\n"
        "    });\n    return session;\n}\n@end\n",
        limits="Prefixes (`BGS0`) are not accepted in comments, only in --select, --ignore and the configuration: "
        "a comment names the rules it silences. The words after `--` are the reason and are not read.",
    ),
    decided_by_suppress,
)
