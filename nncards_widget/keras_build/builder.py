"""CardGraph -> Keras objects, per-card shapes, parameter counts, errors, keras.Model.

The builder remembers, per card, what it built from what. A build visits the cards that
the edits since the last build touched (the graph reports them), in the graph's
topological order, and goes on downstream only from a card whose outputs, error or note
changed: an edit costs what it changes, whatever the size of the graph.

What the rest of the package may rely on:

- A card's Keras object is replaced only when what it is made from changed: its
  parameters, the objects it receives, a layer's input shapes. A layer called again on a
  new input tensor of the same shape is the same layer, with its weights.
- A new layer whose weights have the names and shapes of its predecessor's takes their
  values (an activation, a regularizer, a constraint, the strides changed), unless an
  initializer it receives changed: changing an initializer means starting afresh from it.
- While a card waits for its input or fails, it keeps its last good Keras object, and
  takes it up again, weights and all, once the cause is fixed.
- Every object a build stops using is listed in `BuildResult.replaced`; offered back
  (`CardGraph.offer_replaced`, which undo does), it is taken up by its card if the card
  is again exactly what it was made from.
- A layer is sized before its weights get values, and refused past the limit (weights.py).
- Only the Keras nodes of current calls, and those of models still alive, stay linked
  (nodes.py): nothing the graph no longer uses stays reachable.
- The keras.Model is assembled when first asked for (model.py); the last good one stays
  while the graph makes none.
"""

from __future__ import annotations

import heapq
import itertools
import weakref
from dataclasses import dataclass, field
from typing import Any

import keras
from keras.src.models.functional import Functional

from ..catalog.spec import INITIALIZER, LAYER, TENSOR
from ..graph.card import Card
from .checks import CardProblem, any_size_message, check_inputs, keras_message
from .keras_args import default_object, keras_arguments, resolve_factory
from .model import Assembly
from .nodes import NodeKeeper, detach_wrappers, reattach_wrappers
from .weights import call_within_limit, weight_bytes

# How an unconnected initializer port's default object appears in a card's signature: by what it is,
# not by its identity, so that a card put back by undo is again what its layer was made from.
_DEFAULT = "default"


@dataclass(frozen=True, eq=False)
class Replaced:
    """A Keras object a build stopped using, what it was made from (`config`), and its weights' bytes.

    wrappers: what `nodes.detach_wrappers` took off it, so that it is freed as soon as
    nobody holds it; put back if it is taken up again.
    """

    config: tuple
    keras_object: Any
    kept_alive: tuple
    nbytes: int
    wrappers: tuple = ()


@dataclass(frozen=True, eq=False)
class BuildResult:
    """What one build produced.

    Attributes:
        model: the keras.Model of this build, or None if the graph has no
            complete Output or a card feeding an Output has an error. Assembled
            when first read.
        errors: card key -> message naming the card, for cards that failed.
        notes: card key -> why a card has no shape without being wrong
            (an unconnected input, an upstream error).
        model_error: why the keras.Model could not be assembled, if it failed there.
        why_no_model: when the graph has an Output card but makes no model, why,
            as one clause without a final full stop: model_error, or the errors and
            unconnected ports the Output cards wait for.
        rebuilt: keys of the cards whose Keras objects or tensors were recomputed.
        replaced: card -> `Replaced`, the Keras objects this build stopped using.
        has_outputs: whether the graph has Output cards.
        causes: the errors and unconnected ports the Output cards wait for, upstream first.
        assembly: the model's ends, from which `model` is made when first read (model.py).
    """

    errors: dict[str, str]
    notes: dict[str, str]
    rebuilt: tuple[str, ...]
    replaced: dict = field(default_factory=dict)
    has_outputs: bool = False
    causes: tuple[str, ...] = ()
    assembly: Assembly | None = None

    @property
    def model(self):
        return None if self.assembly is None else self.assembly.model

    @property
    def model_error(self) -> str | None:
        return None if self.assembly is None else self.assembly.error

    @property
    def why_no_model(self) -> str | None:
        if not self.has_outputs or self.model is not None:
            return None
        if self.model_error:
            return self.model_error.rstrip(".")
        return "; ".join(self.causes) or None

    @property
    def ok(self) -> bool:
        return not self.errors and self.model_error is None and self.model is not None


@dataclass(frozen=True)
class _Given:
    """What a card receives: its parameters, the objects connected to it, the initializer ports left to
    their default cards, its tensors, and its signature (what it is made from); and whether another
    card takes it as an object (a wrapper its layer)."""

    params: dict
    objects: dict
    defaults: tuple
    tensors: list
    unconnected: list
    signature: tuple
    taken_as_object: bool


@dataclass(eq=False)
class _CardState:
    """What was built for one card, and from what."""

    # The card's Keras object, kept while the card waits or fails; what it was made from
    # ((signature, input shapes); shapes None for an object that is not called); its weights' bytes.
    keras_object: Any = None
    config: tuple | None = None
    nbytes: int = 0
    kept_alive: tuple = ()
    # What the card gives now (empty while it waits or fails), and the Keras node of its current call.
    outputs: dict = field(default_factory=dict)
    node: Any = None
    # (signature, ids of the tensors received, taken as an object) of the last successful build:
    # unchanged means nothing to do.
    seen: tuple | None = None
    error: str | None = None
    note: str | None = None
    # The cards (this one or upstream) whose error or unconnected port keep this one from being built.
    blockers: frozenset = frozenset()
    # The Input cards upstream.
    inputs: frozenset = frozenset()
    # An Output card's name, while it claims it.
    name: str | None = None
    default_objects: dict = field(default_factory=dict)

    def view(self) -> tuple:
        """What the cards downstream see of this one: when it changes, the build goes on to them."""
        outputs = tuple((port, id(value)) for port, value in self.outputs.items())
        return outputs, self.error, self.note, self.blockers, self.inputs


def _shape(tensor) -> tuple:
    return tuple(tensor.shape)


def _endpoint_name(card: Card) -> str:
    return card.name or card.key


class Builder:
    """Builds a graph again and again, reusing what an edit did not touch."""

    def __init__(self):
        self._states: dict[Card, _CardState] = {}
        self._errors: dict[Card, str] = {}
        self._notes: dict[Card, str] = {}
        self._output_cards: dict[Card, None] = {}
        self._names: dict[str, dict[Card, None]] = {}
        self._weight_bytes = 0
        self._nodes = NodeKeeper()
        self._offered: dict = {}
        self._prepared: dict = {}
        self._replaced: dict = {}
        self._revisit: list[Card] = []
        self._assembly: Assembly | None = None
        self._model = None
        self._model_key: tuple | None = None
        # The nested models of the model (model.py), which go with it.
        self._model_parts: tuple = ()
        self.last_result: BuildResult | None = None

    @property
    def model(self):
        """The latest keras.Model built without errors, or None."""
        if self._assembly is not None and self._assembly.pending:
            self._assembly.make()
        return self._model

    def build(self, graph, changes=None) -> BuildResult:
        """Bring the Keras objects up to date with `graph`.

        changes: a `graph.Changes`, what the edits since this builder's last build of
        the graph touched; None looks at every card (a builder new to the graph).
        """
        if changes is None:
            edited = list(graph.cards)
            removed = [card for card in self._states if card not in graph]
            self._offered = {}
        else:
            edited = [card for card in changes.edited if card in graph]
            removed = [card for card in changes.removed if card in self._states and card not in graph]
            self._offered = changes.offered
            self._prepared = changes.prepared
        self._replaced = {}
        for card in removed:
            self._drop(card)
        rebuilt = self._visit(graph, edited)
        self._offered, self._prepared = {}, {}
        return self._finish(graph, rebuilt)

    def tensor(self, card: Card, port: str = "output"):
        """The symbolic Keras tensor the card's output `port` holds after the last build, or None."""
        state = self._states.get(card)
        return None if state is None else state.outputs.get(port)

    def keras_object(self, card: Card):
        """The Keras object (layer, initializer, ...) built for the card, or None."""
        state = self._states.get(card)
        return state.keras_object if state is not None and state.outputs else None

    # Visiting what changed

    def _visit(self, graph, cards: list) -> list[str]:
        """Update `cards` and, downstream of each whose view changed, the cards it feeds; in rank order."""
        counter = itertools.count()
        heap, queued = [], set()

        def push(card):
            if card not in queued:
                queued.add(card)
                heapq.heappush(heap, (graph.rank(card), next(counter), card))

        for card in itertools.chain(cards, self._revisit):
            push(card)
        self._revisit = []
        rebuilt = []
        while heap:
            _, _, card = heapq.heappop(heap)
            queued.discard(card)
            state = self._states.get(card)
            if state is None:
                state = self._states[card] = _CardState()
            before = state.view()
            if self._update(graph, card, state):
                rebuilt.append(card.key)
                self._publish(card, state)
                # A wrapper's call builds the layer it wraps: that card's parameter count is known now.
                for port in card.spec.connectable_inputs:
                    if port.type == LAYER:
                        for connection in graph.incoming_list(card, port.name):
                            self._publish(connection.source, self._states[connection.source])
            if state.view() != before:
                for target in graph.targets(card):
                    push(target)
            for other in self._revisit:
                push(other)
            self._revisit = []
        return rebuilt

    def _drop(self, card: Card) -> None:
        """Forget a card taken out of the graph: its object is replaced by nothing, its node retired."""
        state = self._states.pop(card)
        self._retire_object(card, state)
        self._weight_bytes -= state.nbytes
        self._nodes.retire(state.node)
        self._errors.pop(card, None)
        self._notes.pop(card, None)
        if card in self._output_cards:
            del self._output_cards[card]
            self._release_name(card, state)

    # One card

    def _gather(self, graph, card: Card, state: _CardState):
        """What a card receives, the cards that keep it from being built, and the Input cards upstream."""
        objects, defaults, received, tensors, unconnected = {}, [], [], [], []
        blockers, inputs = set(), set()
        for port in card.spec.connectable_inputs:
            # A list port (merge layers' Inputs) passes its tensors in the order they were connected.
            connections = graph.incoming_list(card, port.name)
            if not connections:
                if port.type == TENSOR:
                    unconnected.append(port.text)
                elif port.type == INITIALIZER and port.default:
                    defaults.append(port.name)
                    received.append((port.name, _DEFAULT))
                continue
            for connection in connections:
                source = self._states[connection.source]
                inputs |= source.inputs
                value = source.outputs.get(connection.source_port)
                if value is None:
                    blockers |= source.blockers
                elif port.type == TENSOR:
                    tensors.append(value)
                else:
                    objects[port.name] = value
                    received.append((port.name, id(value)))
        params = card.params
        signature = (card.spec.id, tuple(params.items()), tuple(received))
        taken = any(card.spec.port(c.source_port).type != TENSOR for c in graph.outgoing(card))
        given = _Given(params, objects, tuple(defaults), tensors, unconnected, signature, taken)
        if card.spec.kind == "input":
            inputs.add(card)
        return given, frozenset(blockers), frozenset(inputs)

    def _update(self, graph, card: Card, state: _CardState) -> bool:
        """Bring one card's Keras object and outputs up to date; whether anything was recomputed."""
        given, blockers, state.inputs = self._gather(graph, card, state)
        duplicate = self._claim_name(card, state) if card.spec.kind == "output" else None
        if blockers and duplicate is None:
            note = "waiting for " + "; ".join(sorted({self._reason(blocker) for blocker in blockers}))
            changed = bool(state.outputs) or state.error is not None or (state.note, state.blockers) != (note, blockers)
            self._pause(state)
            state.error, state.note, state.blockers = None, note, blockers
            return changed
        seen = (given.signature, tuple(id(tensor) for tensor in given.tensors), given.taken_as_object)
        if seen == state.seen and state.error is None:
            return False
        state.note = f"port {given.unconnected[0]!r} is not connected" if given.unconnected else None
        state.error = None
        state.blockers = frozenset({card}) if given.unconnected else frozenset()
        try:
            if duplicate is not None:
                raise CardProblem(duplicate)
            _BUILDERS[card.spec.kind](self, card, state, given)
            state.seen = seen
        except Exception as error:  # noqa: BLE001 - every failure becomes the card's message
            self._pause(state)
            state.error = str(error) if isinstance(error, CardProblem) else keras_message(error)
            state.blockers = frozenset({card})
        return True

    def _made_with(self, card: Card, state: _CardState, given: _Given) -> dict:
        """The objects a card's Keras object is made with: those connected, and for each initializer port
        left unconnected an object of its default card (made when first needed, then kept)."""
        for name in given.defaults:
            if name not in state.default_objects:
                state.default_objects[name] = default_object(card.spec.port(name).default)
        return {**given.objects, **{name: state.default_objects[name] for name in given.defaults}}

    def _reason(self, blocker: Card) -> str:
        state = self._states[blocker]
        return f"{blocker.key}, which cannot be built" if state.error else f"{blocker.key}, whose {state.note}"

    def _pause(self, state: _CardState) -> None:
        """The card gives nothing now; it keeps its Keras object (and weights) for when it is built again."""
        state.outputs = {}
        state.seen = None
        self._set_node(state, None)

    def _set_node(self, state: _CardState, node) -> None:
        if state.node is not node:
            self._nodes.retire(state.node)
            state.node = node

    def _choose(self, card: Card, state: _CardState, signature: tuple, shapes: tuple | None, make):
        """The Keras object to build `card` with, what it was made from, and whether it is new.

        The card's own object if made from the same signature (and, for a called layer,
        the same input shapes, or none yet); else one offered back, made from the same;
        else a new one from `make()` (None for what it was made from: it is the caller's
        to say), which may then take its predecessor's weights. `shapes` None: any.
        """
        current = state.config
        if state.keras_object is not None and current[0] == signature and (shapes is None or current[1] in (None, shapes)):
            return state.keras_object, current, False
        offered = self._offered.get(card, [])
        for record in offered:
            if record.config[0] == signature and (shapes is None or record.config[1] == shapes):
                offered.remove(record)
                reattach_wrappers(record.wrappers)
                return record.keras_object, record.config, False
        return make(), None, True

    def _commit(self, card: Card, state: _CardState, obj, config: tuple, kept_alive: tuple) -> None:
        """Make `obj` the card's Keras object, built from `config`."""
        if obj is not state.keras_object:
            self._retire_object(card, state)
            state.keras_object = obj
        state.config, state.kept_alive = config, kept_alive
        nbytes = weight_bytes(obj)
        self._weight_bytes += nbytes - state.nbytes
        state.nbytes = nbytes

    def _retire_object(self, card: Card, state: _CardState) -> None:
        if state.keras_object is not None:
            wrappers = detach_wrappers(state.keras_object)
            record = Replaced(state.config, state.keras_object, state.kept_alive, state.nbytes, wrappers)
            self._replaced.setdefault(card, record)

    def _claim_name(self, card: Card, state: _CardState) -> str | None:
        """Register an Output card's name; why it cannot be used, if another Output card has it too."""
        name = _endpoint_name(card)
        self._output_cards[card] = None
        if state.name != name:
            self._release_name(card, state)
            state.name = name
            claimants = self._names.setdefault(name, {})
            self._revisit_outputs(claimants)
            claimants[card] = None
        others = [other for other in self._names[name] if other is not card]
        if not others:
            return None
        return (
            f"its name {name!r} is also the name of {', '.join(other.describe() for other in others)}; "
            "each Output card needs a name of its own (port 'Name')"
        )

    def _release_name(self, card: Card, state: _CardState) -> None:
        if state.name is None:
            return
        claimants = self._names[state.name]
        del claimants[card]
        if not claimants:
            del self._names[state.name]
        self._revisit_outputs(claimants)
        state.name = None

    def _revisit_outputs(self, cards) -> None:
        """Output cards whose name another one took or gave up: build them again, even if unchanged."""
        for other in cards:
            self._states[other].seen = None
            self._revisit.append(other)

    def _publish(self, card: Card, state: _CardState) -> None:
        if card.spec.kind == "output":
            shapes = {"data": _shape(state.outputs["data"])} if "data" in state.outputs else {}
        else:
            shapes = {
                port.name: _shape(state.outputs[port.name])
                for port in card.spec.tensor_outputs
                if port.name in state.outputs
            }
        layer = state.keras_object if isinstance(state.keras_object, keras.layers.Layer) and state.outputs else None
        card.output_shapes = shapes
        card.param_count = layer.count_params() if layer is not None and layer.built else None
        card.error = state.error
        card.note = state.note
        if state.error:
            self._errors[card] = f"{card.describe()}: {state.error}"
        else:
            self._errors.pop(card, None)
        if state.note:
            self._notes[card] = state.note
        else:
            self._notes.pop(card, None)

    # The model

    def _finish(self, graph, rebuilt: list) -> BuildResult:
        outputs = [self._states[card] for card in self._output_cards]
        complete = bool(outputs) and all("data" in state.outputs for state in outputs)
        previous, held = self._assembly, self._release_last_result()
        if previous is not None and previous.pending and (held or not complete):
            # Made now, while its nodes are all there: someone holds its build result, or it is the last good one.
            previous.make()
        causes: tuple[str, ...] = ()
        if not complete:
            self._assembly = None
            blockers = set().union(*(state.blockers for state in outputs)) if outputs else set()
            causes = tuple(
                f"{blocker.describe()}: {(self._states[blocker].error or self._states[blocker].note).rstrip('.')}"
                for blocker in sorted((b for b in blockers if b in graph), key=graph.rank)
            )
        else:
            inputs = {card: self._states[card].outputs["data"] for state in outputs for card in state.inputs}
            ends = {state.name: state.outputs["data"] for state in outputs}
            groups = tuple(graph.groups.values())
            key = (
                frozenset(id(tensor) for tensor in inputs.values()),
                tuple((name, id(t)) for name, t in ends.items()),
                groups,
            )
            if key == self._model_key:
                self._assembly = Assembly.made(key, self._model)
            else:
                owners = self._owners(graph, groups)
                self._assembly = Assembly(key, inputs, ends, graph, self._assembled, groups, owners, self._nodes.retire)
        self._nodes.prune()
        self.last_result = BuildResult(
            errors={card.key: message for card, message in self._errors.items()},
            notes={card.key: note for card, note in self._notes.items()},
            rebuilt=tuple(rebuilt),
            replaced=self._replaced,
            has_outputs=bool(outputs),
            causes=causes,
            assembly=self._assembly,
        )
        self._replaced = {}
        return self.last_result

    def _owners(self, graph, groups: tuple) -> dict:
        """id(layer) -> (layer, its group's name), for the layer of each card a group holds."""
        owners = {}
        for group in groups:
            for key in group.members:
                layer = self.keras_object(graph.card(key))
                if layer is not None:
                    owners[id(layer)] = (layer, group.name)
        return owners

    def _release_last_result(self) -> bool:
        """Let go of the last build's result; whether someone else still holds it."""
        held = weakref.ref(self.last_result) if self.last_result is not None else None
        self.last_result = None
        return held is not None and held() is not None

    def _assembled(self, assembly: Assembly, model) -> None:
        if self._model is not None:
            # The model it replaces is freed as soon as nobody holds it (its layers may be the graph's own).
            for part in (self._model, *self._model_parts):
                detach_wrappers(part, inner=False)
        self._model, self._model_key, self._model_parts = model, assembly.key, assembly.parts
        for part in (model, *assembly.parts):
            if isinstance(part, Functional):
                self._nodes.track(part)


def _initializer_changed(card: Card, old: tuple | None, new: tuple) -> bool:
    """Whether an initializer the layer receives differs between two configs (signature, shapes)."""
    if old is None:
        return True
    before, after = dict(old[0][2]), dict(new[0][2])
    return any(before.get(port.name) != after.get(port.name) for port in card.spec.inputs if port.type == INITIALIZER)


# How each kind of card is built: each sets the card's Keras object (through `_choose` and
# `_commit`) and its outputs, or raises why it cannot.


def _build_object(builder: Builder, card, state, given: _Given) -> None:
    def make():
        arguments, _ = keras_arguments(card.spec, given.params, builder._made_with(card, state, given))
        return resolve_factory(card.spec.factory)(**arguments)

    obj, _, _ = builder._choose(card, state, given.signature, None, make)
    builder._commit(card, state, obj, (given.signature, None), tuple(given.objects.values()))
    state.outputs = {card.spec.outputs[0].name: obj}


def _build_input(builder: Builder, card, state, given: _Given) -> None:
    def make():
        arguments, _ = keras_arguments(card.spec, given.params, {})
        return keras.Input(**{**arguments, "name": _endpoint_name(card)})

    tensor, _, _ = builder._choose(card, state, given.signature, None, make)
    builder._commit(card, state, tensor, (given.signature, None), ())
    state.outputs = {"data": tensor}


def _build_output(builder: Builder, card, state, given: _Given) -> None:
    state.outputs = {"data": given.tensors[0]} if given.tensors else {}


def _build_layer(builder: Builder, card, state, given: _Given) -> None:
    spec = card.spec
    kept_alive = tuple(given.objects.values())
    shapes = None if given.unconnected else tuple(_shape(tensor) for tensor in given.tensors)

    def make():
        prepared = builder._prepared.pop(card, None)
        if prepared is not None:
            return prepared
        arguments, _ = keras_arguments(spec, given.params, builder._made_with(card, state, given))
        return resolve_factory(spec.factory)(name=card.key, **arguments)

    if shapes is None:
        # Not called. A wrapper card may take the layer object; for nobody, none is made (loading
        # thousands of unconnected cards makes no Keras layers), and the card keeps the one it had.
        builder._set_node(state, None)
        state.outputs = {}
        if given.taken_as_object:
            layer, made_from, _ = builder._choose(card, state, given.signature, shapes, make)
            builder._commit(card, state, layer, made_from or (given.signature, None), kept_alive)
            state.outputs = {"layer_instance": layer}
        return
    layer, _, new = builder._choose(card, state, given.signature, shapes, make)
    check_inputs(spec, given.params, layer, shapes)
    _, call_arguments = keras_arguments(spec, given.params, {})
    call_inputs = spec.call_inputs(given.tensors)
    # An operation card's object (x + y) has no weights to build.
    unbuilt = isinstance(layer, keras.layers.Layer) and not layer.built
    calls = len(layer._inbound_nodes)
    try:
        if unbuilt:
            # The card's current object, if any, gives way to this one, and may hand it its weights.
            others = builder._weight_bytes - state.nbytes
            config = (given.signature, shapes)
            carry_from = state.keras_object if new and not _initializer_changed(card, state.config, config) else None
            output = call_within_limit(layer, lambda: layer(*call_inputs, **call_arguments), others, carry_from)
        else:
            output = layer(*call_inputs, **call_arguments)
    except Exception as error:
        for node in layer._inbound_nodes[calls:]:
            builder._nodes.retire(node)
        if unbuilt and layer is state.keras_object:
            # A failed first call can leave the layer half-built for the wrong shape.
            state.keras_object, state.config = None, None
        reason = any_size_message(error, shapes)
        if reason is not None:
            raise CardProblem(reason) from error
        raise
    builder._commit(card, state, layer, (given.signature, shapes), kept_alive + tuple(given.tensors))
    builder._set_node(state, layer._inbound_nodes[-1])
    state.outputs = {"layer_instance": layer, "output": output}


_BUILDERS = {
    "input": _build_input,
    "output": _build_output,
    "layer": _build_layer,
    "initializer": _build_object,
    "regularizer": _build_object,
    "constraint": _build_object,
}
