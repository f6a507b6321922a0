"""`CardGraph`: the cards, their connections and positions; the one source of truth.

Every edit goes through a method here (or a card's trait), is validated before
anything changes, and bumps `revision`, which views observe. With `auto_build`
on, each edit also rebuilds the live Keras model incrementally.

The graph keeps indexes so that an edit costs what it changes: cards by key, the
connections into each port and out of each card, the free inputs and the outputs
of each port type, and a topological order (`order.py`) that makes the cycle check
of a connection local. It also records which cards each edit touched, so that a
build visits those and what lies downstream of them, never the whole graph.
"""

from __future__ import annotations

import re
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from traitlets import Bool, HasTraits, Instance, Int, default, observe

from .. import catalog
from ..catalog.spec import LAYER, TENSOR, TYPE_WORDS, CardSpec, PortSpec
from .card import NAME, Card, card_class
from .groups import Group, GroupError, check_groups, without_card
from .order import TopologicalOrder
from .params import ParameterError
from .training import TrainingSettings

if TYPE_CHECKING:
    from ..keras_build.builder import BuildResult
    from .history import History


class EditsLocked(ParameterError):
    """An edit refused while something (a training run) holds the model: the graph is unchanged."""


class ConnectionRefused(ValueError):
    """A connection the graph does not accept; the graph is unchanged.

    `connect_many` sets `index`, the position of the link at fault, or `cycle`,
    the cards of a cycle its links would close.
    """

    index: int | None = None
    cycle: tuple = ()


@dataclass(frozen=True, eq=False)
class Connection:
    """An edge from an output port of one card to an input port of another."""

    source: Card
    source_port: str
    target: Card
    target_port: str

    def same_as(self, source: Card, source_port: str, target: Card, target_port: str) -> bool:
        return (
            self.source is source
            and self.source_port == source_port
            and self.target is target
            and self.target_port == target_port
        )

    def __repr__(self) -> str:
        return f"<Connection {self.source.key}.{self.source_port} -> {self.target.key}.{self.target_port}>"


@dataclass(frozen=True, eq=False)
class Edit:
    """One change to a graph, holding what is needed to undo it.

    kind is "add", "remove" (card; old: its index; connections: (index,
    connection) pairs removed with it), "connect", "disconnect" (connection;
    old: its index), "set" (card, name, old, new), "move" (card, old, new) or
    "replace" (old and new are (cards, connections, groups)) or "groups" (old and
    new are the nested models, tuples of `Group`). Edits made in one
    `hold()` share a group number: an editor undoes them together.
    """

    kind: str
    group: int
    card: Card | None = None
    connection: Connection | None = None
    connections: tuple = ()
    name: str | None = None
    old: Any = None
    new: Any = None


@dataclass
class Changes:
    """What the edits since the last build touched: what the next build must look at.

    edited: cards added, or whose parameters or connections changed (an ordered set). removed: cards taken out of the graph. offered: Keras objects
        that undo hands back (see `CardGraph.offer_replaced`), by card, newest first. prepared: new layers made
        from cards' parameters by someone else (see `CardGraph.offer_prepared`), by card.
    """

    edited: dict = field(default_factory=dict)
    removed: dict = field(default_factory=dict)
    offered: dict = field(default_factory=dict)
    prepared: dict = field(default_factory=dict)


def takes_many(port: PortSpec) -> bool:
    """Whether an input port takes any number of connections: a list port of tensors (merge layers' Inputs)."""
    return port.is_list and port.type == TENSOR


@cache
def takes_prepared(spec: CardSpec) -> bool:
    """Whether a card of `spec` may be handed a layer made elsewhere (`CardGraph.offer_prepared`): a layer card
    that wraps no other layer (a wrapper's layer is made with its inner layer's)."""
    return spec.kind == "layer" and not any(port.type == LAYER for port in spec.inputs)


def _connectable(spec: CardSpec, direction: str) -> tuple[PortSpec, ...]:
    ports = spec.inputs if direction == "in" else spec.outputs
    return tuple(port for port in ports if port.is_connectable)


_PREFIXES = ("layer_", "mergeLayer2_", "keras_", "ops_", "initializer_", "regularizer_", "constraint_")
_NUMBERED = re.compile(r"(.*)_([0-9]+)")
# How many card names a "no card named ..." message lists.
_NAMES_SHOWN = 20


def base_key(card_id: str) -> str:
    """The stem of a new card's key: "layer_LocallyConnected2D" -> "locally_connected_2d"."""
    name = card_id
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    name = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-zA-Z])(?=[0-9][A-Z])", "_", name)
    return name.lower()


class CardGraph(HasTraits):
    """A network of cards.

    Attributes:
        cards: the cards, in the order they were added (a tuple).
        connections: the connections, in the order they were made (a tuple).

    Example:
        >>> g = CardGraph()
        >>> x = g.add("input", shape=[28, 28, 1])
        >>> lc = g.add("layer_LocallyConnected2D", filters=3, kernel_size=[5, 5])
        >>> y = g.add("output")
        >>> g.connect(x, "data", lc, "input")
        >>> g.connect(lc, "output", y, "data")
        >>> lc.output_shapes["output"]
        (None, 24, 24, 3)
    """

    revision = Int(0, read_only=True, help="Increases after every edit and every build; views observe it.")
    auto_build = Bool(True, help="Rebuild the Keras model after every edit.")
    training = Instance(
        TrainingSettings,
        help="Optimizer, loss and metrics that every live model is compiled with (set by `compile`); saved with the graph.",
    )

    def __init__(self, *, auto_build: bool = True):
        super().__init__(auto_build=auto_build)
        self._holds = 0
        self._edited_while_held = False
        self._builder = None
        self._history: History | None = None
        self._edit_listeners: list[Callable[[Edit], None]] = []
        self._build_listeners: list[Callable[[BuildResult], None]] = []
        self._group = 0
        self._cards: list[Card] = []
        self._connections: list[Connection] = []
        self._cards_shown: tuple | None = ()
        self._connections_shown: tuple | None = ()
        self._by_key: dict[str, Card] = {}
        self._free_numbers: dict[str, int] = {}
        # (card, input port) -> its connections, in the order they were made.
        self._incoming: dict[tuple[Card, str], list[Connection]] = {}
        # card -> the connections into (out of) any of its ports, in the order they were made.
        self._into: dict[Card, list[Connection]] = {}
        self._out_of: dict[Card, list[Connection]] = {}
        # port type -> the input ports that could take a connection now / every output port.
        self._free_inputs: dict[str, dict[tuple[Card, str], None]] = {}
        self._outputs_by_type: dict[str, dict[tuple[Card, str], None]] = {}
        self._order = TopologicalOrder()
        self._changes = Changes()
        # Why edits that change the model are refused now (a training run holds it), or None.
        self._locked_by: str | None = None
        # Nested models by name (groups.py), and the group of each card in one, by card key.
        self._groups: dict[str, Group] = {}
        self._grouped: dict[str, str] = {}

    @default("training")
    def _default_training(self) -> TrainingSettings:
        return TrainingSettings()

    # Reading

    @property
    def cards(self) -> tuple[Card, ...]:
        if self._cards_shown is None:
            self._cards_shown = tuple(self._cards)
        return self._cards_shown

    @property
    def connections(self) -> tuple[Connection, ...]:
        if self._connections_shown is None:
            self._connections_shown = tuple(self._connections)
        return self._connections_shown

    def card(self, key: str) -> Card:
        try:
            return self._by_key[key]
        except (KeyError, TypeError):
            names = [card.key for card in self._cards[:_NAMES_SHOWN]]
            more = f" ({len(self._cards)} in all)" if len(self._cards) > _NAMES_SHOWN else ""
            raise KeyError(f"No card named {key!r:.200}. Cards: {', '.join(names) or 'none'}{more}.") from None

    __getitem__ = card

    def __contains__(self, card: Card) -> bool:
        return isinstance(card, Card) and self._by_key.get(card.key) is card

    def __len__(self) -> int:
        return len(self._cards)

    @property
    def groups(self) -> Mapping[str, Group]:
        """The nested models the keras.Model holds, by name (read-only; `set_groups` changes them)."""
        return MappingProxyType(self._groups)

    def group_of(self, card: Card) -> Group | None:
        """The nested model that holds `card` itself, or None."""
        name = self._grouped.get(card.key) if card in self else None
        return None if name is None else self._groups[name]

    def incoming(self, card: Card, port: str) -> Connection | None:
        """The connection into `card`'s single input `port`, if any (a list port: `incoming_list`)."""
        if card.spec.has_port(port) and takes_many(card.spec.port(port)):
            raise ValueError(
                f"{card.describe()} port {card.spec.port(port).text!r} takes a list of connections: "
                f"use incoming_list(card, {port!r})."
            )
        connections = self._incoming.get((card, port))
        return connections[0] if connections else None

    def incoming_list(self, card: Card, port: str) -> tuple[Connection, ...]:
        """The connections into `card`'s input `port`, in the order they were made (a single port has at most one)."""
        return tuple(self._incoming.get((card, port), ()))

    def outgoing(self, card: Card) -> list[Connection]:
        """The connections out of any of `card`'s ports, in the order they were made."""
        return list(self._out_of.get(card, ()))

    def sources(self, card: Card) -> list[Card]:
        """The cards that feed `card` through any of its ports (once per connection)."""
        return [connection.source for connection in self._into.get(card, ())]

    def targets(self, card: Card) -> list[Card]:
        """The cards that `card` feeds (once per connection)."""
        return [connection.target for connection in self._out_of.get(card, ())]

    def rank(self, card: Card) -> int:
        """A number larger for `card` than for any card upstream of it: builds visit cards in this order."""
        return self._order.rank(card)

    def topological_order(self) -> list[Card]:
        """Every card after all the cards it takes input from (the graph is acyclic by construction)."""
        waiting = {card: len(self._into[card]) for card in self._cards}
        ready = deque(card for card in self._cards if not waiting[card])
        order = []
        while ready:
            card = ready.popleft()
            order.append(card)
            for connection in self._out_of[card]:
                waiting[connection.target] -= 1
                if not waiting[connection.target]:
                    ready.append(connection.target)
        return order

    def upstream(self, cards: Iterable[Card]) -> set[Card]:
        """`cards` and every card whose outputs reach one of them, through any number of connections."""
        found, stack = set(), list(cards)
        while stack:
            card = stack.pop()
            if card not in found:
                found.add(card)
                stack.extend(connection.source for connection in self._into.get(card, ()))
        return found

    def connectable_ports(self, card: Card, port: str) -> list[tuple[Card, str]]:
        """The (card, port) pairs that `card`'s `port` may be connected to now, as `connect` would accept.

        Costs what the answer holds, plus the cards ranked between the two ends
        of a candidate connection that runs against the order: not the whole graph.
        """
        self._require_member(card)
        spec = card.spec.port(port)
        if spec.is_scalar:
            return []
        if spec.direction == "out":
            return [
                (target, target_port)
                for target, target_port in self._free_inputs.get(spec.type, ())
                if not self._feeds_already(card, port, target, target_port)
                and not self._reaches(target, card)
            ]
        if self._incoming.get((card, port)) and not takes_many(spec):
            return []
        candidates = self._outputs_by_type.get(spec.type, {})
        later = [self.rank(source) for source, _ in candidates if not self._order.runs_forward(source, card)]
        downstream = self._order.downstream(card, self.targets, max(later)) if later else {card}
        taken = {(c.source, c.source_port) for c in self._incoming.get((card, port), ())}
        return [(source, name) for source, name in candidates if source not in downstream and (source, name) not in taken]

    def _feeds_already(self, source: Card, source_port: str, target: Card, target_port: str) -> bool:
        return any(c.source is source and c.source_port == source_port for c in self._incoming.get((target, target_port), ()))

    # Editing

    def add(self, card_id: str, *, key: str | None = None, position: tuple | None = None, **params: Any) -> Card:
        """Add a card from the catalog, with parameters differing from its defaults.

        Raises KeyError for an unknown card id, TypeError for an unknown
        parameter, and ParameterError for a value its port refuses; the graph
        is then unchanged.
        """
        cls = card_class(catalog.get(card_id).id)
        if key is None:
            key = self._free_key(base_key(card_id))
        else:
            self._check_key(key)
        card = cls(key, **params)
        if position is not None:
            card.position = tuple(position)
        self.insert(card)
        return card

    def _check_key(self, key: Any) -> None:
        if not isinstance(key, str) or not NAME.fullmatch(key):
            raise ValueError(
                f"Card names start with a letter or _ and use letters, digits, _ . - (at most 128). Received: key={key!r:.200}"
            )
        if key in self._by_key:
            raise ValueError(f"A card named {key!r} is already in the graph.")
        if key in self._groups:
            raise ValueError(f"{key!r} is the name of a nested model of the graph; Keras needs a name of its own for each.")

    def insert(self, card: Card, index: int | None = None) -> None:
        """Put back a card object (one removed earlier, by undo) at `index`; `add` makes new cards."""
        if not isinstance(card, Card):
            raise TypeError(f"Expected a Card. Received: {type(card).__name__}")
        self.check_unlocked()
        self._check_key(card.key)
        self._index_card(card, index)
        self._changes.removed.pop(card, None)
        self._changes.edited[card] = None
        self._edited(Edit("add", self._next_group(), card=card))

    def _index_card(self, card: Card, index: int | None) -> None:
        self._watch(card)
        if index is None or index >= len(self._cards):
            self._cards.append(card)
        else:
            self._cards.insert(index, card)
        self._cards_shown = None
        self._by_key[card.key] = card
        self._into[card], self._out_of[card] = [], []
        for port in _connectable(card.spec, "in"):
            self._free_inputs.setdefault(port.type, {})[(card, port.name)] = None
        for port in _connectable(card.spec, "out"):
            self._outputs_by_type.setdefault(port.type, {})[(card, port.name)] = None
        self._order.add(card)

    def remove(self, card: Card) -> None:
        """Remove a card and every connection to or from it (and from its nested model, which goes if left empty)."""
        self._require_member(card)
        self.check_unlocked()
        if card.key in self._grouped:
            # Leaving its group first, in the same step: undo puts the card back before the group that held it.
            with self.hold():
                self._set_groups(without_card(self._groups, card.key))
                self._remove(card)
        else:
            self._remove(card)

    def _remove(self, card: Card) -> None:
        touching = self._into[card] + self._out_of[card]
        removed = tuple(sorted(((self._connections.index(c), c) for c in touching), key=lambda pair: pair[0]))
        for _, connection in reversed(removed):
            self._detach(connection)
        index = self._cards.index(card)
        self._unindex_card(card)
        self._changes.edited.pop(card, None)
        self._changes.removed[card] = None
        self._edited(Edit("remove", self._next_group(), card=card, connections=removed, old=index))

    def _unindex_card(self, card: Card) -> None:
        self._unwatch(card)
        self._cards.remove(card)
        self._cards_shown = None
        del self._by_key[card.key]
        del self._into[card], self._out_of[card]
        for port in _connectable(card.spec, "in"):
            self._free_inputs[port.type].pop((card, port.name), None)
            self._incoming.pop((card, port.name), None)
        for port in _connectable(card.spec, "out"):
            del self._outputs_by_type[port.type][(card, port.name)]
        self._order.remove(card)
        self._forget_number(card.key)

    def replace_with(self, other: CardGraph) -> None:
        """Take all the cards and connections of `other` (a loaded file), dropping this graph's own.

        Editors showing this graph follow, and undo brings the previous cards back.
        """
        self.check_unlocked()
        cards, connections, groups = other.cards, other.connections, tuple(other.groups.values())
        self.training = other.training
        other._clear()
        self.restore(cards, connections, groups)

    def restore(self, cards: tuple, connections: tuple, groups: tuple = ()) -> None:
        """Make these cards, connections and nested models the whole graph (by undo of a replace)."""
        self.check_unlocked()
        old = (self.cards, self.connections, tuple(self._groups.values()))
        for card in old[0]:
            self._changes.edited.pop(card, None)
            self._changes.removed[card] = None
        self._clear()
        for card in cards:
            self._index_card(card, None)
            self._changes.removed.pop(card, None)
            self._changes.edited[card] = None
        for connection in connections:
            self._index_connection(connection, None)
        self._order.reset(self.topological_order())
        self._take_groups(check_groups(groups, self._by_key.get))
        self._edited(Edit("replace", self._next_group(), old=old, new=(tuple(cards), tuple(connections), tuple(groups))))

    def _clear(self) -> None:
        for card in self._cards:
            self._unwatch(card)
        self._cards, self._connections = [], []
        self._cards_shown = self._connections_shown = None
        self._by_key, self._free_numbers = {}, {}
        self._incoming, self._into, self._out_of = {}, {}, {}
        self._free_inputs, self._outputs_by_type = {}, {}
        self._order = TopologicalOrder()
        self._groups, self._grouped = {}, {}

    def _watch(self, card: Card) -> None:
        # observe(names=[]) would mean every trait: cards without parameters (merge cards) watch none.
        if card.param_names:
            card.observe(self._on_param_change, names=list(card.param_names))
        card.observe(self._on_move, names=["position"])
        # A parameter's validation asks this first, so that a refused edit leaves the card unchanged.
        card.refuse_edits = self.check_unlocked

    def _unwatch(self, card: Card) -> None:
        if card.param_names:
            card.unobserve(self._on_param_change, names=list(card.param_names))
        card.unobserve(self._on_move, names=["position"])
        card.refuse_edits = None

    def connect(self, source: Card, source_port: str, target: Card, target_port: str) -> Connection:
        """Connect an output port of `source` to an input port of `target`.

        Refused (ConnectionRefused, graph unchanged) unless both ports exist,
        carry the same type, the input is free (a list port of tensors takes
        any number of connections, each output port once), and no cycle results.
        """
        self.check_unlocked()
        self.check_connection(source, source_port, target, target_port)
        connection = Connection(source, source_port, target, target_port)
        self._attach(connection, None)
        return connection

    def connect_many(self, links: Iterable[tuple[Card, str, Card, str]]) -> list[Connection]:
        """Make many connections at once, as a loaded file or an imported model does.

        Each (source, source_port, target, target_port) is checked as `connect`
        checks it, except for cycles, which are looked for once among all of them:
        linear in the size of the graph, in any order of the links. Refused
        (ConnectionRefused, whose `index` names the link at fault, or which names
        the cards of a cycle) before anything changes.
        """
        self.check_unlocked()
        links = list(links)
        # (target, port) -> the (source, port) pairs the links before connect to it.
        batch: dict[tuple[Card, str], list[tuple[Card, str]]] = {}
        backward = False
        for index, (source, source_port, target, target_port) in enumerate(links):
            try:
                in_port = self._check_ports(source, source_port, target, target_port)
                self._check_free(source, source_port, target, in_port, batch.get((target, target_port), ()))
            except ConnectionRefused as refused:
                refused.index = index
                raise
            batch.setdefault((target, target_port), []).append((source, source_port))
            backward = backward or not self._order.runs_forward(source, target)
        if backward:
            order = self._order_with(links)
        with self.hold():
            connections = [Connection(*link) for link in links]
            for connection in connections:
                self._index_connection(connection, None)
                self._touched(connection)
                self._edited(Edit("connect", self._next_group(), connection=connection))
            if backward:
                self._order.reset(order)
        return connections

    def _order_with(self, links: list) -> list[Card]:
        """A topological order of the graph with `links` added, or ConnectionRefused naming a cycle's cards."""
        outgoing = {card: [c.target for c in connections] for card, connections in self._out_of.items()}
        feeders = {card: [c.source for c in connections] for card, connections in self._into.items()}
        for source, _, target, _ in links:
            outgoing[source].append(target)
            feeders[target].append(source)
        waiting = {card: len(sources) for card, sources in feeders.items()}
        ready = deque(card for card in self._cards if not waiting[card])
        order = []
        while ready:
            card = ready.popleft()
            order.append(card)
            for target in outgoing[card]:
                waiting[target] -= 1
                if not waiting[target]:
                    ready.append(target)
        if len(order) == len(self._cards):
            return order
        cycle = _a_cycle({card for card, count in waiting.items() if count}, feeders)
        refused = ConnectionRefused(
            "These connections would make a cycle: " + " -> ".join(card.key for card in cycle + cycle[:1]) + "."
        )
        refused.cycle = tuple(cycle)
        raise refused

    def attach(self, connection: Connection, index: int | None = None) -> None:
        """Put back a connection object (by undo) at `index`, checked like a new one."""
        self.check_unlocked()
        self.check_connection(connection.source, connection.source_port, connection.target, connection.target_port)
        self._attach(connection, index)

    def _attach(self, connection: Connection, index: int | None) -> None:
        self._index_connection(connection, index)
        self._order.link(connection.source, connection.target, self.targets, self.sources)
        self._touched(connection)
        self._edited(Edit("connect", self._next_group(), connection=connection))

    def _index_connection(self, connection: Connection, index: int | None) -> None:
        """Enter a checked connection at `index` of `connections` (None: at the end), and in every index."""
        if index is None or index >= len(self._connections):
            self._connections.append(connection)
            place = _append
        else:
            self._connections.insert(index, connection)
            place = self._place_in_order
        self._connections_shown = None
        key = (connection.target, connection.target_port)
        port = connection.target.spec.port(connection.target_port)
        place(self._incoming.setdefault(key, []), connection)
        place(self._into[connection.target], connection)
        place(self._out_of[connection.source], connection)
        if not takes_many(port):
            self._free_inputs[port.type].pop(key, None)

    def _touched(self, connection: Connection) -> None:
        """Both ends of a connection made or removed: the target takes something else, and the source
        may now have to make (or no longer make) what it gives, such as a layer object for a wrapper."""
        self._changes.edited[connection.source] = None
        self._changes.edited[connection.target] = None

    def _place_in_order(self, connections: list, connection: Connection) -> None:
        """Insert `connection` into a list kept in the order of `self._connections`."""
        index = self._connections.index(connection)
        position = sum(1 for c in connections if self._connections.index(c) < index)
        connections.insert(position, connection)

    def disconnect(self, source: Card, source_port: str, target: Card, target_port: str) -> None:
        self.check_unlocked()
        for connection in self._incoming.get((target, target_port), ()):
            if connection.same_as(source, source_port, target, target_port):
                index = self._connections.index(connection)
                self._detach(connection)
                self._edited(Edit("disconnect", self._next_group(), connection=connection, old=index))
                return
        raise ValueError(
            f"No connection from {source.describe()} port {source_port!r} to {target.describe()} port {target_port!r}."
        )

    def _detach(self, connection: Connection) -> None:
        self._connections.remove(connection)
        self._connections_shown = None
        key = (connection.target, connection.target_port)
        self._incoming[key].remove(connection)
        if not self._incoming[key]:
            del self._incoming[key]
            self._free_inputs[connection.target.spec.port(connection.target_port).type][key] = None
        self._into[connection.target].remove(connection)
        self._out_of[connection.source].remove(connection)
        self._touched(connection)

    def check_connection(self, source: Card, source_port: str, target: Card, target_port: str) -> None:
        """Raise ConnectionRefused, saying why, if the connection is not allowed."""
        in_port = self._check_ports(source, source_port, target, target_port)
        self._check_free(source, source_port, target, in_port, ())
        if self._reaches(target, source):
            raise ConnectionRefused(
                f"{self._where(source, source_port, target, in_port)}: it would make a cycle "
                f"({target.key} already feeds {source.key})."
            )

    def _check_ports(self, source: Card, source_port: str, target: Card, target_port: str) -> PortSpec:
        """Both cards are members and both ports exist, are connectable and carry one type; the input port."""
        self._require_member(source)
        self._require_member(target)
        out_port = self._port(source, source_port, "out")
        in_port = self._port(target, target_port, "in")
        if in_port.type != out_port.type:
            raise ConnectionRefused(
                f"{self._where(source, source_port, target, in_port)}: {out_port.text!r} gives {TYPE_WORDS[out_port.type]}, "
                f"{in_port.text!r} takes {TYPE_WORDS[in_port.type]}."
            )
        return in_port

    def _check_free(self, source: Card, source_port: str, target: Card, in_port: PortSpec, also: Iterable) -> None:
        """The input port takes this connection, besides those it has and the (source, port) pairs `also`."""
        taken = [(c.source, c.source_port) for c in self._incoming.get((target, in_port.name), ())] + list(also)
        where = self._where(source, source_port, target, in_port)
        if takes_many(in_port):
            if (source, source_port) in taken:
                raise ConnectionRefused(
                    f"{where}: {in_port.text!r} already takes this output; a list port takes each output once."
                )
        elif taken:
            first, first_port = taken[0]
            raise ConnectionRefused(
                f"{where}: {in_port.text!r} is already connected to {first.describe()} port "
                f"{first.spec.port(first_port).text!r}; disconnect it first."
            )

    @staticmethod
    def _where(source: Card, source_port: str, target: Card, in_port: PortSpec) -> str:
        out_text = source.spec.port(source_port).text
        return f"Cannot connect {source.describe()} port {out_text!r} to {target.describe()} port {in_port.text!r}"

    def _port(self, card: Card, name: str, direction: str) -> PortSpec:
        ports = card.spec.outputs if direction == "out" else card.spec.inputs
        for port in ports:
            if port.name == name:
                if port.is_scalar:
                    raise ConnectionRefused(
                        f"{card.describe()} port {port.text!r} is a parameter ({TYPE_WORDS[port.type]}): set it on the card, it takes no connection."
                    )
                return port
        names = ", ".join(port.name for port in ports if not port.is_scalar) or "none"
        kind = "output" if direction == "out" else "input"
        raise ConnectionRefused(f"{card.describe()} has no {kind} port {name!r:.80}. Its {kind} ports: {names}.")

    def _reaches(self, start: Card, goal: Card) -> bool:
        return self._order.reaches(start, goal, self.targets)

    def _require_member(self, card: Card) -> None:
        if card not in self:
            raise ValueError(f"{card!r:.200} is not a card of this graph.")

    def _free_key(self, stem: str) -> str:
        """`stem`, or `stem_N` with the smallest free N (neither a card's nor a nested model's name); remembers
        where the search ended, so that adding thousands of cards of one kind stays linear."""
        if stem not in self._by_key and stem not in self._groups:
            return stem
        number = self._free_numbers.get(stem, 1)
        while f"{stem}_{number}" in self._by_key or f"{stem}_{number}" in self._groups:
            number += 1
        self._free_numbers[stem] = number + 1
        return f"{stem}_{number}"

    def _forget_number(self, key: str) -> None:
        """A removed key frees its number for `_free_key` again."""
        numbered = _NUMBERED.fullmatch(key)
        if numbered and numbered.group(1) in self._free_numbers:
            stem, number = numbered.group(1), int(numbered.group(2))
            self._free_numbers[stem] = min(self._free_numbers[stem], number)

    # Nested models

    def set_groups(self, groups: Iterable[Group]) -> None:
        """Make `groups` the nested models of the graph's keras.Model (none: a flat model); the cards stay as they are.

        Raises GroupError, naming the nested model and the card, for a card that is not a layer card of the graph
        or is in two groups, a parent that is not one of `groups`, groups that hold each other, a name taken
        twice or by a card; the graph is then unchanged.
        """
        self.check_unlocked()
        self._set_groups(tuple(groups))

    def _set_groups(self, groups: tuple) -> None:
        checked = check_groups(groups, self._by_key.get)
        old = tuple(self._groups.values())
        self._take_groups(checked)
        self._edited(Edit("groups", self._next_group(), old=old, new=tuple(checked.values())))

    def _take_groups(self, checked: dict[str, Group]) -> None:
        self._groups = checked
        self._grouped = {key: group.name for group in checked.values() for key in group.members}

    # Locking and training

    def lock(self, reason: str) -> None:
        """Refuse, with `reason`, every edit that would change the model (moving cards stays allowed),
        until `unlock`: a training run holds the model and must never see it rebuilt under it."""
        if self._locked_by is not None:
            raise EditsLocked(self._locked_by)
        self._locked_by = reason

    def unlock(self) -> None:
        self._locked_by = None

    @property
    def locked_by(self) -> str | None:
        """Why edits are refused now, or None."""
        return self._locked_by

    def check_unlocked(self) -> None:
        """Raise EditsLocked, saying why, while edits are refused."""
        if self._locked_by is not None:
            raise EditsLocked(self._locked_by)

    def compile(self, **settings: Any) -> TrainingSettings:
        """Set how the model learns; every live model from now on comes compiled with these settings.

        Keyword arguments as `TrainingSettings`: optimizer ("sgd", "adam", "rmsprop"),
        learning_rate, momentum, nesterov, clipnorm, clipvalue, loss, from_logits, metrics.
        Those not given take their defaults, as Keras's `compile` does; TrainingSettingsError
        says which value is refused, and nothing changes.

        Example:
            >>> g.compile(optimizer="sgd", learning_rate=0.1, momentum=0.9, loss="binary_crossentropy", metrics=["accuracy"])  # doctest: +SKIP
        """
        self.check_unlocked()
        self.training = TrainingSettings().with_changes(**settings)
        return self.training

    @observe("training")
    def _on_training(self, change) -> None:
        self._bump()

    # Building

    @property
    def history(self) -> History:
        """The graph's one undo history, shared by every editor of it (made on first use)."""
        if self._history is None:
            from .history import History

            self._history = History(self)
        return self._history

    def on_edit(self, callback: Callable[[Edit], None], remove: bool = False) -> None:
        """Call `callback(edit)` after every edit (or stop calling it)."""
        if remove:
            self._edit_listeners.remove(callback)
        else:
            self._edit_listeners.append(callback)

    def on_build(self, callback: Callable[[BuildResult], None], remove: bool = False) -> None:
        """Call `callback(result)` after every build (or stop calling it)."""
        if remove:
            self._build_listeners.remove(callback)
        else:
            self._build_listeners.append(callback)

    def offer_replaced(self, replaced: Mapping[Card, Any]) -> None:
        """Let the next build take back Keras objects that an earlier build replaced (`BuildResult.replaced`),
        for each card whose parameters and inputs are again what its object was built from: this is how
        undo brings back a layer together with its trained weights. Objects that do not fit are dropped."""
        for card, record in replaced.items():
            self._changes.offered.setdefault(card, []).insert(0, record)

    def offer_prepared(self, layers: Mapping[Card, Any]) -> None:
        """Let the next build call these layers, never called before, where it would make a new layer for the card.

        Each must be what the card's parameters make (`from_keras` made them so to check
        each card against its original layer, and passing them on saves making every layer twice).
        """
        for card, layer in layers.items():
            if not takes_prepared(card.spec):
                raise ValueError(f"Card {card.key!r} ({card.spec.id}): only a layer card that wraps no layer takes a prepared layer")
            if getattr(layer, "name", None) != card.key:
                raise ValueError(f"Card {card.key!r}: expected a layer named {card.key!r}. Received: {layer!r}")
            self._changes.prepared[card] = layer

    def _next_group(self) -> int:
        if not self._holds:
            self._group += 1
        return self._group

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Make many edits with one rebuild, one revision and one undo step at the end."""
        if not self._holds:
            self._group += 1
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            if self._holds == 0 and self._edited_while_held:
                self._edited_while_held = False
                self._edited()

    def build(self) -> BuildResult:
        """Rebuild what changed since the last build and return the result."""
        from ..keras_build.builder import Builder

        if self._builder is None:
            self._builder = Builder()
        changes, self._changes = self._changes, Changes()
        result = self._builder.build(self, changes)
        self._bump()
        for listener in list(self._build_listeners):
            listener(result)
        return result

    @property
    def model(self):
        """The latest keras.Model built without errors, compiled with `training`, or None
        (assembled and compiled when first asked for after an edit)."""
        model = None if self._builder is None else self._builder.model
        if model is not None:
            from ..keras_build.compile import compiled

            compiled(model, self.training)
        return model

    def keras_object(self, card: Card):
        """The Keras layer (or initializer, regularizer, constraint) the last build made for `card`."""
        return None if self._builder is None else self._builder.keras_object(card)

    def output_tensor(self, card: Card, port: str = "output"):
        """The symbolic tensor at `card`'s output `port` after the last build, or None."""
        return None if self._builder is None else self._builder.tensor(card, port)

    @property
    def last_build(self) -> BuildResult | None:
        return None if self._builder is None else self._builder.last_result

    def _notify(self, edit: Edit) -> None:
        for listener in list(self._edit_listeners):
            listener(edit)

    def _edited(self, edit: Edit | None = None) -> None:
        if edit is not None:
            self._notify(edit)
        if self._holds:
            self._edited_while_held = True
        elif self.auto_build:
            self.build()
        else:
            self._bump()

    def _bump(self) -> None:
        self.set_trait("revision", self.revision + 1)

    def _on_param_change(self, change) -> None:
        card = change["owner"]
        self._changes.edited[card] = None
        self._edited(Edit("set", self._next_group(), card=card, name=change["name"], old=change["old"], new=change["new"]))

    def _on_move(self, change) -> None:
        self._notify(Edit("move", self._next_group(), card=change["owner"], old=change["old"], new=change["new"]))
        if self._holds:
            self._edited_while_held = True
        else:
            self._bump()

    def __repr__(self) -> str:
        return f"<CardGraph {len(self._cards)} cards, {len(self._connections)} connections>"


def _append(connections: list, connection: Connection) -> None:
    connections.append(connection)


def _a_cycle(cards: set, feeders: dict) -> list:
    """The cards of one cycle, in the direction of its connections, among `cards`: those a topological
    sort could not place, each of which is fed by another of them."""
    card = next(iter(cards))
    path, seen = [], {}
    while card not in seen:
        seen[card] = len(path)
        path.append(card)
        card = next(source for source in feeders[card] if source in cards)
    return path[seen[card]:][::-1]
