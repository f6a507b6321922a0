"""ThresholdedReLU for Keras 3, which dropped it."""

from __future__ import annotations

from keras import layers, ops

from ._registration import is_real, serializable


@serializable
class ThresholdedReLU(layers.Layer):
    """Thresholded rectified linear unit: `x` where `x > theta`, 0 elsewhere.

    Args:
        theta: number of at least 0, the threshold.
        **kwargs: base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> layer = ThresholdedReLU(theta=1.0)
    >>> keras.ops.convert_to_numpy(layer(np.array([0.5, 1.0, 1.5, 3.0])))
    array([0. , 0. , 1.5, 3. ], dtype=float32)
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if not (is_real(theta) and theta >= 0):
            raise ValueError(
                f"Invalid value for argument `theta`: expected a number of at least 0. Received: theta={theta!r}"
            )
        self.theta = float(theta)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        # A multiplication by the mask, as tf.keras 2 did: NaN stays NaN.
        return inputs * ops.cast(ops.greater(inputs, self.theta), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "theta": self.theta}
