"""The live keras.Model, assembled from the graph's current nodes when it is first asked for.

`keras.Model(inputs, outputs)` walks every layer of the network, so making it after each
edit would make every edit cost the whole graph. A build only records the model's ends
(the Input tensors that feed the Output cards, and the Output cards' tensors) in an
`Assembly`; the model is made from them the first time someone asks for it, once.

The builder makes sure an assembly is never left unmade while its nodes go away: it
makes it before pruning if its build result is still held by someone, or if the next
build breaks the graph (so that the last good model is the last good build's).

A graph with nested models (`CardGraph.groups`) has its model assembled by nesting.py.
"""

from __future__ import annotations

import contextlib
import sys
import weakref
from typing import Any, Callable

from .checks import keras_message
from .nesting import assemble, model_between


class Assembly:
    """The ends of one build's model, and the model once made (or why it could not be).

    inputs: Input card -> its tensor; ordered as the graph lists the cards when made.
    outputs: output name -> tensor.
    groups: the graph's nested models; owners: id(layer) -> (layer, the name of the group holding it);
        retire: takes each node that nesting adds to the graph's layers (nesting.py).
    parts: once made, the nested models made for it.
    """

    def __init__(
        self,
        key: tuple,
        inputs: dict,
        outputs: dict,
        graph,
        on_model: Callable[[Assembly, Any], None],
        groups: tuple = (),
        owners: dict | None = None,
        retire: Callable | None = None,
    ):
        self.key = key
        self._inputs = inputs
        self._outputs = outputs
        self._graph = weakref.ref(graph)
        self._on_model = on_model
        self._groups, self._owners, self._retire = groups, owners, retire
        self._made = False
        self._model = None
        self._error: str | None = None
        self.parts: tuple = ()

    @classmethod
    def made(cls, key: tuple, model) -> Assembly:
        """An assembly whose model exists already (a build that left the model's ends unchanged)."""
        assembly = cls.__new__(cls)
        assembly.key, assembly._made, assembly._model, assembly._error = key, True, model, None
        assembly.parts = ()
        return assembly

    @property
    def pending(self) -> bool:
        return not self._made

    @property
    def model(self):
        self.make()
        return self._model

    @property
    def error(self) -> str | None:
        self.make()
        return self._error

    def make(self) -> None:
        if self._made:
            return
        self._made = True
        graph = self._graph()
        position = {card: index for index, card in enumerate(graph.cards)} if graph is not None else {}
        inputs = [self._inputs[card] for card in sorted(self._inputs, key=lambda card: position.get(card, len(position)))]
        outputs = self._outputs
        try:
            with _recursion_room(2 * len(position)):
                if self._groups:
                    nested = assemble(inputs, outputs, self._groups, self._owners, self._retire)
                    model, self.parts = nested.model, nested.parts
                else:
                    model = model_between(inputs, outputs)
        except Exception as error:  # noqa: BLE001 - reported; the last good model stays
            self._error = keras_message(error)
        else:
            self._model = model
            self._on_model(self, model)
        finally:
            self._inputs = self._outputs = self._owners = None


@contextlib.contextmanager
def _recursion_room(frames: int):
    """Python's recursion limit raised by `frames` for a while.

    Keras walks a functional model's layers recursively, about one frame a layer, so a chain
    of more than about 900 cards would otherwise fail with "maximum recursion depth exceeded".
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)
