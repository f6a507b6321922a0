"""Checks run before a layer is called, so that common mistakes get plain words
instead of a backend traceback: "kernel 40x40 is larger than the 28x28 input"."""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..catalog.spec import CardSpec


class CardProblem(ValueError):
    """Why one card cannot be built, in words for the person editing the graph."""


_WINDOW_PORTS = {"kernel_size": "kernel", "pool_size": "pool window"}


def _spatial_dims(shape: Sequence, rank: int, data_format: str) -> tuple:
    """The `rank` spatial sizes of an input shape (batch axis included in `shape`), counted from the end:
    a convolutional LSTM's input has a steps axis before them."""
    return tuple(shape[len(shape) - rank :]) if data_format == "channels_first" else tuple(shape[-1 - rank : -1])


def _times(sizes: Sequence) -> str:
    return "x".join("?" if size is None else str(size) for size in sizes)


def check_rank(layer: Any, shape: Sequence) -> None:
    """The input must have the number of axes the Keras layer declares."""
    spec = getattr(layer, "input_spec", None)
    if spec is None or isinstance(spec, (list, tuple)):
        return
    rank = len(shape)
    if spec.ndim is not None and rank != spec.ndim:
        raise CardProblem(
            f"expects an input with {spec.ndim} axes (batch included); the input has {rank}: {tuple(shape)}"
        )
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise CardProblem(
            f"expects an input with at least {spec.min_ndim} axes (batch included); the input has {rank}: {tuple(shape)}"
        )


def check_window(spec: CardSpec, params: dict, shape: Sequence) -> None:
    """A valid-padded window (kernel, pool) must fit inside the input."""
    if params.get("padding", "valid") != "valid":
        return
    for port_name, noun in _WINDOW_PORTS.items():
        if port_name not in params:
            continue
        window = params[port_name]
        window = (window,) if isinstance(window, int) else tuple(window)
        dilation = params.get("dilation_rate", 1)
        dilation = (dilation,) * len(window) if isinstance(dilation, int) else tuple(dilation)
        effective = tuple((size - 1) * rate + 1 for size, rate in zip(window, dilation))
        sizes = _spatial_dims(shape, len(window), params.get("data_format", "channels_last"))
        if len(sizes) == len(window) and any(s is not None and k > s for k, s in zip(effective, sizes)):
            dilated = " (dilated)" if any(rate > 1 for rate in dilation) else ""
            raise CardProblem(
                f"{noun}{dilated} {_times(effective)} is larger than the {_times(sizes)} input "
                f"(port {spec.port(port_name).text!r}); use a smaller size or padding 'same'"
            )


def check_input_length(params: dict, shape: Sequence) -> None:
    """Embedding's Input length, dropped by Keras 3, is kept as a check of the input."""
    expected = params.get("input_length")
    if expected is not None and len(shape) > 1 and shape[1] is not None and shape[1] != expected:
        raise CardProblem(f"port 'Input length' says {expected} but the input's sequences have length {shape[1]}")


def check_inputs(spec: CardSpec, params: dict, layer: Any, shapes: Sequence[Sequence]) -> None:
    if len(shapes) != 1:
        return
    check_rank(layer, shapes[0])
    check_window(spec, params, shapes[0])
    check_input_length(params, shapes[0])


# Keras's words for a weight whose shape depends on an input axis of unknown size.
_UNSIZED_WEIGHT = re.compile(
    r"Shapes used to initialize variables must be fully-defined.*Received: shape=(\(.*?\)) "
    r"for variable path='(?:.*/)?([^/']+)'"
)


def any_size_message(error: BaseException, shapes: Sequence[Sequence]) -> str | None:
    """For a layer call that failed on an input with an axis of any size (None past the batch
    axis), the reason in those terms; None when every input's size is known."""
    unsized = next((tuple(shape) for shape in shapes if None in tuple(shape)[1:]), None)
    if unsized is None:
        return None
    weight = _UNSIZED_WEIGHT.search(keras_message(error))
    if weight:
        return (
            f"its weight {weight.group(2)!r} would have shape {weight.group(1)}, which depends on an axis of "
            f"the input {unsized} that has any size (None); give that axis a size on the Input card"
        )
    return (
        f"{keras_message(error)} (the input {unsized} has an axis of any size, None, which this layer may need to "
        "know; give it a size on the Input card)"
    )


def keras_message(error: BaseException) -> str:
    """The useful part of a Keras or backend error message."""
    text = str(error)
    text = re.sub(r"^Exception encountered when calling [^\n]*\n+", "", text)
    text = text.split("\n\nArguments received by")[0].strip()
    text = re.sub(r"\s*\n\s*", " ", text)
    if len(text) > 400:
        text = text[:397] + "..."
    return text or type(error).__name__
