"""Every generated variant: language x style (x SwiftUI variant) x one or two identifiers."""

from __future__ import annotations

from bgsession.gen.spec import GenSpec, SessionOptions, build_spec

ONE = ["com.example.app.downloads"]
TWO = ["com.example.app.downloads", "com.example.app.uploads"]

# (name, lang, style, swiftui variant)
SHAPES = [
    ("swift-uikit", "swift", "uikit", "task"),
    ("swift-swiftui-task", "swift", "swiftui", "task"),
    ("swift-swiftui-adaptor", "swift", "swiftui", "adaptor"),
    ("swift-extension", "swift", "extension", "task"),
    ("objc-uikit", "objc", "uikit", "task"),
    ("objc-extension", "objc", "extension", "task"),
]


def variant_spec(lang: str, style: str, variant: str, identifiers: list[str]) -> GenSpec:
    options = SessionOptions()
    if style == "extension":
        options = SessionOptions(shared_container="group.com.example.app")
    if len(identifiers) == 2:
        # The two-identifier variants also exercise every configuration option.
        options = SessionOptions(
            discretionary=True,
            launch_events=True,
            cellular=False,
            resource_timeout=86400,
            max_connections=4,
            shared_container="group.com.example.app",
        )
    return build_spec(lang=lang, style=style, swiftui_variant=variant, identifiers=identifiers, options=options)


VARIANTS = {
    f"{name}-{count}": variant_spec(lang, style, variant, identifiers)
    for name, lang, style, variant in SHAPES
    for count, identifiers in (("one", ONE), ("two", TWO))
}


# watchOS: compiled, linted and golden like the others; its mutants are in tests/gen/test_watchos.py
# (the reference model has no watchOS semantics, so tests/agreement/test_mutation.py leaves it out).
WATCH_VARIANTS = {
    f"{lang}-watchos-{count}": variant_spec(lang, "watchos", "task", identifiers)
    for lang in ("swift", "objc")
    for count, identifiers in (("one", ONE), ("two", TWO))
}

ALL_VARIANTS = VARIANTS | WATCH_VARIANTS
