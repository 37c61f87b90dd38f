"""The rule catalog: every rule, listed explicitly (no registration magic), in code order."""

from __future__ import annotations

from bgsession.lint.options import LintOptions
from bgsession.lint.rules.base import Rule, RuleDoc
from bgsession.lint.rules.identity import (
    DEPRECATED_API,
    DUPLICATE_IDENTIFIER,
    MISSING_DELEGATE,
    PARSE_ERROR,
    SESSION_RECREATED,
    UNSTABLE_IDENTIFIER,
)
from bgsession.lint.rules.relaunch import (
    HANDLER_CALLED_EARLY,
    HANDLER_DROPPED,
    HANDLER_NEVER_CALLED,
    HANDLER_NOT_CLEARED,
    HANDLER_OFF_MAIN,
    MISSING_HANDLE_EVENTS,
    SESSION_NOT_RECONNECTED,
    SINGLE_HANDLER_SLOT,
)
from bgsession.lint.rules.suppressions import INVALID_SUPPRESSION, UNUSED_SUPPRESSION
from bgsession.lint.rules.targets import ADAPTOR_AND_SCENE, ADAPTOR_CAST, EXTENSION_SHARED_CONTAINER, WATCH_REFRESH_TASK
from bgsession.lint.rules.tasks import COMPLETION_HANDLER_TASK, DATA_TASK, DOWNLOAD_NOT_MOVED, UPLOAD_FROM_DATA

ALL_RULES: tuple[Rule, ...] = (
    PARSE_ERROR,
    DUPLICATE_IDENTIFIER,
    SESSION_RECREATED,
    MISSING_DELEGATE,
    UNSTABLE_IDENTIFIER,
    DEPRECATED_API,
    MISSING_HANDLE_EVENTS,
    HANDLER_DROPPED,
    HANDLER_CALLED_EARLY,
    HANDLER_NEVER_CALLED,
    HANDLER_OFF_MAIN,
    HANDLER_NOT_CLEARED,
    SINGLE_HANDLER_SLOT,
    SESSION_NOT_RECONNECTED,
    COMPLETION_HANDLER_TASK,
    UPLOAD_FROM_DATA,
    DATA_TASK,
    DOWNLOAD_NOT_MOVED,
    EXTENSION_SHARED_CONTAINER,
    WATCH_REFRESH_TASK,
    ADAPTOR_AND_SCENE,
    ADAPTOR_CAST,
    UNUSED_SUPPRESSION,
    INVALID_SUPPRESSION,
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}
# Decided by the suppression stage after the other rules ran (rules/suppressions.py says why).
SUPPRESSION_CODES = frozenset({UNUSED_SUPPRESSION.code, INVALID_SUPPRESSION.code})


def find_rule(code_or_name: str) -> Rule | None:
    return RULES_BY_CODE.get(code_or_name.upper()) or RULES_BY_NAME.get(code_or_name.lower())


__all__ = [
    "ALL_RULES",
    "RULES_BY_CODE",
    "RULES_BY_NAME",
    "SUPPRESSION_CODES",
    "LintOptions",
    "Rule",
    "RuleDoc",
    "find_rule",
]
