"""keras.Model -> CardGraph: one card per layer, with its parameters, wiring and, if asked, weights.

    >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="relu", name="hidden")])
    >>> g = from_keras(model, weights=True)
    >>> g["hidden"].units, g["hidden"].activation
    (4, 'relu')

The inverse of `keras_build.keras_args`: a port's value is read from `get_config()` at
the port's keras path. Each card is then checked by building its Keras object back
from the card and comparing the two configs, so whatever a card cannot represent
(an argument it has no port for, a value outside its choices) is an error naming
the layer and the argument, never a silent change.

The wiring is read from `model.get_config()` (the inbound nodes Keras saves models
with). The layers of nested Sequential and functional models become cards of the outer
graph, drawn in a frame for each nested model; the graph records each nested model
(`CardGraph.groups`: its class, name and cards), and its keras.Model holds them nested
again (keras_build/nesting.py).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import keras
import numpy as np

from .. import catalog
from ..keras_build.keras_args import keras_arguments, resolve_factory
from ..catalog.spec import CALL_LIST, CALL_POSITIONAL, CALL_SELF_ATTENTION, CONSTRAINT, INITIALIZER, LAYER, REGULARIZER, TENSOR
from ..catalog.spec import CardSpec, PortSpec
from ..graph import FUNCTIONAL, SEQUENTIAL, CardGraph, Group, GroupError
from ..graph.graph import takes_many, takes_prepared
from ..graph.params import coerce
from ..layout import arrange
from .loading import cycle_collector_paused

_ABSENT = object()
_KINDS = {INITIALIZER: "initializer", REGULARIZER: "regularizer", CONSTRAINT: "constraint"}


class KerasImportError(ValueError):
    """A Keras model, or a part of one, that cards cannot represent; says which layer and why."""


@dataclass(eq=False)
class _PlannedCard:
    """A card to add: its spec, parameters, where its inputs come from, and the layer it stands for.

    key is the Keras layer's name for layers and inputs; outputs and object cards
    (initializers, ...) get a free key made from `stem` once every layer key is known.
    """

    spec: CardSpec
    params: dict
    key: str | None = None
    stem: str = ""
    layer: Any = None
    inputs: list = field(default_factory=list)  # (source card, source port, own port)
    prepared: Any = None  # the layer the card's parameters made when checked: the build calls it


@dataclass(eq=False)
class _PlannedGroup:
    """A nested model read: what becomes its `Group` once its cards are planned."""

    model_class: str
    name: str
    parent: str | None
    inputs: tuple
    feeds: list
    members: list = field(default_factory=list)
    outputs: list = field(default_factory=list)

    def group(self) -> Group:
        members, feeds, outputs = ([card.key for card in cards] for cards in (self.members, self.feeds, self.outputs))
        return Group(self.model_class, self.name, tuple(members), self.parent, self.inputs, tuple(feeds), tuple(outputs))


@dataclass(frozen=True)
class _Source:
    """An output port of a planned card: what a Keras tensor of the model becomes."""

    card: _PlannedCard
    port: str


def from_keras(model, weights: bool = False) -> CardGraph:
    """The card graph of a Sequential or functional Keras model.

    Layer names become card keys. With `weights=True` the rebuilt layers also take
    the model's weights, so the graph's model predicts exactly as `model` does.

    Raises KerasImportError, naming the layer and the argument, for anything the
    cards cannot represent: a layer or initializer without a card, a value or
    argument a card has no port for, a layer called more than once.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"from_keras expects a keras.Model. Received: {type(model).__name__}")
    with cycle_collector_paused():
        return _graph_of(model, weights)


def _graph_of(model, weights: bool) -> CardGraph:
    reader = _Reader()
    outputs = reader.read_model(model, feeds=None)
    for name, source in outputs:
        output = _PlannedCard(catalog.get("output"), {"name": name}, stem="output")
        output.inputs.append((source.card, source.port, "data"))
        reader.register(output)
    _name_unnamed(reader.cards)
    # Built once, explicitly, after every card is in: as when a saved graph is loaded.
    graph = CardGraph(auto_build=False)
    with graph.hold():
        cards = {}
        for planned in reader.cards:
            try:
                cards[planned] = graph.add(planned.spec.id, key=planned.key, **planned.params)
            except ValueError as error:
                raise KerasImportError(f"Layer {planned.key!r}: {error}") from None
        for planned in reader.cards:
            for source, source_port, port in planned.inputs:
                graph.connect(cards[source], source_port, cards[planned], port)
        graph.offer_prepared({cards[planned]: planned.prepared for planned in reader.cards if planned.prepared is not None})
        try:
            graph.set_groups(planned.group() for planned in reader.groups)
        except GroupError as error:
            raise KerasImportError(f"Model {model.name!r}: {error}") from None
    result = graph.build()
    # Laid out once the build has given every card its output shapes, which widen the cards.
    arrange(graph)
    graph.auto_build = True
    if not result.ok:
        problems = "; ".join(result.errors.values()) or result.model_error or "no model was built"
        raise KerasImportError(f"The cards imported from model {model.name!r} do not build: {problems}")
    if weights:
        for planned in reader.cards:
            if isinstance(planned.layer, keras.layers.Layer):
                graph.keras_object(cards[planned]).set_weights(planned.layer.get_weights())
    return graph


class _Reader:
    """Walks a model and plans its cards, in an order where every card follows its tensor inputs."""

    def __init__(self):
        self.cards: list[_PlannedCard] = []
        self.groups: list[_PlannedGroup] = []
        # The nested models being read, innermost last: each card of a layer called goes to the last.
        self._within: list[_PlannedGroup] = []

    def register(self, card: _PlannedCard) -> None:
        """Plan `card`, then the object and wrapped-layer cards connected to it."""
        self.cards.append(card)
        for source, _, port in card.inputs:
            if card.spec.port(port).type != TENSOR:
                self.register(source)

    # Models

    def read_model(self, model, feeds: list | None) -> list[tuple[str, _Source]]:
        """Plan the cards of `model`; its outputs as (name, source).

        feeds: for a nested model, the sources its inputs are called on; None for
        the model itself, whose inputs become Input cards.
        """
        if isinstance(model, keras.Sequential):
            return self._read_sequential(model, feeds)
        config = model.get_config()
        if "input_layers" not in config:
            raise KerasImportError(
                f"Model {model.name!r} ({type(model).__name__}) is a subclassed keras.Model, whose layers and "
                "wiring Keras does not expose; from_keras reads Sequential and functional models."
            )
        # Operations too: what Keras records for x + y on tensors is an operation, not a layer.
        layers = {operation.name: operation for operation in model.operations}
        entries = {entry["name"]: entry for entry in config["layers"]}
        input_refs = [ref for _, ref in _named_refs(config["input_layers"])]
        if feeds is None:
            feeds = [self._input(entries[ref[0]]["config"]) for ref in input_refs]
        elif len(feeds) != len(input_refs):
            raise KerasImportError(
                f"Model {model.name!r} has {len(input_refs)} inputs but is called on {len(feeds)} tensors."
            )
        tensors = {(ref[0], 0): feed for ref, feed in zip(input_refs, feeds)}
        for entry in config["layers"]:
            if entry["class_name"] == "InputLayer":
                continue
            layer = layers[entry["name"]]
            nodes = entry["inbound_nodes"]
            if len(nodes) != 1:
                raise KerasImportError(
                    f"Layer {layer.name!r} ({type(layer).__name__}) is called {len(nodes)} times in model "
                    f"{model.name!r}: a shared layer cannot be one card. Give each call its own layer."
                )
            args = _sources(nodes[0]["args"], tensors)
            kwargs = _sources(nodes[0]["kwargs"], tensors)
            for index, source in enumerate(self._apply(layer, args, kwargs)):
                tensors[(layer.name, index)] = source
        return [(name, tensors[(ref[0], ref[2])]) for name, ref in _named_refs(config["output_layers"])]

    def _read_sequential(self, model, feeds: list | None) -> list[tuple[str, _Source]]:
        entries = model.get_config()["layers"]
        if feeds is None:
            if not entries or entries[0]["class_name"] != "InputLayer":
                raise KerasImportError(
                    f"Sequential model {model.name!r} has no input shape yet: start it with keras.Input(shape) "
                    "or call model.build((None, ...)) first."
                )
            feeds = [self._input(entries[0]["config"])]
        sources = feeds
        for layer in model.layers:
            sources = self._apply(layer, [sources[0] if len(sources) == 1 else sources], {})
        return [(source.card.key, source) for source in sources]

    def _apply(self, layer, args: list, kwargs: dict) -> list[_Source]:
        """The sources of what `layer` returns when called on `args`: one per output tensor."""
        if isinstance(layer, keras.Model):
            _refuse_call_arguments(layer, kwargs, {})
            model_class = SEQUENTIAL if isinstance(layer, keras.Sequential) else FUNCTIONAL
            inputs = tuple(tensor._keras_history.operation.name for tensor in keras.tree.flatten(layer.inputs))
            feeds = _flatten(args)
            parent = self._within[-1].name if self._within else None
            group = _PlannedGroup(model_class, layer.name, parent, inputs, [feed.card for feed in feeds if isinstance(feed, _Source)])
            self.groups.append(group)
            self._within.append(group)
            try:
                sources = [source for _, source in self.read_model(layer, feeds)]
                group.outputs = [source.card for source in sources]
                return sources
            finally:
                self._within.pop()
        source = self._call(layer, args, kwargs)
        if self._within:
            self._within[-1].members.append(source.card)
        return [source]

    # Cards

    def _input(self, config: dict) -> _Source:
        name = config["name"]
        where = f"Input {name!r}"
        shape = config["batch_shape"][1:]

        def read(spec):
            params = {"shape": _scalar(spec, spec.port("shape"), shape, where, "shape")}
            if spec.has_port("dtype"):
                params["dtype"] = _scalar(spec, spec.port("dtype"), config["dtype"], where, "dtype")
            arguments, _ = keras_arguments(spec, {**spec.defaults(), **params}, {})
            # keras.Input, which the Input cards call, makes this InputLayer.
            _compare(spec, config, keras.layers.InputLayer(**{**arguments, "name": name}).get_config(), where)
            return _PlannedCard(spec, params, key=name)

        card = _first_that_fits(_INPUT_SPECS, read)
        self.register(card)
        return _Source(card, "data")

    def _call(self, layer, args: list, kwargs: dict) -> _Source:
        where = f"Layer {layer.name!r} ({type(layer).__name__})"

        def read(spec):
            card, rebuilt = self._read_as(spec, layer, layer.name, where)
            if isinstance(rebuilt, keras.layers.Layer) and takes_prepared(spec):
                card.prepared = rebuilt
            call_ports = {port.keras_path[0]: port for port in spec.inputs if port.call_arg}
            tensors, given = _positional_numbers(spec, args, kwargs, call_ports)
            for port in call_ports.values():
                value = given.get(port.keras_path[0], port.default)
                card.params[port.name] = _scalar(spec, port, value, where, port.keras_path[0])
            _refuse_call_arguments(layer, given, call_ports)
            card.inputs[:0] = _call_inputs(spec, tensors, where)
            return card

        card = _first_that_fits(_specs_of(layer, "layer", where), read)
        card.layer = layer
        self.register(card)
        return _Source(card, "output")

    def _read(self, obj, kind: str, key: str | None, where: str, check: bool = True) -> tuple[_PlannedCard, Any]:
        """The card of a Keras layer, initializer, regularizer or constraint: the first of its class's cards
        that represents it (see `_read_as`)."""
        return _first_that_fits(_specs_of(obj, kind, where), lambda spec: self._read_as(spec, obj, key, where, check))

    def _read_as(self, spec: CardSpec, obj, key: str | None, where: str, check: bool = True) -> tuple[_PlannedCard, Any]:
        """The `spec` card of a Keras object, with the cards on its object ports; and the object built back
        from the card, whose config must equal `obj`'s (if `check`).

        Numbers are first read as typed (0.01 for the 0.009999999776482582 a regularizer keeps); where
        that builds another config (a variance of 3291.890625 given as such), as they are.
        """
        try:
            return self._read_numbers(spec, obj, key, where, check, typed=True)
        except KerasImportError:
            return self._read_numbers(spec, obj, key, where, check, typed=False)

    def _read_numbers(self, spec, obj, key, where, check, typed: bool) -> tuple[_PlannedCard, Any]:
        config = obj.get_config()
        card = _PlannedCard(spec, {}, key=key, stem=key or "")
        objects, wrapped = {}, []
        for port in spec.inputs:
            if port.type == TENSOR:
                continue
            if port.call_arg or not port.keras_path:
                # Not in the config: a call's argument comes with the call, a check-only port keeps its default.
                card.params[port.name] = port.default
                continue
            value = _at(config, port.keras_path)
            argument = _path_text(port.keras_path)
            if port.is_scalar and value is _ABSENT:
                card.params[port.name] = port.default
            elif port.is_scalar:
                card.params[port.name] = _scalar(spec, port, _shortest(value) if typed else value, where, argument)
            elif port.type == LAYER:
                inner, inner_where, objects[port.name] = self._wrapped(card, port, value, where)
                wrapped.append((inner, inner_where, port.keras_path[0]))
            elif value is not _ABSENT and value is not None:
                objects[port.name] = self._object_port(card, port, value, where, argument)
        arguments, _ = keras_arguments(spec, card.params, objects)
        if spec.kind == "layer":
            arguments["name"] = key
        rebuilt = resolve_factory(spec.factory)(**arguments)
        rebuilt_config = rebuilt.get_config()
        # A wrapper's config holds its layer's: compare those first, to name the wrapped layer's own argument.
        for inner, inner_where, argument in wrapped:
            _compare(inner.spec, config[argument]["config"], rebuilt_config[argument]["config"], inner_where)
        if check:
            _compare(spec, config, rebuilt_config, where)
        return card, rebuilt

    def _wrapped(self, card: _PlannedCard, port: PortSpec, serialized: dict, where: str):
        """The card of the layer a wrapper keeps at `port`, where it is described, and its rebuilt object.

        Its config is checked by the wrapper, as the wrapper may set some of it
        (Bidirectional zeroes masked outputs).
        """
        value = _deserialize(serialized, where, port.keras_path[0])
        # Bidirectional keeps a copy of its layer named "forward_<name>".
        name = value.name.removeprefix("forward_") if card.spec.id == "layer_Bidirectional" else value.name
        inner_where = f"Layer {name!r} ({type(value).__name__}), wrapped by {where}"
        inner, rebuilt = self._read(value, "layer", name, inner_where, check=False)
        card.inputs.append((inner, inner.spec.outputs[0].name, port.name))
        return inner, inner_where, rebuilt

    def _object_port(self, card: _PlannedCard, port: PortSpec, serialized: dict, where: str, argument: str):
        """Connect the card of the object Keras keeps at `argument` to `port`, unless it is the port's
        default; the object built back from the card."""
        value = _deserialize(serialized, where, argument)
        inner_where = f"{where}, argument {argument!r} ({type(value).__name__})"
        inner, rebuilt = self._read(value, _KINDS[port.type], None, inner_where)
        inner.stem = f"{card.stem}_{port.name}"
        if not (port.type == INITIALIZER and inner.spec.id == port.default and inner.params == inner.spec.defaults()):
            card.inputs.append((inner, inner.spec.outputs[0].name, port.name))
        return rebuilt


_INPUT_SPECS = tuple(spec for spec in catalog.all() if spec.kind == "input")


@cache
def _specs_by_class() -> dict[type, tuple[CardSpec, ...]]:
    """Each class's cards in catalog order: Protopipe's first, then a "keras_" card with what it lacks."""
    specs: dict[type, tuple[CardSpec, ...]] = {}
    for spec in catalog.all():
        if spec.kind not in ("input", "output"):
            cls = resolve_factory(spec.factory)
            specs[cls] = specs.get(cls, ()) + (spec,)
    return specs


def _specs_of(obj, kind: str, where: str) -> tuple[CardSpec, ...]:
    """The cards of exactly this class (a subclass may behave differently)."""
    specs = _specs_by_class().get(type(obj), ())
    if not specs or specs[0].kind != kind:
        known = sorted(cls.__name__ for cls, specs in _specs_by_class().items() if specs[0].kind == kind)
        raise KerasImportError(f"{where} has no card; nncards_widget has {kind} cards for: {', '.join(known)}.")
    return specs


def _first_that_fits(specs: tuple[CardSpec, ...], read):
    """read(spec) for the first of `specs` it succeeds for; else the last one's KerasImportError, which
    comes from the card that takes the most arguments."""
    for spec in specs[:-1]:
        try:
            return read(spec)
        except KerasImportError:
            continue
    return read(specs[-1])


def _deserialize(serialized: dict, where: str, argument: str):
    try:
        return keras.saving.deserialize_keras_object(serialized)
    except Exception as error:  # noqa: BLE001 - whatever Keras cannot read back is the same problem
        raise KerasImportError(f"{where}: argument {argument!r} could not be read back: {error}") from None


def _at(config: dict, path: tuple):
    """config[path[0]][path[1]]..., or _ABSENT where Keras leaves the argument out."""
    value = config
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return _ABSENT
    return value


def _path_text(path: tuple) -> str:
    """("cropping", 0, 1) -> "cropping[0][1]"."""
    return path[0] + "".join(f"[{index}]" for index in path[1:])


def _shortest(value):
    """A number Keras kept as a 32-bit float (0.009999999776482582 for 0.01) as the shortest decimal that
    gives the same 32-bit float (0.01): the value a person typed. Any other value is returned as it is."""
    if isinstance(value, float) and not isinstance(value, bool) and float(np.float32(value)) == value:
        return float(np.format_float_positional(np.float32(value), unique=True))
    if isinstance(value, (list, tuple)):
        return type(value)(_shortest(item) for item in value)
    return value


def _scalar(spec: CardSpec, port: PortSpec, value, where: str, argument: str):
    """The card's value for Keras' `value`, or KerasImportError if the port cannot hold it."""
    card_value = value
    if port.is_list and port.collapse_single and isinstance(value, (int, float)):
        card_value = (value,)
    elif not port.is_list and isinstance(value, (list, tuple)) and len(value) == 1:
        # Keras keeps a 1D window or stride as a 1-tuple: kernel_size=(3,).
        card_value = value[0]
    try:
        return coerce(port, card_value)
    except ValueError as expected:
        raise KerasImportError(
            f"{where}: argument {argument!r} is {value!r}, which the {spec.title} card cannot represent "
            f"(port {port.text!r} expects {expected})."
        ) from None


def _plain(value):
    """A config to compare by content: tuples as lists, without the input shapes that a built
    layer nested in a wrapper's config records (its "build_config")."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if key != "build_config"}
    return value


def _one_as_itself(value):
    """[x] -> x: where Keras takes an axis list or one axis alike, and a built layer keeps the list."""
    return value[0] if isinstance(value, (list, tuple)) and len(value) == 1 else value


@cache
def _collapsible(spec: CardSpec) -> frozenset:
    return frozenset(port.keras_path[0] for port in spec.inputs if port.collapse_single and len(port.keras_path) == 1)


def _compare(spec: CardSpec, original: dict, rebuilt: dict, where: str) -> None:
    """Refuse a Keras object whose config differs from the one its card builds (names aside)."""
    collapsible = _collapsible(spec)

    def same(name):
        before, after = original.get(name, _ABSENT), rebuilt.get(name, _ABSENT)
        if name in collapsible:
            before, after = _one_as_itself(before), _one_as_itself(after)
        return _plain(before) == _plain(after)

    differences = [
        f"{name}={original.get(name)!r} (it builds {name}={rebuilt.get(name)!r})"
        for name in {**original, **rebuilt}
        if name != "name" and not same(name)
    ]
    if differences:
        raise KerasImportError(f"{where}: the {spec.title} card cannot represent {'; '.join(differences)}.")


# What Keras itself records for a plain symbolic call: training=False for Dropout and friends.
_KERAS_CALL_DEFAULTS = {"training": False}


@cache
def _call_defaults(cls) -> dict:
    """The defaults of a class's call arguments, which Keras records for a plain call too
    (training=True for the augmentation layers)."""
    parameters = inspect.signature(cls.call).parameters.values()
    return {p.name: p.default for p in parameters if p.default is not p.empty}


def _refuse_call_arguments(layer, kwargs: dict, call_ports: dict) -> None:
    """Keras records the call's keyword arguments, unset ones as None (mask=None): only set ones matter."""
    defaults = _call_defaults(type(layer))
    extra = {
        name: value
        for name, value in kwargs.items()
        if name not in call_ports
        and any(leaf is not None for leaf in _flatten(value))
        and not (name in defaults and value is defaults[name])
        and not (name in _KERAS_CALL_DEFAULTS and value == _KERAS_CALL_DEFAULTS[name])
    }
    if extra:
        shown = ", ".join(f"{name}={_describe([value])}" for name, value in extra.items())
        raise KerasImportError(
            f"Layer {layer.name!r} ({type(layer).__name__}) is called with {shown}, which a card cannot pass."
        )


def _positional_numbers(spec: CardSpec, args: list, kwargs: dict, call_ports: dict) -> tuple[list, dict]:
    """An operation called on tensors then numbers (x + 3.0): the tensors, and the keyword arguments with
    the numbers given to the card's call ports in order, as the card passes them."""
    if spec.call != CALL_POSITIONAL:
        return args, kwargs
    count = sum(isinstance(arg, _Source) for arg in args)
    numbers = args[count:]
    if len(numbers) > len(call_ports) or not all(isinstance(arg, _Source) for arg in args[:count]):
        return args, kwargs
    return args[:count], {**kwargs, **dict(zip(call_ports, numbers))}


def _call_inputs(spec: CardSpec, args: list, where: str) -> list[tuple]:
    """The connections into the card's tensor ports, as (source card, source port, own port), from the
    positional arguments of the layer's call."""
    ports = spec.tensor_inputs
    many = len(ports) == 1 and takes_many(ports[0])
    expected = {
        CALL_LIST: "a list of tensors" if many else f"a list of {len(ports)} tensors",
        CALL_SELF_ATTENTION: "[x, x] (self-attention: one tensor as query and value)",
        CALL_POSITIONAL: f"{len(ports)} tensors ({', '.join(port.text for port in ports)})",
    }.get(spec.call, "one tensor")
    first = args[0] if len(args) == 1 else None
    if spec.call == CALL_LIST:
        fits = isinstance(first, list) and (bool(first) if many else len(first) == len(ports))
        inputs = first
    elif spec.call == CALL_SELF_ATTENTION:
        fits = isinstance(first, list) and len(first) == 2 and first[0] == first[1]
        inputs = first[:1] if fits else None
    elif spec.call == CALL_POSITIONAL:
        fits = len(args) == len(ports)
        inputs = args
    else:
        fits = isinstance(first, _Source)
        inputs = [first]
    if not fits or not all(isinstance(source, _Source) for source in inputs):
        raise KerasImportError(f"{where}: its card calls it on {expected}; the model calls it on {_describe(args)}.")
    if many:
        repeated = next((source for source in inputs if inputs.count(source) > 1), None)
        if repeated is not None:
            raise KerasImportError(
                f"{where}: its card's list port {ports[0].text!r} takes each tensor once; the model passes "
                f"{_describe([repeated])} {inputs.count(repeated)} times."
            )
    targets = [ports[0]] * len(inputs) if many else ports
    return [(source.card, source.port, port.name) for port, source in zip(targets, inputs)]


def _describe(args: list) -> str:
    def one(value):
        if isinstance(value, _Source):
            return value.card.key or "a tensor"
        if isinstance(value, list):
            return f"[{', '.join(one(item) for item in value)}]"
        return repr(value)

    return ", ".join(one(arg) for arg in args)


def _sources(structure, tensors: dict):
    """A serialized call argument with each Keras tensor replaced by the source that computes it,
    and tuples (kept as such in memory, as "__tuple__" in a saved config) as lists."""
    if isinstance(structure, dict):
        if structure.get("class_name") == "__keras_tensor__":
            name, _, index = structure["config"]["keras_history"]
            return tensors[(name, index)]
        if structure.get("class_name") == "__tuple__":
            return [_sources(item, tensors) for item in structure["config"]["value"]]
        return {key: _sources(item, tensors) for key, item in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_sources(item, tensors) for item in structure]
    return structure


def _flatten(structure) -> list:
    """The leaves of a nested call argument, in Keras' order (dictionaries by sorted key)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten(structure[key])]
    if isinstance(structure, list):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _named_refs(structure) -> list[tuple[str, list]]:
    """A model config's inputs or outputs as (name, [layer, node, tensor]), in Keras' flat order."""
    if isinstance(structure, dict):
        return [(key, ref) for key in sorted(structure) for _, ref in _named_refs(structure[key])]
    if structure and isinstance(structure[0], str):
        return [(structure[0], structure)]
    return [named for item in structure for named in _named_refs(item)]


def _name_unnamed(cards: list[_PlannedCard]) -> None:
    """Give outputs and object cards free keys, after every layer has its own name."""
    taken = {card.key for card in cards if card.key is not None}
    for card in cards:
        if card.key is None:
            key, number = card.stem, 1
            while key in taken:
                key, number = f"{card.stem}_{number}", number + 1
            card.key = key
            taken.add(key)

