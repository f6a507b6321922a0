"""What the canvas is told about a graph: a record per card, per connection and per card type.

The front end (js/src) turns these records into cytoscape elements: a card is a
node whose face is drawn from its spec's rows and the record's values, with a node
for each port that takes or gives a connection; a connection is an edge
between two port nodes. Records are plain JSON, derived from the graph and nothing
else, so a card's record changes only when that card does.
"""

from __future__ import annotations

import json

from ..card_face import (
    CARD_PADDING,
    CHAR_WIDTH,
    COUNT_FONT_SIZE,
    FONT_SIZE,
    KEY_FONT_SIZE,
    KEY_GAP,
    LEFT_TEXT,
    PORT_SIZE,
    ROW_HEIGHT,
    TITLE_FONT_SIZE,
    TITLE_HEIGHT,
    body_size,
    count_text,
    format_shape,
    room_around,
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
    CardSpec,
    PortSpec,
)
from ..graph import Card

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

# How the front end draws a card body: the same sizes `card_face.body_size` measured it with.
GEOMETRY = {
    "row_height": ROW_HEIGHT,
    "title_height": TITLE_HEIGHT,
    "title_font_size": TITLE_FONT_SIZE,
    "key_font_size": KEY_FONT_SIZE,
    "key_gap": KEY_GAP,
    "font_size": FONT_SIZE,
    "port_size": PORT_SIZE,
    "left_text": LEFT_TEXT,
    "count_font_size": COUNT_FONT_SIZE,
    "char_width": CHAR_WIDTH,
    "card_padding": CARD_PADDING,
}


def card_node_id(card: Card) -> str:
    return f"card:{card.key}"


def port_node_id(card: Card, port: str) -> str:
    return f"port:{card.key}:{port}"


def edge_id(connection) -> str:
    c = connection
    return f"edge:{c.source.key}:{c.source_port}:{c.target.key}:{c.target_port}"


def _json_value(value):
    return list(value) if isinstance(value, tuple) else value


def _port_record(port: PortSpec) -> dict:
    record = {
        "name": port.name,
        "text": port.text,
        "type": port.type,
        "list": port.is_list,
        "scalar": port.is_scalar,
        "tensor": port.type == TENSOR,
        "help": port.help,
    }
    if port.is_scalar:
        record.update(optional=port.optional, none_entries=port.none_entries)
        if port.choices is not None:
            record["choices"] = [[choice.value, choice.label] for choice in port.choices]
    return record


def spec_record(spec: CardSpec) -> dict:
    """A card type: its title, kind and ports, for drawing every card of that type."""
    return {
        "id": spec.id,
        "title": spec.title,
        "kind": spec.kind,
        "help": spec.help,
        "inputs": [_port_record(port) for port in spec.inputs],
        "outputs": [_port_record(port) for port in spec.outputs],
    }


def card_record(card: Card, trainable_count: int | None = None) -> dict:
    """One card as the canvas draws it: place, size, row values, output shapes, counts, error, note."""
    width, height = body_size(card)
    compact_width, compact_height = room_around((width, height))
    x, y = card.position
    return {
        "key": card.key,
        "card": card.spec.id,
        "x": x,
        "y": y,
        "w": width,
        "h": height,
        "cw": compact_width,
        "ch": compact_height,
        "rows": [value for _port, value in row_texts(card)],
        "values": {name: _json_value(value) for name, value in card.params.items()},
        "outputs": {name: format_shape(shape) for name, shape in card.output_shapes.items()},
        "param_count": card.param_count,
        "count_text": count_text(card.param_count) if card.spec.kind == "layer" else "",
        "trainable_count": trainable_count,
        "error": card.error,
        "note": card.note,
    }


def connection_record(connection) -> dict:
    c = connection
    return {
        "id": edge_id(c),
        "source": c.source.key,
        "source_port": c.source_port,
        "target": c.target.key,
        "target_port": c.target_port,
        "type": c.source.spec.port(c.source_port).type,
    }


def as_json(record: dict) -> str:
    """The compact JSON text a record is sent (and compared) as."""
    return json.dumps(record, separators=(",", ":"))
