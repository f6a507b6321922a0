"""The catalog: exactly Protopipe's cards and ports, each with help, and each one builds."""

import json
from pathlib import Path

import pytest
from traitlets import HasTraits

from nncards_widget import CardGraph, catalog
from nncards_widget.catalog.spec import INITIALIZER, LAYER, TENSOR, snake_case
from nncards_widget.graph.card import RESERVED_NAMES
from nncards_widget.graph.params import coerce

REFERENCE = json.loads((Path(__file__).parents[3] / "shared" / "reference" / "protopipe_cards.json").read_text())["cards"]
EXTRA_CARDS = {"layer_LSTM", "layer_GRU", "layer_SimpleRNN"}


def test_the_catalog_has_every_protopipe_card_plus_the_recurrent_layers():
    assert set(catalog.ids()) == {card["id"] for card in REFERENCE} | EXTRA_CARDS
    assert len(REFERENCE) == 88


@pytest.mark.parametrize("reference", REFERENCE, ids=lambda card: card["id"])
def test_each_card_has_exactly_protopipes_title_category_and_ports(reference):
    spec = catalog.get(reference["id"])
    assert spec.title == reference["title"]
    assert list(spec.category) == reference["category"]
    for ours, theirs in ((spec.inputs, reference["inputs"]), (spec.outputs, reference["outputs"])):
        assert [(p.text, p.type, p.multiplicity) for p in ours] == [
            (p["text"], p["type"], p["multiplicity"]) for p in theirs
        ]
    assert [p.default for p in spec.inputs if p.type == INITIALIZER] == reference["default_cards"]


@pytest.mark.parametrize("spec", catalog.all(), ids=lambda spec: spec.id)
def test_every_port_is_named_helped_and_has_a_valid_default(spec):
    assert spec.help
    reserved = RESERVED_NAMES | set(dir(HasTraits))
    for port in spec.inputs + spec.outputs:
        assert port.name == snake_case(port.text) and port.help, port
        if port.is_scalar:
            assert port.name not in reserved
            assert coerce(port, port.default) == (tuple(port.default) if port.is_list else port.default), port
            if port.type == "String" and port.name != "name":
                assert port.choices, f"{spec.id}.{port.name} has no choices"
    for port in spec.connectable_inputs:
        if port.type == INITIALIZER:
            assert catalog.get(port.default).kind == "initializer"


def test_port_names_follow_the_text():
    assert snake_case("Kernel size") == "kernel_size"
    assert snake_case("Layer instance") == "layer_instance"
    assert snake_case("L") == "l"
    assert snake_case("At the beginning of dimension 1") == "at_the_beginning_of_dimension_1"


SAMPLE_SHAPES = {1: [16, 3], 2: [12, 12, 3], 3: [6, 6, 6, 2]}


def _sample_shape(spec):
    """An input that fits the card: by its number of spatial dimensions, else a sequence."""
    for dims, shape in SAMPLE_SHAPES.items():
        if f"{dims}D" in spec.id:
            return shape
    if spec.id in ("layer_RepeatVector", "layer_Dense", "layer_ActivityRegularization"):
        return [8]
    return [5, 4]


@pytest.mark.parametrize("spec", [s for s in catalog.all() if s.kind == "layer"], ids=lambda spec: spec.id)
def test_every_layer_card_builds_from_its_defaults_in_a_small_graph(spec):
    g = CardGraph()
    with g.hold():
        card = g.add(spec.id)
        for index, port in enumerate(spec.tensor_inputs):
            source = g.add("input", shape=_sample_shape(spec), key=f"input_{index}")
            g.connect(source, "data", card, port.name)
        for port in spec.connectable_inputs:
            if port.type == LAYER:
                inner = g.add("layer_LSTM" if spec.id == "layer_Bidirectional" else "layer_Dense", units=4)
                g.connect(inner, "layer_instance", card, port.name)
        g.connect(card, "output", g.add("output"), "data")
    assert card.error is None, card.error
    assert card.output_shapes["output"][0] is None
    assert g.model is not None and g.last_build.ok


@pytest.mark.parametrize("spec", [s for s in catalog.all() if s.kind in ("initializer", "regularizer", "constraint")],
                         ids=lambda spec: spec.id)
def test_every_object_card_builds_and_feeds_a_layer(spec):
    g = CardGraph()
    x = g.add("input", shape=[3])
    conv = g.add("layer_Dense", units=3)  # a square kernel suits every initializer, Identity and Orthogonal too
    g.connect(x, "data", conv, "input")
    card = g.add(spec.id)
    port = {"initializer": "kernel_initializer", "regularizer": "kernel_regularizer", "constraint": "kernel_constraint"}[spec.kind]
    g.connect(card, spec.outputs[0].name, conv, port)
    assert card.error is None and conv.error is None, (card.error, conv.error)
    assert conv.output_shapes["output"] == (None, 3)
    assert type(getattr(g.keras_object(conv), port)) is type(g.keras_object(card))


def test_keras_argument_names_that_differ_are_mapped_not_renamed():
    g = CardGraph()
    leaky = g.add("layer_LeakyReLU", alpha=0.2)
    crop = g.add("layer_Cropping2D", at_the_beginning_of_dimension_1=1, at_the_end_of_dimension_1=2,
                 at_the_beginning_of_dimension_2=3, at_the_end_of_dimension_2=4)
    reshape = g.add("layer_Reshape", target_reshape=[2, 2])
    l1 = g.add("regularizer_l1", l=0.5)
    norm = g.add("constraint_MaxNorm", axes=[0, 1])
    assert g.keras_object(leaky).negative_slope == pytest.approx(0.2)
    assert g.keras_object(crop).cropping == ((1, 2), (3, 4))
    assert g.keras_object(reshape).target_shape == (2, 2)
    assert float(g.keras_object(l1).l1) == pytest.approx(0.5)
    assert tuple(g.keras_object(norm).axis) == (0, 1)


def test_attention_causal_goes_to_the_call_and_embedding_input_length_is_checked():
    g = CardGraph()
    x = g.add("input", shape=[6, 4])
    attention = g.add("layer_Attention", causal=True)
    g.connect(x, "data", attention, "input")
    assert attention.output_shapes == {"output": (None, 6, 4)}
    words = g.add("input", shape=[10])
    embedding = g.add("layer_Embedding", input_length=12)
    g.connect(words, "data", embedding, "input")
    assert embedding.error == "port 'Input length' says 12 but the input's sequences have length 10"
    embedding.input_length = 10
    assert embedding.output_shapes == {"output": (None, 10, 16)}


def test_tensor_and_layer_ports_are_connections_not_parameters():
    spec = catalog.get("layer_Bidirectional")
    assert [p.name for p in spec.scalar_inputs] == ["merge_mode"]
    assert [p.type for p in spec.connectable_inputs] == [LAYER, TENSOR]
