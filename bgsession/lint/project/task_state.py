"""Whether a session's delegate finds tasks in state of its own, and whether the app rebuilds that state
from the session's task list after a relaunch (BGS040): shared by the rule and `to_model`."""

from __future__ import annotations

from bgsession.lint.project import ProjectSummary

# What a per-task look-up is keyed by: the task's identifier, the task itself (the delegate methods'
# parameter names), or its request's URL.
_TASK_KEYS = frozenset(
    {"taskIdentifier", "task", "downloadTask", "dataTask", "uploadTask", "originalRequest", "currentRequest"}
)
_CALLBACKS = frozenset({"urlSession", "URLSession"})


def task_state_keys(summary: ProjectSummary, delegate: str | None) -> list[str]:
    """The task keys `delegate`'s URLSession callbacks look its own state up by, sorted."""
    if delegate is None:
        return []
    return sorted(
        key
        for facts in summary.files
        for function in facts.functions
        if function.type_name == delegate and function.name in _CALLBACKS
        for key in function.lookup_keys & _TASK_KEYS
    )


def lists_tasks(summary: ProjectSummary) -> bool:
    """Whether any code of the app lists a session's tasks (getAllTasks, getTasksWithCompletionHandler,
    tasks, allTasks): it can then find the ones a relaunch brings back."""
    return any(facts.task_queries for facts in summary.files)
