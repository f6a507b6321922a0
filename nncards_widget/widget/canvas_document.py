"""The canvas as data: the cytoscape elements that draw a card graph.

A card is a compound node titled with the card's title. Its body is one child
node whose SVG image draws every input row as in Protopipe (a circle coloured by
type, a double ring for lists, the port's text and its current value). Each port
that takes or gives a connection is a small child node placed over its circle,
so it can be clicked; tensor outputs carry their computed shape in their label.
A connection is an edge between two port nodes. Everything here is derived from
the graph: the front end never holds anything else.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from ..card_face import (
    FONT_SIZE,
    LEFT_TEXT,
    PORT_SIZE,
    ROW_HEIGHT,
    TITLE_FONT_SIZE,
    TITLE_HEIGHT,
    body_size,
    output_label,
    row_texts,
)
from ..catalog.spec import (
    BOOLEAN,
    CONSTRAINT,
    FLOAT,
    INITIALIZER,
    INTEGER,
    LAYER,
    REGULARIZER,
    STRING,
    TENSOR,
    PortSpec,
)
from ..graph import Card, CardGraph

PORT_COLOURS = {
    INTEGER: "#8bc34a",
    FLOAT: "#009688",
    STRING: "#e53935",
    BOOLEAN: "#3949ab",
    INITIALIZER: "#b39ddb",
    REGULARIZER: "#81d4fa",
    CONSTRAINT: "#c5e1a5",
    LAYER: "#ffcc80",
    TENSOR: "#03a9f4",
}


def card_node_id(card: Card) -> str:
    return f"card:{card.key}"


def port_node_id(card: Card, port: str) -> str:
    return f"port:{card.key}:{port}"


def edge_id(connection) -> str:
    c = connection
    return f"edge:{c.source.key}:{c.source_port}:{c.target.key}:{c.target_port}"


def _circle(x: float, y: float, port: PortSpec) -> str:
    colour = PORT_COLOURS[port.type]
    ring = f'<circle cx="{x}" cy="{y}" r="6" fill="white" stroke="{colour}" stroke-width="1.6"/>'
    if port.is_list:
        ring = f'<circle cx="{x - 2.5}" cy="{y}" r="6" fill="white" stroke="{colour}" stroke-width="1.6"/>' + ring
    return ring


def body_svg(card: Card) -> str:
    """The card body as an SVG data URI: the title, then one row per input port."""
    width, height = body_size(card)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="Roboto, Helvetica, Arial, sans-serif" font-size="{FONT_SIZE}">',
        f'<text x="4" y="{TITLE_HEIGHT - 11}" font-size="{TITLE_FONT_SIZE}" fill="#212121">{escape(card.spec.title)}</text>',
    ]
    for row, (port, value) in enumerate(row_texts(card)):
        y = TITLE_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT / 2
        if port.is_scalar:
            parts.append(_circle(PORT_SIZE / 2 + 2, y, port))
        label = escape(port.text)
        text = f'<text x="{LEFT_TEXT}" y="{y + 4}" fill="#212121">{label}'
        if value:
            text += f'<tspan dx="8" fill="#37474f" font-weight="500">{escape(value)}</tspan>'
        parts.append(text + "</text>")
    parts.append("</svg>")
    return "data:image/svg+xml;utf8," + quote("".join(parts))


def card_elements(card: Card) -> list[dict]:
    """The card's compound node, its body node and one node per connectable port."""
    x, y = card.position
    width, height = body_size(card)
    card_id = card_node_id(card)
    classes = ["card", card.spec.kind]
    if card.error:
        classes.append("error")
    elements = [
        {
            "group": "nodes",
            "data": {
                "id": card_id,
                "label": f"⚠ {card.error}" if card.error else "",
                "key": card.key,
                "card": card.spec.id,
                "help": card.spec.help,
            },
            "classes": " ".join(classes),
        },
        {
            "group": "nodes",
            "data": {
                "id": f"body:{card.key}",
                "parent": card_id,
                "key": card.key,
                "image": body_svg(card),
                "width": width,
                "height": height,
                "title_height": TITLE_HEIGHT,
                "row_height": ROW_HEIGHT,
                "row_help": [f"{port.text} ({port.type}): {port.help}" for port in card.spec.inputs],
            },
            "position": {"x": x, "y": y},
            "classes": "body",
            "selectable": False,
        },
    ]
    top = y - height / 2 + TITLE_HEIGHT
    for row, port in enumerate(card.spec.inputs):
        if port.is_connectable:
            elements.append(_port_node(card, port, x - width / 2 + PORT_SIZE / 2 + 2, top + (row + 0.5) * ROW_HEIGHT, ""))
    rows = max(len(card.spec.inputs), len(card.spec.outputs))
    first_output_row = rows - len(card.spec.outputs)
    for offset, port in enumerate(card.spec.outputs):
        row_y = top + (first_output_row + offset + 0.5) * ROW_HEIGHT
        elements.append(_port_node(card, port, x + width / 2 - PORT_SIZE / 2 - 2, row_y, output_label(card, port)))
    return elements


def _port_node(card: Card, port: PortSpec, x: float, y: float, label: str) -> dict:
    return {
        "group": "nodes",
        "data": {
            "id": port_node_id(card, port.name),
            "parent": card_node_id(card),
            "key": card.key,
            "port": port.name,
            "type": port.type,
            "direction": port.direction,
            "label": label,
            "colour": PORT_COLOURS[port.type],
            "help": f"{port.text} ({port.type}): {port.help}",
        },
        "position": {"x": x, "y": y},
        "classes": f"port {port.direction}" + (" list" if port.is_list else ""),
    }


def connection_element(connection) -> dict:
    c = connection
    return {
        "group": "edges",
        "data": {
            "id": edge_id(c),
            "source": port_node_id(c.source, c.source_port),
            "target": port_node_id(c.target, c.target_port),
            "colour": PORT_COLOURS[c.source.spec.port(c.source_port).type],
        },
        "classes": "connection",
    }


def _drawn_state(card: Card) -> tuple:
    """Everything `card_elements` reads from a card."""
    return (card.spec.id, card.key, tuple(card.params.items()), card.position,
            tuple(card.output_shapes.items()), card.error)


class CanvasDocument:
    """Derives the canvas elements from a graph, redrawing only the cards whose drawn state changed."""

    def __init__(self):
        self._cards: dict[Card, tuple[tuple, list[dict]]] = {}

    def elements(self, graph: CardGraph) -> list[dict]:
        """Every element of the canvas, cards first, then connections."""
        drawn = {}
        elements = []
        for card in graph.cards:
            state = _drawn_state(card)
            cached = self._cards.get(card)
            card_part = cached[1] if cached is not None and cached[0] == state else card_elements(card)
            drawn[card] = (state, card_part)
            elements += card_part
        self._cards = drawn
        elements += [connection_element(connection) for connection in graph.connections]
        return elements


def graph_elements(graph: CardGraph) -> list[dict]:
    """Every element of the canvas, cards first, then connections."""
    return CanvasDocument().elements(graph)
