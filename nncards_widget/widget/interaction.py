"""Canvas events -> graph edits. Every message from the browser comes through `handle`.

Messages are untrusted: anything that is not one of the known events with
well-formed fields is refused with a message, and nothing changes. What a click
means depends only on the graph and on the view state kept here (which card or
edge is selected, which port waits for its partner), never on the browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..graph import Card, CardGraph, ConnectionRefused, EditsLocked
from .canvas_records import edge_id, port_node_id


class CanvasMessageError(ValueError):
    """A message from the canvas that is not a well-formed event."""


@dataclass(frozen=True)
class PortRef:
    card: Card
    port: str
    direction: str
    type: str


@dataclass(frozen=True)
class Outcome:
    """What the editor should show after an event: a message, and whether it is an error."""

    message: str = ""
    error: bool = False
    redraw: bool = False  # a view needs every record again


MAX_POSITIONS = 20_000
MAX_COORDINATE = 1e7


class CanvasInteraction:
    """The view state of one editor and the handler of its canvas events."""

    def __init__(self, graph: CardGraph):
        self.graph = graph
        self.selected: str | None = None  # a card key or an edge id
        self.pending: PortRef | None = None

    # Reading element ids (made by canvas_records)

    def port_ref(self, element_id: str) -> PortRef:
        kind, key, port = element_id.split(":", 2)
        card = self.graph.card(key)
        spec = card.spec.port(port)
        return PortRef(card, port, spec.direction, spec.type)

    def compatible_ports(self) -> set[str]:
        """Element ids of the ports the pending port may connect to."""
        if self.pending is None:
            return set()
        return {port_node_id(card, port) for card, port in self.graph.connectable_ports(self.pending.card, self.pending.port)}

    @staticmethod
    def _ends(first: PortRef, second: PortRef):
        out, into = (first, second) if first.direction == "out" else (second, first)
        return out.card, out.port, into.card, into.port

    # Events

    def handle(self, message) -> Outcome:
        """Apply one canvas message; raises CanvasMessageError for a malformed one."""
        if not isinstance(message, dict) or not isinstance(message.get("event"), str):
            raise CanvasMessageError(f"expected an object with an 'event'. Received: {message!r:.200}")
        handler = {
            "ready": self._ready,
            "resync": self._resync,
            "tap": self._tap,
            "moved": self._moved,
            "delete": self._delete,
        }.get(message["event"])
        if handler is None:
            raise CanvasMessageError(f"unknown canvas event {message['event']!r:.80}")
        return handler(message)

    def _ready(self, message) -> Outcome:
        """A view has been made: it needs every record."""
        return Outcome(redraw=True)

    def _resync(self, message) -> Outcome:
        """A view missed a message: it needs every record again."""
        return Outcome(redraw=True)

    def _tap(self, message) -> Outcome:
        element = message.get("id", "")
        if not isinstance(element, str) or len(element) > 400:
            raise CanvasMessageError(f"tap: expected an element id. Received: {element!r:.200}")
        kind, _, rest = element.partition(":")
        try:
            if kind == "port":
                return self._tap_port(self.port_ref(element))
            if kind in ("card", "body"):
                self.pending = None
                self.selected = self.graph.card(rest).key
                return Outcome()
            if kind == "edge":
                self.pending = None
                self._connection_of(element)
                self.selected = element
                return Outcome("Connection selected: press Delete (or the Delete button) to remove it.")
        except (KeyError, ValueError) as unknown:
            raise CanvasMessageError(f"tap: no such element {element!r:.200} ({unknown})") from None
        if element:
            raise CanvasMessageError(f"tap: no such element {element!r:.200}")
        self.pending, self.selected = None, None
        return Outcome()

    def _tap_port(self, port: PortRef) -> Outcome:
        if self.pending is None or self.pending.card is port.card and self.pending.port == port.port:
            if self.pending is not None:
                self.pending = None
                return Outcome()
            self.pending = port
            self.selected = port.card.key
            partner = "an input" if port.direction == "out" else "an output"
            spec = port.card.spec.port(port.port)
            return Outcome(f"{port.card.describe()} port {spec.text!r}: now click {partner} of type {port.type}.")
        first, self.pending = self.pending, None
        if first.direction == port.direction:
            self.pending = port
            return Outcome(f"Now click {'an input' if port.direction == 'out' else 'an output'} of type {port.type}.")
        source, source_port, target, target_port = self._ends(first, port)
        try:
            self.graph.connect(source, source_port, target, target_port)
        except (ConnectionRefused, EditsLocked) as refused:
            return Outcome(str(refused), error=True)
        return Outcome(f"Connected {source.key}.{source_port} to {target.key}.{target_port}.")

    def _moved(self, message) -> Outcome:
        positions = message.get("positions")
        if not isinstance(positions, dict) or len(positions) > MAX_POSITIONS:
            raise CanvasMessageError("moved: expected positions as {card key: [x, y]}")
        updates = []
        for key, xy in positions.items():
            if not (
                isinstance(xy, list)
                and len(xy) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < MAX_COORDINATE for v in xy)
            ):
                raise CanvasMessageError(f"moved: expected [x, y] for {key!r:.80}. Received: {xy!r:.80}")
            try:
                updates.append((self.graph.card(key), (float(xy[0]), float(xy[1]))))
            except KeyError:
                raise CanvasMessageError(f"moved: no card named {key!r:.80}") from None
        with self.graph.hold():
            for card, xy in updates:
                card.position = xy
        return Outcome()

    def _delete(self, message) -> Outcome:
        return self.delete_selected()

    def delete_selected(self) -> Outcome:
        if self.graph.locked_by is not None:
            return Outcome(self.graph.locked_by, error=True)
        selected, self.selected, self.pending = self.selected, None, None
        if selected is None:
            return Outcome("Select a card or a connection first.", error=True)
        if selected.startswith("edge:"):
            connection = self._connection_of(selected)
            self.graph.disconnect(connection.source, connection.source_port, connection.target, connection.target_port)
            return Outcome(f"Removed the connection {connection.source.key}.{connection.source_port} → {connection.target.key}.{connection.target_port}.")
        card = self.graph.card(selected)
        self.graph.remove(card)
        return Outcome(f"Removed {card.describe()}.")

    def _connection_of(self, element_id: str):
        """The connection an edge id names; KeyError if there is none (only its source's connections are read)."""
        parts = element_id.split(":")
        if len(parts) != 5 or parts[0] != "edge":
            raise KeyError(element_id)
        for connection in self.graph.outgoing(self.graph.card(parts[1])):
            if edge_id(connection) == element_id:
                return connection
        raise KeyError(element_id)

    def forget_missing(self) -> None:
        """Drop a selection whose card or connection an edit removed."""
        if self.pending is not None and self.pending.card not in self.graph:
            self.pending = None
        if self.selected is not None:
            try:
                if self.selected.startswith("edge:"):
                    self._connection_of(self.selected)
                else:
                    self.graph.card(self.selected)
            except KeyError:
                self.selected = None
