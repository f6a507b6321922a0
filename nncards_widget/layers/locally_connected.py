"""Locally connected layers for Keras 3: convolutions whose weights are not shared.

Keras 3 dropped `LocallyConnected1D` and `LocallyConnected2D`. These keep the
weight layout of tf.keras 2's `implementation=1`, so weights trained there load
with `set_weights`; add `padding="same"`; and use `keras.ops` only, so they run
on every Keras backend.

One call is one patch extraction (a single gather of every window's cells, the
windows' cells listed once in `build`) and one matrix product batched over
output positions: no Python loop over positions, no dense masked kernel.
"""

from __future__ import annotations

import math

import numpy as np
from keras import activations, constraints, initializers, layers, ops, regularizers
from keras import config as keras_config

from ._registration import is_integer, serializable


def _positive_integer(value, name: str) -> int:
    if not (is_integer(value) and value > 0):
        raise ValueError(
            f"Invalid value for argument `{name}`: expected a positive integer. Received: {name}={value!r}"
        )
    return int(value)


def _positive_integers(value, rank: int, name: str) -> tuple[int, ...]:
    """`value` (one integer for every axis, or one per axis) as a tuple of `rank` Python integers."""
    if is_integer(value):
        values = (value,) * rank
    elif isinstance(value, str) or not hasattr(value, "__len__"):
        values = ()
    else:
        values = tuple(value)
    if len(values) != rank or not all(is_integer(v) and v > 0 for v in values):
        tuple_of = "one" if rank == 1 else f"{rank} positive integers"
        expected = f"a positive integer or a tuple of {tuple_of}"
        raise ValueError(f"Invalid value for argument `{name}`: expected {expected}. Received: {name}={value!r}")
    return tuple(int(v) for v in values)


def _choice(value, choices: tuple[str, ...], name: str) -> str:
    normalized = value.lower() if isinstance(value, str) else value
    if normalized not in choices:
        expected = " or ".join(repr(choice) for choice in choices)
        raise ValueError(f"Invalid value for argument `{name}`: expected {expected}. Received: {name}={value!r}")
    return normalized


# Gathering rows of a few floats is slow: below this many channels per cell (or
# in channels_first), _patches gathers each cell's channels for the whole batch
# at once. Measured on a 2-core x86 in float32: the two ways tie at 8 channels;
# rows of one cell are 4% faster at 16 and 10% faster at 32 or more.
_FEWEST_CHANNELS_PER_ROW = 16


def _window_cells(padded_sizes, kernel_size, strides, output_sizes) -> np.ndarray:
    """Flat index into the padded input's cells of every cell of every window.

    Shape (output positions, kernel cells); both axes run in row-major order,
    the order of tf.keras 2's kernel rows.
    """
    rank = len(padded_sizes)
    starts = np.indices(output_sizes).reshape(rank, -1, 1) * np.reshape(strides, (rank, 1, 1))
    offsets = np.indices(kernel_size).reshape(rank, 1, -1)
    return np.ravel_multi_index(tuple(starts + offsets), padded_sizes).astype("int32")


class _LocallyConnected(layers.Layer):
    """What LocallyConnected1D and LocallyConnected2D share; `rank` is their number of spatial axes."""

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
        self.filters = _positive_integer(filters, "filters")
        self.kernel_size = _positive_integers(kernel_size, self.rank, "kernel_size")
        self.strides = _positive_integers(strides, self.rank, "strides")
        self.padding = _choice(padding, ("valid", "same"), "padding")
        self.data_format = _choice(
            data_format or keras_config.image_data_format(), ("channels_last", "channels_first"), "data_format"
        )
        if not isinstance(use_bias, (bool, np.bool_)):
            raise ValueError(
                f"Invalid value for argument `use_bias`: expected True or False. Received: use_bias={use_bias!r}"
            )
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = layers.InputSpec(ndim=self.rank + 2)

    @property
    def _channels_last(self) -> bool:
        return self.data_format == "channels_last"

    def _spatial_axes(self) -> tuple[int, ...]:
        first = 1 if self._channels_last else 2
        return tuple(range(first, first + self.rank))

    def _channel_axis(self) -> int:
        return self.rank + 1 if self._channels_last else 1

    def _windows(self, input_shape) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
        """The output's spatial sizes and the (before, after) zero padding of each spatial axis."""
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"{type(self).__name__} expects an input with {self.rank + 2} axes (batch included). "
                f"Received input shape {tuple(input_shape)}."
            )
        sizes = tuple(input_shape[axis] for axis in self._spatial_axes())
        if None in sizes:
            raise ValueError(
                f"{type(self).__name__} needs fixed spatial sizes, since every output position has its own weights. "
                f"Received input shape {tuple(input_shape)}."
            )
        if self.padding == "valid":
            if any(kernel > size for kernel, size in zip(self.kernel_size, sizes)):
                raise ValueError(
                    f"kernel {'x'.join(map(str, self.kernel_size))} is larger than the {'x'.join(map(str, sizes))} "
                    "input; use a smaller kernel_size or padding='same'"
                )
            outputs = tuple((size - k) // s + 1 for size, k, s in zip(sizes, self.kernel_size, self.strides))
            return outputs, ((0, 0),) * self.rank
        outputs = tuple(-(-size // s) for size, s in zip(sizes, self.strides))
        totals = (
            max((out - 1) * s + k - size, 0) for out, s, k, size in zip(outputs, self.strides, self.kernel_size, sizes)
        )
        # As in keras.layers.Conv2D: an odd total puts the extra zero after the input.
        return outputs, tuple((total // 2, total - total // 2) for total in totals)

    def build(self, input_shape):
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError(
                f"{type(self).__name__} needs a known number of input channels. "
                f"Received input shape {tuple(input_shape)}."
            )
        self._output_sizes, self._paddings = self._windows(input_shape)
        padded_sizes = tuple(
            input_shape[axis] + before + after for axis, (before, after) in zip(self._spatial_axes(), self._paddings)
        )
        self._window_cells = _window_cells(padded_sizes, self.kernel_size, self.strides, self._output_sizes)
        positions, kernel_cells = self._window_cells.shape
        self.kernel = self.add_weight(
            name="kernel",
            shape=(positions, kernel_cells * channels, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(*self._output_sizes, self.filters),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        fixed_axes = {self._channel_axis(): channels}
        fixed_axes.update({axis: input_shape[axis] for axis in self._spatial_axes()})
        self.input_spec = layers.InputSpec(ndim=self.rank + 2, axes=fixed_axes)

    def _patches(self, inputs):
        """Every window's cells, shape (positions, batch, features), features in the order of the kernel's rows."""
        if self.padding == "same":
            paddings = [(0, 0)] * (self.rank + 2)
            for axis, padding in zip(self._spatial_axes(), self._paddings):
                paddings[axis] = padding
            inputs = ops.pad(inputs, paddings)
        channels = inputs.shape[self._channel_axis()]
        cells_per_example = math.prod(inputs.shape[axis] for axis in self._spatial_axes())
        positions, features, _ = self.kernel.shape
        if self._channels_last and channels >= _FEWEST_CHANNELS_PER_ROW:
            # Rows of one cell's channels: the gather lands in (positions, batch, kernel cells, channels).
            example_starts = ops.arange(ops.shape(inputs)[0], dtype="int32") * cells_per_example
            indices = ops.expand_dims(example_starts, (0, 2)) + self._window_cells[:, None, :]
            patches = ops.take(ops.reshape(inputs, (-1, channels)), indices, axis=0)
            return ops.reshape(patches, (positions, -1, features))
        # Rows of one cell's channels for the whole batch, batch last: the gather lands in
        # (positions, kernel cells, channels, batch).
        cells = ops.transpose(inputs, (*self._spatial_axes(), self._channel_axis(), 0))
        patches = ops.take(ops.reshape(cells, (cells_per_example, channels, -1)), self._window_cells, axis=0)
        if not self._channels_last:
            # tf.keras 2 flattened a channels_first patch as (channels, kernel cells).
            patches = ops.transpose(patches, (0, 2, 1, 3))
        # TensorFlow folds this last transposition into the matmul that follows (an adjoint operand).
        return ops.transpose(ops.reshape(patches, (positions, features, -1)), (0, 2, 1))

    def call(self, inputs):
        outputs = ops.matmul(self._patches(inputs), self.kernel)
        if self._channels_last:
            outputs = ops.reshape(ops.transpose(outputs, (1, 0, 2)), (-1, *self._output_sizes, self.filters))
            if self.use_bias:
                outputs = outputs + self.bias
        else:
            outputs = ops.reshape(ops.transpose(outputs, (1, 2, 0)), (-1, self.filters, *self._output_sizes))
            if self.use_bias:
                # tf.keras 2 reshaped (did not transpose) its (positions..., filters) bias
                # here; biases trained there rely on it.
                outputs = outputs + ops.reshape(self.bias, (self.filters, *self._output_sizes))
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        output_sizes, _ = self._windows(input_shape)
        if self._channels_last:
            return (input_shape[0], *output_sizes, self.filters)
        return (input_shape[0], self.filters, *output_sizes)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


@serializable
class LocallyConnected1D(_LocallyConnected):
    """Locally connected layer for sequences: a 1D convolution whose weights are not shared.

    Every output step has its own filters, so the layer can learn patterns
    that matter at one place of the sequence and not at another. It has
    (output steps) times the weights of a `Conv1D` with the same arguments.

    Weights: `kernel` of shape (output steps, kernel_size * channels, filters)
    and `bias` of shape (output steps, filters), the layout of tf.keras 2's
    `implementation=1`, so its weights load with `set_weights`.

    Args:
        filters: positive integer, the number of output channels.
        kernel_size: positive integer (or a tuple of one), the window's length.
        strides: positive integer (or a tuple of one), the window's step.
        padding: `"valid"` (no padding: every window lies inside the input) or
            `"same"` (zero padding as in `Conv1D`, so that the output has
            ceil(steps / strides) steps).
        data_format: `"channels_last"`, inputs of shape (batch, steps, channels),
            or `"channels_first"`, inputs of shape (batch, channels, steps).
            Defaults to `keras.config.image_data_format()`.
        activation: activation function or its name; `None` applies none.
        use_bias: whether to add a bias, one per output step and filter.
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: regularizer of the kernel.
        bias_regularizer: regularizer of the bias.
        activity_regularizer: regularizer of the output.
        kernel_constraint: constraint applied to the kernel after each update.
        bias_constraint: constraint applied to the bias after each update.

    Input shape:
        (batch, steps, channels), or (batch, channels, steps) with
        `"channels_first"`; steps and channels must be known.

    Output shape:
        (batch, new_steps, filters), or (batch, filters, new_steps) with
        `"channels_first"`.

    Example:

    >>> x = np.random.rand(4, 10, 3)
    >>> y = LocallyConnected1D(8, 3)(x)
    >>> print(y.shape)
    (4, 8, 8)
    """

    rank = 1


@serializable
class LocallyConnected2D(_LocallyConnected):
    """Locally connected layer for images: a 2D convolution whose weights are not shared.

    Every output pixel has its own filters, so the layer can learn patterns
    that matter at one place of the image and not at another. It has
    (output rows * output cols) times the weights of a `Conv2D` with the same
    arguments.

    Weights: `kernel` of shape (output rows * output cols, kernel rows *
    kernel cols * channels, filters) and `bias` of shape (output rows, output
    cols, filters), the layout of tf.keras 2's `implementation=1`, so its
    weights load with `set_weights`.

    Args:
        filters: positive integer, the number of output channels.
        kernel_size: positive integer or tuple of 2, the window's height and width.
        strides: positive integer or tuple of 2, the window's step along the
            height and the width.
        padding: `"valid"` (no padding: every window lies inside the input) or
            `"same"` (zero padding as in `Conv2D`, so that each output size is
            ceil(input size / stride)).
        data_format: `"channels_last"`, inputs of shape (batch, rows, cols,
            channels), or `"channels_first"`, inputs of shape (batch, channels,
            rows, cols). Defaults to `keras.config.image_data_format()`.
        activation: activation function or its name; `None` applies none.
        use_bias: whether to add a bias, one per output pixel and filter.
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: regularizer of the kernel.
        bias_regularizer: regularizer of the bias.
        activity_regularizer: regularizer of the output.
        kernel_constraint: constraint applied to the kernel after each update.
        bias_constraint: constraint applied to the bias after each update.

    Input shape:
        (batch, rows, cols, channels), or (batch, channels, rows, cols) with
        `"channels_first"`; rows, cols and channels must be known.

    Output shape:
        (batch, new_rows, new_cols, filters), or (batch, filters, new_rows,
        new_cols) with `"channels_first"`.

    Example:

    >>> x = np.random.rand(4, 28, 28, 1)
    >>> y = LocallyConnected2D(3, (5, 5))(x)
    >>> print(y.shape)
    (4, 24, 24, 3)
    """

    rank = 2
