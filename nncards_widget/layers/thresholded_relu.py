"""ThresholdedReLU for Keras 3 (dropped from Keras 3)."""

from __future__ import annotations

import keras
from keras import ops

from .locally_connected import PACKAGE


@keras.saving.register_keras_serializable(package=PACKAGE)
class ThresholdedReLU(keras.layers.Layer):
    """Passes values above a threshold and zeroes the rest: `x if x > theta else 0`.

    Args:
        theta: float of at least 0, the threshold.

    Example:

    >>> ThresholdedReLU(theta=1.0)(keras.ops.convert_to_tensor([0.5, 1.0, 2.0]))
    [0.0, 0.0, 2.0]
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None or isinstance(theta, bool) or not isinstance(theta, (int, float)) or theta < 0:
            raise ValueError(f"Invalid value for argument `theta`: expected a number of at least 0. Received: theta={theta!r}")
        self.theta = float(theta)
        self.supports_masking = True

    def call(self, inputs):
        return inputs * ops.cast(ops.greater(inputs, self.theta), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "theta": self.theta}
