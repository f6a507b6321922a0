"""RadialConstraint against tf.keras 2 (tf_keras)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
import tf_keras

from nncards_widget.layers import RadialConstraint
from nncards_widget.layers.constraints import ring_sources


@pytest.mark.parametrize("size", [2, 3, 4, 5, 6, 7])
def test_kernels_equal_tf_keras(size, rng):
    w = rng.standard_normal((size, size, 2, 3)).astype("float32")
    expected = tf_keras.constraints.RadialConstraint()(tf.constant(w)).numpy()
    np.testing.assert_array_equal(np.asarray(RadialConstraint()(w)), expected)


def test_each_ring_takes_one_diagonal_cell():
    assert ring_sources(4).tolist() == [[3, 3, 3, 3], [3, 1, 1, 3], [3, 1, 1, 3], [3, 3, 3, 3]]
    assert ring_sources(5).tolist() == [
        [3, 3, 3, 3, 3],
        [3, 2, 2, 2, 3],
        [3, 2, 1, 2, 3],
        [3, 2, 2, 2, 3],
        [3, 3, 3, 3, 3],
    ]


def test_a_1x1_kernel_is_kept_where_tf_keras_failed(rng):
    w = rng.standard_normal((1, 1, 2, 3)).astype("float32")
    np.testing.assert_array_equal(np.asarray(RadialConstraint()(w)), w)


def test_kernels_are_radial_after_a_training_step(rng):
    model = keras.Sequential([keras.Input((5, 5, 1)), keras.layers.Conv2D(2, 5, kernel_constraint=RadialConstraint())])
    model.compile("sgd", "mse")
    model.train_on_batch(rng.random((4, 5, 5, 1)), rng.random((4, 1, 1, 2)))
    kernel = model.layers[0].kernel.numpy()[:, :, 0, 1]
    for ring in range(3):
        assert len(set(kernel[ring_sources(5) == ring + 1].tolist())) == 1


@pytest.mark.parametrize("shape", [(3, 2, 1, 1), (3, 3, 1), (2, 2, 2, 2, 2)])
def test_non_square_or_non_2d_kernels_are_refused(shape):
    with pytest.raises(ValueError, match=rf"expects square 2D kernels.*Received weights of shape \({shape[0]}, "):
        RadialConstraint()(np.zeros(shape, "float32"))


def test_config_round_trips_through_keras_serialization():
    config = keras.constraints.serialize(RadialConstraint())
    assert isinstance(keras.constraints.deserialize(config), RadialConstraint)
