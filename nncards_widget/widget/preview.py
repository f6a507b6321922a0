"""Preview what a card outputs: run a sample through the live model's own layers.

Feature maps become an image grid, vectors a bar chart, scalars a number. The
computation is a keras.Model from the graph's Input tensors to the card's output
tensor, so it uses exactly the layers (and weights) of the live model.
"""

from __future__ import annotations

import base64
import struct
import zlib
from html import escape

import keras
import numpy as np

from ..card_face import format_shape
from ..graph import Card, CardGraph

MAX_MAPS = 16
MAX_BARS = 64
MAP_PIXELS = 96
# The size a generated sample gets along an Input axis of any size (None).
GENERATED_SIZE = 8


class PreviewError(ValueError):
    """Why a card's output cannot be previewed now."""


def _input_cards(graph: CardGraph, card: Card) -> list[Card]:
    upstream = graph.upstream([card])
    return [c for c in graph.cards if c.spec.kind == "input" and c in upstream]


def _fits(shape: tuple, expected: tuple) -> bool:
    """Whether an array shape is the expected shape, where None takes any size."""
    return len(shape) == len(expected) and all(want is None or size == want for size, want in zip(shape, expected))


def card_output(graph: CardGraph, card: Card, sample=None, seed: int = 0) -> np.ndarray:
    """The card's output for one sample (batch axis removed).

    Args:
        sample: an array for the card's single Input (with or without the batch
            axis), a dict of arrays by Input name, or None for a generated one
            (uniform noise in [0, 1)).
    """
    tensor = graph.output_tensor(card)
    if tensor is None:
        raise PreviewError(f"{card.describe()} has no output yet{': ' + card.error if card.error else ''}.")
    inputs = _input_cards(graph, card)
    rng = np.random.default_rng(seed)
    feeds = []
    for input_card in inputs:
        shape = tuple(input_card.shape)
        if sample is None:
            value = rng.random((1, *(GENERATED_SIZE if size is None else size for size in shape)), dtype=np.float32)
        else:
            value = sample.get(input_card.name or input_card.key) if isinstance(sample, dict) else sample
            if value is None:
                raise PreviewError(f"No sample given for the Input {input_card.name or input_card.key!r}.")
            value = np.asarray(value, dtype=np.float32)
            if _fits(value.shape, shape):
                value = value[None]
            elif _fits(value.shape[1:], shape) and len(value):
                value = value[:1]
            else:
                any_size = ", where None is any size" if None in shape else ""
                raise PreviewError(
                    f"The sample has shape {value.shape}, the Input {input_card.name or input_card.key!r} expects "
                    f"{format_shape(shape)}{any_size} (or a batch of those)."
                )
        feeds.append(value)
    model = keras.Model([graph.output_tensor(c, "data") for c in inputs], tensor)
    return np.asarray(model(feeds, training=False))[0]


def _png(pixels: np.ndarray) -> bytes:
    """A greyscale PNG of a 2D uint8 array (a few lines beat a plotting dependency)."""
    height, width = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _scaled(plane: np.ndarray) -> np.ndarray:
    low, high = float(plane.min()), float(plane.max())
    span = high - low if high > low else 1.0
    return ((plane - low) / span * 255).astype(np.uint8)


def _maps_html(maps: np.ndarray) -> str:
    """An image grid of (height, width, channels) feature maps, each scaled to its own range."""
    count = min(maps.shape[-1], MAX_MAPS)
    tiles = []
    for channel in range(count):
        encoded = base64.b64encode(_png(_scaled(maps[..., channel]))).decode()
        tiles.append(
            f'<figure style="margin:2px"><img src="data:image/png;base64,{encoded}" width="{MAP_PIXELS}" '
            f'style="image-rendering:pixelated;border:1px solid #ccc"><figcaption style="font-size:10px;text-align:center">'
            f"map {channel}</figcaption></figure>"
        )
    more = f"<div><small>first {count} of {maps.shape[-1]} maps</small></div>" if maps.shape[-1] > count else ""
    return f'<div style="display:flex;flex-wrap:wrap">{"".join(tiles)}</div>{more}'


def _bars_html(values: np.ndarray) -> str:
    shown = values[:MAX_BARS]
    top = float(np.abs(shown).max()) or 1.0
    width, height, bar = 320, 120, 320 / len(shown)
    rects = []
    for index, value in enumerate(shown):
        size = abs(float(value)) / top * (height / 2 - 4)
        y = height / 2 - size if value >= 0 else height / 2
        colour = "#1e88e5" if value >= 0 else "#e53935"
        rects.append(
            f'<rect x="{index * bar:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{size:.1f}" fill="{colour}">'
            f"<title>{index}: {float(value):.4g}</title></rect>"
        )
    more = f"<small>first {len(shown)} of {len(values)} values</small>" if len(values) > len(shown) else ""
    return (
        f'<svg width="{width}" height="{height}"><line x1="0" x2="{width}" y1="{height / 2}" y2="{height / 2}" '
        f'stroke="#999"/>{"".join(rects)}</svg><br><small>range {float(values.min()):.4g} to {float(values.max()):.4g}</small> {more}'
    )


def preview_html(card: Card, output: np.ndarray) -> str:
    """How the card's output for one sample looks: maps, bars or a number."""
    shape = "(" + ", ".join(str(size) for size in output.shape) + ")"
    heading = f"<b>Output of {escape(card.key)}</b> for one sample, shape {shape}<br>"
    if output.ndim == 0 or output.size == 1:
        return heading + f"<code>{float(output.reshape(-1)[0]):.6g}</code>"
    if output.ndim == 1:
        return heading + _bars_html(output)
    if output.ndim == 2:
        return heading + _maps_html(output[..., None])
    maps = output
    if getattr(card, "data_format", "channels_last") == "channels_first":
        maps = np.moveaxis(maps, 0, -1)
    if maps.ndim > 3:
        maps = maps.reshape(*maps.shape[:2], -1)
    return heading + _maps_html(maps)
