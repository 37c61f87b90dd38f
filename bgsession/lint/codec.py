"""FileFacts to JSON-ready data and back, driven by the annotations in facts.py and strict on the way in.

The facts cache stores data, never code: an entry is a JSON document (parsed by the standard library)
that this module checks value by value against the types the facts declare. NamedTuples and Loc become
lists of their fields in order, enums their values, frozensets sorted lists; anything else (a wrong
type, a missing or extra field, an unknown enum value, a bool where an int belongs) raises
DecodeError, which the cache treats as a miss. `SCHEMA` is a digest of the type structure, so any
change to a fact's shape changes every cache key.
"""

from __future__ import annotations

import hashlib
import types
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from bgsession.lint.facts import FileFacts

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


class DecodeError(ValueError):
    """The data is not the encoding of a FileFacts."""


def _is_namedtuple(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


def _hints(kind: type) -> list[tuple[str, Any]]:
    hints = get_type_hints(kind)
    if _is_namedtuple(kind):
        names: tuple[str, ...] = getattr(kind, "_fields")
        return [(name, hints[name]) for name in names]
    return [(field.name, hints[field.name]) for field in fields(kind)]


@cache
def _codec(kind: Any) -> tuple[Encoder, Decoder, str]:
    """(encode, decode, a description of the shape) for one annotated type."""
    origin = get_origin(kind)
    if kind is str or kind is int or kind is bool or kind is type(None):
        return _scalar(kind)
    if origin in (Union, types.UnionType):
        return _optional(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum(kind)
    if origin is Literal:
        return _literal(kind)
    if origin is tuple:
        return _tuple(kind)
    if origin is frozenset:
        return _frozenset(kind)
    if _is_namedtuple(kind) or (isinstance(kind, type) and is_dataclass(kind)):
        return _record(kind)
    raise TypeError(f"no cache encoding for {kind!r}")


def _scalar(kind: type) -> tuple[Encoder, Decoder, str]:
    def decode(value: Any) -> Any:
        # JSON true is a Python bool, which is also an int: an int field must not accept it.
        if type(value) is not kind:
            raise DecodeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return (lambda value: value), decode, kind.__name__


def _optional(kind: Any) -> tuple[Encoder, Decoder, str]:
    members = [member for member in get_args(kind) if member is not type(None)]
    if len(members) != 1 or len(get_args(kind)) != 2:
        raise TypeError(f"only `X | None` unions are encoded, not {kind!r}")
    encode_inner, decode_inner, shape = _codec(members[0])

    def encode(value: Any) -> Any:
        return None if value is None else encode_inner(value)

    def decode(value: Any) -> Any:
        return None if value is None else decode_inner(value)

    return encode, decode, f"?{shape}"


def _enum(kind: type[Enum]) -> tuple[Encoder, Decoder, str]:
    by_value = {member.value: member for member in kind}

    def decode(value: Any) -> Any:
        if type(value) is not str or value not in by_value:
            raise DecodeError(f"not a {kind.__name__}: {value!r}")
        return by_value[value]

    return (lambda value: value.value), decode, f"{kind.__name__}{sorted(by_value)}"


def _literal(kind: Any) -> tuple[Encoder, Decoder, str]:
    """A closed set of strings (facts.py's Literal aliases): stored as the string, checked on the way in."""
    allowed = frozenset(get_args(kind))
    if not all(type(value) is str for value in allowed):
        raise TypeError(f"only string literals are encoded, not {kind!r}")

    def decode(value: Any) -> Any:
        if type(value) is not str or value not in allowed:
            raise DecodeError(f"not one of {sorted(allowed)}: {value!r}")
        return value

    return (lambda value: value), decode, f"Literal{sorted(allowed)}"


def _tuple(kind: Any) -> tuple[Encoder, Decoder, str]:
    arguments = get_args(kind)
    if len(arguments) == 2 and arguments[1] is Ellipsis:
        encode_item, decode_item, shape = _codec(arguments[0])

        def encode_all(value: Any) -> Any:
            return [encode_item(item) for item in value]

        def decode_all(value: Any) -> Any:
            if type(value) is not list:
                raise DecodeError("expected a list")
            return tuple([decode_item(item) for item in value])

        return encode_all, decode_all, f"({shape}...)"
    codecs = [_codec(argument) for argument in arguments]
    decoders = [codec[1] for codec in codecs]

    def encode_fixed(value: Any) -> Any:
        return [codec[0](item) for codec, item in zip(codecs, value, strict=True)]

    def decode_fixed(value: Any) -> Any:
        if type(value) is not list or len(value) != len(codecs):
            raise DecodeError(f"expected a list of {len(codecs)}")
        return tuple([decode(item) for decode, item in zip(decoders, value, strict=True)])

    return encode_fixed, decode_fixed, "(" + ",".join(codec[2] for codec in codecs) + ")"


def _frozenset(kind: Any) -> tuple[Encoder, Decoder, str]:
    encode_item, decode_item, shape = _codec(get_args(kind)[0])

    def encode(value: Any) -> Any:
        return sorted(encode_item(item) for item in value)

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise DecodeError("expected a list")
        return frozenset([decode_item(item) for item in value])

    return encode, decode, f"{{{shape}}}"


def _record(kind: type) -> tuple[Encoder, Decoder, str]:
    members = _hints(kind)
    names = [name for name, _ in members]
    # Resolved lazily: a record may contain itself only through another record, never directly.
    codecs = [_codec(annotation) for _, annotation in members]
    decoders = [codec[1] for codec in codecs]
    count = len(codecs)

    def encode(value: Any) -> Any:
        return [codec[0](getattr(value, name)) for codec, name in zip(codecs, names, strict=True)]

    def decode(value: Any) -> Any:
        # List comprehensions over the length just checked: a warm run decodes every cached file's facts.
        if type(value) is not list or len(value) != count:
            raise DecodeError(f"expected the {count} fields of {kind.__name__}")
        return kind(*[decode(item) for decode, item in zip(decoders, value, strict=True)])

    shape = f"{kind.__name__}(" + ",".join(f"{name}:{codec[2]}" for name, codec in zip(names, codecs, strict=True))
    return encode, decode, shape + ")"


def encode(facts: FileFacts) -> Any:
    return _codec(FileFacts)[0](facts)


def decode(data: Any) -> FileFacts:
    try:
        facts = _codec(FileFacts)[1](data)
    except (TypeError, ValueError) as problem:  # a constructor's own check, a bad enum value
        raise DecodeError(str(problem)) from problem
    if not isinstance(facts, FileFacts):  # pragma: no cover - _record builds the class it was given
        raise DecodeError("not a FileFacts")
    return facts


SCHEMA = hashlib.sha256(_codec(FileFacts)[2].encode()).hexdigest()[:16]
