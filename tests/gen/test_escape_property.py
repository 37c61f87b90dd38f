"""Every value a user gives the generator is rejected with a clear message or survives into clean code.

Hypothesis draws the identifiers, the prefix, the app delegate's name, the shared container and the
numeric options together, for every language and style, so one template that forgets to escape a value
(a header comment, an Objective-C literal, a Swift literal) shows up as a parse error or a literal that
decodes to something else.
"""

from __future__ import annotations

import math
import unicodedata
from typing import NamedTuple

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bgsession.gen.render import render_files, render_snippet, snippet_names
from bgsession.gen.spec import SessionOptions, SpecError, build_spec
from bgsession.grammars import SourceLanguage
from tests.gen.test_parse_and_escape import assert_parses, literal_values, objc_literal_value, swift_literal_value

# Any text, weighted towards what breaks generated code: quotes, backslashes, comment ends, trigraphs,
# format specifiers, interpolation, line separators and bidirectional controls.
_NASTY = st.sampled_from(['"', "\\", "*/", "/*", "??=", "%@", "\\(", "\n", "\r", "\u2028", "\u202e", "\x00", "é", "🚀"])
_TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=20),
    st.lists(st.one_of(_NASTY, st.text(alphabet="abc.-_", min_size=1, max_size=4)), max_size=6).map("".join),
)
# Identifiers and containers may hold quotes, backslashes and the like: only empty text, white space and
# control characters are refused, so most drawn values reach the templates.
_PRINTABLE = st.lists(
    st.one_of(
        st.sampled_from(['"', "\\", "*/", "/*", "??=", "%@", "\\(", "$(", "é", "🚀", "'", "`"]),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Zs")), min_size=1, max_size=5
        ),
    ),
    min_size=1,
    max_size=6,
).map("".join)
_IDENTIFIER = st.one_of(st.from_regex(r"\A[a-z]{2,5}(\.[a-z0-9-]{1,6}){1,3}\Z"), _PRINTABLE, _PRINTABLE, _TEXT)
_VALID_NAME = st.from_regex(r"\A[A-Z][A-Za-z0-9]{0,8}\Z")
# Each draw of a name or a number is valid about five times in six, so about half the examples are
# accepted whole and reach the templates.
_PREFIX = st.one_of(st.just(""), _VALID_NAME, _VALID_NAME, _VALID_NAME, _VALID_NAME, _TEXT)
_APP_DELEGATE = st.one_of(st.just("AppDelegate"), _VALID_NAME, _VALID_NAME, _VALID_NAME, _VALID_NAME, _TEXT)
_SECONDS = st.floats(min_value=0.001, max_value=1e8)
_TIMEOUT = st.one_of(st.none(), st.none(), _SECONDS, _SECONDS, _SECONDS, st.floats(allow_nan=True, allow_infinity=True))
_CONNECTIONS = st.one_of(st.none(), st.none(), st.integers(1, 1024), st.integers(1, 1024), st.integers(1, 1024),
                         st.integers(-5, 5000))  # fmt: skip
_STYLES = st.sampled_from([("swift", "uikit"), ("swift", "swiftui"), ("swift", "extension"),
                           ("objc", "uikit"), ("objc", "extension")])  # fmt: skip


class Values(NamedTuple):
    """Everything a user chooses, drawn together."""

    lang_style: tuple[str, str]
    identifiers: list[str]
    prefix: str
    app_delegate: str
    container: str | None
    timeout: float | None
    connections: int | None


def check_generated(values: Values) -> bool:
    """Build and render; False when the values are rejected (with a clear one-line message)."""
    lang_style, identifiers, prefix, app_delegate, container, timeout, connections = values
    lang, style = lang_style
    options = SessionOptions(shared_container=container, resource_timeout=timeout, max_connections=connections)
    try:
        spec = build_spec(
            lang=lang, style=style, identifiers=identifiers, prefix=prefix, app_delegate=app_delegate, options=options
        )
    except SpecError as problem:
        event(f"rejected: {str(problem).split(' ')[0]}")
        message = str(problem)
        assert message and "\n" not in message and "Traceback" not in message
        return False
    event("accepted")
    assert timeout is None or (math.isfinite(timeout) and timeout > 0)
    language = SourceLanguage.SWIFT if lang == "swift" else SourceLanguage.OBJC
    decode = swift_literal_value if lang == "swift" else objc_literal_value
    node_type = "line_string_literal" if lang == "swift" else "string_literal"
    opener = '"' if lang == "swift" else '@"'
    decoded: set[str] = set()
    everything = ""
    for generated in render_files(spec):
        assert_parses(generated.name, generated.text)
        everything += generated.text
        raw = literal_values(language, generated.text, node_type)
        decoded |= {decode(literal) for literal in raw if literal.startswith(opener)}
    for identifier in identifiers:
        assert unicodedata.normalize("NFC", identifier) in decoded
    if container is not None:
        assert container in decoded
    if prefix:
        assert f"{prefix}BackgroundSession" in everything
    for name in snippet_names(spec):
        snippet = render_snippet(spec, name)
        assert snippet.strip()
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.builds(
        Values,
        lang_style=_STYLES,
        identifiers=st.lists(_IDENTIFIER, min_size=1, max_size=3, unique=True),
        prefix=_PREFIX,
        app_delegate=_APP_DELEGATE,
        container=st.one_of(st.none(), _IDENTIFIER, _IDENTIFIER),
        timeout=_TIMEOUT,
        connections=_CONNECTIONS,
    )
)
def test_any_values_are_rejected_clearly_or_escaped(values: Values) -> None:
    check_generated(values)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.builds(
        Values,
        lang_style=_STYLES,
        identifiers=st.lists(_PRINTABLE, min_size=1, max_size=3, unique=True),
        prefix=st.one_of(st.just(""), _VALID_NAME),
        app_delegate=st.just("AppDelegate"),
        container=_PRINTABLE,
        timeout=st.one_of(st.none(), _SECONDS),
        connections=st.one_of(st.none(), st.integers(1, 1024)),
    )
)
def test_hostile_but_legal_values_reach_the_code_intact(values: Values) -> None:
    """Quotes, backslashes, comment ends, trigraphs and non-ASCII are legal in identifiers: they must be
    accepted, and come out of the string literals exactly."""
    assert check_generated(values)
