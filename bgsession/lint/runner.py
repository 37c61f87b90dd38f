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
from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.grammars import language_of
from bgsession.lint import prefilter, suppress
from bgsession.lint.budget import Budget
from bgsession.lint.cache import FactsCache, cache_key
from bgsession.lint.discover import discover, groups, targets
from bgsession.lint.extract import extract_file, unreadable
from bgsession.lint.facts import FileFacts
from bgsession.lint.options import LintOptions
from bgsession.lint.project import ProjectSummary
from bgsession.lint.project.apps import plan, read_layout, root_of, split_by_root
from bgsession.lint.rules import ALL_RULES, SUPPRESSION_CODES, Rule
from bgsession.lint.stat_index import EXTRACTED, SKIPPED, Stat, StatIndex, question, signature
from bgsession.lint.targets.xcode import ProjectTables
from bgsession.sources import NotARegularFileError, read_file

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
    # A sandboxed Xcode build's declared inputs, the only files it may open (None: no such limit).
    readable: frozenset[str] | None = None
    # --max-file-bytes; None: each file's configuration, else budget.DEFAULT_MAX_FILE_BYTES.
    max_file_bytes: int | None = None
    budget: Budget = field(default_factory=Budget)
    # What the last run over these paths concluded of each file, by stat (None: every file is read).
    index: StatIndex | None = None


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    files_parsed: int
    problems: list[tuple[str, str]]
    # One per app (apps.py): every rule saw one of them at a time.
    summaries: list[ProjectSummary]
    configs: ConfigSet = field(default_factory=ConfigSet)
    # Worth a warning, not an error: an include pattern that matched no file.
    warnings: list[str] = field(default_factory=list)
    # The app (index in `summaries`) each rule's finding was found in: a file of shared code is in several.
    origins: dict[tuple[str, str, int, int, str], int] = field(default_factory=dict)

    def app_of(self, diagnostic: Diagnostic) -> int | None:
        """The index of the app the finding was found in; None for one no rule made (a suppression
        note, a file over its budget)."""
        return self.origins.get(_unconfigured(diagnostic))

    @property
    def summary(self) -> ProjectSummary:
        """The project summary of a run over one app (the first app's when there were several)."""
        return self.summaries[0] if self.summaries else ProjectSummary([])


Work = tuple[str, bytes, LintOptions, Budget]


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
    budget: Budget | None = None,
    max_file_bytes: int | None = None,
    index: StatIndex | None = None,
) -> tuple[list[FileFacts], int]:
    """Facts of every file that can hold one, plus the files defining names those facts need. With
    `roots`, the names one linted root needs are looked for in that root only: separate projects named
    together never lend each other code. With `index`, a file unchanged since the last run is not read:
    its verdict, facts and second-pass answers are the last run's."""
    configs = configs or ConfigSet(enabled=False)
    files = list(files)
    budgets = _Budgets(configs, budget or Budget(), max_file_bytes)
    buffers = frozenset(overrides)
    # The index knows files by what is on disk: with another reader it would vouch for other bytes.
    index = index if reader is read_file else None
    found, skipped = _first_pass(files, reader, overrides, cache, configs, progress, jobs, budgets, index)
    first = [fact for fact in found if fact is not None]
    if roots is None:
        facts = first + _second_passes(first, skipped, cache, budgets, jobs, buffers, index)
    else:
        facts = list(first)
        facts_by_root = split_by_root([fact.path for fact in first], roots)
        skipped_by_root = split_by_root(list(skipped), roots)
        by_path = {fact.path: fact for fact in first}
        for root, paths in skipped_by_root.items():
            own = [by_path[path] for path in facts_by_root.get(root, [])]
            chosen = {path: skipped[path] for path in paths}
            facts.extend(_second_passes(own, chosen, cache, budgets, jobs, buffers, index))
    if index is not None:
        index.save()
    parsed = sum(1 for fact in facts if fact.read_error is None or fact.parse_error is not None)
    return facts, parsed


def _second_passes(
    first: list[FileFacts],
    skipped: dict[str, bytes | None],
    cache: FactsCache | None,
    budgets: _Budgets,
    jobs: int,
    buffers: frozenset[str],
    index: StatIndex | None = None,
) -> list[FileFacts]:
    """The skipped files that define names the facts need, or start tasks on a session held elsewhere.
    A skipped file's bytes are None when the index vouched for it unchanged (it was not read)."""
    facts = list(first)
    added: list[FileFacts] = []
    for _ in range(_MAX_SECOND_PASSES):
        names = prefilter.wanted_names(facts)
        holders = prefilter.session_holders(facts)
        if (not names and not holders) or not skipped:
            break
        chosen = _second_pass(names, holders, skipped, index, budgets)
        if not chosen:
            break
        # Kept in the order the second pass chose them: the facts' order is the report's order.
        more: list[FileFacts | None] = [None] * len(chosen)
        wanted: list[tuple[int, Work]] = []
        for position, path in enumerate(chosen):
            data = skipped.pop(path)
            # Facts the last run extracted from these very bytes (the stat or the digest said so).
            known = index.facts_of(path) if index is not None else None
            if known is not None:
                more[position] = known
                continue
            if data is None:
                data = _reread(path, budgets.of(path).max_bytes)
                if data is None:
                    continue
            wanted.append((position, (path, data, budgets.options(path), budgets.of(path))))
        extracted = _facts_for([work for _, work in wanted], cache, jobs, buffers)
        for (position, work), fact in zip(wanted, extracted, strict=True):
            more[position] = fact
            if index is not None:
                index.keep_facts(work[0], fact)
        found = [fact._replace(auxiliary=True) for fact in more if fact is not None]
        facts.extend(found)
        added.extend(found)
    return added


def _second_pass(
    names: prefilter.Wanted,
    holders: set[str],
    skipped: dict[str, bytes | None],
    index: StatIndex | None,
    budgets: _Budgets,
) -> list[str]:
    """The skipped files the second pass reads, in `skipped`'s order: for a file not read this run, the
    last run's answer to the same question, else its bytes, read now and searched."""
    asked = question(names, holders) if index is not None else ""
    answered: set[str] = set()
    searched: dict[str, bytes] = {}
    for path, data in skipped.items():
        if data is None:
            answer = index.answer(path, asked) if index is not None else None
            if answer is not None:
                if answer:
                    answered.add(path)
                continue
            again = _reread(path, budgets.of(path).max_bytes)
            if again is None:
                continue  # changed or gone since it was looked at: the next run sees it afresh
            skipped[path] = again
            searched[path] = again
        else:
            searched[path] = data
    found = set(prefilter.second_pass(names, holders, searched))
    if index is not None:
        for path in searched:
            index.give_answer(path, asked, path in found)
    return [path for path in skipped if path in answered or path in found]


def _reread(path: str, limit: int) -> bytes | None:
    """The bytes of a file the index vouched for, needed after all (a new second-pass question); None
    when it can no longer be read, or has outgrown its budget since it was looked at."""
    data = _read(path, read_file, {}, limit)
    return data if isinstance(data, bytes) and len(data) <= limit else None


class _Budgets:
    """Each file's options and budget: --max-file-bytes, else its configuration's max-file-bytes, else
    the default."""

    def __init__(self, configs: ConfigSet, budget: Budget, max_file_bytes: int | None) -> None:
        self._configs = configs
        self._budget = budget if max_file_bytes is None else replace(budget, max_bytes=max_file_bytes)
        self._fixed = max_file_bytes is not None

    def options(self, path: str) -> LintOptions:
        return self._configs.for_file(path).options

    def of(self, path: str) -> Budget:
        if self._fixed:
            return self._budget
        configured = self._configs.for_file(path).max_file_bytes
        return self._budget if configured is None else replace(self._budget, max_bytes=configured)


def _first_pass(
    files: list[str],
    reader: Reader,
    overrides: dict[str, bytes],
    cache: FactsCache | None,
    configs: ConfigSet,
    progress: Callable[[int, int], None] | None,
    jobs: int,
    budgets: _Budgets,
    index: StatIndex | None = None,
) -> tuple[list[FileFacts | None], dict[str, bytes | None]]:
    """Each file's facts (None when the prefilter skips it), and the skipped files with their bytes,
    which the second pass searches without reading them again (None: unchanged since the last run,
    not read). Reading and the prefilter run here, in file order; extraction is batched (_facts_for)."""
    found: list[FileFacts | None] = []
    skipped: dict[str, bytes | None] = {}
    candidates: list[tuple[int, Work]] = []
    # What the index must learn of each file read: its stat, digest and signature.
    learned: dict[str, tuple[Stat, str, str]] = {}
    for done, path in enumerate(files, start=1):
        budget = budgets.of(path)
        now: Stat | None = None
        sign = ""
        if index is not None and path not in overrides:
            options = configs.for_file(path).options
            sign = signature(options, budget)
            record, now = index.lookup(path, sign)
            facts = record.facts() if record is not None and record.verdict == EXTRACTED else None
            if record is not None and (record.verdict == SKIPPED or facts is not None):
                found.append(facts)
                if facts is None:
                    skipped[path] = None
                if progress is not None:
                    progress(done, len(files))
                continue
        data = _read(path, reader, overrides, budget.max_bytes)
        if isinstance(data, FileFacts):
            found.append(data)
        elif len(data) > budget.max_bytes:
            found.append(extract_file(path, data, budget=budget))  # one note naming the limit
        else:
            if index is not None and now is not None:
                record, digest = index.by_content(path, now, data, sign)
                facts = record.facts() if record is not None and record.verdict == EXTRACTED else None
                if record is not None and (record.verdict == SKIPPED or facts is not None):
                    found.append(facts)
                    if facts is None:
                        skipped[path] = data
                    if progress is not None:
                        progress(done, len(files))
                    continue
                learned[path] = (now, digest, sign)
            if prefilter.triggers(data) or prefilter.not_plain_utf8(data):
                candidates.append((len(found), (path, data, configs.for_file(path).options, budget)))
                found.append(None)
            else:
                found.append(None)
                skipped[path] = data
                if index is not None and path in learned:
                    now, digest, sign = learned.pop(path)
                    index.remember(path, now, digest, sign, SKIPPED, None)
        if progress is not None:
            progress(done, len(files))
    extracted = _facts_for([work for _, work in candidates], cache, jobs, frozenset(overrides))
    for (position, (path, _, _, _)), facts in zip(candidates, extracted, strict=True):
        found[position] = facts
        if index is not None and path in learned and facts.skipped is None:
            now, digest, sign = learned[path]
            index.remember(path, now, digest, sign, EXTRACTED, facts)
    return found, skipped


def _facts_for(
    work: list[Work], cache: FactsCache | None, jobs: int, buffers: frozenset[str] = frozenset()
) -> list[FileFacts]:
    """Facts of each (path, bytes, options, budget): from the cache where it has them; the rest
    extracted, in worker processes when there are enough to repay starting them, and stored. Unsaved
    editor buffers (`buffers`) and files over budget are not stored: every keystroke would add an entry."""
    keys = [cache_key(path, data, options.fingerprint()) for path, data, options, _ in work] if cache else []
    found: list[FileFacts | None] = [cache.get(key) for key in keys] if cache is not None else [None] * len(work)
    missing = [index for index, facts in enumerate(found) if facts is None]
    extracted = _extract_all([work[index] for index in missing], jobs)
    result = list(found)
    for index, facts in zip(missing, extracted, strict=True):
        result[index] = facts
        if cache is not None and facts.skipped is None and work[index][0] not in buffers:
            cache.put(keys[index], facts)
    return [facts for facts in result if facts is not None]


# Below this many files to extract, worker start-up (tens of milliseconds) costs more than it saves.
PARALLEL_MIN_FILES = 48


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity mask, and a cgroup v2 quota (a container's
    `--cpus`) when one is set; os.cpu_count() counts the host's."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as limits:
            quota, period = limits.read().split()[:2]
        if quota != "max":
            count = min(count, max(1, int(quota) // max(int(period), 1)))
    except (OSError, ValueError):
        pass
    return max(count, 1)


def _extract_all(work: list[Work], jobs: int) -> list[FileFacts]:
    # Never more workers than CPUs, nor than files to extract (each worker is a forked interpreter).
    jobs = min(jobs, usable_cpus(), len(work))
    if jobs <= 1 or len(work) < PARALLEL_MIN_FILES:
        return [extract_file(path, data, options, budget) for path, data, options, budget in work]
    from bgsession.lint import workers

    return workers.extract_in_workers(work, jobs, _extract_chunk, _retry_in_parent)


def _extract_chunk(chunk: list[Work]) -> list[FileFacts]:
    return [extract_file(path, data, options, budget) for path, data, options, budget in chunk]


def _retry_in_parent(item: Work) -> FileFacts:
    """A file whose worker died (the OOM killer, a crash in the parser): extracted once more here, and
    reported as one BGS000 note if that fails too."""
    path, data, options, budget = item
    try:
        return extract_file(path, data, options, budget)
    except Exception as problem:  # the parent must survive what killed the worker
        language = language_of(path)
        return FileFacts(
            path,
            language.value if language else "unknown",
            skipped=f"not linted: its worker process died, and retrying failed ({type(problem).__name__})",
        )


def _read(path: str, reader: Reader, overrides: dict[str, bytes], limit: int) -> bytes | FileFacts:
    if path in overrides:
        return overrides[path]
    try:
        # The default reader stops after the size limit: forty links to one huge file cost nothing.
        return read_file(path, limit) if reader is read_file else reader(path)
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
    matched: set[str] = set()
    discovered = discovery.files if discovery else []
    files = [
        f
        for f in discovered
        if not (replaced and os.path.abspath(f) in replaced) and configs.for_file(f).includes(f, matched)
    ]
    for path in request.overrides:
        if configs.for_file(path).includes(path, matched):
            files.append(path)
    warnings = [
        f"{config.path}: include pattern {pattern!r} matches no file"
        for config in configs.loaded()
        for pattern in config.include
        if pattern not in matched and discovered
    ]
    warnings += [
        f"{path}: not an input file of the Run Script phase; not read under the sandbox" for path in configs.undeclared
    ]
    found_under = dict(discovery.roots) if discovery else {}
    roots: dict[str, str | None] = {path: root_of(path, found_under, request.paths) for path in files}
    # Files named on their own have no root folder; target and group lookups measure from the root.
    known_roots = {path: root for path, root in roots.items() if root is not None}
    if request.index is not None and discovery is not None:
        request.index.seen(discovery.status)
    facts, parsed = collect_facts(
        files,
        reader,
        request.overrides,
        request.cache,
        configs,
        request.progress,
        request.jobs,
        roots,
        request.budget,
        request.max_file_bytes,
        request.index,
    )
    problems = discovery.problems if discovery else []
    file_targets, file_groups = targets(files, known_roots, problems, request.readable), groups(files, known_roots)
    layout = read_layout(request.paths, request.cache if isinstance(request.cache, ProjectTables) else None)
    summaries = [
        ProjectSummary(unit.files, dict(unit.targets), dict(unit.groups), context=unit.context)
        for unit in plan(facts, roots, file_targets, file_groups, layout)
    ]
    rules = selected_rules(request.select, request.ignore)
    raw: dict[Diagnostic, int] = {}
    for index, summary in enumerate(summaries):
        for rule in rules:
            for diagnostic in rule.check(rule, summary):
                raw.setdefault(diagnostic, index)
    for diagnostic in [*_over_budget(facts), *layout.problems()]:
        raw.setdefault(diagnostic, 0)
    diagnostics = _configured(list(raw), facts, configs, request, frozenset(rule.code for rule in rules))
    if request.report_paths is not None:
        diagnostics = [d for d in diagnostics if d.path in request.report_paths]
    diagnostics = sorted(set(diagnostics), key=lambda d: d.sort_key)
    origins = {_unconfigured(d): index for d, index in raw.items()}
    if request.explain:
        diagnostics = _explained(diagnostics, origins, summaries)
    return LintResult(diagnostics, len(files), parsed, problems, summaries, configs, warnings, origins)


def _over_budget(facts: list[FileFacts]) -> list[Diagnostic]:
    """One BGS000 note per file over its budget, naming the limit it crossed."""
    return [
        Diagnostic("BGS000", "parse-error", Severity.NOTE, fact.path, Loc(1, 1, 1, 1), fact.skipped)
        for fact in facts
        if fact.skipped is not None and not fact.auxiliary
    ]


def _explained(
    diagnostics: list[Diagnostic], origin: dict[tuple[str, str, int, int, str], int], summaries: list[ProjectSummary]
) -> list[Diagnostic]:
    """Each finding explained with the app it was found in (the model sees one app at a time)."""
    # The model is imported only for --explain.
    from bgsession.lint.explain import explain

    by_unit: dict[int, list[Diagnostic]] = defaultdict(list)
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
