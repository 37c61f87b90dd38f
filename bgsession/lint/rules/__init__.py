"""The rule catalog: every rule, listed explicitly (no registration magic), in code order.

Each rule is one module under its family's folder (`rules/<family>/<rule>.py`): its check first, then
its `RULE` with the documentation, so the documentation sits under the logic it documents.
"""

from __future__ import annotations

from bgsession.lint.rules.base import Rule, RuleDoc
from bgsession.lint.rules.identity import (
    deprecated_configuration_api,
    duplicate_identifier,
    invalidated_session_reused,
    missing_delegate,
    parse_error,
    session_recreated,
    unstable_identifier,
)
from bgsession.lint.rules.relaunch import (
    handler_called_early,
    handler_called_on_some_paths,
    handler_dropped,
    handler_never_called,
    handler_not_cleared,
    handler_off_main_thread,
    host_forwarding_missing,
    missing_handle_events,
    session_not_reconnected,
    single_handler_slot,
)
from bgsession.lint.rules.suppressions import invalid_suppression, unused_suppression
from bgsession.lint.rules.targets import (
    adaptor_and_scene_handler,
    adaptor_delegate_cast,
    duplicate_handle_events,
    extension_missing_shared_container,
    shared_container_not_entitled,
    watch_refresh_task_not_completed,
)
from bgsession.lint.rules.tasks import (
    background_config_unsupported_client,
    completion_handler_task,
    data_task_in_background,
    download_not_moved_synchronously,
    tasks_not_reattached,
    upload_from_data,
)

ALL_RULES: tuple[Rule, ...] = (
    parse_error.RULE,
    duplicate_identifier.RULE,
    session_recreated.RULE,
    missing_delegate.RULE,
    unstable_identifier.RULE,
    deprecated_configuration_api.RULE,
    invalidated_session_reused.RULE,
    missing_handle_events.RULE,
    handler_dropped.RULE,
    handler_called_early.RULE,
    handler_never_called.RULE,
    handler_off_main_thread.RULE,
    handler_not_cleared.RULE,
    single_handler_slot.RULE,
    session_not_reconnected.RULE,
    host_forwarding_missing.RULE,
    handler_called_on_some_paths.RULE,
    completion_handler_task.RULE,
    upload_from_data.RULE,
    data_task_in_background.RULE,
    download_not_moved_synchronously.RULE,
    background_config_unsupported_client.RULE,
    extension_missing_shared_container.RULE,
    watch_refresh_task_not_completed.RULE,
    adaptor_and_scene_handler.RULE,
    adaptor_delegate_cast.RULE,
    shared_container_not_entitled.RULE,
    duplicate_handle_events.RULE,
    tasks_not_reattached.RULE,
    unused_suppression.RULE,
    invalid_suppression.RULE,
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}
# Decided by the suppression stage after the other rules ran (rules/suppressions/ says why).
SUPPRESSION_CODES = frozenset({unused_suppression.RULE.code, invalid_suppression.RULE.code})


def find_rule(code_or_name: str) -> Rule | None:
    return RULES_BY_CODE.get(code_or_name.upper()) or RULES_BY_NAME.get(code_or_name.lower())


__all__ = ["ALL_RULES", "RULES_BY_CODE", "RULES_BY_NAME", "SUPPRESSION_CODES", "Rule", "RuleDoc", "find_rule"]
