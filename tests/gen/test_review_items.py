"""Issue 18, "Wrong or dangerous today": each item a reviewer would block, as a test."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from bgsession.gen import darwin
from bgsession.gen.check import check_objc, check_swift, sdk_root
from bgsession.gen.harness import compile_generated, harness_files
from bgsession.gen.render import render_files
from bgsession.gen.spec import build_spec
from tests.conftest import require_tool
from tests.gen.test_compile import assert_compiles, outputs
from tests.gen.variants import VARIANTS

ID = "com.example.app.downloads"


def texts(name: str) -> dict[str, str]:
    return {generated.name: generated.text for generated in render_files(VARIANTS[name])}


def all_text(name: str) -> str:
    return "\n".join(texts(name).values())


def compile_with(spec_name: str, probe_name: str, probe: str) -> str:
    """Compile a variant's files, its harness and one more file; the compiler output."""
    spec = VARIANTS[spec_name]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for generated in [*render_files(spec), *harness_files(spec)]:
            (folder / generated.name).write_text(generated.text, encoding="utf-8")
        (folder / probe_name).write_text(probe, encoding="utf-8")
        if spec.lang.value == "swift":
            report = check_swift(sorted(folder.glob("*.swift")), modes=("6",))
        else:
            report = check_objc([folder / probe_name], include_dirs=[folder])
    assert not report.ok
    return outputs(report)


# 1 and 2: the events handler is passed in before any session exists, held strongly, never lost.
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_events_handler_is_configured_first_and_held_strongly(name: str) -> None:
    text = all_text(name)
    assert "weak" not in text
    if VARIANTS[name].lang.value == "swift":
        assert "static func configure(events: any BackgroundTransferEvents)" in text
        init = text.split("private init(configuration: URLSessionConfiguration) {", 1)[1]
        assert init.index("if Self.configuredEvents == nil {") < init.index("URLSession(configuration:")
        assert 'Self.logger.error("session' in init and "assertionFailure(" in init
        assert "has no handler: configure(events:) was not called" in text
    else:
        assert "+ (void)configureWithEvents:(id<BackgroundTransferEvents>)events;" in text
        init = text.split("- (instancetype)initWithConfiguration:(NSURLSessionConfiguration *)configuration {", 1)[1]
        assert init.index("configuredEvents] == nil") < init.index("[NSURLSession sessionWithConfiguration:")
        assert "os_log_error(" in init and "NSAssert(NO" in init
        assert "has no handler: configureWithEvents: was not called" in text


def test_assigning_events_to_a_manager_no_longer_compiles() -> None:
    require_tool("swiftc")
    require_tool("clang")
    swift = compile_with(
        "swift-uikit-one",
        "Probe.swift",
        "final class Store: BackgroundTransferEvents, Sendable {\n"
        "    func destination(for task: URLSessionDownloadTask, session identifier: String) -> URL? { nil }\n"
        "}\n"
        "func probe() { BackgroundSessionManager.downloads.events = Store() }\n",
    )
    assert "has no member 'events'" in swift
    objc = compile_with(
        "objc-uikit-one",
        "Probe.m",
        '#import "BackgroundSessionManager.h"\n'
        "void probe(id<BackgroundTransferEvents> store) {\n"
        "    BackgroundSessionManager.sharedDownloadsManager.events = store;\n}\n",
    )
    assert "property 'events' not found" in objc


# 3: a 404 or 500 body is not reported as a finished download.
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_http_status_is_checked_before_the_move(name: str) -> None:
    text = all_text(name)
    if VARIANTS[name].lang.value == "swift":
        assert text.index("!(200...299).contains(response.statusCode)") < text.index("try fileManager.moveItem(")
        assert "downloadDidFail(downloadTask, session: self.identifier, statusCode: statusCode)" in text
    else:
        assert text.index("if (statusCode < 200 || statusCode > 299) {") < text.index("[fileManager moveItemAtURL:")
        assert "[events downloadDidFail:downloadTask session:identifier statusCode:statusCode];" in text


# 4: a @MainActor type adopts the events protocol in Swift 6; each callback says its queue.
def test_main_actor_consumer_adopts_the_events_protocol() -> None:
    require_tool("swiftc")
    spec = VARIANTS["swift-uikit-two"]
    harness = "".join(generated.text for generated in harness_files(spec))
    assert "@MainActor\nfinal class TransferEvents: BackgroundTransferEvents {" in harness
    report = compile_generated(spec, render_files(spec))
    assert_compiles(report)
    assert any("-swift-version" in run.command and "6" in run.command for run in report.runs)
    text = all_text("swift-uikit-two")
    assert "runs on the session's delegate queue and must return at once" in text
    assert text.count("    @MainActor func ") == 12  # six requirements and their defaults


# 6: with --app-delegate, the adaptor variant extends the app's own adaptor (SwiftUI allows one).
def test_adaptor_with_app_delegate_extends_it() -> None:
    spec = build_spec(
        lang="swift", style="swiftui", swiftui_variant="adaptor", app_delegate="AppDelegate", identifiers=[ID]
    )
    files = {generated.name: generated.text for generated in render_files(spec)}
    assert sorted(files) == [
        "AppDelegate+BackgroundSessions.swift",
        "BackgroundCompletionHandlers.swift",
        "BackgroundSessions.swift",
    ]
    assert "extension AppDelegate {" in files["AppDelegate+BackgroundSessions.swift"]
    assert "UIApplicationDelegate {" not in "".join(files.values())
    require_tool("swiftc")
    assert_compiles(compile_generated(spec, render_files(spec)))


def test_adaptor_without_app_delegate_generates_one() -> None:
    names = sorted(texts("swift-swiftui-adaptor-one"))
    assert "BackgroundSessionsAppDelegate.swift" in names


# 7: each style's comments name the launch hook it has.
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_comments_name_the_styles_own_launch_hook(name: str) -> None:
    text = all_text(name)
    style = VARIANTS[name].style.value
    if style == "swiftui":
        assert "didFinishLaunching" not in text
        assert "in your App's `init()`" in text
    elif style == "extension":
        assert "when the extension starts and early in the containing app's launch" in text
        assert "didFinishLaunching" not in text
    else:
        assert "didFinishLaunching" in text


# 8: the SwiftUI scene needs iOS 16, says so, and its waiter honours cancellation.
@pytest.mark.parametrize("name", ["swift-swiftui-task-one", "swift-swiftui-task-two"])
def test_scene_is_marked_ios_16_and_passes_an_ios_15_target(name: str) -> None:
    scene = texts(name)["BackgroundSessionScene.swift"]
    assert "@available(iOS 16.0, *)\nextension Scene {" in scene
    assert "iOS 16.0+" in scene
    facts = darwin.stub_facts(sdk_root() / "swift")
    assert darwin.availability_findings(Path("S.swift"), scene, facts, (15, 0)) == []
    stripped = scene.replace("@available(iOS 16.0, *)\n", "")
    assert darwin.availability_findings(Path("S.swift"), stripped, facts, (15, 0))


def test_waiter_returns_when_its_task_is_cancelled(tmp_path: Path) -> None:
    swiftc = require_tool("swiftc")
    waiters = texts("swift-swiftui-task-one")["BackgroundSessionEvents.swift"]
    assert "withTaskCancellationHandler" in waiters
    (tmp_path / "Waiters.swift").write_text(waiters, encoding="utf-8")
    (tmp_path / "main.swift").write_text(
        "let waiter = Task { @MainActor in\n"
        '    await BackgroundSessionEvents.shared.waitUntilDelivered("a")\n'
        '    return "returned"\n'
        "}\n"
        "let finished = Task { @MainActor in\n"
        '    await BackgroundSessionEvents.shared.waitUntilDelivered("b")\n'
        '    return "finished"\n'
        "}\n"
        "try await Task.sleep(nanoseconds: 50_000_000)\n"
        "waiter.cancel()\n"
        'await MainActor.run { BackgroundSessionEvents.shared.finish("b") }\n'
        "print(await waiter.value, await finished.value)\n",
        encoding="utf-8",
    )
    build = subprocess.run(
        [swiftc, "-swift-version", "6", "-o", str(tmp_path / "probe"), str(tmp_path / "Waiters.swift"),
         str(tmp_path / "main.swift")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(tmp_path / "probe")], capture_output=True, text=True, timeout=30, check=False)
    assert run.stdout.strip() == "returned finished", run.stderr


def test_header_comment_of_each_file_has_no_overlong_generated_lines() -> None:
    for name in VARIANTS:
        for generated in render_files(VARIANTS[name]):
            long = [
                line
                for line in generated.text.splitlines()
                if len(line) > 130 and not re.search(r'"|^// bgsession gen ', line)
            ]
            assert not long, (name, generated.name, long[:2])


# The transfer surface: resume data, configure-before-resume, allTasks, uploads first-class.
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_transfer_surface_is_complete(name: str) -> None:
    text = all_text(name)
    if VARIANTS[name].lang.value == "swift":
        for needle in (
            "func download(\n        resumingWith resumeData: Data",
            "(error as? URLError)?.downloadTaskResumeData",
            "configure(task)\n        task.resume()",
            "func allTasks() async -> [URLSessionTask]",
            "didSendBodyData bytesSent: Int64",
            "events.uploadDidReceive(dataTask, session: self.identifier, data: data)",
        ):
            assert needle in text, needle
        assert text.count("logger.debug(") >= 4
    else:
        for needle in (
            "- (NSURLSessionDownloadTask *)downloadWithResumeData:(NSData *)resumeData;",
            "error.userInfo[NSURLSessionDownloadTaskResumeData]",
            "configure(task);\n    }\n    [task resume];",
            "- (void)getAllTasksWithCompletionHandler:",
            "didSendBodyData:(int64_t)bytesSent",
            "[events uploadDidReceive:dataTask session:identifier data:data];",
            "@interface BackgroundSessionManager () <NSURLSessionDownloadDelegate, NSURLSessionDataDelegate>",
            "NS_SWIFT_UI_ACTOR\n@interface BackgroundCompletionHandlers : NSObject",
        ):
            assert needle in text, needle
        assert "@interface BackgroundSessionManager : NSObject\n" in text
        assert text.count("os_log_debug(") >= 2


def test_objc_without_a_prefix_warns() -> None:
    assert any("--prefix" in warning for warning in build_spec(lang="objc", style="uikit", identifiers=[ID]).warnings)
    assert not build_spec(lang="objc", style="uikit", identifiers=[ID], prefix="ACM").warnings


def test_readme_usage_example_compiles_with_the_generated_code() -> None:
    require_tool("swiftc")
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("<!-- usage: uikit -->\n```swift\n", 1)[1].split("```", 1)[0]
    spec = VARIANTS["swift-uikit-one"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for generated in render_files(spec):
            (folder / generated.name).write_text(generated.text, encoding="utf-8")
        (folder / "AppDelegate.swift").write_text(example, encoding="utf-8")
        assert_compiles(check_swift(sorted(folder.glob("*.swift"))))
