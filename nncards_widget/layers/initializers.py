"""An Identity initializer that keeps its gain in `.keras` files."""

from __future__ import annotations

import keras

from ._registration import serializable


@serializable
class Identity(keras.initializers.Identity):
    """The identity matrix times `gain`, for a 2D weight.

    Keras 3's own Identity initializer (3.15) has no `get_config`, so a saved
    model reloads it with gain 1. This one saves the gain.

    Args:
        gain: the factor the identity matrix is multiplied by.

    Example:

    >>> keras.layers.Dense(4, kernel_initializer=Identity(gain=0.5))
    """

    def get_config(self):
        return {"gain": self.gain}
