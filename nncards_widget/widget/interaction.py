"""Canvas events -> graph edits. Every message from the browser comes through `handle`.

Messages are untrusted: anything that is not one of the known events with
well-formed fields is refused with a message, and nothing changes. What a click
means depends only on the graph and on the view state kept here (which card or
edge is selected, which port waits for its partner, which nested models are
collapsed to one card), never on the browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from traitlets import TraitError

from .. import catalog
from ..catalog.spec import BOOLEAN, FLOAT, INTEGER, STRING, TYPE_WORDS
from ..card_face import format_value
from ..graph import Card, CardGraph, ConnectionRefused, EditsLocked
from ..layout import clear_of_others
from .canvas_records import edge_id, port_node_id
from .field_text import parse_field


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
    # The revision of the records a view's model holds already, as its "ready" event says (None: none).
    view_revision: int | None = None
    reply: dict | None = None  # a message for the canvas that sent the event (an inline edit's answer, cards to offer)


MAX_POSITIONS = 20_000
MAX_COORDINATE = 1e7
MAX_TEXT = 2_000
# Where pasted cards go: down and right of the cards copied.
PASTE_OFFSET = (40.0, 40.0)
# The keys of the canvas, as the actions they ask for (js/src/canvas.js names them).
KEY_ACTIONS = ("undo", "redo", "delete", "escape", "copy", "paste", "next", "previous")


def _partner(direction: str, type_: str) -> str:
    """What a port waits for, in a student's words: "an input that takes a tensor"."""
    return f"{'an input that takes' if direction == 'out' else 'an output that gives'} {TYPE_WORDS[type_]}"


class CanvasInteraction:
    """The view state of one editor and the handler of its canvas events."""

    def __init__(self, graph: CardGraph):
        self.graph = graph
        self.selected: str | None = None  # a card key or an edge id
        self.pending: PortRef | None = None
        # The cards Ctrl+C copied; a copy can be pasted after they are deleted.
        self.copied: tuple[Card, ...] = ()
        # The nested models (graph.groups) drawn as one card, showing the shapes they take and give.
        self.collapsed: set[str] = set()

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
            "key": self._key,
            "set": self._set,
            "drop": self._drop,
            "add_at": self._add_at,
            "collapse": self._collapse,
        }.get(message["event"])
        if handler is None:
            raise CanvasMessageError(f"unknown canvas event {message['event']!r:.80}")
        try:
            return handler(message)
        except EditsLocked as refused:
            return Outcome(str(refused), error=True)

    def _ready(self, message) -> Outcome:
        """A view has been made: it needs every record, unless its model holds the last ones sent."""
        revision = message.get("revision")
        if revision is not None and (not isinstance(revision, int) or isinstance(revision, bool) or revision < 0):
            raise CanvasMessageError(f"ready: expected the revision of the records held, a whole number >= 0 or null. "
                                     f"Received: revision={revision!r:.80}")
        return Outcome(redraw=True, view_revision=revision)

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
            if kind == "card":
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
            spec = port.card.spec.port(port.port)
            verb = "gives" if port.direction == "out" else "takes"
            return Outcome(f"{port.card.describe()} port {spec.text!r} {verb} {TYPE_WORDS[port.type]}: now click "
                           f"(or drag to) {_partner(port.direction, port.type)}. Escape cancels.")
        first, self.pending = self.pending, None
        if first.direction == port.direction:
            self.pending = port
            spec = port.card.spec.port(port.port)
            return Outcome(f"{port.card.describe()} port {spec.text!r}: now click {_partner(port.direction, port.type)}.")
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
            if not _is_xy(xy):
                raise CanvasMessageError(f"moved: expected [x, y] for {key!r:.80}. Received: {xy!r:.80}")
            try:
                updates.append((self.graph.card(key), (float(xy[0]), float(xy[1]))))
            except KeyError:
                raise CanvasMessageError(f"moved: no card named {key!r:.80}") from None
        with self.graph.hold():
            for card, xy in updates:
                card.position = xy
            if len(updates) == 1:
                # A card let go on another (a drag moves one) slides down until it overlaps none.
                clear_of_others(self.graph, [updates[0][0]])
        return Outcome()

    def _key(self, message) -> Outcome:
        action = message.get("action")
        if action not in KEY_ACTIONS:
            raise CanvasMessageError(f"key: expected one of {', '.join(KEY_ACTIONS)}. Received: {action!r:.80}")
        if action == "delete":
            return self.delete_selected()
        if action in ("undo", "redo"):
            return self.undo() if action == "undo" else self.redo()
        if action == "escape":
            cancelled, self.pending = self.pending, None
            return Outcome("Connection cancelled." if cancelled is not None else "")
        if action == "copy":
            return self._copy()
        if action == "paste":
            return self._paste()
        return self._step_selection(1 if action == "next" else -1)

    def undo(self) -> Outcome:
        self.pending = None
        try:
            return Outcome("Undone.") if self.graph.history.undo() else Outcome("Nothing to undo.", error=True)
        except EditsLocked as refused:
            return Outcome(str(refused), error=True)

    def redo(self) -> Outcome:
        self.pending = None
        try:
            return Outcome("Redone.") if self.graph.history.redo() else Outcome("Nothing to redo.", error=True)
        except EditsLocked as refused:
            return Outcome(str(refused), error=True)

    def _copy(self) -> Outcome:
        if self.selected is None or self.selected.startswith("edge:"):
            return Outcome("Select a card to copy.", error=True)
        self.copied = (self.graph.card(self.selected),)
        return Outcome(f"Copied {self.graph.card(self.selected).describe()}: Ctrl+V adds a copy with its parameters.")

    def _paste(self) -> Outcome:
        originals = self.copied
        if not originals:
            return Outcome("Nothing to paste: select a card and press Ctrl+C first.", error=True)
        with self.graph.hold():
            copies = [
                self.graph.add(card.spec.id, position=(card.position[0] + PASTE_OFFSET[0], card.position[1] + PASTE_OFFSET[1]),
                               **card.params)
                for card in originals
            ]
            clear_of_others(self.graph, copies)
        self.selected, self.pending = copies[-1].key, None
        return Outcome(f"Added {', '.join(card.describe() for card in copies)}, a copy with the same parameters.")

    def _step_selection(self, step: int) -> Outcome:
        """Tab / Shift+Tab: select the next (previous) card in the graph's order, so that no mouse is needed."""
        cards = self.graph.cards
        if not cards:
            return Outcome()
        keys = [card.key for card in cards]
        at = keys.index(self.selected) if self.selected in keys else (-1 if step > 0 else 0)
        self.selected, self.pending = keys[(at + step) % len(keys)], None
        return Outcome(f"Selected {self.graph.card(self.selected).describe()}.")

    def _set(self, message) -> Outcome:
        """An inline edit on a card: the typed text (or the chosen value) for one of its parameters."""
        card, port = self._scalar_port(message, "set")
        value = message.get("value")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise CanvasMessageError(f"set: a value of at most {MAX_TEXT} characters. Received {len(value)}")
        answer = {"command": "field", "card": card.key, "port": port.name}
        try:
            if port.type in (INTEGER, FLOAT):
                if not isinstance(value, str):
                    raise ValueError(f"{port.text}: expected the typed text. Received: {value!r:.80}")
                value = parse_field(port, value)
            elif port.type == BOOLEAN and not isinstance(value, bool):
                raise ValueError(f"{port.text}: expected yes or no (a checkbox). Received: {value!r:.80}")
            elif port.type == STRING and port.choices is None and not (isinstance(value, str) or value is None and port.optional):
                raise ValueError(f"{port.text}: expected {TYPE_WORDS[STRING]}. Received: {value!r:.80}")
            setattr(card, port.name, value)
        except (ValueError, TraitError) as refused:
            text = f"{card.describe()}: {refused} Kept {format_value(getattr(card, port.name))}."
            return Outcome(text, error=True, reply={**answer, "ok": False, "message": text})
        return Outcome(f"Set {card.key}.{port.name} to {format_value(getattr(card, port.name))}.", reply={**answer, "ok": True})

    def _scalar_port(self, message, event: str):
        key, name = message.get("card"), message.get("port")
        if not isinstance(key, str) or not isinstance(name, str):
            raise CanvasMessageError(f"{event}: expected a card key and a port name. Received: {key!r:.80}, {name!r:.80}")
        try:
            card = self.graph.card(key)
            port = card.spec.port(name)
        except (KeyError, ValueError) as unknown:
            raise CanvasMessageError(f"{event}: no such parameter {key!r:.80}.{name!r:.80} ({unknown})") from None
        if not port.is_scalar or port.direction != "in":
            raise CanvasMessageError(f"{event}: {key}.{name} is not a parameter set on the card")
        return card, port

    def _drop(self, message) -> Outcome:
        """A connection dragged from a port and dropped on empty canvas: offer the cards that can take it there."""
        port = self._dragged_port(message, "drop")
        xy = _position(message, "drop")
        self.pending = port
        offered = [[spec.id, spec.title] for spec in catalog.all() if _fitting_port(spec, port) is not None]
        text = port.card.spec.port(port.port).text
        return Outcome(
            f"Choose a card for {port.card.describe()} port {text!r} ({TYPE_WORDS[port.type]}); Escape cancels.",
            reply={"command": "offer", "port": port_node_id(port.card, port.port), "position": list(xy), "cards": offered},
        )

    def _add_at(self, message) -> Outcome:
        """The card chosen after a drop: added where the drag ended and connected to the dragged port."""
        port = self._dragged_port(message, "add_at")
        xy = _position(message, "add_at")
        card_id = message.get("card")
        if not isinstance(card_id, str) or card_id not in catalog.ids():
            raise CanvasMessageError(f"add_at: expected a card type of the catalog. Received: {card_id!r:.80}")
        partner = _fitting_port(catalog.get(card_id), port)
        if partner is None:
            raise CanvasMessageError(f"add_at: {card_id} has no port that fits {port.card.key}.{port.port}")
        with self.graph.hold():
            card = self.graph.add(card_id, position=xy)
            ends = (port.card, port.port, card, partner) if port.direction == "out" else (card, partner, port.card, port.port)
            try:
                self.graph.connect(*ends)
            except ConnectionRefused as refused:
                self.graph.remove(card)
                return Outcome(str(refused), error=True)
            clear_of_others(self.graph, [card])
        self.selected, self.pending = card.key, None
        return Outcome(f"Added {card.describe()} and connected {ends[0].key}.{ends[1]} → {ends[2].key}.{ends[3]}.")

    def _collapse(self, message) -> Outcome:
        """A click on a nested model's title: drawn as one card (collapsed), or with its cards again."""
        name, collapsed = message.get("frame"), message.get("collapsed")
        if not isinstance(name, str) or name not in self.graph.groups:
            raise CanvasMessageError(f"collapse: expected the name of a nested model. Received: {name!r:.80}")
        if not isinstance(collapsed, bool):
            raise CanvasMessageError(f"collapse: expected collapsed to be true or false. Received: {collapsed!r:.80}")
        return self.collapse(name, collapsed)

    def collapse(self, name: str, collapsed: bool = True) -> Outcome:
        """Draw nested model `name` as one card showing the shapes it takes and gives, or (`collapsed=False`) open it."""
        group = self.graph.groups.get(name)
        if group is None:
            known = ", ".join(repr(known) for known in self.graph.groups) or "none"
            raise ValueError(f"No nested model is named {name!r:.80}; the graph's nested models: {known}.")
        if collapsed:
            self.collapsed.add(name)
            # What is selected inside goes out of sight (else the selection would open the model again).
            if self.selected is not None:
                if self.selected.startswith("edge:"):
                    connection = self._connection_of(self.selected)
                    cards = (connection.source, connection.target)
                else:
                    cards = (self.graph.card(self.selected),)
                if any(self._collapsed_around(card) for card in cards):
                    self.selected = None
            if self.pending is not None and self._collapsed_around(self.pending.card):
                self.pending = None
            return Outcome(f"Collapsed {group.describe()} to one card; click it to see its cards again.")
        self.collapsed.discard(name)
        return Outcome(f"Opened {group.describe()}.")

    def _collapsed_around(self, card: Card) -> list[str]:
        """The collapsed nested models that hold `card`, itself or through the ones they hold."""
        around = []
        group = self.graph.group_of(card)
        while group is not None:
            if group.name in self.collapsed:
                around.append(group.name)
            group = self.graph.groups.get(group.parent)
        return around

    def _dragged_port(self, message, event: str) -> PortRef:
        element = message.get("port")
        if not isinstance(element, str) or not element.startswith("port:") or len(element) > 400:
            raise CanvasMessageError(f"{event}: expected a port id. Received: {element!r:.200}")
        try:
            return self.port_ref(element)
        except (KeyError, ValueError) as unknown:
            raise CanvasMessageError(f"{event}: no such port {element!r:.200} ({unknown})") from None

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

    def follow_graph(self) -> None:
        """Keep the view state true to the graph after edits: drop a selection whose card or connection went and
        collapsed nested models that are gone, and open the nested models that hold the selected card."""
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
        self.collapsed &= set(self.graph.groups)
        if self.selected is not None and not self.selected.startswith("edge:"):
            self.collapsed -= set(self._collapsed_around(self.graph.card(self.selected)))


def _is_xy(xy) -> bool:
    """Whether a value from the browser is a place on the canvas: [x, y], two finite numbers in range."""
    return (
        isinstance(xy, list)
        and len(xy) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < MAX_COORDINATE for v in xy)
    )


def _position(message, event: str) -> tuple[float, float]:
    xy = message.get("position")
    if not _is_xy(xy):
        raise CanvasMessageError(f"{event}: expected a position [x, y]. Received: {xy!r:.80}")
    return float(xy[0]), float(xy[1])


def _fitting_port(spec, port: PortRef) -> str | None:
    """The first port of a card type that a connection from (or to) `port` could use, or None."""
    ports = spec.connectable_inputs if port.direction == "out" else spec.outputs
    for candidate in ports:
        if candidate.type == port.type and not candidate.is_scalar:
            return candidate.name
    return None
