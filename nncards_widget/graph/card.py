"""`Card`: one card of a graph, its parameters as traitlets.

Each catalog card gets its own `Card` subclass, made once from its spec, with one
`PortParameter` trait per scalar port: `card.filters = 8` validates, stores and
fires `observe`, exactly as an edit in the inspector does.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from traitlets import Dict, Float, HasTraits, Int, Tuple, Unicode

from .. import catalog
from ..catalog.spec import CardSpec
from .params import PortParameter

# What a card key may be (and a nested model's name: both become Keras names).
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,127}")

# Attributes every card has; a port may not shadow them.
RESERVED_NAMES = frozenset({"key", "position", "spec", "output_shapes", "param_count", "error", "note", "graph", "refuse_edits"})


class Card(HasTraits):
    """A card in a `CardGraph`. Create cards with `CardGraph.add`.

    Attributes:
        key: the card's unique name in its graph (also its Keras layer's name).
        spec: the catalog spec the card was made from.
        param_names: the names of its scalar parameters, in port order.
        position: where the card sits on the canvas, (x, y).
        output_shapes: set by the build: output port name -> shape, None for
            the batch axis. Empty while the card cannot be computed.
        param_count: set by the build: the number of weights of the card's layer.
        error: set by the build: why the card cannot be built, or None.
        note: set by the build: why a card without an error has no output yet
            ("port 'Input' is not connected", "waiting for dense, which cannot be built"), or None.
    """

    spec: CardSpec

    key = Unicode(read_only=True, help="The card's unique name in its graph.")
    position = Tuple(Float(), Float(), default_value=(0.0, 0.0), help="Where the card sits on the canvas.")
    output_shapes = Dict(help="Output port name -> computed shape (None for the batch axis).")
    param_count = Int(None, allow_none=True, help="Number of weights of the card's Keras layer.")
    error = Unicode(None, allow_none=True, help="Why the card cannot be built, or None.")
    note = Unicode(None, allow_none=True, help="Why a card without an error has no output yet, or None.")

    # Set by the graph that holds the card: raises when edits are refused now (see CardGraph.lock).
    refuse_edits = None

    def __init__(self, key: str, **params: Any):
        super().__init__()
        self.set_trait("key", key)
        # Set now, not lazily, so that the first move reports a real old position (undo needs it).
        self.position = (0.0, 0.0)
        for name, value in params.items():
            if name not in self.param_names:
                raise TypeError(
                    f"{self.describe()} has no parameter {name!r}. Expected one of: {', '.join(self.param_names)}."
                )
            setattr(self, name, value)

    @property
    def title(self) -> str:
        return self.spec.title

    param_names: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        """The scalar parameters, by port name."""
        return {name: getattr(self, name) for name in self.param_names}

    def describe(self) -> str:
        """How messages name the card: `Dense layer 'dense_1'`."""
        return f"{self.spec.title} {self.key!r}"

    def __repr__(self) -> str:
        return f"<Card {self.describe()}>"


@cache
def card_class(card_id: str) -> type[Card]:
    """The `Card` subclass of a catalog card, with a trait per scalar port."""
    spec = catalog.get(card_id)
    traits = {port.name: PortParameter(port) for port in spec.scalar_inputs}
    clashes = RESERVED_NAMES & set(traits)
    if clashes:
        raise ValueError(f"Card {card_id!r} has ports named like card attributes: {sorted(clashes)}.")
    class_name = "".join(part.capitalize() for part in card_id.split("_")) + "Card"
    return type(class_name, (Card,), {"spec": spec, "param_names": tuple(traits), "__doc__": spec.help, **traits})
