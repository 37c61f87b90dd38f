"""The lint pipeline, orchestration only: discover -> prefilter -> extract (cached, in workers) ->
second pass -> project (one summary per app) -> rules -> configuration and suppressions -> explain.

Each stage's logic lives in its own module (prefilter.py decides what is read, extract/ what a file
says, project/ what an app is, rules/ what is wrong); this module only runs them in order.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bgsession.config import ConfigSet, LintConfig
from bgsession.diagnostics import Diagnostic
from bgsession.lint import prefilter, suppress
from bgsession.lint.cache import FactsCache, cache_key
from bgsession.lint.discover import discover, groups, targets
from bgsession.lint.extract import extract_file, unreadable
from bgsession.lint.facts import FileFacts
from bgsession.lint.options import LintOptions
from bgsession.lint.project import ProjectSummary
from bgsession.lint.project.apps import root_of, split_by_root, units
from bgsession.lint.reading import NotARegularFileError, read_file
from bgsession.lint.rules import ALL_RULES, SUPPRESSION_CODES, Rule

_MAX_SECOND_PASSES = 2

Reader = Callable[[str], bytes]


@dataclass(slots=True)
class LintRequest:
    paths: list[str]
    # From the command line, as exact codes: --select replaces a configuration's select; --ignore adds
    # to its ignore.
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    overrides: dict[str, bytes] = field(default_factory=dict)
    report_paths: frozenset[str] | None = None
    cache: FactsCache | None = None
    explain: bool = False
    configs: ConfigSet | None = None
    progress: Callable[[int, int], None] | None = None
    jobs: int = 1


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    files_parsed: int
    problems: list[tuple[str, str]]
    # One per app (apps.py): every rule saw one of them at a time.
    summaries: list[ProjectSummary]
    configs: ConfigSet = field(default_factory=ConfigSet)

    @property
    def summary(self) -> ProjectSummary:
        """The project summary of a run over one app (the first app's when there were several)."""
        return self.summaries[0] if self.summaries else ProjectSummary([])


def selected_rules(select: frozenset[str] | None, ignore: frozenset[str]) -> list[Rule]:
    """The rules to run: `select` and `ignore` hold exact codes (selection.resolve expands prefixes and names)."""
    return [rule for rule in ALL_RULES if (select is None or rule.code in select) and rule.code not in ignore]


def collect_facts(
    files: Iterable[str],
    reader: Reader,
    overrides: dict[str, bytes],
    cache: FactsCache | None = None,
    configs: ConfigSet | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    roots: dict[str, str | None] | None = None,
) -> tuple[list[FileFacts], int]:
    """Facts of every file that can hold one, plus the files defining names those facts need. With
    `roots`, the names one linted root needs are looked for in that root only: separate projects named
    together never lend each other code."""
    configs = configs or ConfigSet(enabled=False)
    files = list(files)
    found, skipped = _first_pass(files, reader, overrides, cache, configs, progress, jobs)
    first = [fact for fact in found if fact is not None]
    if roots is None:
        facts = first + _second_passes(first, skipped, cache, configs, jobs)
    else:
        facts = list(first)
        facts_by_root = split_by_root([fact.path for fact in first], roots)
        skipped_by_root = split_by_root(list(skipped), roots)
        by_path = {fact.path: fact for fact in first}
        for root, paths in skipped_by_root.items():
            own = [by_path[path] for path in facts_by_root.get(root, [])]
            facts.extend(_second_passes(own, {path: skipped[path] for path in paths}, cache, configs, jobs))
    parsed = sum(1 for fact in facts if fact.read_error is None or fact.parse_error is not None)
    return facts, parsed


def _second_passes(
    first: list[FileFacts], skipped: dict[str, bytes], cache: FactsCache | None, configs: ConfigSet, jobs: int
) -> list[FileFacts]:
    """The skipped files that define names the facts need, or start tasks on a session held elsewhere."""
    facts = list(first)
    added: list[FileFacts] = []
    for _ in range(_MAX_SECOND_PASSES):
        names = prefilter.wanted_names(facts)
        holders = prefilter.session_holders(facts)
        if (not names and not holders) or not skipped:
            break
        wanted: list[tuple[str, bytes, LintOptions]] = []
        for path in prefilter.second_pass(names, holders, skipped):
            wanted.append((path, skipped.pop(path), configs.for_file(path).options))
        if not wanted:
            break
        more = [fact._replace(auxiliary=True) for fact in _facts_for(wanted, cache, jobs)]
        facts.extend(more)
        added.extend(more)
    return added


def _first_pass(
    files: list[str],
    reader: Reader,
    overrides: dict[str, bytes],
    cache: FactsCache | None,
    configs: ConfigSet,
    progress: Callable[[int, int], None] | None,
    jobs: int = 1,
) -> tuple[list[FileFacts | None], dict[str, bytes]]:
    """Each file's facts (None when the prefilter skips it), and the skipped files with their bytes,
    which the second pass searches without reading them again. Reading and the prefilter run here,
    in file order; extraction is batched (see _facts_for)."""
    found: list[FileFacts | None] = []
    skipped: dict[str, bytes] = {}
    candidates: list[tuple[int, tuple[str, bytes, LintOptions]]] = []
    for done, path in enumerate(files, start=1):
        data = _read(path, reader, overrides)
        if isinstance(data, FileFacts):
            found.append(data)
        elif prefilter.triggers(data) or prefilter.not_plain_utf8(data):
            candidates.append((len(found), (path, data, configs.for_file(path).options)))
            found.append(None)
        else:
            found.append(None)
            skipped[path] = data
        if progress is not None:
            progress(done, len(files))
    extracted = _facts_for([work for _, work in candidates], cache, jobs)
    for (index, _), facts in zip(candidates, extracted, strict=True):
        found[index] = facts
    return found, skipped


def _facts_for(work: list[tuple[str, bytes, LintOptions]], cache: FactsCache | None, jobs: int) -> list[FileFacts]:
    """Facts of each (path, bytes, options): from the cache where it has them; the rest extracted, in
    worker processes when there are enough to repay starting them, and stored."""
    keys = [cache_key(path, data, options.fingerprint()) for path, data, options in work] if cache is not None else []
    found: list[FileFacts | None] = [cache.get(key) for key in keys] if cache is not None else [None] * len(work)
    missing = [index for index, facts in enumerate(found) if facts is None]
    extracted = _extract_all([work[index] for index in missing], jobs)
    result = list(found)
    for index, facts in zip(missing, extracted, strict=True):
        result[index] = facts
        if cache is not None:
            cache.put(keys[index], facts)
    return [facts for facts in result if facts is not None]


# Below this many files to extract, worker start-up (tens of milliseconds) costs more than it saves.
PARALLEL_MIN_FILES = 48


def _extract_all(work: list[tuple[str, bytes, LintOptions]], jobs: int) -> list[FileFacts]:
    if jobs <= 1 or len(work) < PARALLEL_MIN_FILES:
        return [extract_file(path, data, options) for path, data, options in work]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Several chunks per worker balance the load: a few large files can make one chunk slow.
    size = max(1, len(work) // (jobs * 4))
    chunks = [work[start : start + size] for start in range(0, len(work), size)]
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return [facts for chunk in pool.map(_extract_chunk, chunks) for facts in chunk]


def _extract_chunk(chunk: list[tuple[str, bytes, LintOptions]]) -> list[FileFacts]:
    return [extract_file(path, data, options) for path, data, options in chunk]


def _read(path: str, reader: Reader, overrides: dict[str, bytes]) -> bytes | FileFacts:
    if path in overrides:
        return overrides[path]
    try:
        return reader(path)
    except IsADirectoryError:
        return unreadable(path, "is a directory")
    except NotARegularFileError:
        return unreadable(path, "is not a regular file (a pipe, socket or device)")
    except FileNotFoundError:
        if os.path.islink(path):
            return unreadable(path, "is a broken symbolic link")
        return unreadable(path, "disappeared before it could be read")
    except PermissionError:
        return unreadable(path, "cannot be read (permission denied)")
    except OSError as problem:
        return unreadable(path, f"cannot be read ({(problem.strerror or str(problem)).lower()})")


def lint(request: LintRequest, reader: Reader = read_file) -> LintResult:
    configs = request.configs or ConfigSet(enabled=False)
    discovery = discover(request.paths) if request.paths else None
    # A buffer given on stdin replaces the file it stands for, however the walk spelled that path.
    replaced = {os.path.abspath(path) for path in request.overrides}
    files = [
        f
        for f in (discovery.files if discovery else [])
        if not (replaced and os.path.abspath(f) in replaced) and configs.for_file(f).includes(f)
    ]
    for path in request.overrides:
        if configs.for_file(path).includes(path):
            files.append(path)
    found_under = dict(discovery.roots) if discovery else {}
    roots: dict[str, str | None] = {path: root_of(path, found_under, request.paths) for path in files}
    # Files named on their own have no root folder; target and group lookups measure from the root.
    known_roots = {path: root for path, root in roots.items() if root is not None}
    facts, parsed = collect_facts(
        files, reader, request.overrides, request.cache, configs, request.progress, request.jobs, roots
    )
    file_targets, file_groups = targets(files, known_roots), groups(files, known_roots)
    summaries = [ProjectSummary(unit, file_targets, file_groups) for unit in units(facts, roots, file_groups)]
    rules = selected_rules(request.select, request.ignore)
    raw: dict[Diagnostic, int] = {}
    for index, summary in enumerate(summaries):
        for rule in rules:
            for diagnostic in rule.check(rule, summary):
                raw.setdefault(diagnostic, index)
    diagnostics = _configured(list(raw), facts, configs, request, frozenset(rule.code for rule in rules))
    if request.report_paths is not None:
        diagnostics = [d for d in diagnostics if d.path in request.report_paths]
    diagnostics = sorted(set(diagnostics), key=lambda d: d.sort_key)
    if request.explain:
        diagnostics = _explained(diagnostics, raw, summaries)
    problems = discovery.problems if discovery else []
    return LintResult(diagnostics, len(files), parsed, problems, summaries, configs)


def _explained(
    diagnostics: list[Diagnostic], raw: dict[Diagnostic, int], summaries: list[ProjectSummary]
) -> list[Diagnostic]:
    """Each finding explained with the app it was found in (the model sees one app at a time)."""
    # The model is imported only for --explain.
    from bgsession.lint.explain import explain

    by_unit: dict[int, list[Diagnostic]] = defaultdict(list)
    origin = {_unconfigured(d): index for d, index in raw.items()}
    for diagnostic in diagnostics:
        by_unit[origin.get(_unconfigured(diagnostic), 0)].append(diagnostic)
    result = [d for index, group in by_unit.items() for d in explain(group, summaries[index])]
    return sorted(result, key=lambda d: d.sort_key)


def _unconfigured(diagnostic: Diagnostic) -> tuple[str, str, int, int, str]:
    """What identifies a finding whatever severity the configuration gave it."""
    return (diagnostic.code, diagnostic.path, diagnostic.loc.line, diagnostic.loc.column, diagnostic.message)


def _configured(
    raw: list[Diagnostic], facts: list[FileFacts], configs: ConfigSet, request: LintRequest, ran: frozenset[str]
) -> list[Diagnostic]:
    """Each file's configuration (select, ignore, severities) and suppression comments applied."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in raw:
        by_path[diagnostic.path].append(diagnostic)
    suppressions = {f.path: f.suppressions for f in facts if f.suppressions and not f.auxiliary}
    result: list[Diagnostic] = []
    for path in sorted(set(by_path) | set(suppressions)):
        config = configs.for_file(path)
        kept: list[Diagnostic] = []
        for diagnostic in by_path.get(path, []):
            if not _wanted(diagnostic.code, config, request):
                continue
            severity = config.severity_of(diagnostic.code, diagnostic.severity)
            if severity is not None:
                kept.append(replace(diagnostic, severity=severity) if severity != diagnostic.severity else diagnostic)
        live = frozenset(code for code in ran if _wanted(code, config, request))
        applied = suppress.apply(path, kept, suppressions.get(path, ()), live)
        for diagnostic in applied:
            if diagnostic.code in SUPPRESSION_CODES and _wanted(diagnostic.code, config, request):
                severity = config.severity_of(diagnostic.code, diagnostic.severity)
                if severity is not None:
                    result.append(replace(diagnostic, severity=severity))
            elif diagnostic.code not in SUPPRESSION_CODES:
                result.append(diagnostic)
    return result


def _wanted(code: str, config: LintConfig, request: LintRequest) -> bool:
    if code in request.ignore:
        return False
    if request.select is not None:
        return code in request.select
    return config.selects(code)
