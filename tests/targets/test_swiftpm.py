"""Swift packages by convention, with literal target names and paths read (never run) from Package.swift."""

from __future__ import annotations

from pathlib import Path

from bgsession.lint.targets import Origin, TargetKind, build_map
from bgsession.lint.targets.swiftpm import declared_targets

ROOT = Path(__file__).parent / "data" / "package"


def test_declared_targets_read_only_literal_names_and_paths() -> None:
    declared = declared_targets((ROOT / "Package.swift").read_text())
    assert declared == {
        "Net": (TargetKind.FRAMEWORK, None),
        "Legacy": (TargetKind.FRAMEWORK, "Code/Legacy"),
        "NetTests": (TargetKind.TEST, None),
    }


def test_package_folders_are_targets() -> None:
    target_map = build_map(str(ROOT))
    assert target_map.problems == ()

    def target_of(path: str) -> tuple[str, TargetKind, Origin]:
        (target,) = target_map.targets_of(str(ROOT / path))
        return target.name, target.kind, target.origin

    assert target_of("Sources/Net/Sub/Deep.swift") == ("Net", TargetKind.FRAMEWORK, Origin.SWIFTPM)
    assert target_of("Code/Legacy/Old.swift") == ("Legacy", TargetKind.FRAMEWORK, Origin.SWIFTPM)
    assert target_of("Tests/NetTests/ClientTests.swift") == ("NetTests", TargetKind.TEST, Origin.SWIFTPM)
    # Not declared, but a folder of Sources/: a target by convention.
    assert target_of("Sources/Loose/L.swift") == ("Loose", TargetKind.FRAMEWORK, Origin.SWIFTPM)
    assert target_map.apps() == []


def test_a_manifest_written_in_code_falls_back_to_the_layout() -> None:
    manifest = 'let names = ["A", "B"]\nlet package = Package(name: "P", targets: names.map { .target(name: $0) })'
    assert declared_targets(manifest) == {}
    assert declared_targets('.target(name: "Bad\\(x)")') == {}
    assert declared_targets('.target(name: "Unclosed"') == {}
