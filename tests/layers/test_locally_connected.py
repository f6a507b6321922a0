"""LocallyConnected1D / LocallyConnected2D against tf.keras 2 (tf_keras), explicit loops, and Conv."""

import itertools

import keras
import numpy as np
import pytest
import tf_keras
from hypothesis import given, settings
from hypothesis import strategies as st

from nncards_widget.layers import LocallyConnected1D, LocallyConnected2D

OURS = {1: LocallyConnected1D, 2: LocallyConnected2D}
TF_KERAS = {1: tf_keras.layers.LocallyConnected1D, 2: tf_keras.layers.LocallyConnected2D}


def _input_shape(batch, sizes, channels, data_format):
    return (batch, channels, *sizes) if data_format == "channels_first" else (batch, *sizes, channels)


def _ours_with_tf_keras_weights(shape, dtype, **arguments):
    """Our layer and a tf_keras implementation=1 layer built on `shape`, ours holding the other's (random) weights."""
    rank = len(shape) - 2
    reference = TF_KERAS[rank](implementation=1, bias_initializer="random_normal", dtype=dtype, **arguments)
    reference.build(shape)
    ours = OURS[rank](dtype=dtype, **arguments)
    ours.build(shape)
    ours.set_weights(reference.get_weights())
    return ours, reference


PARITY_CASES = [
    # (batch, spatial sizes, channels, filters, kernel_size, strides); from 16 channels
    # up channels_last patches are gathered per example (see _FEWEST_CHANNELS_PER_ROW).
    (2, (7, 6), 3, 4, (3, 2), (2, 1)),
    (3, (5, 5), 1, 2, (5, 5), (1, 1)),
    (1, (9, 8), 2, 3, (2, 3), (3, 2)),
    (2, (6, 10), 4, 5, (1, 4), (1, 3)),
    (2, (9,), 3, 4, (3,), (2,)),
    (3, (6,), 2, 4, (6,), (1,)),
    (1, (11,), 4, 2, (2,), (3,)),
    (2, (6, 5), 16, 3, (3, 2), (1, 2)),
    (3, (10,), 17, 2, (4,), (2,)),
]


@pytest.mark.parametrize("dtype, tolerance", [("float32", 1e-5), ("float64", 1e-12)])
@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("batch, sizes, channels, filters, kernel_size, strides", PARITY_CASES)
def test_outputs_and_gradients_equal_tf_keras_with_its_weights(
    batch, sizes, channels, filters, kernel_size, strides, data_format, use_bias, dtype, tolerance,
    value_and_gradients, rng,
):
    shape = _input_shape(batch, sizes, channels, data_format)
    ours, reference = _ours_with_tf_keras_weights(
        shape, dtype, filters=filters, kernel_size=kernel_size, strides=strides, data_format=data_format,
        use_bias=use_bias,
    )
    x = rng.standard_normal(shape).astype(dtype)
    cotangent = rng.standard_normal(ours.compute_output_shape(shape)).astype(dtype)
    y, input_gradient, weight_gradients = value_and_gradients(ours, x, cotangent)
    y_ref, input_gradient_ref, weight_gradients_ref = value_and_gradients(reference, x, cotangent)
    np.testing.assert_allclose(y, y_ref, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(input_gradient, input_gradient_ref, rtol=tolerance, atol=tolerance)
    for gradient, gradient_ref in zip(weight_gradients, weight_gradients_ref, strict=True):
        np.testing.assert_allclose(gradient, gradient_ref, rtol=tolerance, atol=tolerance)


@settings(max_examples=25, deadline=None)
@given(
    rank=st.sampled_from([1, 2]),
    sizes=st.lists(st.integers(1, 8), min_size=2, max_size=2),
    kernel_size=st.lists(st.integers(1, 4), min_size=2, max_size=2),
    strides=st.lists(st.integers(1, 3), min_size=2, max_size=2),
    channels=st.integers(1, 3),
    filters=st.integers(1, 3),
    data_format=st.sampled_from(["channels_last", "channels_first"]),
    use_bias=st.booleans(),
)
def test_any_geometry_equals_tf_keras(rank, sizes, kernel_size, strides, channels, filters, data_format, use_bias):
    sizes = [max(size, k) for size, k in zip(sizes, kernel_size)][:rank]
    shape = _input_shape(2, sizes, channels, data_format)
    ours, reference = _ours_with_tf_keras_weights(
        shape, "float64", filters=filters, kernel_size=kernel_size[:rank], strides=strides[:rank],
        data_format=data_format, use_bias=use_bias,
    )
    x = np.random.default_rng(1).standard_normal(shape)
    np.testing.assert_allclose(np.asarray(ours(x)), reference(x).numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("shape, kernel_size", [((2, 7, 6, 3), (3, 2)), ((2, 9, 4), (3,))])
def test_weights_have_tf_keras_names_and_shapes(shape, kernel_size, use_bias, data_format):
    if data_format == "channels_first":
        shape = (shape[0], shape[-1], *shape[1:-1])
    rank = len(shape) - 2
    arguments = dict(filters=5, kernel_size=kernel_size, strides=2, use_bias=use_bias, data_format=data_format)
    ours, reference = OURS[rank](**arguments), TF_KERAS[rank](implementation=1, **arguments)
    ours.build(shape)
    reference.build(shape)
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [
        (w.name.split("/")[-1].split(":")[0], tuple(w.shape)) for w in reference.weights
    ]


def _same_padding_loop(x, kernel, bias, kernel_size, strides, data_format):
    """Zero-pads as Conv does for padding='same', then loops over output positions: one dot product each,
    with the window flattened as tf.keras 2 flattened it."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    sizes = x.shape[1:-1]
    outputs = [-(-size // s) for size, s in zip(sizes, strides)]
    totals = [max((o - 1) * s + k - size, 0) for o, s, k, size in zip(outputs, strides, kernel_size, sizes)]
    x = np.pad(x, [(0, 0), *[(t // 2, t - t // 2) for t in totals], (0, 0)])
    filters = kernel.shape[-1]
    bias_at = bias.reshape(*outputs, filters) if data_format == "channels_last" else np.moveaxis(
        bias.reshape(filters, *outputs), 0, -1
    )
    y = np.zeros((x.shape[0], *outputs, filters))
    for index, position in enumerate(itertools.product(*(range(o) for o in outputs))):
        window = x[(slice(None), *[slice(p * s, p * s + k) for p, s, k in zip(position, strides, kernel_size)])]
        if data_format == "channels_first":
            window = np.moveaxis(window, -1, 1)
        y[(slice(None), *position)] = window.reshape(x.shape[0], -1) @ kernel[index] + bias_at[position]
    return np.moveaxis(y, -1, 1) if data_format == "channels_first" else y


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "sizes, kernel_size, strides",
    [
        ((7, 8), (3, 3), (1, 1)),
        ((7, 8), (4, 2), (2, 3)),
        ((6, 5), (5, 5), (2, 2)),
        ((3, 4), (6, 7), (1, 1)),
        ((10,), (4,), (3,)),
    ],
)
@pytest.mark.parametrize("channels", [3, 16])
def test_same_padding_equals_a_loop_over_windows(sizes, kernel_size, strides, data_format, channels, rng):
    shape = _input_shape(2, sizes, channels, data_format)
    layer = OURS[len(sizes)](
        4, kernel_size, strides=strides, padding="same", data_format=data_format, bias_initializer="random_normal",
        dtype="float64",
    )
    x = rng.standard_normal(shape)
    y = np.asarray(layer(x))
    kernel, bias = layer.get_weights()
    expected_sizes = tuple(-(-size // s) for size, s in zip(sizes, strides))
    assert y.shape == _input_shape(2, expected_sizes, 4, data_format)
    expected = _same_padding_loop(x, kernel, bias, kernel_size, strides, data_format)
    np.testing.assert_allclose(y, expected, atol=1e-12)


@pytest.mark.parametrize(
    "sizes, kernel_size, strides", [((7, 8), (3, 3), (1, 1)), ((8, 7), (4, 2), (2, 3)), ((9,), (4,), (2,))]
)
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_windows_sit_where_conv_puts_them(sizes, kernel_size, strides, padding, rng):
    """With one kernel copied to every position, we compute Conv1D / Conv2D with the same padding."""
    conv = (keras.layers.Conv1D if len(sizes) == 1 else keras.layers.Conv2D)(
        3, kernel_size, strides=strides, padding=padding, bias_initializer="random_normal", dtype="float64"
    )
    x = rng.standard_normal((2, *sizes, 2))
    expected = np.asarray(conv(x))
    kernel, bias = conv.get_weights()
    layer = OURS[len(sizes)](3, kernel_size, strides=strides, padding=padding, dtype="float64")
    layer.build(x.shape)
    positions = layer.kernel.shape[0]
    layer.set_weights([np.tile(kernel.reshape(1, -1, 3), (positions, 1, 1)), np.broadcast_to(bias, expected.shape[1:])])
    np.testing.assert_allclose(np.asarray(layer(x)), expected, atol=1e-12)


def test_trains_in_a_model_with_an_unknown_batch_size(rng):
    model = keras.Sequential([
        keras.Input((6, 6, 2)),
        LocallyConnected2D(3, 3, padding="same", activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(1),
    ])
    model.compile("sgd", "mse")
    before = model.layers[0].kernel.numpy().copy()
    model.fit(rng.random((5, 6, 6, 2)), rng.random((5, 1)), batch_size=3, epochs=1, verbose=0)
    assert not np.allclose(model.layers[0].kernel.numpy(), before)
    assert model.predict(rng.random((7, 6, 6, 2)), verbose=0).shape == (7, 1)


@pytest.mark.parametrize("channels", [2, 16])
def test_each_example_gives_the_same_output_at_any_batch_size(channels, rng):
    model = keras.Sequential([keras.Input((7, 6, channels)), LocallyConnected2D(3, 3, strides=(2, 1), padding="same")])
    x = rng.random((5, 7, 6, channels)).astype("float32")
    whole = model.predict(x, batch_size=5, verbose=0)
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), whole, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(model(x[3:4])), whole[3:4], rtol=1e-6, atol=1e-6)


def test_regularizers_add_losses_and_constraints_hold_after_a_step(rng):
    layer = LocallyConnected1D(
        2, 3, kernel_regularizer="l2", bias_regularizer="l1", activity_regularizer="l2",
        kernel_constraint=keras.constraints.NonNeg(), bias_constraint=keras.constraints.MaxNorm(0.1),
    )
    model = keras.Sequential([keras.Input((5, 2)), layer])
    model(rng.random((1, 5, 2)))
    assert len(model.losses) == 3
    model.compile("sgd", "mse")
    model.train_on_batch(rng.random((4, 5, 2)), -rng.random((4, 3, 2)))
    assert layer.kernel.numpy().min() >= 0
    assert np.linalg.norm(layer.bias.numpy(), axis=0).max() <= 0.1 + 1e-6


def test_get_config_is_complete_and_rebuilds_an_equal_layer():
    layer = LocallyConnected2D(
        5, (2, 3), strides=2, padding="SAME", data_format="channels_first", activation="tanh", use_bias=False,
        kernel_initializer="he_normal", bias_initializer="ones", kernel_regularizer="l1", bias_regularizer="l2",
        activity_regularizer="l1", kernel_constraint="non_neg", bias_constraint="unit_norm", name="lc",
    )
    config = layer.get_config()
    assert {
        "filters", "kernel_size", "strides", "padding", "data_format", "activation", "use_bias", "kernel_initializer",
        "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "bias_constraint",
    } <= set(config)
    assert (config["kernel_size"], config["strides"], config["padding"]) == ((2, 3), (2, 2), "same")
    again = LocallyConnected2D.from_config(config)
    assert again.get_config() == config


@pytest.mark.parametrize(
    "arguments, message",
    [
        (dict(filters=0, kernel_size=3), "expected a positive integer. Received: filters=0"),
        (dict(filters=2.5, kernel_size=3), "expected a positive integer. Received: filters=2.5"),
        (dict(filters=True, kernel_size=3), "expected a positive integer. Received: filters=True"),
        (dict(filters=2, kernel_size=(3, 0)), "tuple of 2 positive integers. Received: kernel_size=(3, 0)"),
        (dict(filters=2, kernel_size="3"), "Received: kernel_size='3'"),
        (dict(filters=2, kernel_size=3, strides=(1, 2, 3)), "of 2 positive integers. Received: strides=(1, 2, 3)"),
        (dict(filters=2, kernel_size=3, padding="causal"), "expected 'valid' or 'same'. Received: padding='causal'"),
        (dict(filters=2, kernel_size=3, data_format="NHWC"),
         "expected 'channels_last' or 'channels_first'. Received: data_format='NHWC'"),
        (dict(filters=2, kernel_size=3, use_bias="yes"), "expected True or False. Received: use_bias='yes'"),
    ],
)
def test_bad_arguments_say_what_was_received_and_expected(arguments, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        LocallyConnected2D(**arguments)


def test_numpy_integers_and_arrays_become_python_integers():
    config = LocallyConnected2D(np.int64(2), np.array([3, 3]), strides=np.int32(2)).get_config()
    sizes = (config["filters"], *config["kernel_size"], *config["strides"])
    assert sizes == (2, 3, 3, 2, 2) and all(type(size) is int for size in sizes)


def test_a_1d_layer_takes_one_size_per_axis():
    assert LocallyConnected1D(2, (3,), strides=[2]).get_config()["kernel_size"] == (3,)
    with pytest.raises(ValueError, match=r"integer or a tuple of one. Received: kernel_size=\(3, 3\)"):
        LocallyConnected1D(2, (3, 3))


def test_a_kernel_larger_than_the_input_names_both_sizes():
    with pytest.raises(ValueError, match="kernel 40x40 is larger than the 28x28 input"):
        LocallyConnected2D(2, 40).compute_output_shape((None, 28, 28, 1))
    with pytest.raises(ValueError, match="kernel 40x40 is larger than the 28x28 input"):
        LocallyConnected2D(2, 40)(keras.Input((28, 28, 1)))
    with pytest.raises(ValueError, match="kernel 5 is larger than the 3 input"):
        LocallyConnected1D(2, 5, data_format="channels_first").build((None, 4, 3))
    assert LocallyConnected2D(2, 40, padding="same").compute_output_shape((None, 28, 28, 1)) == (None, 28, 28, 2)


def test_unknown_sizes_and_other_inputs_are_explained(rng):
    with pytest.raises(ValueError, match=r"needs fixed spatial sizes.*Received input shape \(None, None, 4\)"):
        LocallyConnected1D(2, 3)(keras.Input((None, 4)))
    with pytest.raises(ValueError, match="needs a known number of input channels"):
        LocallyConnected1D(2, 3).build((None, 8, None))
    with pytest.raises(ValueError, match=r"expects an input with 4 axes \(batch included\)"):
        LocallyConnected2D(2, 3).compute_output_shape((None, 8, 3))
    layer = LocallyConnected2D(2, 3)
    layer(rng.random((1, 6, 6, 1)).astype("float32"))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 6"):
        layer(rng.random((1, 7, 6, 1)).astype("float32"))
