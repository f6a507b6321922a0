"""What a card shows on its face, and how big that face is, from its spec and values.

The canvas draws these texts and sizes; `from_keras` lays imported cards out by
them, so neither needs the other.
"""

from __future__ import annotations

from .catalog.spec import PortSpec
from .graph import Card

ROW_HEIGHT = 22
TITLE_HEIGHT = 30
TITLE_FONT_SIZE = 15
KEY_FONT_SIZE = 13  # the card's name, after its title
KEY_GAP = 8
FONT_SIZE = 12
CHAR_WIDTH = 6.6  # average advance of the 12px sans-serif font, to size the body
TITLE_CHAR_WIDTH = CHAR_WIDTH * 1.3  # the 15px title
KEY_CHAR_WIDTH = CHAR_WIDTH * 1.2  # the 13px semi-bold name
PORT_SIZE = 12
CARD_PADDING = 10  # the white frame the canvas draws around a card's face
LEFT_TEXT = 22  # where a row's text starts, right of its circle
MIN_BODY_WIDTH = 150
MAX_VALUE_CHARS = 28
COUNT_FONT_SIZE = 11  # the parameter count, at the right of a layer card's title
COUNT_CHARS = len("999.9k params")  # the widest count text, kept free in a layer card's title
# Zoomed out, a card shows its type, name and shape in a box at least this large, about a convolution's
# body: at the whole-network fit of MobileNetV2 a ReLU's body is 10 pixels high, too small for any text.
COMPACT_WIDTH = 480
COMPACT_HEIGHT = 360


def format_value(value) -> str:
    """A parameter as the card shows it: (5, 5) -> "5, 5", None -> "-"."""
    if value is None or value == ():
        return "-"
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def format_shape(shape) -> str:
    """A tensor shape as Keras prints it: (None, 24, 24, 3), (8,)."""
    return "(" + ", ".join("None" if size is None else str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def value_text(port: PortSpec, value) -> str:
    """A parameter's value as its row shows it: a choice's label, cut short past MAX_VALUE_CHARS."""
    if port.choices is not None:
        label = next((choice.label for choice in port.choices if choice.value == value), format_value(value))
        text = label
    else:
        text = format_value(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def row_texts(card: Card) -> list[tuple[PortSpec, str]]:
    """The card's input rows, in Protopipe's order, with the value shown for scalars."""
    return [(port, value_text(port, getattr(card, port.name)) if port.is_scalar else "") for port in card.spec.inputs]


def output_label(card: Card, port: PortSpec) -> str:
    shape = card.output_shapes.get(port.name)
    return f"{port.text} {format_shape(shape)}" if shape is not None else port.text


def count_text(count: int | None) -> str:
    """A layer's number of weights as its card shows it: 78 -> "78 params", 12345 -> "12.3k params"."""
    if count is None:
        return ""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            return f"{count / limit:.1f}".rstrip("0").rstrip(".") + f"{suffix} params"
    return f"{count} params"


def body_size(card: Card) -> tuple[float, float]:
    """Width and height of the card's body on the canvas, in pixels, wide enough for its longest row
    and for its title followed by its name (and, on a layer card, its parameter count)."""
    card_rows = row_texts(card)
    left = max((len(port.text) + (len(value) + 2 if value else 0) for port, value in card_rows), default=0)
    right = max((len(output_label(card, port)) for port in card.spec.outputs), default=0)
    title = len(card.spec.title) * TITLE_CHAR_WIDTH + KEY_GAP + len(card.key) * KEY_CHAR_WIDTH + 20
    if card.spec.kind == "layer":
        title += COUNT_CHARS * CHAR_WIDTH * COUNT_FONT_SIZE / FONT_SIZE + KEY_GAP
    width = max(LEFT_TEXT + (left + right + 4) * CHAR_WIDTH + LEFT_TEXT, title)
    height = TITLE_HEIGHT + max(len(card_rows), len(card.spec.outputs), 1) * ROW_HEIGHT
    return max(MIN_BODY_WIDTH, round(width)), height


def room_around(body: tuple[float, float]) -> tuple[float, float]:
    """Width and height of the room a card with a body of this size takes in the drawing: the body,
    widened and heightened, about the same centre, to the box its compact face is drawn in zoomed out."""
    width, height = body
    return max(width, COMPACT_WIDTH), max(height, COMPACT_HEIGHT)


def footprint(card: Card) -> tuple[float, float]:
    """Width and height of the room `card` takes in the drawing (`room_around` its body)."""
    return room_around(body_size(card))
