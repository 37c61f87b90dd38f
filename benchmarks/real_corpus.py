"""The real-code corpus of the benchmark: which public repositories at which commits (corpus.toml), and
writing them out of their git mirrors into a folder outside the checkout. The code itself is never
committed; the manifest is enough to rebuild the same bytes anywhere the mirrors (or clones) exist."""

from __future__ import annotations

import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent / "corpus.toml"
DEFAULT_MIRRORS = Path("/work/.mirror")
DEFAULT_FOLDER = Path("/work/corpus")
# What the linter reads: sources, and the Info.plist and Xcode project files that say which target a
# file is in. Images and other large files are left out (mirrors may not even hold their bytes).
_WANTED = (".swift", ".m", ".mm", ".h", ".plist", ".pbxproj", ".entitlements")


def _pathspecs(source: Path, commit: str) -> list[str]:
    """One glob per wanted suffix the commit holds (git archive fails on a pathspec matching nothing)."""
    names = subprocess.run(
        ["git", "--git-dir", str(source), "ls-tree", "-r", "-z", "--name-only", commit],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    present = {suffix for name in names for suffix in _WANTED if name.endswith(suffix.encode())}
    return [f":(glob)**/*{suffix}" for suffix in sorted(present)]


@dataclass(frozen=True, slots=True)
class Repository:
    repo: str  # owner/name on GitHub
    commit: str

    @property
    def folder_name(self) -> str:
        return self.repo.replace("/", "+")


def repositories(manifest: Path = MANIFEST) -> list[Repository]:
    with manifest.open("rb") as stream:
        document = tomllib.load(stream)
    return [Repository(str(entry["repo"]), str(entry["commit"])) for entry in document.get("repository", [])]


def git_dir(mirrors: Path, repository: Repository) -> Path:
    """A mirror is `<mirrors>/<owner>+<name>/repo` (a bare git directory), or a plain clone there."""
    base = mirrors / repository.folder_name
    for candidate in (base / "repo", base / ".git", base):
        if (candidate / "HEAD").is_file():
            return candidate
    raise SystemExit(f"{base}: no git mirror of {repository.repo} (fetch it, or clone it there)")


def export(folder: Path, mirrors: Path = DEFAULT_MIRRORS, manifest: Path = MANIFEST) -> list[Repository]:
    """Write every repository of the manifest at its commit into folder/<owner>+<name>; one already
    written at that commit (its `.commit` file says so) is left as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for repository in repositories(manifest):
        target = folder / repository.folder_name
        stamp = target / ".commit"
        if stamp.is_file() and stamp.read_text().strip() == repository.commit:
            written.append(repository)
            continue
        source = git_dir(mirrors, repository)
        target.mkdir(exist_ok=True)
        wanted = _pathspecs(source, repository.commit)
        command = ["git", "--git-dir", str(source), "archive", "--format=tar", repository.commit, "--", *wanted]
        archive = subprocess.Popen(command, stdout=subprocess.PIPE)
        assert archive.stdout is not None
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            tar.extractall(target, filter="data")
        if archive.wait() != 0:
            raise SystemExit(f"git archive {repository.commit} of {repository.repo} failed")
        stamp.write_text(repository.commit + "\n")
        written.append(repository)
    return written
