"""Which tasks an app asks of a background session it invalidated and never creates again (BGS006),
shared by the rule and the model's reading of the code (`to_model`)."""

from __future__ import annotations

from dataclasses import dataclass

from bgsession.lint.facts import InvalidationFact, Memo, TaskFact
from bgsession.lint.project import ProjectSummary, SessionSite

# Where an invalidation ends the holder's life (nothing uses it afterwards).
_TEARDOWN = frozenset({"deinit", "dealloc", "applicationWillTerminate"})
# Creations that run once for the holder's life: a lazy or stored property, an initializer, a static or
# dispatch_once. Not a nil-guarded getter (`if (!_session)`), which re-creates once the holder is cleared.
_ONCE = frozenset({Memo.LAZY, Memo.STORED, Memo.INIT, Memo.STATIC, Memo.GLOBAL, Memo.ONCE})


@dataclass(frozen=True, slots=True)
class Reuse:
    """A session invalidated at `invalidation` (in `path`) whose holder keeps it, and the tasks
    created through that holder afterwards, as (path, task)."""

    path: str
    invalidation: InvalidationFact
    site: SessionSite
    tasks: tuple[tuple[str, TaskFact], ...]


def invalidated_and_reused(summary: ProjectSummary) -> list[Reuse]:
    """Every invalidation of a session nothing re-creates, with the tasks created on it; a task is
    listed under the first invalidation that reaches it."""
    found: list[Reuse] = []
    claimed: set[tuple[str, int]] = set()
    for facts in summary.files:
        for invalidation in facts.invalidations:
            site = _only_holder(summary, invalidation)
            if site is None:
                continue
            tasks: list[tuple[str, TaskFact]] = []
            for task_facts in summary.files:
                for task in task_facts.tasks:
                    key = (task_facts.path, task.loc.line)
                    if (
                        task.receiver_kind == "member"
                        and task.receiver == invalidation.receiver
                        and task.owner.type_name == invalidation.owner.type_name
                        and key not in claimed
                    ):
                        claimed.add(key)
                        tasks.append((task_facts.path, task))
            found.append(Reuse(facts.path, invalidation, site, tuple(tasks)))
    return found


def _only_holder(summary: ProjectSummary, invalidation: InvalidationFact) -> SessionSite | None:
    """The one background session the invalidated holder keeps, when it is certainly never replaced:
    the holder's object lives as long as the process (a singleton or the app delegate), the type
    creates no other session (no re-creation from didBecomeInvalidWithError, a factory or a reset),
    and the invalidation is not the object's teardown."""
    owner = invalidation.owner
    if invalidation.receiver is None or owner.kind != "method" or owner.type_name is None:
        return None
    if (owner.member or "").split("(", 1)[0].split(":", 1)[0] in _TEARDOWN:
        return None
    if not summary.single_instance(owner.type_name):
        return None
    made_here = [site for site in summary.sessions if site.fact.owner.type_name == owner.type_name]
    held = [site for site in made_here if site.fact.holder == invalidation.receiver]
    if len(made_here) != 1 or len(held) != 1:
        return None
    site = held[0]
    if not site.background or site.fact.memo not in _ONCE:
        return None
    return site
