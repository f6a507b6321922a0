"""From a card's parameters to the arguments of its Keras class, as the spec says."""

from __future__ import annotations

import importlib
from typing import Any

from .. import catalog
from ..catalog.spec import TENSOR, CardSpec, PortSpec

# Factories are only ever looked up under these modules: a card id from a file can
# name a catalog entry, never arbitrary code.
TRUSTED_FACTORY_MODULES = ("keras", "nncards_widget.layers")


def resolve_factory(path: str):
    """The class (or function) at `path`, e.g. "keras.layers.Dense"."""
    module_name, _, attribute = path.rpartition(".")
    if not any(module_name == root or module_name.startswith(root + ".") for root in TRUSTED_FACTORY_MODULES):
        raise ValueError(f"Factory {path!r} is outside {TRUSTED_FACTORY_MODULES}.")
    return getattr(importlib.import_module(module_name), attribute)


def default_object(card_id: str):
    """A new Keras object of the card `card_id` with its default parameters (an unconnected port's default)."""
    spec = catalog.get(card_id)
    arguments, _ = keras_arguments(spec, spec.defaults(), {})
    return resolve_factory(spec.factory)(**arguments)


def port_value(port: PortSpec, value: Any) -> Any:
    """The value Keras receives for a scalar port: lists become tuples, an unset optional list None."""
    if not port.is_list:
        return value
    if not value and port.optional:
        return None
    if port.collapse_single and len(value) == 1:
        return value[0]
    return tuple(value)


def _put(arguments: dict, path: tuple, value: Any) -> None:
    """Set arguments[path[0]][path[1]]... = value, growing nested lists as needed."""
    key, *indices = path
    if not indices:
        arguments[key] = value
        return
    container = arguments.setdefault(key, [])
    for position, index in enumerate(indices):
        while len(container) <= index:
            container.append([] if position < len(indices) - 1 else None)
        if position == len(indices) - 1:
            container[index] = value
        else:
            container = container[index]


def _as_tuples(value: Any) -> Any:
    return tuple(_as_tuples(item) for item in value) if isinstance(value, list) else value


def keras_arguments(spec: CardSpec, params: dict[str, Any], objects: dict[str, Any]) -> tuple[dict, dict]:
    """The constructor and call keyword arguments of the card's Keras class.

    Args:
        spec: the card's spec.
        params: the card's scalar parameters, by port name.
        objects: the Keras objects for the card's object ports (initializers,
            regularizers, constraints, wrapped layer), by port name; a missing
            port is passed as None.
    """
    constructor: dict[str, Any] = {}
    call: dict[str, Any] = {}
    for port in spec.inputs:
        if port.type == TENSOR or not port.keras_path:
            continue
        value = port_value(port, params[port.name]) if port.is_scalar else objects.get(port.name)
        _put(call if port.call_arg else constructor, port.keras_path, value)
    return {key: _as_tuples(value) for key, value in constructor.items()}, call
