"""Compile generated code: with Xcode's iOS SDK where xcrun exists, else against the stub SDK in bgsession/sdk.

The stub modules copy Apple's declarations (APPLE.md §1, §3), so code that typechecks against them
uses the background-session API as iOS declares it, in Swift 5 and Swift 6 language modes and as
Objective-C under ARC.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs

from bgsession.errors import BgsessionError

REQUIRE_ENV = "BGSESSION_REQUIRE_TOOLCHAINS"
SWIFT_MODES = ("5", "6")
STUB_MODULES = ("URLSessionStub", "UIKit", "SwiftUI", "WatchKit")
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


def stub_modules(swiftc: str) -> Path:
    """Build the Swift stub modules once per stub content and compiler, in the user cache."""
    sources = sdk_root() / "swift"
    digest = hashlib.sha256()
    version = _run([swiftc, "--version"]).output
    digest.update(version.encode())
    for module in STUB_MODULES:
        digest.update((sources / f"{module}.swift").read_bytes())
    cache = Path(platformdirs.user_cache_dir("bgsession")) / f"sdk-{digest.hexdigest()[:16]}"
    if all((cache / f"{module}.swiftmodule").exists() for module in STUB_MODULES):
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="sdk-build-", dir=cache.parent))
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


def check_swift(
    files: list[Path],
    *,
    extra_flags: tuple[str, ...] = (),
    modes: tuple[str, ...] = SWIFT_MODES,
    warnings_as_errors: bool = True,
) -> CheckReport:
    """Typecheck Swift files together in each language mode."""
    report = CheckReport()
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
                        "arm64-apple-ios16.0-simulator",
                        "-swift-version",
                        mode,
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
    modules = stub_modules(swiftc)
    for mode in modes:
        report.runs.append(
            _run(
                [
                    swiftc,
                    "-typecheck",
                    "-parse-as-library",
                    "-swift-version",
                    mode,
                    *(["-warnings-as-errors"] if warnings_as_errors else []),
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
    return report


def check_objc(files: list[Path], include_dirs: list[Path]) -> CheckReport:
    """Syntax- and type-check each Objective-C file under ARC."""
    report = CheckReport()
    includes = [flag for folder in include_dirs for flag in ("-I", str(folder))]
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
                        "-target",
                        "arm64-apple-ios16.0-simulator",
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
                    "-target",
                    "arm64-apple-ios17.0",
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
