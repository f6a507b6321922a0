"""The keras.Model of a graph with nested models (`CardGraph.groups`), assembled from the flat build's nodes.

The incremental build calls each card's layer on the tensors of the cards feeding it, flat:
that gives every card its shapes, and stays as it is. Here each group becomes a model of its
own, innermost first: a fresh keras.Input for each tensor entering it, in the order the
group's layers first use them; its layers (the same objects, so the weights are shared)
called again on those; wrapped as keras.Sequential or keras.Model with the group's name.
The model holding it calls it where its layers were. Outside every group, a layer is called
again only downstream of a nested model.

Everything is read from the Keras nodes of the flat build, not from the graph: the model may
be assembled after later edits (model.py). The nodes these calls add to the graph's own
layers are handed to `retire`, so that they go once the model goes (nodes.py).
"""

from __future__ import annotations

import inspect
from collections import deque
from dataclasses import dataclass
from typing import Callable

import keras
from ..graph.groups import SEQUENTIAL, Group


class NestingError(ValueError):
    """A group whose cards, as wired now, cannot be a nested model of its class; says which group and card."""


@dataclass(frozen=True)
class Nested:
    """The model, and the nested models made for it (innermost first; each Sequential with its inner functional model)."""

    model: keras.Model
    parts: tuple


def assemble(inputs: list, outputs: dict, groups: tuple[Group, ...], owners: dict, retire: Callable) -> Nested:
    """The keras.Model from the flat `inputs` to the flat `outputs` (name -> tensor) with `groups` nested.

    owners: id(layer) -> (layer, the name of the group that holds it itself).
    """
    nodes = _walk(list(outputs.values()))
    calls = {id(node.operation): (node.operation, len(node.operation._inbound_nodes)) for node in nodes}
    assembler = _Assembler(nodes, inputs, outputs, groups, owners)
    try:
        return assembler.run()
    finally:
        # Only the calls made here (the flat nodes before them stay the builder's), and the calls of the nested
        # models, which link them to the graph's layers that feed them.
        for operation, count in calls.values():
            for node in operation._inbound_nodes[count:]:
                retire(node)
        for part in assembler.parts:
            for node in part._inbound_nodes:
                retire(node)


def _walk(ends: list) -> list:
    """The flat nodes that compute `ends`, each after the nodes whose outputs it takes."""
    order, seen = [], set()
    stack = [(_node_of(tensor), False) for tensor in reversed(ends)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        feeding = (_node_of(tensor) for tensor in reversed(node.arguments.keras_tensors))
        stack.extend((feeder, False) for feeder in feeding if id(feeder) not in seen)
    return order


def _node_of(tensor):
    history = tensor._keras_history
    return history.operation._inbound_nodes[history.node_index]


class _Assembler:
    def __init__(self, nodes: list, inputs: list, outputs: dict, groups: tuple, owners: dict):
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.groups = {group.name: group for group in groups}
        self.owner = {id(node): owners.get(id(node.operation), (None, None))[1] for node in nodes}
        self.consumers: dict[int, list] = {}
        for node in nodes:
            for tensor in node.arguments.keras_tensors:
                self.consumers.setdefault(id(tensor), []).append(node)
        self.ends = {id(tensor) for tensor in outputs.values()}
        # Per group made: (its flat input tensors, its flat output tensors, its model).
        self.made: dict[str, tuple] = {}
        self.parts: list = []

    def _chain(self, name: str | None) -> list:
        """The group `name` and the groups holding it, innermost first (empty for the outer model)."""
        chain = []
        while name is not None:
            chain.append(name)
            name = self.groups[name].parent
        return chain

    def _item(self, node, scope: str | None):
        """What stands for `node` in `scope`: the node itself, the group in `scope` that holds it, or None (outside `scope`)."""
        chain = self._chain(self.owner[id(node)])
        if scope is None:
            return chain[-1] if chain else node
        if scope not in chain:
            return None
        index = chain.index(scope)
        return node if index == 0 else chain[index - 1]

    def run(self) -> Nested:
        used = {name for node in self.nodes for name in self._chain(self.owner[id(node)])}
        for name in sorted(used, key=lambda name: -len(self._chain(name))):
            self._make_group(self.groups[name])
        return Nested(self._make_outer(), tuple(self.parts))

    # Items of a scope: its own layers' nodes and the groups it holds directly, in an order that calls each after what feeds it.

    def _ordered_items(self, scope: str | None) -> list:
        items, seen = [], set()
        for node in self.nodes:
            item = self._item(node, scope)
            if item is not None and _key(item) not in seen:
                seen.add(_key(item))
                items.append(item)
        producer = {id(tensor): item for item in items for tensor in self._item_outputs(item)}
        feeders = {
            _key(item): {_key(producer[id(t)]) for t in self._item_inputs(item) if id(t) in producer and producer[id(t)] is not item}
            for item in items
        }
        waiting = {_key(item): len(feeders[_key(item)]) for item in items}
        fed: dict[int, list] = {}
        for item in items:
            for feeder in feeders[_key(item)]:
                fed.setdefault(feeder, []).append(item)
        ready = deque(item for item in items if not waiting[_key(item)])
        order = []
        while ready:
            item = ready.popleft()
            order.append(item)
            for other in fed.get(_key(item), ()):
                waiting[_key(other)] -= 1
                if not waiting[_key(other)]:
                    ready.append(other)
        if len(order) < len(items):
            stuck = [item for item in items if waiting[_key(item)]]
            group = next(item for item in stuck if isinstance(item, str))
            through = next((item for item in stuck if item is not group and _key(item) in feeders[group]), None)
            raise NestingError(
                f"{self.groups[group].describe()} cannot be a model of its own: it takes a tensor from "
                f"{self._describe(through)}, which depends on what it gives. Take that card into it, or ungroup it."
            )
        return order

    def _item_inputs(self, item) -> list:
        return self.made[item][0] if isinstance(item, str) else list(item.arguments.keras_tensors)

    def _item_outputs(self, item) -> list:
        return self.made[item][1] if isinstance(item, str) else list(item.outputs)

    def _describe(self, item) -> str:
        if item is None:
            return "another card"
        return self.groups[item].describe() if isinstance(item, str) else f"card {item.operation.name!r}"

    def _inside(self, node, group: str) -> bool:
        return group in self._chain(self.owner[id(node)])

    # Making the models

    def _make_group(self, group: Group) -> None:
        order = self._ordered_items(group.name)
        produced = {id(t) for item in order for t in self._item_outputs(item)}
        ins, taken = [], set()
        for item in order:
            for tensor in self._item_inputs(item):
                if id(tensor) not in produced and id(tensor) not in taken:
                    taken.add(id(tensor))
                    ins.append(tensor)
        outs = [
            tensor
            for item in order
            for tensor in self._item_outputs(item)
            if id(tensor) in self.ends
            or any(not self._inside(node, group.name) for node in self.consumers.get(id(tensor), ()))
        ]
        _sort_by_card(ins, group.feeds)
        _sort_by_card(outs, group.outputs)
        names = group.inputs if len(group.inputs) == len(ins) else (None,) * len(ins)
        fresh = [
            keras.Input(batch_shape=tuple(t.shape), dtype=t.dtype, sparse=t.sparse, name=name) for t, name in zip(ins, names)
        ]
        if group.model_class == SEQUENTIAL:
            layers = self._chain_of(group, order, ins, outs)
            model = keras.Sequential([fresh[0], *layers], name=group.name)
            self.parts += [model, model._functional]
        else:
            values = {id(t): new for t, new in zip(ins, fresh)}
            for item in order:
                self._call(item, values)
            model = keras.Model(
                inputs=fresh[0] if len(fresh) == 1 else fresh,
                outputs=[values[id(t)] for t in outs] if len(outs) != 1 else values[id(outs[0])],
                name=group.name,
            )
            self.parts.append(model)
        self.made[group.name] = (ins, outs, model)

    def _chain_of(self, group: Group, order: list, ins: list, outs: list) -> list:
        """The layers (and nested models) of a Sequential group, each taking the one before it; NestingError naming
        the card that does not."""
        fix = "Make it a Functional one, or take the card out of it."
        if len(ins) != 1:
            raise NestingError(f"{group.describe()} takes {len(ins)} tensors; a Sequential model takes one. {fix}")
        previous, layers = ins[0], []
        for item in order:
            inputs = self._item_inputs(item)
            # Called on the tensor itself (not a list of it) and nothing else that a Sequential model would not pass.
            plain = isinstance(item, str) or (
                len(item.arguments.args) == 1
                and item.arguments.args[0] is previous
                and all(_is_default(item.operation, k, v) for k, v in item.arguments.kwargs.items())
            )
            if not plain or len(inputs) != 1 or inputs[0] is not previous:
                raise NestingError(
                    f"{group.describe()}: {self._describe(item)} does not take just the output of the layer before it; "
                    f"a Sequential model is a chain of layers. {fix}"
                )
            given = self._item_outputs(item)
            if len(given) != 1:
                raise NestingError(
                    f"{group.describe()}: {self._describe(item)} gives {len(given)} tensors; "
                    f"a Sequential model's layers give one. {fix}"
                )
            if item is not order[-1] and any(t is given[0] for t in outs):
                raise NestingError(
                    f"{group.describe()}: {self._describe(item)} feeds cards outside it from the middle of its chain; "
                    f"a Sequential model gives only its last layer's output. {fix}"
                )
            previous = given[0]
            layers.append(self.made[item][2] if isinstance(item, str) else item.operation)
        if len(outs) != 1:
            raise NestingError(f"{group.describe()} gives {len(outs)} tensors; a Sequential model gives one. {fix}")
        return layers

    def _call(self, item, values: dict) -> None:
        """Call a node's layer (or a group's model) again on the tensors `values` holds for its inputs; note what it gives."""
        if isinstance(item, str):
            ins, outs, model = self.made[item]
            arguments = [values[id(t)] for t in ins]
            result = model(arguments[0] if len(arguments) == 1 else arguments)
        else:
            outs = item.outputs
            args, kwargs = item.arguments.fill_in(values)
            result = item.operation(*args, **kwargs)
        for flat, new in zip(outs, keras.tree.flatten(result)):
            values[id(flat)] = new

    def _make_outer(self) -> keras.Model:
        values = {id(t): t for t in self.inputs}
        for item in self._ordered_items(None):
            if not isinstance(item, str) and all(values.get(id(t)) is t for t in item.arguments.keras_tensors):
                # Upstream of every nested model: its flat call is the model's own.
                values.update((id(t), t) for t in item.outputs)
            else:
                self._call(item, values)
        return model_between(self.inputs, {name: values[id(t)] for name, t in self.outputs.items()})


def model_between(inputs: list, outputs: dict) -> keras.Model:
    """The keras.Model from `inputs` to `outputs` (name -> tensor): a lone input or output as itself, not in a list."""
    return keras.Model(
        inputs=inputs[0] if len(inputs) == 1 else inputs,
        outputs=next(iter(outputs.values())) if len(outputs) == 1 else outputs,
    )


def _sort_by_card(tensors: list, keys: tuple) -> None:
    """Put `tensors` in the order of the keys of the cards that make them (a layer's name is its card's key);
    stable: those of cards not listed, and the tensors of one card, keep their order."""
    listed = {key: index for index, key in enumerate(keys)}
    tensors.sort(key=lambda tensor: listed.get(tensor._keras_history.operation.name, len(listed)))


def _key(item):
    """An item of a scope as a dictionary key: a group by its name, a node by its identity."""
    return item if isinstance(item, str) else id(item)


def _is_default(layer, name: str, value) -> bool:
    """Whether a keyword argument of a layer's call is what its `call` takes when it is not given."""
    parameter = inspect.signature(layer.call).parameters.get(name)
    return value is None or (parameter is not None and parameter.default is not inspect.Parameter.empty and parameter.default == value)

