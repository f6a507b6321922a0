"""Every card, built from its defaults, comes back from its own model: `from_keras` of the model
the card makes gives the same card, with the same parameters and the same weights."""

import keras
import numpy as np
import pytest

from card_samples import sample_shape, tensor_ports
from nncards_widget import CardGraph, catalog
from nncards_widget.catalog.spec import CONSTRAINT, INITIALIZER, LAYER, REGULARIZER
from nncards_widget.io.keras_import import from_keras

# The layer card an object card is tried on, and its port: (layer card, port, input shape).
HOSTS = {
    INITIALIZER: ("layer_Dense", "kernel_initializer", (4,)),
    REGULARIZER: ("layer_Dense", "kernel_regularizer", (4,)),
    CONSTRAINT: ("layer_Dense", "kernel_constraint", (4,)),
}
KINDS = {"initializer": INITIALIZER, "regularizer": REGULARIZER, "constraint": CONSTRAINT}
# Values Keras fills in when a layer is made or built, so that the card read back says what the card left
# to Keras: a seed it drew, the axes attention runs over.
FILLED_BY_KERAS = {
    *((f"layer_{kind}Pooling{dims}D", "strides") for kind in ("Average", "Max") for dims in (1, 2, 3)),
    ("layer_RandomCrop", "seed"),
    ("layer_MultiHeadAttention", "attention_axes"),
    ("layer_MultiHeadAttention", "value_dim"),
}


def _model_card(spec):
    """A graph holding the card `spec` (with its defaults) on a small input, and the card."""
    graph = CardGraph()
    with graph.hold():
        if spec.kind == "input":
            card = graph.add(spec.id, shape=[4], key="features")
            graph.connect(card, "data", graph.add("output"), "data")
            return graph, card
        if spec.kind in KINDS:
            host_id, port, shape = HOSTS[KINDS[spec.kind]]
            card = graph.add(spec.id)
            host = graph.add(host_id, key="host")
            graph.connect(card, spec.outputs[0].name, host, port)
        else:
            card = host = graph.add(spec.id)
            shape = None
        for index, port in enumerate(tensor_ports(host.spec)):
            source = graph.add("input", shape=list(shape or sample_shape(spec)), key=f"input_{index}")
            graph.connect(source, "data", host, port.name)
        for port in host.spec.connectable_inputs:
            if port.type == LAYER:
                graph.connect(graph.add("layer_LSTM", units=4, key="wrapped"), "layer_instance", host, port.name)
        graph.connect(host, "output", graph.add("output"), "data")
    return graph, card


def _imported_card(graph, card, imported):
    """The card of `imported` that stands for `card`: the same key, or for an object card, what feeds the host."""
    if card.spec.kind not in KINDS:
        return imported[card.key]
    port = HOSTS[KINDS[card.spec.kind]][1]
    connection = imported.incoming(imported["host"], port)
    if connection is None:
        # An initializer left as the port's default card is not drawn as a card of its own.
        assert card.spec.id == imported["host"].spec.port(port).default and card.params == card.spec.defaults()
        return None
    return connection.source


def _config(layer):
    return {name: value for name, value in layer.get_config().items() if name != "name"}


@pytest.mark.parametrize("spec", [spec for spec in catalog.all() if spec.kind != "output"], ids=lambda spec: spec.id)
def test_a_card_built_from_its_defaults_comes_back_from_its_model(spec):
    graph, card = _model_card(spec)
    assert graph.model is not None, graph.last_build.why_no_model
    imported = from_keras(graph.model, weights=True)
    back = _imported_card(graph, card, imported)
    if back is None:
        return
    if back.spec.id != spec.id:
        # A second card of a class ("keras_"), at its defaults, is what the class's first card represents too:
        # from_keras takes the first, which must build the same Keras object.
        assert spec.id.startswith("keras_") and back.spec.factory == spec.factory and back.spec.kind == spec.kind
        if spec.kind == "layer":
            assert _config(imported.keras_object(back)) == _config(graph.keras_object(card))
        return
    filled = {name for card_id, name in FILLED_BY_KERAS if card_id == spec.id}
    assert {name: value for name, value in back.params.items() if name not in filled} == {
        name: value for name, value in card.params.items() if name not in filled
    }
    if isinstance(graph.keras_object(card), keras.layers.Layer):
        for ours, theirs in zip(graph.keras_object(card).get_weights(), imported.keras_object(back).get_weights()):
            np.testing.assert_array_equal(ours, theirs)
        # What Keras filled in builds the same layer again.
        assert from_keras(imported.model)[card.key].params == back.params
