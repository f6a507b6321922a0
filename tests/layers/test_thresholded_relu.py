"""ThresholdedReLU against tf.keras 2 (tf_keras)."""

import keras
import numpy as np
import pytest
import tf_keras

from nncards_widget.layers import ThresholdedReLU


@pytest.mark.parametrize("theta", [0.0, 0.7, 1.0, 2, np.float32(0.25)])
def test_values_and_input_gradients_equal_tf_keras(theta, value_and_gradients, rng):
    x = (rng.standard_normal((4, 5)) * 3).astype("float32")
    x[0, :3] = [float(np.float32(theta)), -0.0, 0.0]  # at the threshold itself: zero
    cotangent = rng.standard_normal(x.shape).astype("float32")
    y, gradient, _ = value_and_gradients(ThresholdedReLU(theta), x, cotangent)
    y_ref, gradient_ref, _ = value_and_gradients(tf_keras.layers.ThresholdedReLU(theta), x, cotangent)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(gradient, gradient_ref)
    assert y[0, 0] == 0


def test_keeps_the_input_dtype_and_shape_and_passes_masks_through():
    layer = ThresholdedReLU(0.5, dtype="float64")
    y = layer(np.array([[0.2, 0.6]]))
    assert keras.backend.standardize_dtype(y.dtype) == "float64"
    assert layer.compute_output_shape((None, 2)) == (None, 2)
    assert layer.supports_masking


def test_get_config_rebuilds_an_equal_layer():
    layer = ThresholdedReLU(np.float32(0.5), name="gate")
    config = layer.get_config()
    assert config["theta"] == 0.5 and isinstance(config["theta"], float)
    assert ThresholdedReLU.from_config(config).get_config() == config


@pytest.mark.parametrize("theta", [-1, None, "1", True, float("nan")])
def test_theta_must_be_a_number_of_at_least_zero(theta):
    with pytest.raises(ValueError, match=r"expected a number of at least 0. Received: theta="):
        ThresholdedReLU(theta)
