"""What each app is called in a report: the folder of its own files, as apps.py drew them.

apps.py splits a linted folder into apps by the top-level folders that hold entry code, and a file
of shared code joins every app of its folder. An app is named by the folder its own files (those of
its entry code's top-level folders) have in common, so two apps of one repository get two names and
shared code does not blur either. Names are unique within a run.
"""

from __future__ import annotations

import os

from bgsession.lint.project import ProjectSummary
from bgsession.lint.project.apps import has_app_entry

_HERE = "."


def app_name(summary: ProjectSummary) -> str:
    """The folder that holds the app's own files ("." for the current folder)."""
    files = [f for f in (*summary.files, *summary.test_files) if not f.auxiliary]
    if not files:
        return _HERE
    entry_groups = {summary.groups.get(f.path, "") for f in files if has_app_entry(f)}
    own = files
    if entry_groups and "" not in entry_groups:
        own = [f for f in files if summary.groups.get(f.path, "") in entry_groups]
    folders = [os.path.dirname(os.path.normpath(f.path)) for f in own]
    try:
        common = os.path.commonpath(folders)
    except ValueError:  # absolute and relative paths mixed: no common folder to name
        common = folders[0]
    return common or _HERE


def app_names(summaries: list[ProjectSummary]) -> list[str]:
    """One name per app, in the order given; a name two apps would share is numbered."""
    names: list[str] = []
    for summary in summaries:
        name = app_name(summary)
        if name in names:
            number = 2
            while f"{name} ({number})" in names:
                number += 1
            name = f"{name} ({number})"
        names.append(name)
    return names


def apps_of_file(summaries: list[ProjectSummary]) -> dict[str, int]:
    """For each linted file, the first app it belongs to (for findings no rule of an app made)."""
    result: dict[str, int] = {}
    for index, summary in enumerate(summaries):
        for facts in (*summary.files, *summary.test_files):
            result.setdefault(facts.path, index)
    return result


__all__ = ["app_name", "app_names", "apps_of_file"]
