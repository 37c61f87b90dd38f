"""The lint pipeline: discover -> prefilter -> extract -> (second pass) -> project -> rules.

Almost no file of an app mentions background sessions, so a byte prefilter decides which files are
parsed at all. A second, targeted pass parses the files that define names the first pass's facts
refer to but did not find (an identifier constant, a handler store class, a delegate class).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bgsession.config import ConfigSet, LintConfig
from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.grammars import language_of
from bgsession.lint import suppress
from bgsession.lint.budget import Budget
from bgsession.lint.cache import FactsCache, cache_key
from bgsession.lint.discover import discover, groups, targets
from bgsession.lint.extract import extract_file, unreadable
from bgsession.lint.facts import FileFacts, IdKind, Memo
from bgsession.lint.options import LintOptions
from bgsession.lint.project import ProjectSummary
from bgsession.lint.reading import NotARegularFileError, read_file
from bgsession.lint.rules import ALL_RULES, META_CODES, Rule

# Bytes that any file with a relevant fact contains (DESIGN.md, "Grammar facts").
TRIGGERS = re.compile(
    rb"URLSession|urlSession|UIApplicationDelegate|UIApplicationMain|@main\b|WKRefreshBackgroundTask|"
    rb"handleBackgroundTasks|backgroundTask|DelegateAdaptor|BackgroundURLSession"
)
# Mentions of URLSession that hold no fact: the shared session (never a background one), task and
# metrics types, default and ephemeral configurations. A file with only these (most networking code)
# is left to the second pass, which reads it when it uses a background session made elsewhere.
_HARMLESS = re.compile(
    rb"(?:NS)?URLSession(?:\.shared\b|\s+sharedSession\b|(?:Data|Upload|Download|Stream|WebSocket)?Task\b"
    rb"|Task(?:Transaction)?Metrics\b|Configuration\.(?:default|ephemeral)\b"
    rb"|Configuration\s+(?:default|ephemeral)SessionConfiguration\b)"
)
_TASK_CALL = re.compile(rb"\b(?:data|download|upload)Task(?:With\w*)?\s*[(:]|\.(?:data|download|upload|bytes)\(")
# Words every match of _TASK_CALL contains: the regular expression has no literal prefix to skip on.
_TASK_CALL_WORDS = (b"Task", b"load(", b".data(", b".bytes(")


# Literal searches run at memchr speed; one regular expression with alternatives scans ten times slower.
_TRIGGER_WORDS = (
    b"urlSession",
    b"UIApplicationDelegate",
    b"UIApplicationMain",
    b"@main",
    b"WKRefreshBackgroundTask",
    b"handleBackgroundTasks",
    b"backgroundTask",
    b"DelegateAdaptor",
    b"bgsession:",
)


def not_plain_utf8(data: bytes) -> bool:
    """Whether the bytes must go to extraction whatever the prefilter says: UTF-16 and UTF-32 files (whose
    words the byte prefilter cannot see), binary files and invalid UTF-8, which are reported."""
    if data.isascii():
        return b"\x00" in data
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def triggers(data: bytes) -> bool:
    """Whether a file can hold a fact: the byte prefilter in front of every parse."""
    if any(map(data.__contains__, _TRIGGER_WORDS)):
        return True
    position = data.find(b"URLSession")
    while position != -1:
        start = position - 2 if data[position - 2 : position] == b"NS" else position
        if not _HARMLESS.match(data, start):
            return True
        position = data.find(b"URLSession", position + 10)
    return False


_MAX_SECOND_PASSES = 2

Reader = Callable[[str], bytes]


@dataclass(slots=True)
class LintRequest:
    paths: list[str]
    # From the command line: --select replaces a configuration's select; --ignore adds to its ignore.
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    overrides: dict[str, bytes] = field(default_factory=dict)
    report_paths: frozenset[str] | None = None
    cache: FactsCache | None = None
    explain: bool = False
    configs: ConfigSet | None = None
    progress: Callable[[int, int], None] | None = None
    jobs: int = 1
    # --max-file-bytes; None: each file's configuration, else budget.DEFAULT_MAX_FILE_BYTES.
    max_file_bytes: int | None = None
    budget: Budget = field(default_factory=Budget)


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    files_parsed: int
    problems: list[tuple[str, str]]
    summary: ProjectSummary
    configs: ConfigSet = field(default_factory=ConfigSet)
    # Worth a warning, not an error: an include pattern that matched no file.
    warnings: list[str] = field(default_factory=list)


Work = tuple[str, bytes, LintOptions, Budget]


def selected_rules(select: frozenset[str] | None, ignore: frozenset[str]) -> list[Rule]:
    return [rule for rule in ALL_RULES if (select is None or rule.code in select) and rule.code not in ignore]


def collect_facts(
    files: Iterable[str],
    reader: Reader,
    overrides: dict[str, bytes],
    cache: FactsCache | None = None,
    configs: ConfigSet | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    budget: Budget | None = None,
    max_file_bytes: int | None = None,
) -> tuple[list[FileFacts], int]:
    """Facts of every file that can hold one, plus the files defining names those facts need."""
    configs = configs or ConfigSet(enabled=False)
    files = list(files)
    budgets = _Budgets(configs, budget or Budget(), max_file_bytes)
    found, skipped = _first_pass(files, reader, overrides, cache, configs, progress, jobs, budgets)
    facts = [fact for fact in found if fact is not None]
    for _ in range(_MAX_SECOND_PASSES):
        names = wanted_names(facts)
        holders = session_holders(facts)
        if (not names and not holders) or not skipped:
            break
        has_name = _finder(names)
        has_holder = _finder(holders)
        wanted: list[Work] = []
        for path, data in list(skipped.items()):
            # A file defining a name the facts need, or starting tasks on a session held elsewhere.
            needed = has_name(data)
            tasks = (
                any(map(data.__contains__, _TASK_CALL_WORDS))
                and _TASK_CALL.search(data) is not None
                and has_holder(data)
            )
            if needed or tasks:
                wanted.append((path, data, configs.for_file(path).options, budgets.of(path)))
                del skipped[path]
        if not wanted:
            break
        facts.extend(fact._replace(auxiliary=True) for fact in _facts_for(wanted, cache, jobs, frozenset(overrides)))
    parsed = sum(1 for fact in facts if fact.read_error is None or fact.parse_error is not None)
    return facts, parsed


# Up to this many names, substring tests then one regular expression are fastest; beyond, each file's
# words are collected once and intersected with the names, which is linear in the bytes whatever the
# number of names (20,000 names x 5,000 files took 136 s the other way).
_FEW_NAMES = 16
_WORD = re.compile(rb"\w+")


def _finder(names: set[str]) -> Callable[[bytes], bool]:
    """Whether some name in `names` occurs in the bytes as a whole word."""
    if not names:
        return lambda _data: False
    encoded = sorted(name.encode() for name in names)
    if len(encoded) <= _FEW_NAMES:
        pattern = re.compile(rb"\b(?:" + b"|".join(map(re.escape, encoded)) + rb")\b")
        return lambda data: any(name in data for name in encoded) and pattern.search(data) is not None
    wanted = frozenset(encoded)
    return lambda data: not wanted.isdisjoint(_WORD.findall(data))


class _Budgets:
    """Each file's budget: --max-file-bytes, else its configuration's max-file-bytes, else the default."""

    def __init__(self, configs: ConfigSet, budget: Budget, max_file_bytes: int | None) -> None:
        self._configs = configs
        self._budget = budget if max_file_bytes is None else replace(budget, max_bytes=max_file_bytes)
        self._fixed = max_file_bytes is not None

    def of(self, path: str) -> Budget:
        if self._fixed:
            return self._budget
        configured = self._configs.for_file(path).max_file_bytes
        return self._budget if configured is None else replace(self._budget, max_bytes=configured)


def session_holders(facts: list[FileFacts]) -> set[str]:
    """Members and accessors that hold a session made from a configuration that is not the default one."""
    holders = {
        session.holder
        for file in facts
        for session in file.sessions
        if session.holder and session.config_kind != "default"
    }
    return {name for name in holders if re.fullmatch(r"[A-Za-z_]\w{2,}", name)}


def _first_pass(
    files: list[str],
    reader: Reader,
    overrides: dict[str, bytes],
    cache: FactsCache | None,
    configs: ConfigSet,
    progress: Callable[[int, int], None] | None,
    jobs: int,
    budgets: _Budgets,
) -> tuple[list[FileFacts | None], dict[str, bytes]]:
    """Each file's facts (None when the prefilter skips it), and the skipped files with their bytes,
    which the second pass searches without reading them again. Reading and the prefilter run here,
    in file order; extraction is batched (see _facts_for)."""
    found: list[FileFacts | None] = []
    skipped: dict[str, bytes] = {}
    candidates: list[tuple[int, Work]] = []
    for done, path in enumerate(files, start=1):
        budget = budgets.of(path)
        data = _read(path, reader, overrides, budget.max_bytes)
        if isinstance(data, FileFacts):
            found.append(data)
        elif len(data) > budget.max_bytes:
            found.append(extract_file(path, data, budget=budget))  # one note naming the limit
        elif triggers(data) or not_plain_utf8(data):
            candidates.append((len(found), (path, data, configs.for_file(path).options, budget)))
            found.append(None)
        else:
            found.append(None)
            skipped[path] = data
        if progress is not None:
            progress(done, len(files))
    extracted = _facts_for([work for _, work in candidates], cache, jobs, frozenset(overrides))
    for (index, _), facts in zip(candidates, extracted, strict=True):
        found[index] = facts
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


def wanted_names(facts: list[FileFacts]) -> set[str]:
    """Names the facts need but no parsed file defines: identifier constants of background configurations,
    classes on the completion handler's path, session delegates, and types whose instances own a session."""
    # An Objective-C @interface in a header declares a class; its methods live in the .m file.
    defined_types = {t.name for f in facts for t in f.types if t.kind not in ("interface", "protocol")}
    defined_constants = {c.name.split(".")[-1] for f in facts for c in f.constants}
    parameter_configs = {
        (config.owner.type_name, config.identifier.text)
        for file in facts for config in file.configs if config.identifier.kind is IdKind.PARAMETER
    }  # fmt: skip
    wanted: set[str] = set()

    def want_constant(text: str) -> None:
        head, _, rest = text.partition(".")
        name = head if rest else text
        if name not in defined_constants and rest.split(".")[-1:] != [name]:
            wanted.add(name)

    for file in facts:
        for config in file.configs:
            if config.identifier.kind is IdKind.CONSTANT:
                want_constant(config.identifier.text)
        for arg in file.call_args:
            if arg.value.kind is IdKind.CONSTANT and (arg.callee_type, arg.label) in parameter_configs:
                want_constant(arg.value.text)
        refs = [ref for handle in file.handle_events for ref in handle.passes]
        refs += [ref for finish in file.finish_events for ref in finish.helpers]
        wanted.update(ref.type_name for ref in refs if ref.type_name and ref.type_name not in defined_types)
        wanted.update(
            s.delegate_type for s in file.sessions if s.delegate_type and s.delegate_type not in defined_types
        )
        wanted.update(cast.type_name for cast in file.casts if cast.type_name not in defined_types)
        # A session made in an initializer runs once per instance: find where the type is instantiated.
        per_instance = (Memo.INIT, Memo.STORED, Memo.LAZY)
        wanted.update(s.owner.type_name for s in file.sessions if s.owner.type_name and s.memo in per_instance)
    return {
        name
        for name in wanted
        if re.fullmatch(r"[A-Za-z_]\w{2,}", name) and not name.startswith(("UI", "NS")) and name not in _SYSTEM_TYPES
    }


# Framework types a fact can name (a helper's receiver, a cast) that no project file defines.
_SYSTEM_TYPES = frozenset(
    {
        "DispatchQueue", "OperationQueue", "FileManager", "NotificationCenter", "Bundle", "UserDefaults", "URL",
        "URLRequest", "Data", "String", "Thread", "RunLoop", "ProcessInfo", "Task", "MainActor", "Date", "UUID",
        "JSONDecoder", "JSONEncoder", "Array", "Dictionary", "Set", "Int", "Double", "Bool", "Optional", "Result",
    }
)  # fmt: skip


def lint(request: LintRequest, reader: Reader = read_file) -> LintResult:
    configs = request.configs or ConfigSet(enabled=False)
    discovery = discover(request.paths) if request.paths else None
    # A buffer given on stdin replaces the file it stands for, however the walk spelled that path.
    replaced = {os.path.abspath(path) for path in request.overrides}
    matched: set[str] = set()
    found = discovery.files if discovery else []
    files = [
        f
        for f in found
        if not (replaced and os.path.abspath(f) in replaced) and configs.for_file(f).includes(f, matched)
    ]
    for path in request.overrides:
        if configs.for_file(path).includes(path, matched):
            files.append(path)
    warnings = [
        f"{config.path}: include pattern {pattern!r} matches no file"
        for config in configs.loaded()
        for pattern in config.include
        if pattern not in matched and found
    ]
    facts, parsed = collect_facts(
        files,
        reader,
        request.overrides,
        request.cache,
        configs,
        request.progress,
        request.jobs,
        request.budget,
        request.max_file_bytes,
    )
    roots = discovery.roots if discovery else {}
    problems = discovery.problems if discovery else []
    summary = ProjectSummary(facts, targets(files, roots, problems), groups(files, roots))
    rules = selected_rules(request.select, request.ignore)
    raw: list[Diagnostic] = []
    for rule in rules:
        raw.extend(rule.check(rule, summary, LintOptions()))
    raw.extend(_over_budget(facts))
    diagnostics = _configured(raw, facts, configs, request, frozenset(rule.code for rule in rules))
    if request.report_paths is not None:
        diagnostics = [d for d in diagnostics if d.path in request.report_paths]
    diagnostics = sorted(set(diagnostics), key=lambda d: d.sort_key)
    if request.explain:
        # The model is imported only for --explain.
        from bgsession.lint.explain import explain

        diagnostics = explain(diagnostics, summary)
    return LintResult(diagnostics, len(files), parsed, problems, summary, configs, warnings)


def _over_budget(facts: list[FileFacts]) -> list[Diagnostic]:
    """One BGS000 note per file over its budget, naming the limit it crossed."""
    return [
        Diagnostic("BGS000", "parse-error", Severity.NOTE, fact.path, Loc(1, 1, 1, 1), fact.skipped)
        for fact in facts
        if fact.skipped is not None and not fact.auxiliary
    ]


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
            if diagnostic.code in META_CODES and _wanted(diagnostic.code, config, request):
                severity = config.severity_of(diagnostic.code, diagnostic.severity)
                if severity is not None:
                    result.append(replace(diagnostic, severity=severity))
            elif diagnostic.code not in META_CODES:
                result.append(diagnostic)
    return result


def _wanted(code: str, config: LintConfig, request: LintRequest) -> bool:
    if any(code.startswith(prefix) for prefix in request.ignore):
        return False
    if request.select is not None:
        return any(code.startswith(prefix) for prefix in request.select)
    return config.selects(code)
