"""CardGraph -> Python source that builds the same Keras model with the functional API.

    >>> print(to_python(g))
    import keras
    <BLANKLINE>
    features = keras.Input(shape=(8,), name='features')
    hidden = keras.layers.Dense(units=4, activation='relu', name='hidden')(features)
    <BLANKLINE>
    model = keras.Model(inputs=features, outputs=hidden)

Training settings other than the defaults (`CardGraph.compile`) add a `model.compile(...)` line.
Variables are named after card keys. An argument is written when Keras requires
it or when it changes the layer's config from Keras' own default (checked on the
built objects, so a card whose default differs from Keras', such as Embedding's
initializer, still writes it). Objects used once (initializers, a wrapped layer)
are written inline, objects used more than once get a variable of their own.
Nested models (`CardGraph.groups`) are written flat: their layers are called where the
nested model would be, so the code builds the same layers, weights and predictions.
"""

from __future__ import annotations

import builtins
import inspect
import keyword
import re
from functools import cache

from .. import catalog
from ..keras_build.keras_args import default_object, keras_arguments, resolve_factory
from ..catalog.spec import INITIALIZER, TENSOR, CardSpec
from ..graph import Card, CardGraph, TrainingSettings
from ..keras_build.compile import CROSSENTROPY_CLASSES, OPTIMIZER_CLASSES, optimizer_arguments

OWN_LAYERS = "nncards_widget.layers"

_ABSENT = object()
# What keras.Input makes unless told otherwise: left out of the code.
_DEFAULT_DTYPE = "float32"


class ExportError(ValueError):
    """A graph that does not make a model, so there is no code to write; says why."""


class _Code:
    """Source text that `keras_arguments` places among argument values and `repr` writes as is."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def to_python(graph: CardGraph) -> str:
    """Readable Python that builds the graph's Keras model and leaves it in a variable named `model`.

    Raises ExportError if the graph has errors, no Output card, or an Output
    card that is not connected.
    """
    result = graph.last_build if graph.auto_build and graph.last_build is not None else graph.build()
    outputs = [card for card in graph.cards if card.spec.kind == "output"]
    if not outputs:
        raise ExportError("The graph has no Output card: connect the last layer's Output to an Output card.")
    if result.errors:
        raise ExportError(f"The graph has errors, so it makes no model: {'; '.join(result.errors.values())}")
    if result.model is None:
        raise ExportError(f"The graph makes no model: {result.why_no_model}.")
    return _Writer(graph, outputs).source()


class _Writer:
    """Writes the cards feeding the Output cards, each after its inputs."""

    def __init__(self, graph: CardGraph, outputs: list[Card]):
        self.graph = graph
        self.outputs = outputs
        feeding = graph.upstream(outputs)
        self.cards = [card for card in graph.topological_order() if card in feeding]
        self.own_classes = sorted(
            {card.spec.factory.rpartition(".")[2] for card in self.cards if _is_own(card.spec.factory)}
        )
        # Shadowing a builtin (an Input card is keyed "input") would confuse whoever edits the code.
        self.taken = {"keras", "model", *self.own_classes, *dir(builtins)}
        self.variables: dict[Card, str] = {}
        self.expressions: dict[Card, str] = {}
        self.lines: list[str] = []

    def source(self) -> str:
        for card in self.cards:
            if card.spec.kind == "input":
                given, _ = keras_arguments(card.spec, card.params, {})
                arguments = {
                    key: value for key, value in given.items() if key != "name" and (key, value) != ("dtype", _DEFAULT_DTYPE)
                }
                arguments["name"] = card.name or card.key
                self._assign(card, f"keras.Input({', '.join(f'{key}={value!r}' for key, value in arguments.items())})")
            elif card.spec.kind != "output":
                self._write(card)
        inputs = [card for card in self.graph.cards if card.spec.kind == "input" and card in self.variables]
        outputs = {(card.name or card.key): self._tensor(card, "data") for card in self.outputs}
        names = [self.variables[card] for card in inputs]
        model_inputs = names[0] if len(names) == 1 else f"[{', '.join(names)}]"
        if len(outputs) == 1:
            model_outputs = next(iter(outputs.values()))
        else:
            model_outputs = "{" + ", ".join(f"{name!r}: {value}" for name, value in outputs.items()) + "}"
        imports = ["import keras"]
        if self.own_classes:
            imports.append(f"from {OWN_LAYERS} import {', '.join(self.own_classes)}")
        return "\n".join(
            [*imports, "", *self.lines, "", f"model = keras.Model(inputs={model_inputs}, outputs={model_outputs})",
             *_compile_lines(self.graph.training), ""]
        )

    def _write(self, card: Card) -> None:
        spec = card.spec
        constructor = self._constructor(card)
        uses = [c for c in self.graph.outgoing(card) if spec.port(c.source_port).type != TENSOR]
        if not any(self.graph.incoming_list(card, port.name) for port in spec.tensor_inputs):
            # Only passed to other cards (an initializer, a wrapped layer): inline if used once.
            self.expressions[card] = self._assign_object(card, constructor) if len(uses) > 1 else constructor
            return
        if uses:
            # Called and also wrapped by another card: the layer object needs a name of its own.
            constructor = self.expressions[card] = self._assign_object(card, constructor)
        tensors = [variable for port in spec.tensor_inputs for variable in self._tensors(card, port.name)]
        call_input = ", ".join(_code_list(argument) for argument in spec.call_inputs(tensors))
        _, call_arguments = keras_arguments(spec, card.params, {})
        defaults = _call_defaults(spec.factory)
        extra = "".join(f", {name}={value!r}" for name, value in call_arguments.items() if value != defaults.get(name))
        self._assign(card, f"{constructor}({call_input}{extra})")

    def _constructor(self, card: Card) -> str:
        code_objects, real_objects = {}, {}
        for port in card.spec.connectable_inputs:
            if port.type == TENSOR:
                continue
            connection = self.graph.incoming(card, port.name)
            if connection is not None:
                code_objects[port.name] = _Code(self.expressions[connection.source])
                real_objects[port.name] = self.graph.keras_object(connection.source)
            elif port.type == INITIALIZER and port.default:
                default = default_object(port.default)
                spec = catalog.get(port.default)
                code_objects[port.name] = _Code(_constructor_text(spec, spec.defaults(), {}, {}, default))
                real_objects[port.name] = default
        name = card.key if card.spec.kind == "layer" else None
        built = self.graph.keras_object(card)
        return _constructor_text(card.spec, card.params, code_objects, real_objects, built, name)

    def _tensor(self, card: Card, port: str) -> str:
        connection = self.graph.incoming(card, port)
        return self.variables[connection.source]

    def _tensors(self, card: Card, port: str) -> list[str]:
        """The variables of the tensors into a port: one, or a list port's in the order they were connected."""
        return [self.variables[connection.source] for connection in self.graph.incoming_list(card, port)]

    def _assign(self, card: Card, expression: str) -> None:
        self.variables[card] = self._identifier(card.key)
        self.lines.append(f"{self.variables[card]} = {expression}")

    def _assign_object(self, card: Card, expression: str) -> str:
        suffix = "_layer" if card.spec.kind == "layer" else ""
        variable = self._identifier(card.key + suffix)
        self.lines.append(f"{variable} = {expression}")
        return variable

    def _identifier(self, key: str) -> str:
        """A free Python name like `key`: "conv-1.a" -> "conv_1_a"."""
        stem = re.sub(r"\W", "_", key)
        if stem[0].isdigit() or keyword.iskeyword(stem):
            stem = f"{stem}_"
        name, number = stem, 1
        while name in self.taken:
            name, number = f"{stem}_{number}", number + 1
        self.taken.add(name)
        return name


def _code_list(argument) -> str:
    """A call argument as source text: a variable, or a list of them."""
    return f"[{', '.join(argument)}]" if isinstance(argument, list) else argument


def _is_own(factory: str | None) -> bool:
    return factory is not None and factory.startswith(OWN_LAYERS + ".")


def _constructor_text(spec: CardSpec, params: dict, code_objects: dict, real_objects: dict, built, name=None) -> str:
    """`factory(argument=value, ...)` with the arguments to write for a card's `built` Keras object.

    code_objects and real_objects: the card's object ports, as source text and as
    the Keras objects the build used.
    """
    code, _ = keras_arguments(spec, params, code_objects)
    real, _ = keras_arguments(spec, params, real_objects)
    written = {key: code[key] for key in _non_default(spec.factory, real, built.get_config())}
    if name is not None:
        written["name"] = name
    callee = spec.factory.rpartition(".")[2] if _is_own(spec.factory) else spec.factory
    return f"{callee}({', '.join(f'{key}={value!r}' for key, value in written.items())})"


@cache
def _required(factory: str) -> tuple[str, ...]:
    """The arguments the Keras class cannot do without."""
    parameters = inspect.signature(resolve_factory(factory)).parameters.values()
    return tuple(p.name for p in parameters if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


@cache
def _call_defaults(factory: str) -> dict:
    parameters = inspect.signature(resolve_factory(factory).call).parameters.values()
    return {p.name: p.default for p in parameters if p.default is not p.empty}


def _non_default(factory: str, arguments: dict, config: dict) -> list[str]:
    """The arguments to write: the required ones, then those whose config entry differs from the one the
    class gives with the arguments written so far, until the written ones give the whole config.

    Repeated because one argument's default can follow another's: MaxPooling2D's strides default to
    its pool size.
    """
    cls = resolve_factory(factory)
    written = set(_required(factory))
    while True:
        reference = cls(**{name: arguments[name] for name in written}).get_config()
        differing = {
            name
            for name in arguments
            if name not in written and config.get(name, _ABSENT) != reference.get(name, _ABSENT)
        }
        if not differing:
            return [name for name in arguments if name in written]
        written |= differing


def _compile_lines(settings: TrainingSettings) -> list[str]:
    """`model.compile(...)` with the graph's training settings, unless they are the defaults."""
    if settings == TrainingSettings():
        return []
    arguments = ", ".join(f"{name}={value!r}" for name, value in optimizer_arguments(settings).items())
    optimizer = f"keras.optimizers.{OPTIMIZER_CLASSES[settings.optimizer].__name__}({arguments})"
    loss = repr(settings.loss)
    if settings.loss in CROSSENTROPY_CLASSES and settings.from_logits:
        loss = f"keras.losses.{CROSSENTROPY_CLASSES[settings.loss].__name__}(from_logits=True)"
    return [f"model.compile(optimizer={optimizer}, loss={loss}, metrics={list(settings.metrics)!r})"]
