"""Locally connected layers for Keras 3: a convolution whose weights are not shared.

Keras 3 dropped `LocallyConnected1D` and `LocallyConnected2D`. These keep tf.keras
2's weight layout (that of its `implementation=1`) so weights trained there load
here with `set_weights`, add `padding="same"`, and are written with `keras.ops`
only, so they run on every Keras backend.

The computation is one patch extraction (a strided slice per kernel offset, not
per output position) and one batched matrix product over output positions.
"""

from __future__ import annotations

import itertools
import math

import keras
from keras import ops

PACKAGE = "nncards_widget"


def _positive_tuple(value, rank: int, name: str) -> tuple[int, ...]:
    values = (value,) * rank if isinstance(value, int) and not isinstance(value, bool) else tuple(value)
    if len(values) != rank or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
        raise ValueError(f"Expected {name} to be a positive integer or a tuple of {rank} positive integers. Received: {name}={value!r}")
    return values


def _output_size(size: int, kernel: int, stride: int, padding: str) -> int:
    if padding == "same":
        return math.ceil(size / stride)
    return (size - kernel) // stride + 1


class _LocallyConnected(keras.layers.Layer):
    """Shared machinery of LocallyConnected1D and LocallyConnected2D (`rank` spatial axes)."""

    rank: int

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`: expected a positive integer. Received: filters={filters!r}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Invalid value for argument `padding`: expected 'valid' or 'same'. Received: padding={padding!r}")
        data_format = data_format or keras.config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                "Invalid value for argument `data_format`: expected 'channels_last' or 'channels_first'. "
                f"Received: data_format={data_format!r}"
            )
        self.filters = filters
        self.kernel_size = _positive_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = _positive_tuple(strides, self.rank, "strides")
        self.padding = padding
        self.data_format = data_format
        self.activation = keras.activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def _spatial(self, input_shape) -> tuple:
        if self.data_format == "channels_first":
            return tuple(input_shape[2:]), input_shape[1]
        return tuple(input_shape[1:-1]), input_shape[-1]

    def _output_sizes(self, input_shape) -> tuple[int, ...]:
        sizes, _ = self._spatial(input_shape)
        if any(size is None for size in sizes):
            raise ValueError(
                f"{type(self).__name__} needs fixed spatial sizes: each output position has its own weights. "
                f"Received input shape {tuple(input_shape)}."
            )
        if self.padding == "valid" and any(k > s for k, s in zip(self.kernel_size, sizes)):
            raise ValueError(
                f"kernel {'x'.join(map(str, self.kernel_size))} is larger than the {'x'.join(map(str, sizes))} input"
            )
        return tuple(_output_size(s, k, st, self.padding) for s, k, st in zip(sizes, self.kernel_size, self.strides))

    def build(self, input_shape):
        _, channels = self._spatial(input_shape)
        if channels is None:
            raise ValueError(f"The channels axis of the input must be known. Received input shape {tuple(input_shape)}.")
        self.output_sizes = self._output_sizes(input_shape)
        positions = math.prod(self.output_sizes)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(positions, math.prod(self.kernel_size) * channels, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            # (positions..., filters) in both data formats, as in tf.keras 2.
            self.bias = self.add_weight(
                name="bias",
                shape=(*self.output_sizes, self.filters),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def _patches(self, inputs):
        """(batch, output positions, kernel area * channels), features ordered as tf.keras 2 orders them."""
        if self.data_format == "channels_first":
            inputs = ops.moveaxis(inputs, 1, -1)
        sizes = inputs.shape[1:-1]
        if self.padding == "same":
            pads = []
            for size, kernel, stride, out in zip(sizes, self.kernel_size, self.strides, self.output_sizes):
                total = max((out - 1) * stride + kernel - size, 0)
                pads.append((total // 2, total - total // 2))
            inputs = ops.pad(inputs, [(0, 0), *pads, (0, 0)])
        slices = []
        for offsets in itertools.product(*(range(k) for k in self.kernel_size)):
            index = [slice(None)]
            for offset, stride, out in zip(offsets, self.strides, self.output_sizes):
                index.append(slice(offset, offset + (out - 1) * stride + 1, stride))
            index.append(slice(None))
            slices.append(inputs[tuple(index)])
        # (batch, *output sizes, kernel offsets, channels)
        patches = ops.stack(slices, axis=-2)
        if self.data_format == "channels_first":
            # tf.keras 2 flattened each channels-first patch as (channels, kernel rows, kernel cols).
            patches = ops.swapaxes(patches, -1, -2)
        return ops.reshape(patches, (-1, math.prod(self.output_sizes), patches.shape[-1] * patches.shape[-2]))

    def call(self, inputs):
        patches = self._patches(inputs)
        # One matrix product per output position, batched: (positions, batch, features) @ (positions, features, filters).
        outputs = ops.matmul(ops.transpose(patches, (1, 0, 2)), self.kernel)
        outputs = ops.reshape(ops.transpose(outputs, (1, 0, 2)), (-1, *self.output_sizes, self.filters))
        if self.data_format == "channels_first":
            outputs = ops.moveaxis(outputs, -1, 1)
            if self.use_bias:
                # tf.keras 2 reshaped (not transposed) its (positions..., filters) bias here.
                outputs = outputs + ops.reshape(self.bias, (1, self.filters, *self.output_sizes))
        elif self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        sizes = self._output_sizes(input_shape)
        if self.data_format == "channels_first":
            return (input_shape[0], self.filters, *sizes)
        return (input_shape[0], *sizes, self.filters)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "activation": keras.activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": keras.regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": keras.constraints.serialize(self.kernel_constraint),
                "bias_constraint": keras.constraints.serialize(self.bias_constraint),
            }
        )
        return config


@keras.saving.register_keras_serializable(package=PACKAGE)
class LocallyConnected1D(_LocallyConnected):
    """Locally connected layer for sequences: a 1D convolution with unshared weights.

    Each output position has its own filters, so the layer learns position-specific
    patterns (and has output length times more weights than Conv1D).

    Args:
        filters: positive integer, the number of output channels.
        kernel_size: integer (or tuple of one), the window length.
        strides: integer (or tuple of one), the step of the window.
        padding: "valid" (no padding) or "same" (zero padding so that the output
            length is the input length divided by the strides, rounded up).
        data_format: "channels_last" (batch, steps, channels) or
            "channels_first" (batch, channels, steps). Default: Keras's
            `image_data_format`.
        activation: activation function, e.g. "relu"; None applies none.
        use_bias: whether to add a bias, one per output position and filter.
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: constraints applied after each step.

    Weights: kernel (output steps, kernel_size * channels, filters) and bias
    (output steps, filters): tf.keras 2's `implementation=1` layout.

    Example:

    >>> x = keras.Input((10, 3))
    >>> y = LocallyConnected1D(4, 3)(x)
    >>> y.shape
    (None, 8, 4)
    """

    rank = 1


@keras.saving.register_keras_serializable(package=PACKAGE)
class LocallyConnected2D(_LocallyConnected):
    """Locally connected layer for images: a 2D convolution with unshared weights.

    Each output pixel has its own filters, so the layer can learn that a pattern
    matters in one place of the image and not in another.

    Args:
        filters: positive integer, the number of output channels.
        kernel_size: integer or tuple of 2 integers, the window's height and width.
        strides: integer or tuple of 2 integers, the window's step along each axis.
        padding: "valid" (no padding) or "same" (zero padding so that each output
            size is the input size divided by the stride, rounded up).
        data_format: "channels_last" (batch, height, width, channels) or
            "channels_first" (batch, channels, height, width). Default: Keras's
            `image_data_format`.
        activation: activation function, e.g. "relu"; None applies none.
        use_bias: whether to add a bias, one per output pixel and filter.
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: constraints applied after each step.

    Weights: kernel (output rows * output cols, kernel area * channels, filters)
    and bias (output rows, output cols, filters): tf.keras 2's
    `implementation=1` layout, so its trained weights load with `set_weights`.

    Example:

    >>> x = keras.Input((28, 28, 1))
    >>> y = LocallyConnected2D(3, (5, 5))(x)
    >>> y.shape
    (None, 24, 24, 3)
    """

    rank = 2
