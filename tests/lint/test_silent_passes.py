"""No finding may disappear without a word: each way a run used to pass silently over a real defect.

Each test reproduces one report of the silent-passes issue (selection by prefix, suppressions naming
what is not a rule, suppression verdicts cached across catalog changes, separate apps mixed, BGS090 and
BGS091 missing from the catalog), plus the property that linting separate apps together reports
exactly what linting each alone does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bgsession.cli import main
from bgsession.diagnostics import Diagnostic
from bgsession.lint import runner
from bgsession.lint.cache import DiskCache
from bgsession.lint.rules import ALL_RULES, RULES_BY_CODE, RULES_BY_NAME
from bgsession.lint.runner import LintRequest, lint
from bgsession.lint.selection import UnknownSelectorError, resolve
from tests.lint.fixtures import Case, cases

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "PhotoBackup"
TASK_RULES = ["BGS020", "BGS021", "BGS022", "BGS023"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- 1. selection by prefix and by name ----------------------------------------------------------------------


def test_select_by_prefix_finds_what_the_codes_find(capsys: pytest.CaptureFixture[str]) -> None:
    by_codes = run(["lint", "--no-cache", "--select", ",".join(TASK_RULES), str(EXAMPLE)], capsys)
    by_prefix = run(["lint", "--no-cache", "--select", "BGS02", str(EXAMPLE)], capsys)
    assert by_codes[0] == 1 and by_codes[1].count("error:") == 3
    assert by_prefix[:2] == by_codes[:2]


def test_select_by_rule_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lint", "--no-cache", "--select", "upload-from-data", str(EXAMPLE)], capsys)
    assert code == 1 and out.count("error:") == 1 and "[BGS021 upload-from-data]" in out


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_every_rule_is_reachable_by_code_name_and_each_prefix(rule: object) -> None:
    code, name = getattr(rule, "code"), getattr(rule, "name")
    assert resolve(code) == {code} and resolve(code.lower()) == {code}
    assert resolve(name) == {code}
    for length in range(3, len(code) + 1):
        assert code in resolve(code[:length])


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("BGS20", "--select: 'BGS20' matches no rule; did you mean BGS020?"),
        ("BGS999", "--select: 'BGS999' matches no rule"),
        ("BGS7", "--select: 'BGS7' matches no rule"),
        ("completion-handler-tsak", "did you mean completion-handler-task?"),
        ("handler", "--select: 'handler' matches no rule"),
    ],
)
def test_unknown_selector_is_one_usage_error_line(
    selector: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["lint", "--select", selector, str(EXAMPLE)], capsys)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    code, _, err = run(["lint", "--ignore", selector, str(EXAMPLE)], capsys)
    assert code == 2 and message.replace("--select", "--ignore") in err


def test_configuration_accepts_prefixes_and_names_and_rejects_typos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "App"
    shutil.copytree(EXAMPLE, project)
    config = project / ".bgsession.toml"
    config.write_text('[lint]\nselect = ["BGS02"]\nignore = ["download-not-moved-synchronously"]\n')
    code, out, _ = run(["lint", "--no-cache", str(project)], capsys)
    assert code == 1 and sorted(line.split("[")[-1].split()[0] for line in out.splitlines()) == ["BGS020", "BGS021"]
    config.write_text('[lint.severity]\nBGS02 = "note"\nupload-from-data = "error"\n')
    code, out, _ = run(["lint", "--no-cache", "--select", "BGS02", str(project)], capsys)
    severities = {line.split("[")[-1].split()[0]: line.split(": ")[1] for line in out.splitlines()}
    assert severities == {"BGS020": "note", "BGS021": "error", "BGS023": "note"}
    config.write_text('[lint]\nselect = ["BGS20"]\n')
    code, _, err = run(["lint", str(project)], capsys)
    assert code == 2 and ".bgsession.toml:2: error: in 'select': 'BGS20' matches no rule; did you mean BGS020?" in err


# --- 2. a suppression naming what is not a rule silences nothing ---------------------------------------------

BACKGROUND_DATA_TASK = """import Foundation
final class Uploader: NSObject, URLSessionDelegate {{
    static let shared = Uploader()
    lazy var session: URLSession = {{
        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.up")
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }}()
    func fetch(_ r: URLRequest) {{
        session.dataTask(with: r) {{ _, _, _ in }}.resume() // bgsession:disable-line {words}
    }}
}}
"""


@pytest.mark.parametrize("words", ["BGS999", "BGS20", "completion-handler-tsak", "BGS02", "BGS999, BGS998"])
def test_a_suppression_of_no_rule_keeps_the_finding_and_fails_ci(
    tmp_path: Path, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Uploader.swift").write_text(BACKGROUND_DATA_TASK.format(words=words))
    (tmp_path / ".bgsession.toml").write_text('[lint]\nfail-on = "error"\n')
    code, out, _ = run(["lint", "--no-cache", str(tmp_path)], capsys)
    assert code == 1, out
    assert "error:" in out and "[BGS020 completion-handler-task]" in out
    assert out.count("[BGS091 invalid-suppression]") == len(words.split(","))


@pytest.mark.parametrize("words", ["BGS020", "completion-handler-task", "all", "", "BGS020 BGS999"])
def test_a_suppression_naming_the_rule_silences_it(tmp_path: Path, words: str) -> None:
    (tmp_path / "Uploader.swift").write_text(BACKGROUND_DATA_TASK.format(words=words))
    codes = [d.code for d in lint(LintRequest([str(tmp_path)])).diagnostics]
    assert "BGS020" not in codes
    assert codes == (["BGS091"] if "BGS999" in words else [])


# --- 3. suppression verdicts are not cached ----------------------------------------------------------------


def test_a_rule_added_to_the_catalog_is_known_to_a_warm_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "Uploader.swift").write_text(BACKGROUND_DATA_TASK.format(words="BGS020, BGS099"))
    cache = tmp_path / "cache"

    def codes() -> list[str]:
        result = lint(LintRequest([str(source)], cache=DiskCache(cache)))
        return [d.code for d in result.diagnostics]

    assert codes() == ["BGS091"]
    new_rule = RULES_BY_CODE["BGS022"]
    monkeypatch.setitem(RULES_BY_CODE, "BGS099", new_rule)
    monkeypatch.setitem(RULES_BY_NAME, "a-new-rule", new_rule)
    assert codes() == []  # warm cache, the new code is a rule now: nothing is invalid
    monkeypatch.undo()
    assert codes() == ["BGS091"]


# --- 4. separate apps are kept apart ----------------------------------------------------------------------

APP_ONE = {
    "AppDelegate.swift": """import UIKit
@main
final class AppOneDelegate: UIResponder, UIApplicationDelegate {
    var handlers: [String: () -> Void] = [:]
    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,
                     completionHandler: @escaping () -> Void) {
        handlers[identifier] = completionHandler
        _ = Transfers.photos.session
        _ = Transfers.videos.session
    }
}
""",
    "Transfers.swift": """import UIKit
final class Transfers: NSObject, URLSessionDelegate {
    static let photos = Transfers(identifier: "com.example.one.photos")
    static let videos = Transfers(identifier: "com.example.one.videos")
    let identifier: String
    init(identifier: String) { self.identifier = identifier }
    lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.background(withIdentifier: identifier)
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()
    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {
        DispatchQueue.main.async {
            let delegate = UIApplication.shared.delegate as? AppOneDelegate
            if let id = session.configuration.identifier, let handler = delegate?.handlers.removeValue(forKey: id) {
                handler()
            }
        }
    }
}
""",
}
APP_TWO = {
    "AppDelegate.swift": """import UIKit
@main
final class AppTwoDelegate: UIResponder, UIApplicationDelegate {
    var backgroundCompletionHandler: (() -> Void)?
    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,
                     completionHandler: @escaping () -> Void) {
        backgroundCompletionHandler = completionHandler
        _ = Downloader.shared.session
    }
}
""",
    "Downloader.swift": """import UIKit
final class Downloader: NSObject, URLSessionDelegate {
    static let shared = Downloader()
    lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.two")
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()
    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {
        let delegate = UIApplication.shared.delegate as? AppTwoDelegate
        delegate?.backgroundCompletionHandler?()
        delegate?.backgroundCompletionHandler = nil
    }
}
""",
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _keys(diagnostics: list[Diagnostic]) -> set[tuple[object, ...]]:
    return {(d.code, d.path, d.loc.line, d.loc.column, d.message, d.severity) for d in diagnostics}


def test_two_apps_linted_together_report_what_each_reports_alone(tmp_path: Path) -> None:
    one, two = _write(tmp_path / "AppOne", APP_ONE), _write(tmp_path / "AppTwo", APP_TWO)
    alone_two = lint(LintRequest([str(two)], explain=True)).diagnostics
    together = lint(LintRequest([str(one), str(two)], explain=True)).diagnostics
    # AppTwo keeps one optional handler and uses one identifier: correct, whatever AppOne does.
    assert "BGS016" not in {d.code for d in together}
    assert _keys(together) == _keys(lint(LintRequest([str(one)])).diagnostics) | _keys(alone_two)
    # AppTwo's handler is called off the main thread; the trace speaks of AppTwo only.
    traced = [d for d in together if d.code == "BGS014"]
    assert len(traced) == 1 and traced[0].path.startswith(str(two))
    assert traced[0].trace and not any("AppOne" in step or "Transfers" in step for step in traced[0].trace)
    assert traced[0].trace == next(d for d in alone_two if d.code == "BGS014").trace


def test_two_apps_as_top_level_folders_of_one_path_are_kept_apart(tmp_path: Path) -> None:
    _write(tmp_path / "AppOne", APP_ONE)
    _write(tmp_path / "AppTwo", APP_TWO)
    codes = {(d.code, Path(d.path).parent.name) for d in lint(LintRequest([str(tmp_path)])).diagnostics}
    assert ("BGS016", "AppTwo") not in codes and ("BGS014", "AppTwo") in codes


def test_shared_code_of_one_path_joins_each_of_its_apps(tmp_path: Path) -> None:
    # The identifier constant lives in Shared/, used by two apps of one repository: each app resolves it.
    _write(tmp_path / "AppOne", {"AppDelegate.swift": APP_TWO["AppDelegate.swift"].replace("AppTwo", "AppOne")})
    _write(tmp_path / "AppTwo", {"AppDelegate.swift": APP_TWO["AppDelegate.swift"]})
    shared = APP_TWO["Downloader.swift"].replace('"com.example.two"', "Identifiers.downloads")
    _write(tmp_path / "Shared", {"Downloader.swift": shared, "Identifiers.swift": IDENTIFIERS})
    result = lint(LintRequest([str(tmp_path)]))
    assert len(result.summaries) == 2
    for summary in result.summaries:
        assert [site.key for site in summary.config_sites] == [("literal", "com.example.shared")]


IDENTIFIERS = 'enum Identifiers {\n    static let downloads = "com.example.shared"\n}\n'


CASE_LIST = [case for case in cases() if case.code not in ("BGS090", "BGS091")]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    chosen=st.lists(st.sampled_from(CASE_LIST), min_size=2, max_size=5, unique_by=lambda case: case.id),
    cached=st.booleans(),
    parallel=st.booleans(),
)
def test_apps_side_by_side_equal_the_union_of_each(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    chosen: list[Case],
    cached: bool,
    parallel: bool,
) -> None:
    base = tmp_path_factory.mktemp("apps")
    folders = []
    for index, case in enumerate(chosen):
        folder = base / f"app{index}"
        if case.path.is_dir():
            shutil.copytree(case.path, folder)
        else:
            folder.mkdir()
            shutil.copy(case.path, folder / case.path.name)
        folders.append(str(folder))
    cache = DiskCache(base / "cache") if cached else None
    if parallel:
        monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 1)
    jobs = 2 if parallel else 1
    together = lint(LintRequest(folders, cache=cache, jobs=jobs)).diagnostics
    each: set[tuple[object, ...]] = set()
    for folder in folders:
        each |= _keys(lint(LintRequest([folder], cache=cache, jobs=jobs)).diagnostics)
    assert _keys(together) == each


# --- 5. BGS090 and BGS091 are rules like the others ------------------------------------------------------


@pytest.mark.parametrize("code", ["BGS090", "BGS091"])
def test_suppression_rules_are_listed_documented_and_selectable(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["rules"], capsys)
    assert status == 0 and any(line.startswith(code) for line in out.splitlines())
    status, out, _ = run(["rule", code], capsys)
    assert status == 0 and out.startswith(f"{code} {RULES_BY_CODE[code].name} (warning)") and "Bad (Swift)" in out
    status, out, _ = run(["rule", RULES_BY_CODE[code].name], capsys)
    assert status == 0 and out.startswith(code)
    page = ROOT / "docs" / "rules" / f"{code}.md"
    assert page.is_file() and f"[{code}](docs/rules/{code}.md)" in (ROOT / "README.md").read_text()
    assert resolve(RULES_BY_CODE[code].name) == {code} and code in resolve("BGS09")


def test_ignoring_the_suppression_rules_drops_their_findings(tmp_path: Path) -> None:
    (tmp_path / "Uploader.swift").write_text(BACKGROUND_DATA_TASK.format(words="BGS999"))
    codes = [d.code for d in lint(LintRequest([str(tmp_path)], ignore=resolve("invalid-suppression"))).diagnostics]
    assert codes == ["BGS020"]


def test_unknown_selector_error_names_the_word() -> None:
    with pytest.raises(UnknownSelectorError, match="'nope' matches no rule"):
        resolve("nope")
