"""CardGraph -> Keras objects, per-card shapes, parameter counts, errors, keras.Model.

The builder remembers, per card, what it built from what. A card whose parameters
and received objects and tensors are unchanged is skipped, so an edit rebuilds only
the edited card and what lies downstream. A layer whose input shape is unchanged
keeps its Keras layer object, and with it its trained weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import keras

from ..catalog.spec import CALL_LIST, CALL_SELF_ATTENTION, INITIALIZER, TENSOR
from ..graph.card import Card
from .checks import CardProblem, any_size_message, check_inputs, keras_message
from .keras_args import default_object, keras_arguments, resolve_factory


@dataclass(frozen=True)
class BuildResult:
    """What one build produced.

    Attributes:
        model: the keras.Model of this build, or None if the graph has no
            complete Output or a card feeding an Output has an error.
        errors: card key -> message naming the card, for cards that failed.
        notes: card key -> why a card has no shape without being wrong
            (an unconnected input, an upstream error).
        model_error: why the keras.Model could not be assembled, if it failed there.
        why_no_model: when the graph has an Output card but makes no model, why,
            as one clause without a final full stop: model_error, or the errors and
            unconnected ports upstream of the Output cards.
        rebuilt: keys of the cards whose Keras objects or tensors were recomputed.
    """

    model: Any
    errors: dict[str, str]
    notes: dict[str, str]
    model_error: str | None
    rebuilt: tuple[str, ...]
    why_no_model: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.model_error is None and self.model is not None


@dataclass
class _CardState:
    """What was built for one card, and from what."""

    signature: tuple | None = None
    keras_object: Any = None
    received: tuple = ()
    input_shapes: tuple | None = None
    outputs: dict = field(default_factory=dict)
    error: str | None = None
    note: str | None = None
    # The cards upstream that leave this one without input, each with why ("dense, which cannot be built").
    waiting_for: tuple = ()
    default_objects: dict = field(default_factory=dict)
    kept_alive: tuple = ()

    def forget(self) -> None:
        self.signature = None
        self.keras_object = None
        self.received = ()
        self.input_shapes = None
        self.outputs = {}


def _shape(tensor) -> tuple:
    return tuple(tensor.shape)


class Builder:
    """Builds a graph again and again, reusing what an edit did not touch."""

    def __init__(self):
        self._states: dict[Card, _CardState] = {}
        self._model_key: tuple | None = None
        self.model = None
        self.last_result: BuildResult | None = None

    def build(self, graph) -> BuildResult:
        rebuilt = []
        order = graph.topological_order()
        for card in order:
            state = self._states.setdefault(card, _CardState())
            if self._update(graph, card, state):
                rebuilt.append(card.key)
            self._publish(card, state)
        self._states = {card: self._states[card] for card in graph.cards}
        outputs = [card for card in graph.cards if card.spec.kind == "output"]
        model, model_error = self._assemble(graph, outputs)
        errors = {card.key: f"{card.describe()}: {state.error}" for card, state in self._states.items() if state.error}
        notes = {card.key: state.note for card, state in self._states.items() if state.note}
        why_no_model = None if model is not None else self._why_no_model(graph, order, outputs, model_error)
        self.last_result = BuildResult(model, errors, notes, model_error, tuple(rebuilt), why_no_model)
        return self.last_result

    def tensor(self, card: Card, port: str = "output"):
        """The symbolic Keras tensor the card's output `port` holds after the last build, or None."""
        state = self._states.get(card)
        return None if state is None else state.outputs.get(port)

    def keras_object(self, card: Card):
        """The Keras object (layer, initializer, ...) built for the card, or None."""
        state = self._states.get(card)
        return None if state is None else state.keras_object

    # One card

    def _gather(self, graph, card: Card, state: _CardState):
        """The objects and tensors a card receives, or why it cannot be built yet."""
        objects, tensors, waiting_on, unconnected = {}, [], [], []
        for port in card.spec.connectable_inputs:
            connection = graph.incoming(card, port.name)
            if connection is None:
                if port.type == TENSOR:
                    unconnected.append(port.text)
                elif port.type == INITIALIZER and port.default:
                    if port.name not in state.default_objects:
                        state.default_objects[port.name] = default_object(port.default)
                    objects[port.name] = state.default_objects[port.name]
                continue
            source = self._states[connection.source]
            value = source.outputs.get(connection.source_port)
            if value is None:
                waiting_on.extend(_why_no_value(connection.source.key, source))
            elif port.type == TENSOR:
                tensors.append(value)
            else:
                objects[port.name] = value
        return objects, tensors, waiting_on, unconnected

    def _update(self, graph, card: Card, state: _CardState) -> bool:
        """Bring one card's Keras object and outputs up to date; whether anything was recomputed."""
        objects, tensors, waiting_on, unconnected = self._gather(graph, card, state)
        params = card.params
        signature = (card.spec.id, tuple(params.items()), tuple((name, id(obj)) for name, obj in objects.items()))
        received = tuple(id(tensor) for tensor in tensors)
        if waiting_on:
            changed = bool(state.outputs) or state.error is not None
            state.forget()
            state.error = None
            state.waiting_for = tuple(sorted(set(waiting_on)))
            state.note = f"waiting for {'; '.join(state.waiting_for)}"
            return changed
        state.waiting_for = ()
        if signature == state.signature and received == state.received and state.error is None:
            return False
        state.note = f"port {unconnected[0]!r} is not connected" if unconnected else None
        state.error = None
        try:
            build_card = _BUILDERS[card.spec.kind]
            build_card(card, state, signature, params, objects, tensors, unconnected)
        except Exception as error:  # noqa: BLE001 - every failure becomes the card's message
            state.forget()
            state.error = str(error) if isinstance(error, CardProblem) else keras_message(error)
        state.kept_alive = tuple(objects.values()) + tuple(tensors)
        return True

    def _publish(self, card: Card, state: _CardState) -> None:
        shapes = {
            port.name: _shape(state.outputs[port.name])
            for port in card.spec.tensor_outputs
            if port.name in state.outputs
        }
        if card.spec.kind == "output" and state.received:
            shapes = {"data": state.input_shapes[0]}
        layer = state.keras_object if isinstance(state.keras_object, keras.layers.Layer) else None
        card.output_shapes = shapes
        card.param_count = layer.count_params() if layer is not None and layer.built else None
        card.error = state.error
        card.note = state.note

    # The model

    def _why_no_model(self, graph, order: list, outputs: list, model_error: str | None) -> str | None:
        """What keeps a graph with Output cards from making a model: model_error, or the errors
        and unconnected ports upstream of the Outputs. One clause, without a final full stop."""
        if not outputs:
            return None
        if model_error:
            return model_error.rstrip(".")
        causes = []
        feeding = graph.upstream(outputs)
        for card in order:
            state = self._states[card]
            if card not in feeding:
                continue
            if state.error:
                causes.append(f"{card.describe()}: {state.error}")
            elif state.note and not state.waiting_for:
                causes.append(f"{card.describe()}: {state.note}")
        return "; ".join(cause.rstrip(".") for cause in causes) or None

    def _assemble(self, graph, outputs: list):
        if not outputs or any(not self._states[card].received for card in outputs):
            return None, None
        feeding = graph.upstream(outputs)
        inputs = [card for card in graph.cards if card.spec.kind == "input" and card in feeding]
        input_tensors = [self._states[card].outputs["data"] for card in inputs]
        output_tensors = {_endpoint_name(card): self._states[card].keras_object for card in outputs}
        key = (tuple(map(id, input_tensors)), tuple((name, id(t)) for name, t in output_tensors.items()))
        if key == self._model_key:
            return self.model, None
        try:
            model = keras.Model(
                inputs=input_tensors[0] if len(input_tensors) == 1 else input_tensors,
                outputs=next(iter(output_tensors.values())) if len(output_tensors) == 1 else output_tensors,
            )
        except Exception as error:  # noqa: BLE001 - reported, the last good model stays
            return None, keras_message(error)
        self._model_key, self.model = key, model
        return model, None


def _endpoint_name(card: Card) -> str:
    return card.name or card.key


def _why_no_value(key: str, source: _CardState) -> tuple[str, ...]:
    """Why a connected source card gives nothing: its error, what it waits for, or its own unconnected input."""
    if source.error:
        return (f"{key}, which cannot be built",)
    if source.waiting_for:
        return source.waiting_for
    return (f"{key}, whose {source.note}",)


# How each kind of card is built. Each sets state.signature, keras_object, outputs.


def _build_object(card, state, signature, params, objects, tensors, unconnected):
    if signature != state.signature:
        arguments, _ = keras_arguments(card.spec, params, objects)
        state.keras_object = resolve_factory(card.spec.factory)(**arguments)
        state.signature = signature
    state.outputs = {card.spec.outputs[0].name: state.keras_object}


def _build_input(card, state, signature, params, objects, tensors, unconnected):
    if signature != state.signature:
        tensor = keras.Input(shape=params["shape"], name=_endpoint_name(card))
        state.keras_object, state.signature = tensor, signature
    state.outputs = {"data": state.keras_object}


def _build_output(card, state, signature, params, objects, tensors, unconnected):
    state.signature = signature
    state.received = tuple(id(tensor) for tensor in tensors)
    state.keras_object = tensors[0] if tensors else None
    state.input_shapes = (_shape(tensors[0]),) if tensors else None
    state.outputs = {}


def _build_layer(card, state, signature, params, objects, tensors, unconnected):
    spec = card.spec
    arguments, call_arguments = keras_arguments(spec, params, objects)
    shapes = tuple(_shape(tensor) for tensor in tensors)
    reusable = signature == state.signature and state.keras_object is not None
    if not reusable or (state.input_shapes is not None and tensors and shapes != state.input_shapes):
        state.keras_object = resolve_factory(spec.factory)(name=card.key, **arguments)
        state.input_shapes = None
    layer = state.keras_object
    state.signature = signature
    state.outputs = {"layer_instance": layer}
    if unconnected:
        state.received = ()
        return
    check_inputs(spec, params, layer, shapes)
    if spec.call == CALL_LIST:
        call_input = list(tensors)
    elif spec.call == CALL_SELF_ATTENTION:
        call_input = [tensors[0], tensors[0]]
    else:
        call_input = tensors[0]
    try:
        output = layer(call_input, **call_arguments)
    except Exception as error:
        # A failed call can leave the layer half-built for the wrong shape.
        state.keras_object = None
        reason = any_size_message(error, shapes)
        if reason is not None:
            raise CardProblem(reason) from error
        raise
    state.received = tuple(id(tensor) for tensor in tensors)
    state.input_shapes = shapes
    state.outputs = {"layer_instance": layer, "output": output}


_BUILDERS = {
    "input": _build_input,
    "output": _build_output,
    "layer": _build_layer,
    "initializer": _build_object,
    "regularizer": _build_object,
    "constraint": _build_object,
}
