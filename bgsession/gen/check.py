"""Compile generated code: with Xcode's iOS SDK where xcrun exists, else against the stub SDK in bgsession/sdk.

The stub modules copy Apple's declarations (APPLE.md §1, §3), so code that typechecks against them
uses the background-session API as iOS declares it, in Swift 5 and Swift 6 language modes and as
Objective-C under ARC.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs

from bgsession.errors import BgsessionError
from bgsession.gen import darwin

REQUIRE_ENV = "BGSESSION_REQUIRE_TOOLCHAINS"
CACHE_DIR_ENV = "BGSESSION_CACHE_DIR"
SWIFT_MODES = ("5", "6")
# The oldest iOS the generated code supports; API newer than this needs @available, as in Xcode.
IOS_DEPLOYMENT_TARGET = "15.0"
STUB_MODULES = ("URLSessionStub", "os", "UIKit", "SwiftUI", "WatchKit")
OBJC_FLAGS = (
    "-x",
    "objective-c",
    "-std=gnu11",
    "-fsyntax-only",
    "-fobjc-arc",
    "-fblocks",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-Wprotocol",
    "-Wincomplete-implementation",
    "-Wdeprecated-declarations",
    "-Wnullability-completeness",
    "-Wunguarded-availability",
    "-Werror",
)


class ToolchainMissingError(BgsessionError):
    """No compiler for the language; an error only when BGSESSION_REQUIRE_TOOLCHAINS=1."""


@dataclass(frozen=True, slots=True)
class CompileRun:
    """One compiler invocation and what it said."""

    command: tuple[str, ...]
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass(slots=True)
class CheckReport:
    runs: list[CompileRun] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: CheckReport) -> None:
        self.runs += other.runs
        self.skipped += [message for message in other.skipped if message not in self.skipped]
        self.warnings += [message for message in other.warnings if message not in self.warnings]

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.runs)


def toolchains_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def find_tool(name: str) -> str | None:
    """A compiler on PATH, or in the Swift toolchain's usual Linux location."""
    found = shutil.which(name)
    if found:
        return found
    candidate = Path("/opt/swift/usr/bin") / name
    return str(candidate) if candidate.exists() else None


def has_xcode() -> bool:
    return shutil.which("xcrun") is not None and shutil.which("xcodebuild") is not None


def sdk_root() -> Path:
    """The stub SDK shipped in the package (a real folder: hatch installs package data as files)."""
    return Path(str(resources.files("bgsession") / "sdk"))


def _run(command: list[str], cwd: Path | None = None) -> CompileRun:
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False, timeout=600)
    except subprocess.TimeoutExpired:
        return CompileRun(tuple(command), 124, "the compiler did not finish within 10 minutes")
    return CompileRun(tuple(command), done.returncode, (done.stdout + done.stderr).strip())


def cache_root() -> Path:
    """BGSESSION_CACHE_DIR when set, else the platform's user cache folder."""
    configured = os.environ.get(CACHE_DIR_ENV)
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("bgsession", appauthor=False))


def _private_folder(folder: Path) -> str | None:
    """Create `folder` 0700; None when it is usable, else why not (not ours, shared, not a folder)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.lstat(folder)
    except OSError as problem:
        return problem.strerror.lower() if problem.strerror else str(problem)
    if not stat.S_ISDIR(status.st_mode):
        return "it is not a folder"
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return "it belongs to another user"
    if status.st_mode & 0o022:
        return "other users can write to it"
    return None


_SCRATCH: dict[str, Path] = {}


def _scratch_cache() -> Path:
    """A folder for this process only, removed at exit: used when the cache folder is unusable."""
    if "folder" not in _SCRATCH:
        _SCRATCH["folder"] = Path(tempfile.mkdtemp(prefix="bgsession-sdk-"))
        atexit.register(shutil.rmtree, _SCRATCH["folder"], True)
    return _SCRATCH["folder"]


def stub_modules(swiftc: str, *, app_extension: bool = False, report: CheckReport | None = None) -> Path:
    """Build the Swift stub modules once per stub content, compiler and flavour (app or app extension).

    They go into BGSESSION_CACHE_DIR (else the user cache); when that folder cannot be created or is
    not private to this user, into a temporary folder for this run, with a warning.
    """
    sources = sdk_root() / "swift"
    digest = hashlib.sha256()
    version = _run([swiftc, "--version"]).output
    digest.update(version.encode())
    digest.update(b"appex" if app_extension else b"app")
    for module in STUB_MODULES:
        digest.update((sources / f"{module}.swift").read_bytes())
    root = cache_root()
    problem = _private_folder(root)
    if problem is not None:
        if report is not None:
            report.warnings.append(
                f"cannot use the cache folder {root} ({problem}); the stub SDK is built in a temporary folder"
            )
        root = _scratch_cache()
    cache = root / f"sdk-{digest.hexdigest()[:16]}"
    if all((cache / f"{module}.swiftmodule").exists() for module in STUB_MODULES):
        return cache
    building = Path(tempfile.mkdtemp(prefix="sdk-build-", dir=root))
    try:
        for module in STUB_MODULES:
            run = _run(
                [
                    swiftc,
                    "-emit-module",
                    "-parse-as-library",
                    "-module-name",
                    module,
                    # Apple builds its own interfaces in Swift 5 mode; clients still see @MainActor.
                    "-swift-version",
                    "5",
                    *(["-D", "BGSESSION_APP_EXTENSION"] if app_extension else []),
                    # swiftc's own clang module cache lives beside the stubs, not in XDG_CACHE_HOME.
                    "-module-cache-path",
                    str(root / "module-cache"),
                    "-I",
                    str(building),
                    "-emit-module-path",
                    str(building / f"{module}.swiftmodule"),
                    str(sources / f"{module}.swift"),
                ]
            )
            if not run.ok:
                raise BgsessionError(f"cannot build the stub module {module}:\n{run.output}")
        try:
            os.replace(building, cache)
        except OSError:
            # Another run built the same modules first; theirs are identical.
            shutil.rmtree(building, ignore_errors=True)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return cache


def darwin_source_check(files: list[Path], *, deployment_target: str, warnings_as_errors: bool = True) -> CompileRun:
    """What Xcode reports and Linux swiftc cannot (bgsession/gen/darwin.py), as one compiler-like run."""
    facts = darwin.stub_facts(sdk_root() / "swift")
    target = darwin.version(deployment_target)
    findings: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        findings += darwin.availability_findings(path, text, facts, target)
        if warnings_as_errors:
            findings += darwin.near_miss_findings(path, text, facts)
    command = ("bgsession-darwin-check", f"--ios-deployment-target={deployment_target}", *map(str, files))
    return CompileRun(command, 1 if findings else 0, "\n".join(findings))


def check_swift(
    files: list[Path],
    *,
    extra_flags: tuple[str, ...] = (),
    modes: tuple[str, ...] = SWIFT_MODES,
    warnings_as_errors: bool = True,
    app_extension: bool = False,
    deployment_target: str = IOS_DEPLOYMENT_TARGET,
) -> CheckReport:
    """Typecheck Swift files together in each language mode (as an app extension's code when asked)."""
    report = CheckReport()
    strict = ["-warnings-as-errors"] if warnings_as_errors else []
    extension = ["-application-extension"] if app_extension else []
    if has_xcode():
        for mode in modes:
            report.runs.append(
                _run(
                    [
                        "xcrun",
                        "--sdk",
                        "iphonesimulator",
                        "swiftc",
                        "-typecheck",
                        "-parse-as-library",
                        "-target",
                        f"arm64-apple-ios{deployment_target}-simulator",
                        "-swift-version",
                        mode,
                        *strict,
                        *extension,
                        *extra_flags,
                        *map(str, files),
                    ]
                )
            )
        return report
    swiftc = find_tool("swiftc")
    if swiftc is None:
        _missing(report, "swiftc")
        return report
    modules = stub_modules(swiftc, app_extension=app_extension, report=report)
    for mode in modes:
        report.runs.append(
            _run(
                [
                    swiftc,
                    "-typecheck",
                    "-parse-as-library",
                    "-swift-version",
                    mode,
                    *strict,
                    *extension,
                    "-module-cache-path",
                    str(modules.parent / "module-cache"),
                    "-I",
                    str(modules),
                    "-Xfrontend",
                    "-import-module",
                    "-Xfrontend",
                    "URLSessionStub",
                    *extra_flags,
                    *map(str, files),
                ]
            )
        )
    report.runs.append(
        darwin_source_check(files, deployment_target=deployment_target, warnings_as_errors=warnings_as_errors)
    )
    return report


def check_objc(
    files: list[Path],
    include_dirs: list[Path],
    *,
    app_extension: bool = False,
    deployment_target: str = IOS_DEPLOYMENT_TARGET,
    strict_nullability: bool = False,
) -> CheckReport:
    """Syntax- and type-check each Objective-C file under ARC (as an app extension's code when asked).

    `strict_nullability` adds -Wnullable-to-nonnull-conversion (off in Xcode's defaults), which
    generated code must pass: it is what makes a nullable return such as URLByAppendingPathComponent:
    visible to a syntax-only check.
    """
    report = CheckReport()
    includes = [flag for folder in include_dirs for flag in ("-I", str(folder))]
    extension = ["-fapplication-extension"] if app_extension else []
    extension += ["-Wnullable-to-nonnull-conversion"] if strict_nullability else []
    if has_xcode():
        for source in files:
            report.runs.append(
                _run(
                    [
                        "xcrun",
                        "--sdk",
                        "iphonesimulator",
                        "clang",
                        *OBJC_FLAGS,
                        *extension,
                        "-target",
                        f"arm64-apple-ios{deployment_target}-simulator",
                        *includes,
                        str(source),
                    ]
                )
            )
        return report
    clang = find_tool("clang")
    if clang is None:
        _missing(report, "clang")
        return report
    stubs = sdk_root() / "objc"
    for source in files:
        report.runs.append(
            _run(
                [
                    clang,
                    *OBJC_FLAGS,
                    *extension,
                    "-target",
                    f"arm64-apple-ios{deployment_target}",
                    "-isysroot",
                    str(stubs),
                    "-I",
                    str(stubs),
                    *includes,
                    str(source),
                ]
            )
        )
    return report


def _missing(report: CheckReport, tool: str) -> None:
    message = f"{tool} was not found on PATH or in /opt/swift/usr/bin; the compile check could not run"
    if toolchains_required():
        raise ToolchainMissingError(f"{message} ({REQUIRE_ENV}=1)")
    report.skipped.append(message)
