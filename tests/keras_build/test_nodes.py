"""Long sessions: what an edit replaces is freed, Keras's node history holds only current calls,
and the models the graph handed out keep working through it all."""

import gc
import weakref

import keras
import numpy as np
import pytest

from nncards_widget import CardGraph


@pytest.fixture
def chain():
    """Input(6) -> first Dense -> kept Dense -> Output. The tests edit the first Dense's activation, which
    replaces its layer; the second is called again on the new output, of the same shape."""
    g = CardGraph()
    with g.hold():
        x = g.add("input", key="x", shape=[6])
        first, kept = g.add("layer_Dense", key="first", units=4), g.add("layer_Dense", key="kept", units=3)
        g.connect(x, "data", first, "input")
        g.connect(first, "output", kept, "input")
        g.connect(kept, "output", g.add("output", key="y"), "data")
    return g


@pytest.fixture
def layer_of(chain):
    return chain.keras_object


def test_replaced_layers_are_freed_without_waiting_for_the_cycle_collector(chain, layer_of):
    first, kept = chain["first"], chain["kept"]
    replaced = []
    gc.disable()
    try:
        for _ in range(12):
            replaced.append(weakref.ref(layer_of(first)))
            first.activation = "relu" if first.activation == "tanh" else "tanh"
        # The last build's result lists the layer it replaced (for undo to keep): only that one may live on.
        alive = [ref for ref in replaced[:-1] if ref() is not None]
    finally:
        gc.enable()
    assert alive == []
    kept_layer = layer_of(kept)
    assert len(kept_layer._inbound_nodes) == 1, "a kept layer called again keeps only its current call"
    assert len(layer_of(first)._outbound_nodes) == 1
    assert len(chain.output_tensor(chain["x"], "data")._keras_history.operation._outbound_nodes) == 1


def test_the_graph_holds_as_many_layers_after_many_edits_as_before(chain, layer_of):
    def layers():
        gc.collect()
        return sum(isinstance(obj, keras.layers.Layer) for obj in gc.get_objects())

    first = chain["first"]
    first.activation = "relu"
    before = layers()
    for _ in range(20):
        first.activation = "relu" if first.activation == "tanh" else "tanh"
    assert layers() == before


def test_models_handed_out_keep_their_calls_and_still_save_and_summarize(chain, layer_of, tmp_path):
    first, kept = chain["first"], chain["kept"]
    old = chain.model
    for _ in range(6):
        first.activation = "relu" if first.activation == "tanh" else "tanh"
        current = chain.model
    # Models handed out come compiled, and Keras's compile state refers back to the model: a dropped
    # compiled model dies at the next cycle collection, not as soon as its last holder lets go.
    gc.collect()
    chain.build()  # each build lets go of the calls of models that died since (here, the one before current)
    assert len(layer_of(kept)._inbound_nodes) == 2, "the old model's call and the current one"
    sample = np.ones((2, 6), "float32")
    for model in (old, current):
        again = keras.Model.from_config(model.get_config())
        assert [layer.name for layer in again.layers] == ["x", "first", "kept"]
        assert again.count_params() == model.count_params()
        model.summary(print_fn=lambda *args, **kwargs: None)
        model.save(tmp_path / "model.keras")
        np.testing.assert_allclose(keras.saving.load_model(tmp_path / "model.keras").predict(sample, verbose=0),
                                   model.predict(sample, verbose=0), rtol=1e-6)
    del old, current, again, model
    gc.collect()
    first.activation = "relu" if first.activation == "tanh" else "tanh"
    assert len(layer_of(kept)._inbound_nodes) == 2, "the graph's last model's call and the current one"
