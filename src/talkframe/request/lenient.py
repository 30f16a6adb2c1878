"""Field types that parse a client's value the way HeyGen does: never refuse what HeyGen accepts.

Each type is declared once, as `Annotated[type, BeforeValidator(...)]`, and used by every field of its kind in
`talkframe.request.model`: numbers sent as strings are read, unparsable optional numbers and booleans become
their defaults, unknown enum values fall back to the default, blanks become None and a non-object where an
object belongs becomes an empty (or no) object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator

T = TypeVar("T")

_TRUE = {"true", "1", "yes", "on"}


def _lenient_float(value: Any, default: float | None) -> float | None:
    if value is None or isinstance(value, bool):
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _number(default: float | None, *, zero_is_default: bool = False) -> BeforeValidator:
    """A float read leniently; `zero_is_default`: 0 (HeyGen's examples send `speed: 0`) also means the default."""

    def parse(value: Any) -> float | None:
        f = _lenient_float(value, default)
        return (f or default) if zero_is_default else f

    return BeforeValidator(parse)


def _whole(value: Any) -> int | None:
    f = _lenient_float(value, None)
    return None if f is None else int(f)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    return isinstance(value, str) and value.strip().lower() in _TRUE


def choose(value: Any, allowed: tuple[str, ...], default: str) -> str:
    """Map a client value onto one of `allowed` (case-insensitively), else the default."""
    if isinstance(value, str):
        for option in allowed:
            if value.strip().lower() == option.lower():
                return option
    return default


def one_of(*allowed: str) -> BeforeValidator:
    """A choice among `allowed`, the first being the default for anything else."""
    return BeforeValidator(lambda value: choose(value, allowed, allowed[0]))


def maybe_one_of(*allowed: str) -> BeforeValidator:
    """A choice among `allowed`, or None for anything else."""
    return BeforeValidator(lambda value: choose(value, allowed, "") or None)


def _or(fallback: Callable[[], Any], kind: type) -> BeforeValidator:
    return BeforeValidator(lambda value: value if isinstance(value, kind) else fallback())


Flag = Annotated[bool, BeforeValidator(_flag)]
"""A boolean: true/false, 1/0, "yes"/"no", "on"/"off"; anything else is False."""

Coordinate = Annotated[float, _number(0.0, zero_is_default=True)]
"""A float that defaults to 0."""

Factor = Annotated[float, _number(1.0, zero_is_default=True)]
"""A multiplier (scale, speed) that defaults to 1; 0 also means 1."""

Seconds = Annotated[float, _number(1.0)]
"""A duration in seconds that defaults to 1 (0 stays 0, for the validation to refuse)."""

FrameRate = Annotated[float, _number(25.0, zero_is_default=True)]

OptionalNumber = Annotated[float | None, _number(None)]

PositiveOrNone = Annotated[float | None, _number(None, zero_is_default=True)]
"""A size that is absent when missing, unparsable or 0."""

OptionalWhole = Annotated[int | None, BeforeValidator(_whole)]

OptionalText = Annotated[str | None, BeforeValidator(lambda value: None if value in ("", None) else str(value))]
"""A string; blank means absent."""

Text = Annotated[str, BeforeValidator(lambda value: "" if value is None else str(value))]

ObjectOrEmpty = Annotated[T, _or(dict, dict)]
"""A nested object; anything but a JSON object gives the object's defaults."""

ObjectOrNone = Annotated[T | None, _or(lambda: None, dict)]
"""A nested object; anything but a JSON object means none."""

ListOrEmpty = Annotated[list[T], _or(list, list)]
