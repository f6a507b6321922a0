"""Keras's node history, kept to what the graph and its models use.

Keras records each call of a layer on symbolic tensors as a `Node`, appended to the
layer's inbound nodes and to the outbound nodes of every layer whose output it takes,
and never forgets one. A layer called again after an upstream edit would keep its old
node, and with it the old input tensors and the layers that made them; an upstream
layer would keep, through its outbound nodes, every layer ever called on its output.

The builder hands each node it stops using to `retire`. `prune` unlinks those that no
model it assembled (and that is still alive) contains, then renumbers what stays:
a tensor's `_keras_history` holds the index of its node in the layer's inbound nodes,
and a functional model's `_nodes` holds keys made of those indices, which `get_config`,
`summary` and saving look up. Models made by the builder are registered with `track`,
so their nodes stay while they live and their keys follow the renumbering.

A layer is also kept alive by itself: Keras wraps each layer's `build` and `quantize`
in closures stored on the layer, which refer back to it, so a dropped layer (and its
weights) waits for Python's cycle collector, which may run only after hundreds of
megabytes of them have piled up. `detach_wrappers` takes those closures off a layer
the graph stops using, so that it is freed as soon as nothing else holds it, and
`reattach_wrappers` puts them back on a layer that undo brings back. (A model that
still holds such a layer keeps working: calling, fitting and saving it need no
`build` again; only quantizing that old model would want a new one.)
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import keras
from keras.src.ops.function import make_node_key
from keras.src.ops.node import KerasHistory


@dataclass(eq=False)
class _Tracked:
    model: weakref.ref
    nodes: frozenset  # ids of the model's nodes (alive while the model is)


class NodeKeeper:
    """The nodes the builder no longer uses, and the models that may still need them."""

    def __init__(self):
        self._retired: list = []
        # Retired nodes a living model still contains: looked at again once a model dies.
        self._held: list = []
        self._models: dict[int, _Tracked] = {}
        self._a_model_died = False

    def track(self, model) -> None:
        """Keep `model`'s nodes as long as it lives, and its node keys right through renumbering."""
        nodes = frozenset(id(node) for node in _nodes_of(model))
        key = id(model)
        self._models[key] = _Tracked(weakref.ref(model, _forget(weakref.ref(self), key)), nodes)

    def retire(self, node) -> None:
        """`node` is no longer one of the graph's current calls."""
        if node is not None:
            self._retired.append(node)

    def prune(self) -> None:
        """Unlink every retired node that no living model contains; again while that lets a model die (a nested
        model goes once the node calling it is unlinked, and then its own nodes can go)."""
        self._prune_once()
        while self._a_model_died:
            self._prune_once()

    def _prune_once(self) -> None:
        if self._a_model_died:
            self._a_model_died = False
            self._retired.extend(self._held)
            self._held = []
        if not self._retired:
            return
        living = [tracked for tracked in self._models.values() if tracked.model() is not None]
        touched = {}
        for node in self._retired:
            if any(id(node) in tracked.nodes for tracked in living):
                self._held.append(node)
            elif _unlink(node):
                touched[id(node.operation)] = node.operation
        self._retired = []
        moved = set()
        for operation in touched.values():
            moved |= _renumber(operation)
        for tracked in living:
            if not tracked.nodes.isdisjoint(moved):
                _rekey(tracked.model())

    def _model_died(self, key: int) -> None:
        self._models.pop(key, None)
        self._a_model_died = True


def _forget(keeper: weakref.ref, key: int):
    """The weakref callback of a tracked model: only notes the death (it may run inside any Keras call)."""

    def callback(_):
        alive = keeper()
        if alive is not None:
            alive._model_died(key)

    return callback


def _nodes_of(model) -> list:
    return [node for nodes in model._nodes_by_depth.values() for node in nodes]


def _remove(nodes: list, node) -> bool:
    for index, candidate in enumerate(nodes):
        if candidate is node:
            del nodes[index]
            return True
    return False


def _unlink(node) -> bool:
    """Take `node` out of its operation's inbound nodes and its producers' outbound nodes; whether it was in."""
    if not _remove(node.operation._inbound_nodes, node):
        return False
    for tensor in node.arguments.keras_tensors:
        producer = tensor._keras_history.operation
        if producer is not None:
            _remove(producer._outbound_nodes, node)
    return True


def _renumber(operation) -> set:
    """Point the output tensors of each of `operation`'s nodes at that node's index again; the ids of the
    nodes whose index changed."""
    moved = set()
    for index, node in enumerate(operation._inbound_nodes):
        for position, tensor in enumerate(node.outputs):
            if tensor._keras_history.node_index != index:
                tensor._keras_history = KerasHistory(operation, index, position)
                moved.add(id(node))
    return moved


def _rekey(model) -> None:
    """Make a functional model's node keys name its nodes' indices as they are now."""
    model._nodes = {
        make_node_key(node.operation, _index(node.operation._inbound_nodes, node)) for node in _nodes_of(model)
    }


def _index(nodes: list, node) -> int:
    return next(index for index, candidate in enumerate(nodes) if candidate is node)


_WRAPPED = ("build", "quantize")


def detach_wrappers(obj, inner: bool = True) -> tuple:
    """Take Keras's self-referring `build` and `quantize` closures off a layer, and the layers inside it
    unless `inner` is False; what `reattach_wrappers` needs to put them back. Anything but a layer has none."""
    if not isinstance(obj, keras.layers.Layer):
        return ()
    detached = []
    for layer in obj._flatten_layers(include_self=True) if inner else (obj,):
        for name in _WRAPPED:
            if name in layer.__dict__:
                detached.append((layer, name, layer.__dict__.pop(name)))
    return tuple(detached)


def reattach_wrappers(detached: tuple) -> None:
    for layer, name, wrapper in detached:
        layer.__dict__[name] = wrapper
