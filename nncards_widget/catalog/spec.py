"""The shape of a card spec: what a card is, as data.

A `CardSpec` lists a card's ports in Protopipe's order. Scalar input ports become
typed traitlets on the card; object and tensor ports are filled by connections.
Every other part of the package (graph traits, build, JSON, canvas, forms, docs)
reads these specs and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

INTEGER = "Integer"
FLOAT = "Float"
STRING = "String"
BOOLEAN = "Boolean"
TENSOR = "NeuralNetworkTensor"
LAYER = "NeuralNetworkLayer"
INITIALIZER = "NeuralNetworkInitializer"
REGULARIZER = "NeuralNetworkRegularizer"
CONSTRAINT = "NeuralNetworkConstraint"

SCALAR_TYPES = (INTEGER, FLOAT, STRING, BOOLEAN)
OBJECT_TYPES = (LAYER, INITIALIZER, REGULARIZER, CONSTRAINT)
PORT_TYPES = SCALAR_TYPES + (TENSOR,) + OBJECT_TYPES

# Each port type as a student says it, with its article: refusals and prompts use these words.
TYPE_WORDS = {
    INTEGER: "a whole number",
    FLOAT: "a number",
    STRING: "a text",
    BOOLEAN: "a yes/no value",
    TENSOR: "a tensor",
    LAYER: "a layer",
    INITIALIZER: "an initializer",
    REGULARIZER: "a regularizer",
    CONSTRAINT: "a constraint",
}

NOT_PASSED = ()

SINGLE = "1"
LIST = "n"

# How a layer card hands its tensor inputs to the Keras layer's call.
CALL_SINGLE = "single"  # layer(x)
CALL_LIST = "list"  # layer([a, b]): merge layers
CALL_SELF_ATTENTION = "self_attention"  # layer([x, x]): one Input is query and value
CALL_POSITIONAL = "positional"  # layer(query, value): each tensor port is one positional argument

CARD_KINDS = ("input", "output", "layer", "initializer", "regularizer", "constraint")


def snake_case(text: str) -> str:
    """The port name of a port text: "Kernel size" -> "kernel_size", "L" -> "l"."""
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class Choice:
    """One allowed value of a String port and the words shown for it."""

    value: str | None
    label: str


@dataclass(frozen=True)
class PortSpec:
    """One port of a card.

    Attributes:
        text: Protopipe's port text, shown on the card ("Kernel size").
        type: one of `PORT_TYPES`.
        multiplicity: "1" for one value, "n" for a list of values.
        help: what the port means, in our words; forms and tooltips show it.
        default: the value a new card starts with. For initializer ports, the
            catalog id of the card used while the port is unconnected.
        choices: allowed values of a String port.
        optional: whether the port may be left unset (None, or an empty list).
        minimum, maximum: bounds of a number, or of each number in a list.
        exclusive_maximum: whether `maximum` itself is refused (rates < 1).
        lengths: allowed lengths of a list (None: any length of at least one).
        none_entries: a list's entries may be None, Keras's "this axis takes
            the input's size" (a shape's None: any size).
        keras_arg: where the value goes in the Keras constructor. None: the
            keyword named like the port. A tuple path builds nested arguments:
            ("cropping", 0, 1) is cropping[0][1]. NOT_PASSED: the value is only
            checked, never passed (Keras 3 dropped the argument).
        call_arg: the value is an argument of the layer's call, not of its
            constructor (attention's causal mask).
        collapse_single: a list of one number is passed as that number.
    """

    text: str
    type: str
    multiplicity: str = SINGLE
    help: str = ""
    default: Any = None
    choices: tuple[Choice, ...] | None = None
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    exclusive_maximum: bool = False
    lengths: tuple[int, ...] | None = None
    none_entries: bool = False
    keras_arg: tuple | None = None
    call_arg: bool = False
    collapse_single: bool = False
    direction: str = "in"

    @cached_property
    def name(self) -> str:
        return snake_case(self.text)

    @property
    def is_list(self) -> bool:
        return self.multiplicity == LIST

    @property
    def is_scalar(self) -> bool:
        """Edited in place on the card (a number, text, flag, or a list of those)."""
        return self.type in SCALAR_TYPES

    @property
    def is_connectable(self) -> bool:
        return not self.is_scalar

    @property
    def keras_path(self) -> tuple:
        """Where the value goes among the Keras arguments (empty: nowhere)."""
        return (self.name,) if self.keras_arg is None else self.keras_arg

    def choice_values(self) -> tuple:
        return tuple(choice.value for choice in self.choices or ())


@dataclass(frozen=True)
class CardSpec:
    """One card of the catalog.

    Attributes:
        id: Protopipe's card id, e.g. "layer_LocallyConnected2D".
        title: the card's title, e.g. "Locally connected 2D layer".
        category: the catalog path, e.g. ("Layers", "Locally connected layers").
        kind: one of `CARD_KINDS`.
        factory: dotted path of the Keras class (or of our own class in
            `nncards_widget.layers`) the card builds.
        inputs, outputs: the ports, in Protopipe's order.
        help: one sentence on what the card does.
        call: how tensor inputs reach the layer (`CALL_SINGLE`, ...).
        keras_doc: where Keras documents the class.
    """

    id: str
    title: str
    category: tuple[str, ...]
    kind: str
    factory: str | None
    inputs: tuple[PortSpec, ...]
    outputs: tuple[PortSpec, ...]
    help: str = ""
    call: str = CALL_SINGLE
    keras_doc: str = ""

    def port(self, name: str) -> PortSpec:
        for port in self.inputs + self.outputs:
            if port.name == name:
                return port
        raise KeyError(name)

    def has_port(self, name: str) -> bool:
        return any(port.name == name for port in self.inputs + self.outputs)

    @property
    def scalar_inputs(self) -> tuple[PortSpec, ...]:
        return tuple(port for port in self.inputs if port.is_scalar)

    @property
    def connectable_inputs(self) -> tuple[PortSpec, ...]:
        return tuple(port for port in self.inputs if port.is_connectable)

    @property
    def tensor_inputs(self) -> tuple[PortSpec, ...]:
        return tuple(port for port in self.inputs if port.type == TENSOR)

    @property
    def tensor_outputs(self) -> tuple[PortSpec, ...]:
        return tuple(port for port in self.outputs if port.type == TENSOR)

    def call_inputs(self, tensors: list) -> list:
        """The positional arguments of the layer's call, from the tensors of its tensor ports in order
        (a list port's tensors in the order they were connected)."""
        if self.call == CALL_LIST:
            return [list(tensors)]
        if self.call == CALL_SELF_ATTENTION:
            return [[tensors[0], tensors[0]]]
        if self.call == CALL_POSITIONAL:
            return list(tensors)
        return [tensors[0]]

    def defaults(self) -> dict[str, Any]:
        """The scalar parameters of a new card."""
        return {port.name: port.default for port in self.scalar_inputs}
