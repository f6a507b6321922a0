"""RadialConstraint for Keras 3 (dropped from Keras 3)."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from .locally_connected import PACKAGE


def ring_sources(size: int) -> np.ndarray:
    """For each cell of a size x size kernel, which diagonal element it takes.

    The centre (one cell, or the central 2 x 2 block) takes element start - 1 of
    the diagonal, and each ring around it the next diagonal element outwards,
    where start = size // 2: the values tf.keras 2's RadialConstraint produced.
    """
    start = size // 2
    odd = size % 2
    low, high = (start, start) if odd else (start - 1, start)
    rows = np.arange(size)
    distance = np.maximum(low - rows, rows - high).clip(min=0)
    ring = np.maximum(distance[:, None], distance[None, :])
    # A 1 x 1 kernel (start 0) has only its one cell, which it keeps; tf.keras 2 failed on it.
    return np.where(ring == 0, max(start - 1, 0), start + ring - odd)


@keras.saving.register_keras_serializable(package=PACKAGE)
class RadialConstraint(keras.constraints.Constraint):
    """Makes each 2D kernel radially symmetric: every ring of cells around the centre shares one value.

    For a kernel of shape (rows, cols, input channels, output channels) with
    rows == cols, each (rows, cols) slice is rebuilt from its diagonal: the centre
    keeps one value and each square ring around it another, as tf.keras 2 did.

    Example:

    >>> layer = keras.layers.Conv2D(8, 5, kernel_constraint=RadialConstraint())
    """

    def __call__(self, w):
        shape = tuple(w.shape)
        if len(shape) != 4 or shape[0] != shape[1]:
            raise ValueError(
                "RadialConstraint expects a square 2D kernel of shape (size, size, input channels, output channels). "
                f"Received weight shape {shape}."
            )
        size = shape[0]
        diagonal = ops.stack([w[i, i] for i in range(size)], axis=0)
        return ops.take(diagonal, ops.convert_to_tensor(ring_sources(size)), axis=0)

    def get_config(self):
        return {}
