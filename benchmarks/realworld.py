"""bgsession's precision and recall on labelled real-world repositories.

    python benchmarks/realworld.py MIRRORS [--bgsession CMD] [--repo OWNER/NAME] [--json]

Each ``benchmarks/realworld/repos/*.toml`` pins a public repository at a commit and labels lines of
it: a finding the tool gives there is a real defect (verdict true) or not (verdict false), and a
defect the tool should report carries a true label too. For every manifest this exports the commit
from its git mirror under MIRRORS (as the search tool's ``fetch`` leaves it: MIRRORS/owner+name/...),
runs ``CMD lint --format json`` over the manifest's paths, and matches findings to labels by file,
code and line: a finding on a true label is a true positive, on a false label a false positive, on no
label at all "unlabeled" (counted as a false positive: nobody judged it a defect); a true label with
no finding is a miss. It prints a per-rule table, per-family rows and a total (precision =
TP / (TP + FP + unlabeled), recall = TP / (TP + FN)), the parse-error (BGS000) rate, then every false
positive, unlabeled finding and miss. Labels are judgements made by reading the code against Apple's
documentation, not the tool's output; see benchmarks/realworld/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MANIFESTS = HERE / "realworld" / "repos"
CATEGORIES = frozenset(
    {
        "app",
        "watchos-app",
        "extension-app",
        "library",
        "objc-library",
        "rn-plugin",
        "flutter-plugin",
        "capacitor-plugin",
        "host-app",
    }
)
PARSE_ERROR = "BGS000"
FAMILIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("identity", frozenset(f"BGS{n:03d}" for n in range(1, 7))),
    ("relaunch", frozenset(f"BGS{n:03d}" for n in range(10, 20))),
    ("tasks", frozenset({*(f"BGS{n:03d}" for n in range(20, 26)), "BGS040"})),
    ("targets", frozenset(f"BGS{n:03d}" for n in range(30, 36))),
    ("suppressions", frozenset({"BGS090", "BGS091"})),
)
SOURCE_SUFFIXES = (".swift", ".m", ".mm", ".h")
MIRROR_SEARCH_DEPTH = 4


class ManifestError(Exception):
    """A repository manifest that does not have the documented shape."""


@dataclass(frozen=True)
class Label:
    file: str
    line: int
    code: str
    verdict: bool
    reason: str


@dataclass(frozen=True)
class Manifest:
    path: Path
    repo: str
    commit: str
    category: str
    tags: tuple[str, ...]
    paths: tuple[str, ...]
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    code: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """One finding or one miss, as it appears in the detail lists."""

    kind: str  # "tp" | "fp" | "unlabeled" | "fn"
    repo: str
    file: str
    line: int
    code: str
    reason: str

    def render(self) -> str:
        return f"{self.repo} {self.file}:{self.line} {self.code} {self.reason}"


@dataclass
class RepoResult:
    repo: str
    commit: str
    category: str
    files_checked: int = 0
    parse_error_files: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    parse_notes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    unlabeled: int = 0
    fn: int = 0

    def add(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    def merge(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.unlabeled += other.unlabeled
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        reported = self.tp + self.fp + self.unlabeled
        return self.tp / reported if reported else None

    @property
    def recall(self) -> float | None:
        expected = self.tp + self.fn
        return self.tp / expected if expected else None

    def as_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "unlabeled": self.unlabeled,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
        }


# --------------------------------------------------------------------------------------------------
# Manifests


def _require(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise ManifestError(f"{where}: `{key}` must be a {kind.__name__}")
    return value


def _string_list(table: dict[str, Any], key: str, where: str, default: Sequence[str]) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ManifestError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def load_manifest(path: Path) -> Manifest:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ManifestError(f"{path.name}: {error}") from error
    where = path.name
    repo = _require(data, "repo", str, where)
    commit = _require(data, "commit", str, where)
    if len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit.lower()):
        raise ManifestError(f"{where}: `commit` must be 40 hex digits")
    category = _require(data, "category", str, where)
    labels: list[Label] = []
    raw_labels = data.get("label", [])
    if not isinstance(raw_labels, list):
        raise ManifestError(f"{where}: `label` must be an array of tables")
    for index, raw in enumerate(raw_labels, start=1):
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: label {index} is not a table")
        at = f"{where} label {index}"
        labels.append(
            Label(
                file=_normalise(_require(raw, "file", str, at)),
                line=_require(raw, "line", int, at),
                code=_require(raw, "code", str, at).upper(),
                verdict=_require(raw, "verdict", bool, at),
                reason=str(raw.get("reason", "")),
            )
        )
    return Manifest(
        path=path,
        repo=repo,
        commit=commit.lower(),
        category=category,
        tags=_string_list(data, "tags", where, ()),
        paths=_string_list(data, "paths", where, (".",)) or (".",),
        labels=tuple(labels),
    )


def _normalise(path: str) -> str:
    normal = os.path.normpath(path.replace("\\", "/")).replace(os.sep, "/")
    return normal[2:] if normal.startswith("./") else normal


# --------------------------------------------------------------------------------------------------
# Mirrors and exports


def _is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def find_git_dir(mirrors: Path, repo: str) -> Path | None:
    """The git directory fetched for `repo` below MIRRORS/owner+name (a bare or a `.git` dir)."""
    root = mirrors / repo.replace("/", "+")
    if not root.is_dir():
        return None
    frontier = [root]
    for _ in range(MIRROR_SEARCH_DEPTH):
        found: list[Path] = []
        deeper: list[Path] = []
        for folder in frontier:
            if _is_git_dir(folder):
                found.append(folder)
                continue
            try:
                children = sorted(child for child in folder.iterdir() if child.is_dir())
            except OSError:
                continue
            deeper.extend(child for child in children if not child.name.endswith(".part"))
        if found:
            return found[0]
        frontier = deeper
    return None


def has_commit(git_dir: Path, commit: str) -> bool:
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def missing_blobs(git_dir: Path, commit: str) -> list[str]:
    """Paths at `commit` whose blobs the mirror lacks (fetch leaves out files of 4 MiB and more)."""
    listing = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", "--full-tree", commit],
        capture_output=True,
        check=True,
    ).stdout
    blobs: list[tuple[bytes, bytes]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob":
            blobs.append((fields[2], path))
    if not blobs:
        return []
    checked = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch-check"],
        input=b"".join(sha + b"\n" for sha, _ in blobs),
        capture_output=True,
        check=True,
    ).stdout.splitlines()
    return [
        path.decode("utf-8", "surrogateescape")
        for (_, path), line in zip(blobs, checked, strict=True)
        if line.endswith(b" missing")
    ]


def export_commit(git_dir: Path, commit: str, into: Path) -> list[str]:
    """Write the tree of `commit` into `into`; returns the paths left out because their blobs are absent."""
    absent = missing_blobs(git_dir, commit)
    pathspecs = [f":(exclude,literal){path}" for path in absent]
    archive = into / ".export.tar"
    with archive.open("wb") as sink:
        subprocess.run(
            ["git", "--git-dir", str(git_dir), "archive", "--format=tar", commit, "--", ".", *pathspecs],
            stdout=sink,
            stderr=subprocess.PIPE,
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="tar")
    archive.unlink()
    return absent


# --------------------------------------------------------------------------------------------------
# Running the tool


def run_lint(command: Sequence[str], cwd: Path, paths: Sequence[str]) -> tuple[int, list[Finding]]:
    argv = [
        *command,
        "lint",
        "--format",
        "json",
        "--no-cache",
        "--no-config",
        "--exit-zero",
        "--jobs",
        "1",
        *paths,
    ]
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"`{shlex.join(argv)}` exited {result.returncode}: {result.stderr.strip()[-2000:]}")
    report = json.loads(result.stdout)
    findings = []
    for diagnostic in report.get("diagnostics", []):
        file = Path(str(diagnostic["path"]))
        absolute = file if file.is_absolute() else cwd / file
        try:
            relative = absolute.resolve().relative_to(cwd.resolve()).as_posix()
        except ValueError:
            relative = file.as_posix()
        findings.append(
            Finding(
                file=_normalise(relative),
                line=int(diagnostic["line"]),
                code=str(diagnostic["code"]),
                message=str(diagnostic.get("message", "")),
            )
        )
    return int(report.get("files_checked", 0)), findings


def score_repo(manifest: Manifest, files_checked: int, findings: Sequence[Finding], export: Path) -> RepoResult:
    result = RepoResult(repo=manifest.repo, commit=manifest.commit, category=manifest.category)
    result.files_checked = files_checked
    if manifest.category not in CATEGORIES:
        result.warnings.append(f"category {manifest.category!r} is not one of {', '.join(sorted(CATEGORIES))}")
    labels = {(label.file, label.code, label.line): label for label in manifest.labels}
    for label in manifest.labels:
        if not (export / label.file).is_file():
            result.warnings.append(f"label on {label.file}:{label.line} {label.code}: no such file at this commit")
    seen: set[tuple[str, str, int]] = set()
    parse_files: set[str] = set()
    for finding in sorted(findings, key=lambda f: (f.file, f.line, f.code)):
        key = (finding.file, finding.code, finding.line)
        if key in seen:
            continue
        seen.add(key)
        match = labels.get(key)
        if match is None:
            kind, reason = "unlabeled", finding.message
        else:
            kind, reason = ("tp" if match.verdict else "fp"), match.reason
        outcome = Outcome(kind, manifest.repo, finding.file, finding.line, finding.code, reason)
        if finding.code == PARSE_ERROR:
            parse_files.add(finding.file)
            result.parse_notes.append(outcome)
        else:
            result.outcomes.append(outcome)
    for key, label in sorted(labels.items()):
        if label.verdict and key not in seen:
            outcome = Outcome("fn", manifest.repo, label.file, label.line, label.code, label.reason)
            (result.parse_notes if label.code == PARSE_ERROR else result.outcomes).append(outcome)
    result.parse_error_files = len(parse_files)
    return result


# --------------------------------------------------------------------------------------------------
# Report


@dataclass
class Summary:
    repos: list[RepoResult]
    skipped: list[str]
    per_rule: dict[str, Counts]
    families: dict[str, Counts]
    total: Counts
    parse: Counts
    files_checked: int
    parse_error_files: int


def summarise(repos: list[RepoResult], skipped: list[str]) -> Summary:
    per_rule: dict[str, Counts] = {}
    parse = Counts()
    for repo in repos:
        for outcome in repo.outcomes:
            per_rule.setdefault(outcome.code, Counts()).add(outcome.kind)
        for outcome in repo.parse_notes:
            parse.add(outcome.kind)
    families: dict[str, Counts] = {}
    for name, codes in FAMILIES:
        family = Counts()
        for code, counts in per_rule.items():
            if code in codes:
                family.merge(counts)
        families[name] = family
    total = Counts()
    for counts in per_rule.values():
        total.merge(counts)
    return Summary(
        repos=repos,
        skipped=skipped,
        per_rule=dict(sorted(per_rule.items())),
        families=families,
        total=total,
        parse=parse,
        files_checked=sum(repo.files_checked for repo in repos),
        parse_error_files=sum(repo.parse_error_files for repo in repos),
    )


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def _row(name: str, counts: Counts) -> str:
    return (
        f"{name:<14}{counts.tp:>5}{counts.fp:>5}{counts.unlabeled:>11}{counts.fn:>5}"
        f"{_ratio(counts.precision):>11}{_ratio(counts.recall):>8}"
    )


def _outcomes(summary: Summary, kind: str) -> Iterator[Outcome]:
    for repo in summary.repos:
        yield from (outcome for outcome in repo.outcomes if outcome.kind == kind)


def render_text(summary: Summary) -> str:
    lines = [f"{'code':<14}{'TP':>5}{'FP':>5}{'unlabeled':>11}{'FN':>5}{'precision':>11}{'recall':>8}"]
    lines.extend(_row(code, counts) for code, counts in summary.per_rule.items())
    lines.append("-" * 59)
    lines.extend(_row(name, summary.families[name]) for name, _ in FAMILIES)
    lines.append("-" * 59)
    lines.append(_row("total", summary.total))
    lines.append("")
    lines.append("Unlabeled findings count as false positives in precision: nobody judged them defects.")
    rate = summary.parse_error_files / summary.files_checked if summary.files_checked else None
    lines.append(
        f"{PARSE_ERROR} (parse error): {summary.parse.tp + summary.parse.fp + summary.parse.unlabeled} notes on "
        f"{summary.parse_error_files} of {summary.files_checked} files linted (rate {_percent(rate)}); "
        f"on code labelled valid {summary.parse.fp}, really invalid {summary.parse.tp}, "
        f"unlabeled {summary.parse.unlabeled}; invalid code missed {summary.parse.fn}"
    )
    lines.append(
        f"repositories: {len(summary.repos)} measured, {len(summary.skipped)} skipped"
        + (f" ({', '.join(summary.skipped)})" if summary.skipped else "")
    )
    for repo in summary.repos:
        counts = Counts()
        for outcome in repo.outcomes:
            counts.add(outcome.kind)
        lines.append(
            f"  {repo.repo} {repo.commit[:12]} [{repo.category}]: {repo.files_checked} files, "
            f"TP {counts.tp}, FP {counts.fp}, unlabeled {counts.unlabeled}, FN {counts.fn}, "
            f"{PARSE_ERROR} {repo.parse_error_files}"
        )
        lines.extend(f"    warning: {warning}" for warning in repo.warnings)
    for kind, title in (("fp", "False positives"), ("unlabeled", "Unlabeled findings"), ("fn", "Misses")):
        entries = list(_outcomes(summary, kind))
        lines.append("")
        lines.append(f"{title} ({len(entries)}):")
        lines.extend(f"  {outcome.render()}" for outcome in entries)
    notes = [outcome for repo in summary.repos for outcome in repo.parse_notes]
    if notes:
        lines.append("")
        lines.append(f"{PARSE_ERROR} notes ({len(notes)}):")
        lines.extend(f"  [{outcome.kind}] {outcome.render()}" for outcome in notes)
    return "\n".join(lines)


def render_json(summary: Summary) -> str:
    def entries(kind: str) -> list[dict[str, Any]]:
        return [
            {"repo": o.repo, "file": o.file, "line": o.line, "code": o.code, "reason": o.reason}
            for o in _outcomes(summary, kind)
        ]

    rate = summary.parse_error_files / summary.files_checked if summary.files_checked else None
    document = {
        "rules": {code: counts.as_json() for code, counts in summary.per_rule.items()},
        "families": {name: counts.as_json() for name, counts in summary.families.items()},
        "total": summary.total.as_json(),
        "unlabeled_counted_as_false_positives": True,
        "parse_errors": {
            "code": PARSE_ERROR,
            "files": summary.parse_error_files,
            "files_linted": summary.files_checked,
            "rate": rate,
            "labelled_invalid": summary.parse.tp,
            "labelled_valid": summary.parse.fp,
            "unlabeled": summary.parse.unlabeled,
            "missed": summary.parse.fn,
            "notes": [
                {"repo": o.repo, "file": o.file, "line": o.line, "kind": o.kind, "reason": o.reason}
                for repo in summary.repos
                for o in repo.parse_notes
            ],
        },
        "repos": [
            {
                "repo": repo.repo,
                "commit": repo.commit,
                "category": repo.category,
                "files_checked": repo.files_checked,
                "parse_error_files": repo.parse_error_files,
                "warnings": repo.warnings,
            }
            for repo in summary.repos
        ],
        "skipped": summary.skipped,
        "false_positives": entries("fp"),
        "unlabeled": entries("unlabeled"),
        "misses": entries("fn"),
    }
    return json.dumps(document, indent=2)


# --------------------------------------------------------------------------------------------------
# Main


def measure(manifest: Manifest, mirrors: Path, command: Sequence[str]) -> RepoResult | str:
    """The repository's result, or why it was skipped."""
    git_dir = find_git_dir(mirrors, manifest.repo)
    if git_dir is None:
        return f"no mirror under {mirrors / manifest.repo.replace('/', '+')}"
    if not has_commit(git_dir, manifest.commit):
        return f"mirror {git_dir} lacks commit {manifest.commit}"
    with tempfile.TemporaryDirectory(prefix="bgsession-realworld-") as temp:
        export = Path(temp)
        absent = export_commit(git_dir, manifest.commit, export)
        missing = [path for path in manifest.paths if not (export / path).exists()]
        present = [path for path in manifest.paths if path not in missing]
        if not present:
            return f"none of the paths {list(manifest.paths)} exist at {manifest.commit[:12]}"
        files_checked, findings = run_lint(command, export, present)
        result = score_repo(manifest, files_checked, findings, export)
        result.warnings.extend(f"path {path!r} does not exist at this commit" for path in missing)
        if absent:
            shown = ", ".join(absent[:3]) + (", ..." if len(absent) > 3 else "")
            result.warnings.append(f"{len(absent)} file(s) absent from the mirror, not linted: {shown}")
        return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mirrors", type=Path, help="folder holding the fetched git mirrors (owner+name/...)")
    parser.add_argument(
        "--bgsession",
        default=None,
        help="command that runs bgsession (default: this interpreter's `-m bgsession`)",
    )
    parser.add_argument("--repo", action="append", default=[], help="only this OWNER/NAME (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    command = shlex.split(args.bgsession) if args.bgsession else [sys.executable, "-m", "bgsession"]
    wanted = {name.lower() for name in args.repo}
    manifests: list[Manifest] = []
    skipped: list[str] = []
    for path in sorted(MANIFESTS.glob("*.toml")):
        try:
            manifest = load_manifest(path)
        except ManifestError as error:
            if not wanted:
                print(f"skipped {path.name}: bad manifest: {error}", file=sys.stderr)
                skipped.append(path.name)
            continue
        if not wanted or manifest.repo.lower() in wanted:
            manifests.append(manifest)
    if wanted and not manifests:
        print(f"error: no valid manifest for {', '.join(sorted(wanted))}", file=sys.stderr)
        return 2
    results: list[RepoResult] = []
    for manifest in manifests:
        try:
            outcome = measure(manifest, args.mirrors, command)
        except (OSError, RuntimeError, subprocess.CalledProcessError, json.JSONDecodeError) as error:
            outcome = f"failed: {error}"
        if isinstance(outcome, str):
            print(f"skipped {manifest.repo}: {outcome}", file=sys.stderr)
            skipped.append(manifest.repo)
        else:
            results.append(outcome)
    summary = summarise(results, skipped)
    print(render_json(summary) if args.json else render_text(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
