"""Our Keras 3 versions of the classes Keras 3 dropped, against tf.keras 2 (tf_keras)."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf
import tf_keras

from nncards_widget.layers import LocallyConnected1D, LocallyConnected2D, RadialConstraint, ThresholdedReLU
from nncards_widget.layers.constraints import ring_sources

RNG = np.random.default_rng(0)


def _ours_and_reference(cls, reference_cls, shape, **arguments):
    reference = reference_cls(implementation=1, bias_initializer="random_normal", **arguments)
    reference.build(shape)
    ours = cls(**arguments)
    ours.build(shape)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in reference.get_weights()]
    ours.set_weights(reference.get_weights())
    return ours, reference


def _output_and_input_gradient(layer, x):
    """The output, and the gradient of sum(output**2) with respect to the input."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * y)
    return np.asarray(y), tape.gradient(loss, x).numpy()


CASES_2D = [
    dict(shape=(2, 7, 6, 3), filters=4, kernel_size=(3, 2), strides=(2, 1)),
    dict(shape=(3, 5, 5, 1), filters=2, kernel_size=(5, 5), strides=(1, 1)),
    dict(shape=(1, 9, 8, 2), filters=3, kernel_size=(2, 3), strides=(3, 2)),
]


@pytest.mark.parametrize("case, data_format, use_bias", list(itertools.product(CASES_2D, ["channels_last", "channels_first"], [True, False])))
def test_2d_matches_tf_keras_outputs_and_input_gradients(case, data_format, use_bias):
    case = dict(case)
    shape = case.pop("shape")
    if data_format == "channels_first":
        shape = (shape[0], shape[3], shape[1], shape[2])
    ours, reference = _ours_and_reference(
        LocallyConnected2D, tf_keras.layers.LocallyConnected2D, shape, data_format=data_format, use_bias=use_bias, **case
    )
    x = RNG.standard_normal(shape).astype("float32")
    y_ours, g_ours = _output_and_input_gradient(ours, x)
    y_ref, g_ref = _output_and_input_gradient(reference, x)
    np.testing.assert_allclose(y_ours, y_ref, atol=1e-5)
    np.testing.assert_allclose(g_ours, g_ref, atol=1e-5)


@pytest.mark.parametrize(
    "shape, kernel_size, strides, data_format, use_bias",
    [
        ((2, 9, 3), 3, 2, "channels_last", True),
        ((2, 3, 9), 3, 2, "channels_first", True),
        ((3, 6, 2), 6, 1, "channels_last", False),
        ((1, 4, 11), 2, 3, "channels_first", False),
    ],
)
def test_1d_matches_tf_keras_outputs_and_input_gradients(shape, kernel_size, strides, data_format, use_bias):
    ours, reference = _ours_and_reference(
        LocallyConnected1D, tf_keras.layers.LocallyConnected1D, shape,
        filters=4, kernel_size=kernel_size, strides=strides, data_format=data_format, use_bias=use_bias,
    )
    x = RNG.standard_normal(shape).astype("float32")
    y_ours, g_ours = _output_and_input_gradient(ours, x)
    y_ref, g_ref = _output_and_input_gradient(reference, x)
    np.testing.assert_allclose(y_ours, y_ref, atol=1e-5)
    np.testing.assert_allclose(g_ours, g_ref, atol=1e-5)


def _same_padding_reference(x, kernel, bias, kernel_size, strides):
    """Explicit loops: zero-pad as 'same' does, then one dot product per output pixel."""
    batch, height, width, channels = x.shape
    out_h, out_w = -(-height // strides[0]), -(-width // strides[1])
    pad_h = max((out_h - 1) * strides[0] + kernel_size[0] - height, 0)
    pad_w = max((out_w - 1) * strides[1] + kernel_size[1] - width, 0)
    padded = np.pad(x, [(0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)])
    out = np.zeros((batch, out_h, out_w, kernel.shape[-1]), dtype=np.float64)
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * strides[0], j * strides[1]
            patch = padded[:, r : r + kernel_size[0], c : c + kernel_size[1], :].reshape(batch, -1)
            out[:, i, j, :] = patch @ kernel[i * out_w + j] + bias[i, j]
    return out


@pytest.mark.parametrize("kernel_size, strides", [((3, 3), (1, 1)), ((4, 2), (2, 3)), ((5, 5), (2, 2))])
def test_same_padding_equals_an_explicit_computation(kernel_size, strides):
    x = RNG.standard_normal((2, 7, 8, 3)).astype("float32")
    layer = LocallyConnected2D(4, kernel_size, strides=strides, padding="same", bias_initializer="random_normal")
    y = np.asarray(layer(x))
    kernel, bias = layer.get_weights()
    expected = _same_padding_reference(x, kernel, bias, kernel_size, strides)
    assert y.shape == (2, -(-7 // strides[0]), -(-8 // strides[1]), 4)
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_same_padding_in_1d_keeps_the_length():
    layer = LocallyConnected1D(2, 4, padding="same")
    assert layer(np.zeros((1, 10, 3), "float32")).shape == (1, 10, 2)


def test_thresholded_relu_matches_tf_keras():
    x = RNG.standard_normal((4, 5)).astype("float32") * 3
    for theta in (0.0, 0.7, 2.0):
        np.testing.assert_array_equal(
            np.asarray(ThresholdedReLU(theta)(x)), tf_keras.layers.ThresholdedReLU(theta)(x).numpy()
        )


def test_radial_constraint_keeps_a_1x1_kernel_where_tf_keras_failed():
    w = RNG.standard_normal((1, 1, 2, 3)).astype("float32")
    np.testing.assert_array_equal(np.asarray(RadialConstraint()(w)), w)


@pytest.mark.parametrize("size", [2, 3, 4, 5, 6, 7])
def test_radial_constraint_matches_tf_keras(size):
    w = RNG.standard_normal((size, size, 2, 3)).astype("float32")
    expected = tf_keras.constraints.RadialConstraint()(tf.constant(w)).numpy()
    np.testing.assert_array_equal(np.asarray(RadialConstraint()(w)), expected)


def test_radial_rings_share_one_value():
    assert ring_sources(4).tolist() == [[3, 3, 3, 3], [3, 1, 1, 3], [3, 1, 1, 3], [3, 3, 3, 3]]
    assert ring_sources(3).tolist() == [[1, 1, 1], [1, 0, 1], [1, 1, 1]]


def test_a_model_with_all_four_round_trips_through_a_keras_file(tmp_path):
    inputs = keras.Input((8, 8, 2))
    x = LocallyConnected2D(3, 3, padding="same", activation="relu", kernel_constraint=keras.constraints.NonNeg(),
                           kernel_regularizer=keras.regularizers.L2(0.01), data_format="channels_last")(inputs)
    x = ThresholdedReLU(0.1)(x)
    x = keras.layers.Reshape((8, 24))(x)
    x = LocallyConnected1D(2, 3, strides=2, bias_initializer="ones")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Reshape((2, 2, 1, 3))(keras.layers.Dense(12)(x))
    conv_input = keras.layers.Reshape((4, 3, 1))(keras.layers.Flatten()(x))
    outputs = keras.layers.Conv2D(2, 3, kernel_constraint=RadialConstraint())(conv_input)
    model = keras.Model(inputs, outputs)
    sample = RNG.random((2, 8, 8, 2)).astype("float32")
    expected = model.predict(sample, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_array_equal(loaded.predict(sample, verbose=0), expected)
    for original, again in zip(model.layers, loaded.layers):
        assert type(again) is type(original) and again.get_config() == original.get_config()


def test_get_config_rebuilds_an_identical_layer():
    layer = LocallyConnected2D(5, (2, 3), strides=2, padding="same", data_format="channels_first", activation="tanh",
                               use_bias=False, kernel_initializer="he_normal", activity_regularizer="l1")
    again = LocallyConnected2D.from_config(layer.get_config())
    assert again.get_config() == layer.get_config()


def test_constraint_is_applied_after_a_training_step():
    model = keras.Sequential([keras.Input((3, 3, 1)), keras.layers.Conv2D(1, 3, kernel_constraint=RadialConstraint())])
    model.compile("sgd", "mse")
    model.train_on_batch(RNG.random((4, 3, 3, 1)), RNG.random((4, 1, 1, 1)))
    kernel = model.layers[0].kernel.numpy()[..., 0, 0]
    assert len({kernel[0, 0], kernel[0, 1], kernel[2, 2], kernel[1, 0]}) == 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        (dict(filters=0, kernel_size=3), "expected a positive integer. Received: filters=0"),
        (dict(filters=2, kernel_size=(3, 0)), "Received: kernel_size=(3, 0)"),
        (dict(filters=2, kernel_size=3, strides=(1, 2, 3)), "tuple of 2 positive integers. Received: strides=(1, 2, 3)"),
        (dict(filters=2, kernel_size=3, padding="causal"), "expected 'valid' or 'same'. Received: padding='causal'"),
        (dict(filters=2, kernel_size=3, data_format="NHWC"), "Received: data_format='NHWC'"),
    ],
)
def test_bad_arguments_say_what_was_received(arguments, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        LocallyConnected2D(**arguments)


def test_kernel_larger_than_input_and_unknown_sizes_are_explained():
    with pytest.raises(ValueError, match="kernel 40x40 is larger than the 28x28 input"):
        LocallyConnected2D(2, 40)(keras.Input((28, 28, 1)))
    with pytest.raises(ValueError, match="needs fixed spatial sizes"):
        LocallyConnected1D(2, 3)(keras.Input((None, 4)))
    with pytest.raises(ValueError, match="expected a number of at least 0. Received: theta=-1"):
        ThresholdedReLU(-1)
    with pytest.raises(ValueError, match="square 2D kernel"):
        RadialConstraint()(np.zeros((3, 2, 1, 1), "float32"))
