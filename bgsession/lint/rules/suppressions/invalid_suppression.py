"""BGS091 invalid-suppression: a bgsession: comment with an unknown directive or code."""

from __future__ import annotations

from bgsession.diagnostics import Severity
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc, decided_by_suppress

RULE = Rule(
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
        bad_swift=examples.SWIFT_FINDING + "        // bgsession:disable-next-line BGS30 -- typo for BGS003\n"
        "        return URLSession(configuration: configuration)\n"
        "    }()\n}\n",
        good_swift=examples.SWIFT_FINDING
        + "        // bgsession:disable-next-line missing-delegate -- events are ignored on purpose\n"
        "        return URLSession(configuration: configuration)\n"
        "    }()\n}\n",
        bad_objc=examples.OBJC_FINDING + "        // bgsession:disable-next-line BGS30 -- typo for BGS003\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration];\n"
        "    });\n    return session;\n}\n@end\n",
        good_objc=examples.OBJC_FINDING
        + "        // bgsession:disable-next-line missing-delegate -- events are ignored on purpose\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration];\n"
        "    });\n    return session;\n}\n@end\n",
        limits="Prefixes (`BGS0`) are not accepted in comments, only in --select, --ignore and the configuration: "
        "a comment names the rules it silences. The words after `--` are the reason and are not read.",
    ),
    decided_by_suppress,
)
