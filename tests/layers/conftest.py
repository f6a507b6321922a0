"""Fixtures for comparing our Keras 3 classes with tf.keras 2's (tf_keras); both run on TensorFlow in one process."""

import numpy as np
import pytest
import tensorflow as tf


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def _value_and_gradients(layer, x, cotangent):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * cotangent)
    input_gradient, *weight_gradients = tape.gradient(loss, [x, *layer.trainable_weights])
    return np.asarray(y), input_gradient.numpy(), [np.asarray(g) for g in weight_gradients]


@pytest.fixture
def value_and_gradients():
    """f(layer, x, cotangent): the layer's output on x, and the gradients of sum(output * cotangent)
    for x and for each trainable weight."""
    return _value_and_gradients
