"""RadialConstraint for Keras 3, which dropped it."""

from __future__ import annotations

import numpy as np
from keras import constraints, ops

from ._registration import serializable


def ring_sources(size: int) -> np.ndarray:
    """Which diagonal cell of a size x size kernel each cell takes its value from, shape (size, size).

    Cells are grouped in square rings around the centre (one cell, or the
    central 2x2 block for an even size). tf.keras 2 filled the centre from
    diagonal cell `size // 2 - 1` and ring r from diagonal cell
    `size // 2 + r - size % 2`; so do we. A 1x1 kernel keeps its cell
    (tf.keras 2 failed on it).
    """
    half = size // 2
    odd = size % 2
    low, high = (half, half) if odd else (half - 1, half)
    steps = np.arange(size)
    distance = np.maximum(np.maximum(low - steps, steps - high), 0)
    ring = np.maximum(distance[:, None], distance[None, :])
    return np.where(ring == 0, max(half - 1, 0), half + ring - odd)


@serializable
class RadialConstraint(constraints.Constraint):
    """Makes every 2D kernel radially symmetric: each square ring of cells around the centre shares one value.

    For weights of shape (size, size, input channels, output channels), as in
    `Conv2D` with either data format, each (size, size) kernel is rebuilt from
    its diagonal with tf.keras 2's choice of cells (see `ring_sources`): a 4x4
    kernel `v` becomes

        [[v33, v33, v33, v33],
         [v33, v11, v11, v33],
         [v33, v11, v11, v33],
         [v33, v33, v33, v33]]

    Example:

    >>> layer = keras.layers.Conv2D(8, 5, kernel_constraint=RadialConstraint())
    """

    def __call__(self, w):
        shape = tuple(w.shape)
        if len(shape) != 4 or shape[0] != shape[1]:
            raise ValueError(
                "RadialConstraint expects square 2D kernels, weights of shape (size, size, input channels, "
                f"output channels). Received weights of shape {shape}."
            )
        size = shape[0]
        cells = ops.reshape(w, (size * size, *shape[2:]))
        # Diagonal cell d is flat cell d * (size + 1).
        return ops.take(cells, ring_sources(size) * (size + 1), axis=0)

    def get_config(self):
        return {}
