"""Weights: sized before they are allocated and refused on the card past the limit; trained values kept
through every edit that leaves their shapes as they were."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from nncards_widget import CardGraph
from nncards_widget.keras_build import weights
from nncards_widget.keras_build.weights import set_weights_limit


@pytest.fixture
def limit():
    """Set the weights limit for one test (the default depends on the machine)."""
    yield set_weights_limit
    set_weights_limit(None)


def _dense_on(graph, size: int, units: int, key="dense"):
    x = graph.add("input", shape=[size])
    dense = graph.add("layer_Dense", key=key, units=units)
    graph.connect(x, "data", dense, "input")
    return dense


def test_a_layer_past_the_limit_is_refused_on_its_card_with_the_figure_before_anything_is_allocated(limit, monkeypatch):
    # Small figures, so that a regression allocates little.
    limit(10**7)
    eager_shapes = []
    original = keras.initializers.GlorotUniform.__call__

    def watch(self, shape, dtype=None):
        if tf.executing_eagerly():
            eager_shapes.append(tuple(shape))
        return original(self, shape, dtype)

    monkeypatch.setattr(keras.initializers.GlorotUniform, "__call__", watch)
    g = CardGraph()
    dense = _dense_on(g, 1000, 10000)
    assert dense.error == (
        "this layer would need 40.0 MB of weights; the graph's layers may hold 10.0 MB in all "
        "(set with set_weights_limit). Use fewer units or filters, or a smaller input"
    )
    assert eager_shapes == [] and g.keras_object(dense) is None and dense.output_shapes == {}
    dense.units = 10
    assert dense.error is None and eager_shapes == [(1000, 10)] and dense.param_count == 10010


def test_sizes_read_in_the_unit_that_fits():
    assert [weights.size_text(n) for n in (16_000_400_000, 40_040_000, 2_500, 12)] == ["16.0 GB", "40.0 MB", "2.5 kB", "12 bytes"]


def test_the_limit_counts_the_weights_of_every_layer(limit):
    limit(3 * 10**6)
    g = CardGraph()
    first = _dense_on(g, 500, 1000, key="first")
    second = _dense_on(g, 500, 1000, key="second")
    assert first.error is None
    assert second.error.startswith(
        "this layer would need 2.0 MB of weights, and the other layers already hold 2.0 MB; the graph's layers may hold 3.0 MB"
    )
    first.units = 10
    second.units = 999
    assert second.error is None, "the first layer's old weights were given back"


def test_the_limit_is_half_the_memory_unless_the_environment_says_otherwise(monkeypatch):
    monkeypatch.delenv(weights.ENVIRONMENT_VARIABLE, raising=False)
    limit, origin = weights.weights_limit()
    assert limit == weights.machine_memory() // 2 and origin.startswith("half of this machine's")
    monkeypatch.setenv(weights.ENVIRONMENT_VARIABLE, "2e6")
    assert weights.weights_limit() == (2_000_000, f"set by {weights.ENVIRONMENT_VARIABLE}")
    with pytest.raises(ValueError, match="expected a positive number of bytes"):
        set_weights_limit(0)


def _conv_graph():
    g = CardGraph()
    x = g.add("input", shape=[8, 8, 2])
    conv = g.add("layer_Conv2D", key="conv", filters=4, kernel_size=[3, 3])
    flat, head = g.add("layer_Flatten"), g.add("layer_Dense", key="head", units=2)
    for source, port, target in ((x, "data", conv), (conv, "output", flat), (flat, "output", head)):
        g.connect(source, port, target, "input")
    g.connect(head, "output", g.add("output"), "data")
    return g


def _trained(layer):
    """Give a layer's weights values no initializer makes, as training would."""
    values = [np.full(w.shape, 0.25 + index, w.dtype) for index, w in enumerate(layer.get_weights())]
    layer.set_weights(values)
    return values


@pytest.mark.parametrize(
    "edit",
    [
        lambda g, conv: setattr(conv, "activation", "relu"),
        lambda g, conv: setattr(conv, "strides", (2, 2)),
        lambda g, conv: g.connect(g.add("regularizer_l2"), "regularizer_instance", conv, "kernel_regularizer"),
        lambda g, conv: g.connect(g.add("constraint_NonNeg"), "constraint_instance", conv, "kernel_constraint"),
    ],
    ids=["activation", "strides", "regularizer", "constraint"],
)
def test_an_edit_that_keeps_the_weights_shapes_keeps_their_trained_values(edit):
    g = _conv_graph()
    conv = g["conv"]
    before = g.keras_object(conv)
    trained = _trained(before)
    edit(g, conv)
    after = g.keras_object(conv)
    assert after is not before
    for kept, value in zip(after.get_weights(), trained):
        np.testing.assert_array_equal(kept, value)


def test_a_new_initializer_starts_the_weights_afresh_from_it():
    g = _conv_graph()
    conv = g["conv"]
    _trained(g.keras_object(conv))
    g.connect(g.add("initializer_Ones"), "initializer_instance", conv, "kernel_initializer")
    kernel, bias = g.keras_object(conv).get_weights()
    np.testing.assert_array_equal(kernel, np.ones_like(kernel))
    np.testing.assert_array_equal(bias, np.zeros_like(bias))  # the whole layer starts afresh


def test_new_shapes_get_new_weights():
    g = _conv_graph()
    conv = g["conv"]
    _trained(g.keras_object(conv))
    conv.filters = 5
    assert not np.any(g.keras_object(conv).get_weights()[0] == 0.25)


def test_a_layer_waiting_for_a_broken_upstream_card_comes_back_with_its_weights():
    g = _conv_graph()
    conv, head = g["conv"], g["head"]
    layer = g.keras_object(head)
    trained = _trained(layer)
    conv.kernel_size = (20, 20)
    assert conv.error and g.keras_object(head) is None and "waiting for conv" in g.last_build.notes["head"]
    conv.kernel_size = (3, 3)
    assert g.keras_object(head) is layer
    for kept, value in zip(layer.get_weights(), trained):
        np.testing.assert_array_equal(kept, value)
