"""Assembling the model of a graph with nested models: each group a model of its own, sharing the graph's layers;
wiring that a group's class cannot hold is a model error naming the group and the card."""

import gc

import keras
import numpy as np
import pytest

from nncards_widget import CardGraph, Group


@pytest.fixture
def chain():
    """x -> a -> b -> c -> y, Dense layers of 4 units."""
    g = CardGraph()
    with g.hold():
        previous, port = g.add("input", key="x", shape=[4]), "data"
        for key in ("a", "b", "c"):
            card = g.add("layer_Dense", key=key, units=4)
            g.connect(previous, port, card, "input")
            previous, port = card, "output"
        g.connect(previous, "output", g.add("output", key="y"), "data")
    return g


def _names(model):
    return [(type(layer).__name__, layer.name) for layer in model.layers]


def test_a_group_becomes_a_nested_model_sharing_the_graph_s_layers(chain):
    flat = chain.model
    sample = np.random.default_rng(0).random((2, 4)).astype("float32")
    chain.set_groups([Group("Sequential", "block", ("a", "b"))])
    nested = chain.model
    assert _names(nested) == [("InputLayer", "x"), ("Sequential", "block"), ("Dense", "c")]
    assert nested.get_layer("block").get_layer("a") is chain.keras_object(chain["a"])
    np.testing.assert_array_equal(nested.predict(sample, verbose=0), flat.predict(sample, verbose=0))
    chain.set_groups([])
    assert _names(chain.model) == [("InputLayer", "x"), ("Dense", "a"), ("Dense", "b"), ("Dense", "c")]


def test_undo_of_grouping_gives_the_flat_model_back(chain):
    history = chain.history
    chain.set_groups([Group("Functional", "block", ("b", "c"), inputs=("entry",))])
    assert _names(chain.model.get_layer("block")) == [("InputLayer", "entry"), ("Dense", "b"), ("Dense", "c")]
    assert history.undo()
    assert [name for _, name in _names(chain.model)] == ["x", "a", "b", "c"]
    assert history.redo()
    assert ("Functional", "block") in _names(chain.model)


def test_a_sequential_group_fed_from_outside_mid_way_is_a_model_error_naming_group_and_card(chain):
    with chain.hold():
        merge = chain.add("mergeLayer2_Add", key="merge")
        chain.disconnect(chain["b"], "output", chain["c"], "input")
        chain.connect(chain["b"], "output", merge, "input_a")
        chain.connect(chain["x"], "data", merge, "input_b")
        chain.connect(merge, "output", chain["c"], "input")
        chain.set_groups([Group("Sequential", "block", ("a", "b", "merge"))])
    assert chain.last_build.model_error == (
        "nested Sequential model 'block': card 'merge' does not take just the output of the layer before it; "
        "a Sequential model is a chain of layers. Make it a Functional one, or take the card out of it."
    )
    chain.set_groups([Group("Sequential", "block", ("b", "merge"))])
    assert chain.last_build.model_error == (
        "nested Sequential model 'block' takes 2 tensors; a Sequential model takes one. "
        "Make it a Functional one, or take the card out of it."
    )
    chain.set_groups([Group("Functional", "block", ("b", "merge"))])
    assert chain.last_build.model_error is None
    assert chain.model.get_layer("block").input_shape == [(None, 4), (None, 4)]


def test_a_sequential_group_whose_middle_feeds_another_card_is_a_model_error(chain):
    chain.set_groups([Group("Sequential", "block", ("a", "b"))])
    with chain.hold():
        chain.connect(chain["a"], "output", chain.add("output", key="early"), "data")
    assert "card 'a' feeds cards outside it from the middle of its chain" in chain.last_build.model_error
    chain.set_groups([Group("Functional", "block", ("a", "b"))])
    assert chain.model.get_layer("block").output_shape == [(None, 4), (None, 4)]


def test_a_group_that_takes_back_what_it_gives_through_an_outside_card_is_a_model_error(chain):
    flat = chain.model
    chain.set_groups([Group("Functional", "block", ("a", "c"))])
    assert chain.last_build.model_error == (
        "nested Functional model 'block' cannot be a model of its own: it takes a tensor from card 'b', "
        "which depends on what it gives. Take that card into it, or ungroup it."
    )
    assert chain.model is flat, "the last good model stays"


def test_reassembling_leaves_no_calls_behind_on_the_graph_s_layers(chain):
    chain.set_groups([Group("Sequential", "block", ("a", "b"))])
    chain.model
    calls = {key: len(chain.keras_object(chain[key])._inbound_nodes) for key in "abc"}
    for units in (5, 6, 7, 4):
        chain["c"].units = units
        chain.model
        chain.set_groups([Group("Functional", "block", ("a", "b"))])
        chain.model
        chain.set_groups([Group("Sequential", "block", ("a", "b"))])
        chain.model
        gc.collect()
    chain.build()
    assert {key: len(chain.keras_object(chain[key])._inbound_nodes) for key in "ab"} == {"a": calls["a"], "b": calls["b"]}
    assert isinstance(chain.model.get_layer("block"), keras.Sequential)


def test_fitting_the_nested_model_trains_the_graph_s_own_layers_and_it_saves_as_nested(chain, tmp_path):
    chain.set_groups([Group("Functional", "outer", ("a",)), Group("Sequential", "inner", ("b",), parent="outer")])
    before = chain.keras_object(chain["b"]).get_weights()[0].copy()
    rng = np.random.default_rng(0)
    chain.model.fit(rng.random((8, 4)), rng.random((8, 4)), epochs=1, verbose=0)
    assert not np.array_equal(before, chain.keras_object(chain["b"]).get_weights()[0])
    chain.model.save(tmp_path / "nested.keras")
    loaded = keras.models.load_model(tmp_path / "nested.keras")
    assert isinstance(loaded.get_layer("outer").get_layer("inner"), keras.Sequential)
