"""`CardGraph`: the cards, their connections and positions; the one source of truth.

Every edit goes through a method here (or a card's trait), is validated before
anything changes, and bumps `revision`, which views observe. With `auto_build`
on, each edit also rebuilds the live Keras model incrementally.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from traitlets import Bool, HasTraits, Int, Tuple

from .. import catalog
from ..catalog.spec import TENSOR, PortSpec
from .card import Card, card_class

if TYPE_CHECKING:
    from ..keras_build.builder import BuildResult


class ConnectionRefused(ValueError):
    """A connection the graph does not accept; the graph is unchanged."""


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
    "replace" (old and new are (cards, connections)). Edits made in one
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


def takes_many(port: PortSpec) -> bool:
    """Whether an input port takes any number of connections: a list port of tensors (merge layers' Inputs)."""
    return port.is_list and port.type == TENSOR


_PREFIXES = ("layer_", "mergeLayer2_", "initializer_", "regularizer_", "constraint_")


def base_key(card_id: str) -> str:
    """The stem of a new card's key: "layer_LocallyConnected2D" -> "locally_connected_2d"."""
    name = card_id
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    name = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-zA-Z])(?=[0-9][A-Z])", "_", name)
    return name.lower()


class CardGraph(HasTraits):
    """A network of cards.

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

    cards = Tuple(read_only=True, help="The cards, in the order they were added.")
    connections = Tuple(read_only=True, help="The connections, in the order they were made.")
    revision = Int(0, read_only=True, help="Increases after every edit and every build; views observe it.")
    auto_build = Bool(True, help="Rebuild the Keras model after every edit.")

    def __init__(self, *, auto_build: bool = True):
        super().__init__(auto_build=auto_build)
        self._holds = 0
        self._edited_while_held = False
        self._builder = None
        self._edit_listeners: list[Callable[[Edit], None]] = []
        self._group = 0
        self._incoming: dict[tuple[Card, str], tuple[Connection, ...]] = {}
        self.observe(self._index_connections, names="connections")

    def _index_connections(self, change) -> None:
        incoming: dict[tuple[Card, str], tuple[Connection, ...]] = {}
        for connection in change["new"]:
            key = (connection.target, connection.target_port)
            incoming[key] = incoming.get(key, ()) + (connection,)
        self._incoming = incoming

    # Reading

    def card(self, key: str) -> Card:
        for card in self.cards:
            if card.key == key:
                return card
        raise KeyError(f"No card named {key!r}. Cards: {', '.join(card.key for card in self.cards) or 'none'}.")

    __getitem__ = card

    def __contains__(self, card: Card) -> bool:
        return any(existing is card for existing in self.cards)

    def __len__(self) -> int:
        return len(self.cards)

    def incoming(self, card: Card, port: str) -> Connection | None:
        """The connection into `card`'s single input `port`, if any (a list port: `incoming_list`)."""
        if card.spec.has_port(port) and takes_many(card.spec.port(port)):
            raise ValueError(
                f"{card.describe()} port {card.spec.port(port).text!r} takes a list of connections: "
                f"use incoming_list(card, {port!r})."
            )
        connections = self._incoming.get((card, port), ())
        return connections[0] if connections else None

    def incoming_list(self, card: Card, port: str) -> tuple[Connection, ...]:
        """The connections into `card`'s input `port`, in the order they were made (a single port has at most one)."""
        return self._incoming.get((card, port), ())

    def outgoing(self, card: Card) -> list[Connection]:
        return [connection for connection in self.connections if connection.source is card]

    def topological_order(self) -> list[Card]:
        """Every card after all the cards it takes input from (the graph is acyclic by construction)."""
        waiting = {id(card): 0 for card in self.cards}
        for connection in self.connections:
            waiting[id(connection.target)] += 1
        ready = [card for card in self.cards if waiting[id(card)] == 0]
        order = []
        while ready:
            card = ready.pop(0)
            order.append(card)
            for connection in self.outgoing(card):
                waiting[id(connection.target)] -= 1
                if waiting[id(connection.target)] == 0:
                    ready.append(connection.target)
        return order

    def upstream(self, cards) -> set[Card]:
        """`cards` and every card whose outputs reach one of them, through any number of connections."""
        found, stack = set(), list(cards)
        while stack:
            card = stack.pop()
            if card not in found:
                found.add(card)
                stack.extend(connection.source for connection in self.connections if connection.target is card)
        return found

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
        elif any(card.key == key for card in self.cards):
            raise ValueError(f"A card named {key!r} is already in the graph.")
        elif not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]{0,127}", key):
            raise ValueError(
                f"Card names start with a letter or _ and use letters, digits, _ . - (at most 128). Received: key={key!r}"
            )
        card = cls(key, **params)
        if position is not None:
            card.position = tuple(position)
        self.insert(card)
        return card

    def insert(self, card: Card, index: int | None = None) -> None:
        """Put back a card object (one removed earlier, by undo) at `index`; `add` makes new cards."""
        if card in self or any(existing.key == card.key for existing in self.cards):
            raise ValueError(f"A card named {card.key!r} is already in the graph.")
        self._watch(card)
        index = len(self.cards) if index is None else index
        self.set_trait("cards", self.cards[:index] + (card,) + self.cards[index:])
        self._edited(Edit("add", self._next_group(), card=card))

    def remove(self, card: Card) -> None:
        """Remove a card and every connection to or from it."""
        self._require_member(card)
        self._unwatch(card)
        removed = tuple((i, c) for i, c in enumerate(self.connections) if c.source is card or c.target is card)
        self.set_trait("connections", tuple(c for c in self.connections if c.source is not card and c.target is not card))
        index = self.cards.index(card)
        self.set_trait("cards", self.cards[:index] + self.cards[index + 1 :])
        self._edited(Edit("remove", self._next_group(), card=card, connections=removed, old=index))

    def replace_with(self, other: CardGraph) -> None:
        """Take all the cards and connections of `other` (a loaded file), dropping this graph's own.

        Editors showing this graph follow, and undo brings the previous cards back.
        """
        cards, connections = other.cards, other.connections
        for card in cards:
            other._unwatch(card)
        other.set_trait("connections", ())
        other.set_trait("cards", ())
        self.restore(cards, connections)

    def restore(self, cards: tuple, connections: tuple) -> None:
        """Make these cards and connections the whole graph (by undo of a replace)."""
        old = (self.cards, self.connections)
        for card in self.cards:
            self._unwatch(card)
        for card in cards:
            self._watch(card)
        self.set_trait("cards", tuple(cards))
        self.set_trait("connections", tuple(connections))
        self._edited(Edit("replace", self._next_group(), old=old, new=(tuple(cards), tuple(connections))))

    def _watch(self, card: Card) -> None:
        # observe(names=[]) would mean every trait: cards without parameters (merge cards) watch none.
        if card.param_names:
            card.observe(self._on_param_change, names=list(card.param_names))
        card.observe(self._on_move, names=["position"])

    def _unwatch(self, card: Card) -> None:
        if card.param_names:
            card.unobserve(self._on_param_change, names=list(card.param_names))
        card.unobserve(self._on_move, names=["position"])

    def connect(self, source: Card, source_port: str, target: Card, target_port: str) -> Connection:
        """Connect an output port of `source` to an input port of `target`.

        Refused (ConnectionRefused, graph unchanged) unless both ports exist,
        carry the same type, the input is free (a list port of tensors takes
        any number of connections, each output port once), and no cycle results.
        """
        self.check_connection(source, source_port, target, target_port)
        connection = Connection(source, source_port, target, target_port)
        self.attach(connection)
        return connection

    def attach(self, connection: Connection, index: int | None = None) -> None:
        """Put back a connection object (by undo) at `index`, checked like a new one."""
        self.check_connection(connection.source, connection.source_port, connection.target, connection.target_port)
        index = len(self.connections) if index is None else index
        self.set_trait("connections", self.connections[:index] + (connection,) + self.connections[index:])
        self._edited(Edit("connect", self._next_group(), connection=connection))

    def disconnect(self, source: Card, source_port: str, target: Card, target_port: str) -> None:
        for connection in self.connections:
            if connection.same_as(source, source_port, target, target_port):
                index = self.connections.index(connection)
                self.set_trait("connections", self.connections[:index] + self.connections[index + 1 :])
                self._edited(Edit("disconnect", self._next_group(), connection=connection, old=index))
                return
        raise ValueError(
            f"No connection from {source.describe()} port {source_port!r} to {target.describe()} port {target_port!r}."
        )

    def check_connection(self, source: Card, source_port: str, target: Card, target_port: str) -> None:
        """Raise ConnectionRefused, saying why, if the connection is not allowed."""
        self._require_member(source)
        self._require_member(target)
        out_port = self._port(source, source_port, "out")
        in_port = self._port(target, target_port, "in")
        where = (
            f"Cannot connect {source.describe()} port {out_port.text!r} to {target.describe()} port {in_port.text!r}"
        )
        if in_port.type != out_port.type:
            raise ConnectionRefused(f"{where}: {out_port.text!r} gives a {out_port.type}, {in_port.text!r} takes a {in_port.type}.")
        taken = self.incoming_list(target, target_port)
        if takes_many(in_port):
            if any(c.source is source and c.source_port == source_port for c in taken):
                raise ConnectionRefused(
                    f"{where}: {in_port.text!r} already takes this output; a list port takes each output once."
                )
        elif taken:
            raise ConnectionRefused(
                f"{where}: {in_port.text!r} is already connected to {taken[0].source.describe()} port "
                f"{taken[0].source.spec.port(taken[0].source_port).text!r}; disconnect it first."
            )
        if source is target or self._reaches(target, source):
            raise ConnectionRefused(f"{where}: it would make a cycle ({target.key} already feeds {source.key}).")

    def _port(self, card: Card, name: str, direction: str):
        ports = card.spec.outputs if direction == "out" else card.spec.inputs
        for port in ports:
            if port.name == name:
                if port.is_scalar:
                    raise ConnectionRefused(
                        f"{card.describe()} port {port.text!r} is a parameter ({port.type}): set it on the card, it takes no connection."
                    )
                return port
        names = ", ".join(port.name for port in ports if not port.is_scalar) or "none"
        kind = "output" if direction == "out" else "input"
        raise ConnectionRefused(f"{card.describe()} has no {kind} port {name!r}. Its {kind} ports: {names}.")

    def _reaches(self, start: Card, goal: Card) -> bool:
        seen, stack = set(), [start]
        while stack:
            card = stack.pop()
            if card is goal:
                return True
            if id(card) not in seen:
                seen.add(id(card))
                stack.extend(connection.target for connection in self.outgoing(card))
        return False

    def _require_member(self, card: Card) -> None:
        if not isinstance(card, Card) or card not in self:
            raise ValueError(f"{card!r} is not a card of this graph.")

    def _free_key(self, stem: str) -> str:
        taken = {card.key for card in self.cards}
        if stem not in taken:
            return stem
        number = 1
        while f"{stem}_{number}" in taken:
            number += 1
        return f"{stem}_{number}"

    # Building

    def on_edit(self, callback: Callable[[Edit], None], remove: bool = False) -> None:
        """Call `callback(edit)` after every edit (or stop calling it)."""
        if remove:
            self._edit_listeners.remove(callback)
        else:
            self._edit_listeners.append(callback)

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
        result = self._builder.build(self)
        self._bump()
        return result

    @property
    def model(self):
        """The latest keras.Model built without errors, or None."""
        return None if self._builder is None else self._builder.model

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
        self._edited(Edit("set", self._next_group(), card=card, name=change["name"], old=change["old"], new=change["new"]))

    def _on_move(self, change) -> None:
        self._notify(Edit("move", self._next_group(), card=change["owner"], old=change["old"], new=change["new"]))
        if self._holds:
            self._edited_while_held = True
        else:
            self._bump()

    def __repr__(self) -> str:
        return f"<CardGraph {len(self.cards)} cards, {len(self.connections)} connections>"
