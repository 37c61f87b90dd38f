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
from bgsession.diagnostics import Diagnostic
from bgsession.lint import suppress
from bgsession.lint.cache import FactsCache, cache_key
from bgsession.lint.discover import discover, groups, targets
from bgsession.lint.explain import explain
from bgsession.lint.extract import extract_file, unreadable
from bgsession.lint.facts import FileFacts, IdKind, Memo
from bgsession.lint.options import LintOptions
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules import ALL_RULES, META_CODES, Rule

# Bytes that any file with a relevant fact contains (DESIGN.md, "Grammar facts").
TRIGGERS = re.compile(
    rb"URLSession|urlSession|UIApplicationDelegate|UIApplicationMain|@main\b|WKRefreshBackgroundTask|"
    rb"handleBackgroundTasks|backgroundTask|DelegateAdaptor|BackgroundURLSession"
)
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


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    files_parsed: int
    problems: list[tuple[str, str]]
    summary: ProjectSummary
    configs: ConfigSet = field(default_factory=ConfigSet)


def read_file(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def selected_rules(select: frozenset[str] | None, ignore: frozenset[str]) -> list[Rule]:
    return [rule for rule in ALL_RULES if (select is None or rule.code in select) and rule.code not in ignore]


def facts_of(path: str, data: bytes, cache: FactsCache | None, options: LintOptions | None = None) -> FileFacts:
    options = options or LintOptions()
    if cache is None:
        return extract_file(path, data, options)
    key = cache_key(path, data, options.fingerprint())
    found = cache.get(key)
    if found is None:
        found = extract_file(path, data, options)
        cache.put(key, found)
    return found


def collect_facts(
    files: Iterable[str],
    reader: Reader,
    overrides: dict[str, bytes],
    cache: FactsCache | None = None,
    configs: ConfigSet | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[FileFacts], int]:
    """Facts of every file that can hold one, plus the files defining names those facts need."""
    configs = configs or ConfigSet(enabled=False)
    facts: list[FileFacts] = []
    skipped: list[str] = []
    files = list(files)
    for done, path in enumerate(files, start=1):
        data = _read(path, reader, overrides)
        if isinstance(data, FileFacts):
            facts.append(data)
        elif TRIGGERS.search(data) or b"bgsession:" in data:
            facts.append(facts_of(path, data, cache, configs.for_file(path).options))
        else:
            skipped.append(path)
        if progress is not None:
            progress(done, len(files))
    for _ in range(_MAX_SECOND_PASSES):
        names = wanted_names(facts)
        if not names or not skipped:
            break
        pattern = re.compile(rb"\b(?:" + b"|".join(re.escape(name.encode()) for name in sorted(names)) + rb")\b")
        still_skipped = []
        added = False
        for path in skipped:
            data = _read(path, reader, overrides)
            if isinstance(data, FileFacts):
                continue
            if pattern.search(data):
                facts.append(replace(facts_of(path, data, cache, configs.for_file(path).options), auxiliary=True))
                added = True
            else:
                still_skipped.append(path)
        skipped = still_skipped
        if not added:
            break
    parsed = sum(1 for fact in facts if fact.read_error is None or fact.parse_error is not None)
    return facts, parsed


def _read(path: str, reader: Reader, overrides: dict[str, bytes]) -> bytes | FileFacts:
    if path in overrides:
        return overrides[path]
    try:
        return reader(path)
    except IsADirectoryError:
        return unreadable(path, "is a directory")
    except FileNotFoundError:
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
    return {name for name in wanted if re.fullmatch(r"[A-Za-z_]\w{2,}", name) and not name.startswith(("UI", "NS"))}


def lint(request: LintRequest, reader: Reader = read_file) -> LintResult:
    configs = request.configs or ConfigSet(enabled=False)
    discovery = discover(request.paths) if request.paths else None
    # A buffer given on stdin replaces the file it stands for, however the walk spelled that path.
    replaced = {os.path.abspath(path) for path in request.overrides}
    files = [
        f
        for f in (discovery.files if discovery else [])
        if os.path.abspath(f) not in replaced and configs.for_file(f).includes(f)
    ]
    for path in request.overrides:
        if configs.for_file(path).includes(path):
            files.append(path)
    facts, parsed = collect_facts(files, reader, request.overrides, request.cache, configs, request.progress)
    roots = discovery.roots if discovery else {}
    summary = ProjectSummary(facts, targets(files, roots), groups(files, roots))
    rules = selected_rules(request.select, request.ignore)
    raw: list[Diagnostic] = []
    for rule in rules:
        raw.extend(rule.check(rule, summary, LintOptions()))
    diagnostics = _configured(raw, facts, configs, request, frozenset(rule.code for rule in rules))
    if request.report_paths is not None:
        diagnostics = [d for d in diagnostics if d.path in request.report_paths]
    diagnostics = sorted(set(diagnostics), key=lambda d: d.sort_key)
    if request.explain:
        diagnostics = explain(diagnostics, summary)
    problems = discovery.problems if discovery else []
    return LintResult(diagnostics, len(files), parsed, problems, summary, configs)


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
