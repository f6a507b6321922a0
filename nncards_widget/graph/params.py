"""A card's scalar ports as traitlets that validate like Keras layers do.

A refused value raises `ParameterError` naming the card, the port, what was
received and what was expected, and the card keeps its previous value.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from traitlets import TraitError, TraitType

from ..catalog.spec import BOOLEAN, FLOAT, INTEGER, STRING, PortSpec


class ParameterError(TraitError, ValueError):
    """A value a card's port cannot take."""


def _is_integer(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _bounds(port: PortSpec) -> tuple[str, str]:
    """The words before and after the noun that state a number's bounds."""
    low, high = port.minimum, port.maximum
    if port.type == INTEGER and low == 1 and high is None:
        return "positive ", ""
    upper = f"below {high:g}" if port.exclusive_maximum else f"{high:g}" if high is not None else ""
    if low is not None and high is not None:
        return "", f" from {low:g} to {upper}"
    if low is not None:
        return "", f" of at least {low:g}"
    if high is not None:
        return "", f" of at most {upper}"
    return "", ""


def expectation(port: PortSpec) -> str:
    """What the port accepts, in words: "a positive integer", "a list of 2 positive integers"."""
    if port.choices is not None:
        phrase = "one of " + ", ".join(repr(value) for value in port.choice_values())
    elif port.type == BOOLEAN:
        phrase = "True or False"
    elif port.type == STRING:
        phrase = "a text"
    else:
        noun = "integer" if port.type == INTEGER else "number"
        before, after = _bounds(port)
        if port.is_list:
            count = " or ".join(str(length) for length in port.lengths) if port.lengths else "one or more"
            phrase = f"a list of {count} {before}{noun}s{after}"
            if port.none_entries:
                phrase += " or None"
        else:
            article = "an" if (before or noun)[0] in "aeiou" else "a"
            phrase = f"{article} {before}{noun}{after}"
    if port.optional:
        phrase += " (or an empty list)" if port.is_list else " (or None to leave it unset)"
    return phrase


def _within_bounds(port: PortSpec, value: float) -> bool:
    if port.minimum is not None and value < port.minimum:
        return False
    if port.maximum is not None:
        return value < port.maximum if port.exclusive_maximum else value <= port.maximum
    return True


def _element(port: PortSpec, value: Any) -> tuple[bool, Any]:
    """Whether one value fits the port's type and bounds, and its stored form."""
    if port.type == INTEGER:
        return _is_integer(value) and _within_bounds(port, value), int(value) if _is_integer(value) else value
    if port.type == FLOAT:
        ok = _is_number(value) and not math.isnan(value) and _within_bounds(port, value)
        return ok, float(value) if ok else value
    if port.type == BOOLEAN:
        ok = isinstance(value, (bool, np.bool_))
        return ok, bool(value) if ok else value
    if port.choices is not None:
        return value in port.choice_values(), value
    return isinstance(value, str), value


def coerce(port: PortSpec, value: Any) -> Any:
    """The stored form of `value` for `port`, or ValueError saying what was expected."""
    if value is None and port.optional and not port.is_list:
        return None
    if port.is_list:
        if value is None and port.optional:
            return ()
        # Only ordered sequences: a set has no order, an iterator would be used up by reading it.
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ValueError(expectation(port))
        items = list(value)
        if port.lengths and len(items) not in port.lengths and not (port.optional and not items):
            raise ValueError(expectation(port))
        if not items and not port.optional:
            raise ValueError(expectation(port))
        stored = []
        for item in items:
            if item is None and port.none_entries:
                stored.append(None)
                continue
            ok, item = _element(port, item)
            if not ok:
                raise ValueError(expectation(port))
            stored.append(item)
        return tuple(stored)
    ok, stored = _element(port, value)
    if not ok:
        raise ValueError(expectation(port))
    return stored


class PortParameter(TraitType):
    """The traitlet of one scalar port; its `help` is the port's help text."""

    def __init__(self, port: PortSpec):
        self.port = port
        # An unset optional list is stored as (); letting traitlets accept None would bypass `coerce`.
        super().__init__(default_value=port.default, allow_none=port.optional and not port.is_list, help=port.help)

    def validate(self, obj, value):
        if getattr(obj, "refuse_edits", None) is not None:
            obj.refuse_edits()
        try:
            return coerce(self.port, value)
        except ValueError as expected:
            where = obj.describe() if hasattr(obj, "describe") else type(obj).__name__
            raise ParameterError(
                f"{where}, port {self.port.text!r}: expected {expected}. Received: {self.port.name}={value!r}"
            ) from None
