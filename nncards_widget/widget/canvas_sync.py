"""`CanvasSync`: what the canvas front end must be sent to show a graph, one diff at a time.

The front end keeps the records it was sent (js/src/store.js). The first message, and
any message a view asks for after losing track, is a reset holding every record;
each later message holds only what changed since the one before: the records of
edited or rebuilt cards, added and removed connections, the specs of card types the
front end has not seen, the view state (selection, pending port) if it moved, and the
frames of nested models (`graph.groups`) if they changed.
Messages are numbered, and each names the one it follows, so a view that missed
one asks for a reset instead of drawing a wrong picture.

What changed is known from the graph's edits and from the traits the build
publishes on each card, never by comparing the whole graph, so a message costs
what the edit changed.
"""

from __future__ import annotations

import math

from ..card_face import format_shape
from ..catalog.spec import TENSOR
from ..graph import Card, CardGraph, Edit
from .canvas_records import GEOMETRY, PORT_COLOURS, as_json, card_record, connection_record, edge_id, spec_record

# What the build sets on a card; each one is drawn.
PUBLISHED_TRAITS = ("output_shapes", "param_count", "error", "note")


def trainable_count(graph: CardGraph, card: Card) -> int | None:
    """The number of trainable weights of the card's built layer, or None."""
    layer = graph.keras_object(card)
    weights = getattr(layer, "trainable_weights", None)
    if weights is None or card.param_count is None:
        return None
    return sum(math.prod(weight.shape) for weight in weights)


class CanvasSync:
    """Follows one graph; `reset()` and `patch()` give the messages that bring a canvas up to date."""

    def __init__(self, graph: CardGraph):
        self.graph = graph
        self.revision = 0
        self._sent_cards: dict[str, str] = {}
        self._sent_connections: set[str] = set()
        self._sent_specs: set[str] = set()
        self._sent_view: dict | None = None
        self._sent_frames: dict = {}
        self._dirty: set[Card] = set()
        self._structure_changed = False
        self._traces: dict[str, list[float]] = {}
        self._watched: set[Card] = set()
        graph.on_edit(self._on_edit)
        for card in graph.cards:
            self._watch(card)

    def close(self) -> None:
        """Stop following the graph."""
        self.graph.on_edit(self._on_edit, remove=True)
        for card in list(self._watched):
            self._unwatch(card)

    # Following the graph

    def _watch(self, card: Card) -> None:
        if card not in self._watched:
            card.observe(self._on_published, names=list(PUBLISHED_TRAITS))
            self._watched.add(card)

    def _unwatch(self, card: Card) -> None:
        if card in self._watched:
            card.unobserve(self._on_published, names=list(PUBLISHED_TRAITS))
            self._watched.discard(card)

    def _on_published(self, change) -> None:
        self._dirty.add(change["owner"])

    def _on_edit(self, edit: Edit) -> None:
        if edit.kind in ("set", "move"):
            self._dirty.add(edit.card)
        elif edit.kind == "add":
            self._watch(edit.card)
            self._dirty.add(edit.card)
        elif edit.kind == "remove":
            self._unwatch(edit.card)
            self._dirty.discard(edit.card)
            self._structure_changed = True
        elif edit.kind in ("connect", "disconnect"):
            self._structure_changed = True
        elif edit.kind == "groups":
            # Which frame each card is drawn in: every member, old or new, gets its record again.
            moved = _members(edit.old) | _members(edit.new)
            self._dirty.update(card for card in self.graph.cards if card.key in moved)
        elif edit.kind == "replace":
            for card in list(self._watched):
                self._unwatch(card)
            for card in edit.new[0]:
                self._watch(card)
            self._dirty = set(edit.new[0])
            self._structure_changed = True

    def set_traces(self, traces: dict[str, list[float]]) -> None:
        """Small curves to draw on cards (by card key), e.g. a layer's weight norm during training."""
        for key, values in traces.items():
            card = self.graph.card(key)
            self._traces[key] = [float(value) for value in values]
            self._dirty.add(card)

    # Messages

    def _record(self, card: Card) -> dict:
        record = card_record(card, trainable_count(self.graph, card))
        if card.key in self._traces:
            record["trace"] = self._traces[card.key]
        group = self.graph.group_of(card)
        if group is not None:
            record["frame"] = group.name
        return record

    def _frames(self) -> dict:
        """The nested models, drawn as labelled frames around their cards (and frames they hold), each with the
        shapes of the tensors it takes and gives, which it shows when collapsed to one card."""
        groups = self.graph.groups
        holder = {key: name for name, group in groups.items() for key in group.members}
        chains: dict[str | None, frozenset] = {None: frozenset()}

        def chain(name: str | None) -> frozenset:
            """The group `name` and the groups holding it."""
            if name not in chains:
                chains[name] = chain(groups[name].parent) | {name}
            return chains[name]

        # Per group, the tensors entering and leaving it: (card key, port) -> shape text, in the graph's order.
        ends: dict[str, tuple[dict, dict]] = {name: ({}, {}) for name in groups}
        for connection in self.graph.connections if groups else ():
            source, port = connection.source, connection.source_port
            if source.spec.port(port).type != TENSOR:
                continue
            inside_source, inside_target = chain(holder.get(source.key)), chain(holder.get(connection.target.key))
            shape = source.output_shapes.get(port)
            text = "?" if shape is None else format_shape(shape)
            for name in inside_target - inside_source:
                ends[name][0].setdefault((source.key, port), text)
            for name in inside_source - inside_target:
                ends[name][1].setdefault((source.key, port), text)
        return {
            name: {"label": f"{group.model_class} model {name}", "parent": group.parent,
                   "inputs": list(ends[name][0].values()), "outputs": list(ends[name][1].values())}
            for name, group in groups.items()
        }

    def reset(self, view: dict) -> dict:
        """Every record: for a view that has nothing yet, or lost track."""
        cards = {card.key: self._record(card) for card in self.graph.cards}
        connections = {edge_id(c): connection_record(c) for c in self.graph.connections}
        spec_ids = {card.spec.id for card in self.graph.cards}
        self._sent_cards = {key: as_json(record) for key, record in cards.items()}
        self._sent_connections = set(connections)
        self._sent_specs = spec_ids
        self._sent_view = view
        self._sent_frames = self._frames()
        self._dirty.clear()
        self._structure_changed = False
        self.revision += 1
        return {
            "kind": "canvas",
            "revision": self.revision,
            "base": None,
            "geometry": GEOMETRY,
            "colours": PORT_COLOURS,
            "specs": {card.spec.id: spec_record(card.spec) for card in self.graph.cards},
            "cards": cards,
            "connections": connections,
            "frames": self._sent_frames,
            "view": view,
        }

    def patch(self, view: dict) -> dict | None:
        """What changed since the last message, or None if nothing did."""
        cards: dict[str, dict | None] = {}
        connections: dict[str, dict | None] = {}
        if self._structure_changed:
            self._structure_changed = False
            present = {card.key for card in self.graph.cards}
            for key in set(self._sent_cards) - present:
                del self._sent_cards[key]
                cards[key] = None
            current = {edge_id(c): c for c in self.graph.connections}
            for element_id in self._sent_connections - set(current):
                connections[element_id] = None
            for element_id in set(current) - self._sent_connections:
                connections[element_id] = connection_record(current[element_id])
            self._sent_connections = set(current)
        specs = {}
        for card in self._dirty:
            if card not in self.graph:
                continue
            record = self._record(card)
            text = as_json(record)
            if self._sent_cards.get(card.key) != text:
                self._sent_cards[card.key] = text
                cards[card.key] = record
            if card.spec.id not in self._sent_specs:
                self._sent_specs.add(card.spec.id)
                specs[card.spec.id] = spec_record(card.spec)
        self._dirty.clear()
        view_changed = view != self._sent_view
        frames = self._frames()
        frames_changed = frames != self._sent_frames
        if not (cards or connections or view_changed or frames_changed):
            return None
        self._sent_view = view
        self.revision += 1
        message = {"kind": "canvas", "revision": self.revision, "base": self.revision - 1,
                   "specs": specs, "cards": cards, "connections": connections}
        if view_changed:
            message["view"] = view
        if frames_changed:
            self._sent_frames = frames
            message["frames"] = frames
        return message


def _members(groups) -> set[str]:
    return {key for group in groups for key in group.members}
