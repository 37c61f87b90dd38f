"""Host-app dependencies from each lock and manifest format, and the background-transfer library table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgsession.lint.targets import (
    Ecosystem,
    Forwarding,
    Problem,
    hosts,
    libraries_used,
    load_libraries,
    read_dependencies,
)

LOCKS = Path(__file__).parent / "data" / "locks"


def found(folder: str) -> set[tuple[str, str, str | None]]:
    result = read_dependencies(str(LOCKS / folder))
    assert result.problems == ()
    return {(item.ecosystem.value, item.name, item.version) for item in result.items}


def test_react_native_package_json_and_podfile_lock() -> None:
    deps = found("rn")
    assert ("npm", "@kesha-antonov/react-native-background-downloader", "^3.2.6") in deps
    assert ("npm", "react-native-fs", "2.20.0") in deps  # devDependencies
    assert ("cocoapods", "react-native-background-downloader", "3.2.6") in deps
    assert ("cocoapods", "React-Core", "0.74.1") in deps  # subspecs count as their pod, once
    assert ("cocoapods", "Tiercel", "3.2.5") in deps  # quoted entries
    assert not any(name == "boost" and eco == "npm" for eco, name, _ in deps)
    # node_modules is never read.
    assert not any(name == "react-native-background-upload" for _, name, _ in deps)


def test_pubspec_lock_and_yaml() -> None:
    deps = found("flutter")
    assert ("pub", "flutter_downloader", "1.11.8") in deps  # from the lock
    assert ("pub", "background_downloader", "8.5.5") in deps
    assert ("pub", "flutter_downloader", "^1.11.8") in deps  # from pubspec.yaml
    assert ("pub", "http", "1.2.1") in deps
    assert ("pub", "flutter_test", None) in deps
    assert not any(name in {"sdk", "uses-material-design"} for _, name, _ in deps)


def test_package_resolved_versions_one_and_three() -> None:
    assert found("spm1") == {("swiftpm", "tiercel", "3.2.5")}
    assert found("spm2") == {("swiftpm", "alamofire", "5.9.1"), ("swiftpm", "tiercel", "3.2.5")}


def test_cartfile_resolved() -> None:
    assert found("carthage") == {("carthage", "TWRDownloadManager", "1.1.0"), ("carthage", "HWIFileDownload", "3.5")}


def test_libraries_used_by_each_app() -> None:
    rn = libraries_used(read_dependencies(str(LOCKS / "rn")).items)
    assert {library.name for library, _ in rn} == {
        "react-native-background-downloader (kesha-antonov)",
        "react-native-background-downloader (EkoLabs)",  # the same pod name
        "react-native-fs",
        "Tiercel",
    }
    flutter = libraries_used(read_dependencies(str(LOCKS / "flutter")).items)
    assert {library.forwarding for library, _ in flutter} == {Forwarding.PLUGIN_CHAIN}
    spm = libraries_used(read_dependencies(str(LOCKS / "spm2")).items)
    assert [library.name for library, _ in spm] == ["Tiercel"]


def test_the_table_has_eight_or_more_cited_libraries() -> None:
    libraries = load_libraries()
    assert len(libraries) >= 8
    assert len({library.name for library in libraries}) == len(libraries)
    requiring = [library for library in libraries if library.forwarding in (Forwarding.CALL, Forwarding.ASSIGN)]
    assert len(requiring) >= 8
    for library in libraries:
        assert library.source.startswith("https://github.com/") and library.section
        if library.forwarding is Forwarding.PLUGIN_CHAIN:
            assert library.base_class == "FlutterAppDelegate"
    ecosystems = {ecosystem for library in libraries for ecosystem, _ in library.packages}
    assert ecosystems >= {Ecosystem.NPM, Ecosystem.PUB, Ecosystem.COCOAPODS, Ecosystem.SWIFTPM}
    kesha = next(library for library in libraries if "kesha" in library.name)
    assert kesha.objc == (
        "[RNBackgroundDownloader setCompletionHandlerWithIdentifier:identifier completionHandler:completionHandler];"
    )


def test_a_bad_table_row_is_refused() -> None:
    row = {"name": "x", "npm": ["x"], "forwarding": "call", "source": "s", "section": "s"}
    with pytest.raises(ValueError, match="receiver"):
        hosts.parse_libraries({"library": [row]})
    with pytest.raises(ValueError, match="unknown keys"):
        hosts.parse_libraries({"library": [{**row, "forwarding": "none", "typo": 1}]})


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("package.json", "{not json", "not valid JSON"),
        ("package.json", "[" * 100000 + "]" * 100000, "nested too deeply"),
        ("package.json", "[]", "not a JSON object"),
        ("Podfile.lock", "DEPENDENCIES:\n  - A\n", "no PODS: section"),
        ("pubspec.lock", "sdks:\n  dart: any\n", "no packages: section"),
        ("Package.resolved", json.dumps({"version": 2}), "has no pins"),
        ("Package.resolved", "\x00\x01", "binary"),
    ],
)
def test_a_malformed_lock_file_is_a_problem(tmp_path: Path, name: str, content: str, words: str) -> None:
    (tmp_path / name).write_text(content)
    result = read_dependencies(str(tmp_path))
    (problem,) = result.problems
    assert isinstance(problem, Problem) and words in problem.message and problem.path == str(tmp_path / name)


def test_an_oversized_lock_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hosts, "LOCK_LIMIT", 10)
    (tmp_path / "package.json").write_text('{"dependencies": {"react-native-fs": "1"}}')
    (problem,) = read_dependencies(str(tmp_path)).problems
    assert "larger than" in problem.message


def test_forwarding_for_an_optional_feature_is_marked() -> None:
    by_name = {library.name: library for library in load_libraries()}
    assert by_name["react-native-fs"].optional == "downloadFile with background: true"
    assert by_name["Tiercel"].optional is None
