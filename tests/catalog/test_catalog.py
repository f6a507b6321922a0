"""The catalog: exactly Protopipe's cards and ports, each with help and valid defaults,
and each card's Keras class built from its defaults."""

import json
from pathlib import Path

import keras
import pytest
from traitlets import HasTraits

from card_samples import sample_shape as _sample_shape
from card_samples import tensor_ports as _tensor_ports
from nncards_widget import CardGraph, ParameterError, catalog
from nncards_widget.keras_build.keras_args import keras_arguments, resolve_factory
from nncards_widget.catalog.cards import CORE_LAYERS, KERAS_INITIALIZERS, KERAS_REGULARIZERS
from nncards_widget.catalog.keras_layer_cards import LAYERS as KERAS_LAYERS
from nncards_widget.catalog.layer_cards import LAYERS
from nncards_widget.catalog.preprocessing_cards import LAYERS as PREPROCESSING_LAYERS
from nncards_widget.catalog.ports import LAYER_OUTPUTS
from nncards_widget.catalog.spec import (
    BOOLEAN,
    CALL_LIST,
    CALL_SELF_ATTENTION,
    FLOAT,
    INITIALIZER,
    INTEGER,
    LAYER,
    STRING,
    snake_case,
)
from nncards_widget.graph.card import RESERVED_NAMES, Card

# A copy of the facts of Protopipe's 88 cards (ids, titles, categories, ports, default cards),
# kept next to the tests so that a clean clone can run them.
REFERENCE_FILE = Path(__file__).with_name("protopipe_cards.json")
REFERENCE = json.loads(REFERENCE_FILE.read_text())["cards"]
SHARED_REFERENCE_FILE = Path(__file__).parents[3] / "shared" / "reference" / "protopipe_cards.json"
RECURRENT = ("layer_LSTM", "layer_GRU", "layer_SimpleRNN")

# Attributes of a card object that a scalar port (a trait named like the port) would shadow.
RESERVED = (
    {"key", "position", "spec", "output_shapes", "param_count", "error", "graph", "connections"}
    | RESERVED_NAMES
    | set(dir(Card))
    | set(dir(HasTraits))
)


def _our_layers():
    return [spec for spec in catalog.all() if spec.kind == "layer"]


def test_the_reference_copy_is_protopipes_facts():
    assert len(REFERENCE) == 88
    if SHARED_REFERENCE_FILE.exists():
        assert json.loads(SHARED_REFERENCE_FILE.read_text()) == json.loads(REFERENCE_FILE.read_text())


def _keras_3_cards():
    return KERAS_LAYERS + PREPROCESSING_LAYERS + KERAS_INITIALIZERS + KERAS_REGULARIZERS + (catalog.get("keras_input"),)


def test_the_catalog_has_every_protopipe_card_plus_the_recurrent_layers_and_keras_3s_cards():
    keras_3 = {spec.id for spec in _keras_3_cards()}
    assert set(catalog.ids()) == {card["id"] for card in REFERENCE} | set(RECURRENT) | keras_3
    assert len(catalog.ids()) == 88 + 3 + len(keras_3)


def test_keras_3_cards_are_new_ids_and_a_second_card_of_a_class_says_so():
    protopipe = {card["id"] for card in REFERENCE}
    by_factory = {catalog.get(card_id).factory: card_id for card_id in protopipe if catalog.get(card_id).factory}
    for spec in _keras_3_cards():
        assert spec.id not in protopipe
        if spec.factory in by_factory and spec.kind == "layer":
            # A second card of a class Protopipe has a card for: named keras_<Class>, titled as such.
            assert spec.id.startswith("keras_") and ("(Keras 3)" in spec.title or "any number" in spec.title)


def test_layer_cards_follow_protopipes_order_then_the_recurrent_layers():
    core = {spec.id for spec in CORE_LAYERS}
    expected = [
        card["id"] for card in REFERENCE if card["id"].startswith(("layer_", "mergeLayer2_")) and card["id"] not in core
    ]
    assert [spec.id for spec in LAYERS] == expected + list(RECURRENT)


def _facts(ports):
    return [(port.text, port.type, port.multiplicity) for port in ports]


@pytest.mark.parametrize("reference", REFERENCE, ids=lambda card: card["id"])
def test_each_card_has_exactly_protopipes_title_category_ports_and_default_cards(reference):
    spec = catalog.get(reference["id"])
    assert spec.title == reference["title"]
    assert spec.category == tuple(reference["category"])
    assert _facts(spec.inputs) == [(p["text"], p["type"], p["multiplicity"]) for p in reference["inputs"]]
    assert _facts(spec.outputs) == [(p["text"], p["type"], p["multiplicity"]) for p in reference["outputs"]]
    assert [port.default for port in spec.inputs if port.type == INITIALIZER] == reference["default_cards"]


@pytest.mark.parametrize("card_id", RECURRENT)
def test_the_recurrent_layers_look_like_protopipes_layer_cards(card_id):
    spec = catalog.get(card_id)
    assert spec.category == ("Layers", "Recurrent layers") and spec.outputs == LAYER_OUTPUTS
    assert [port.default for port in spec.inputs if port.type == INITIALIZER] == [
        "initializer_GlorotUniform",
        "initializer_Orthogonal",
        "initializer_Zeros",
    ]
    texts = [port.text for port in spec.inputs]
    assert texts[:2] == ["Units", "Activation"] and texts[-5:] == [
        "Dropout",
        "Recurrent dropout",
        "Return sequences",
        "Go backwards",
        "Input",
    ]
    assert ("Recurrent activation" in texts) == (card_id != "layer_SimpleRNN")
    assert ("Unit forget bias" in texts) == (card_id == "layer_LSTM")


PYTHON_TYPES = {INTEGER: int, FLOAT: float, BOOLEAN: bool, STRING: str}


def _valid(port, value):
    """Whether `value` is within the port's choices, bounds and lengths."""
    if value is None or (port.is_list and not value):
        return port.optional or (port.choices is not None and value in port.choice_values())
    if port.choices is not None:
        return value in port.choice_values()
    items = value if port.is_list else (value,)
    if port.is_list and port.lengths and len(items) not in port.lengths:
        return False
    for item in items:
        if type(item) is not PYTHON_TYPES[port.type]:
            return False
        if port.minimum is not None and item < port.minimum:
            return False
        if port.maximum is not None and (item >= port.maximum if port.exclusive_maximum else item > port.maximum):
            return False
    return True


@pytest.mark.parametrize("spec", catalog.all(), ids=lambda spec: spec.id)
def test_every_card_and_port_is_helped_named_and_starts_valid(spec):
    assert spec.help
    for port in spec.inputs + spec.outputs:
        assert port.help, f"{spec.id}: port {port.text!r} has no help"
        assert port.name == snake_case(port.text)
    for port in spec.scalar_inputs:
        assert port.name not in RESERVED, f"{spec.id}: port {port.text!r} shadows a card attribute"
        assert _valid(port, port.default), f"{spec.id}: port {port.text!r} starts at an invalid {port.default!r}"
        if port.type == STRING and spec.kind not in ("input", "output"):
            assert port.choices, f"{spec.id}: String port {port.text!r} has no choices"
    for port in spec.inputs:
        if port.type == INITIALIZER:
            assert catalog.get(port.default).kind == "initializer"


def test_port_names_follow_the_text():
    assert snake_case("Kernel size") == "kernel_size"
    assert snake_case("L") == "l"
    assert snake_case("At the beginning of dimension 1") == "at_the_beginning_of_dimension_1"


def _default_object(card_id):
    spec = catalog.get(card_id)
    return resolve_factory(spec.factory)(**keras_arguments(spec, spec.defaults(), {})[0])


def _objects(spec):
    """The Keras objects a card gets with nothing connected: default initializers, an LSTM to wrap."""
    objects = {}
    for port in spec.connectable_inputs:
        if port.type == INITIALIZER:
            objects[port.name] = _default_object(port.default)
        elif port.type == LAYER:
            objects[port.name] = keras.layers.LSTM(4)
    return objects


def _keras_parameters(value):
    return value.get_config() if hasattr(value, "get_config") else value


@pytest.mark.parametrize(
    "spec",
    [
        spec
        for spec in catalog.all()
        if spec.kind not in ("input", "output")
    ],
    ids=lambda spec: spec.id,
)
def test_every_card_builds_its_keras_object_from_its_defaults(spec):
    factory = resolve_factory(spec.factory)
    arguments, call_arguments = keras_arguments(spec, spec.defaults(), _objects(spec))
    built = factory(**arguments)
    config = built.get_config()
    # Keras leaves an unset (None) activity regularizer out of a layer's config.
    missing = {name for name in set(arguments) - set(config) if arguments[name] is not None}
    assert not missing, f"get_config() lacks {missing}"
    if spec.kind != "layer":
        return
    inputs = [keras.Input(_sample_shape(spec)) for _ in _tensor_ports(spec)]
    output = built(*spec.call_inputs(inputs), **call_arguments)
    assert output.shape[0] is None and len(output.shape) >= 2


@pytest.mark.parametrize("spec", _our_layers(), ids=lambda spec: spec.id)
def test_every_layer_card_builds_from_its_defaults_in_a_graph(spec):
    g = CardGraph()
    with g.hold():
        card = g.add(spec.id)
        for index, port in enumerate(_tensor_ports(spec)):
            g.connect(g.add("input", shape=list(_sample_shape(spec)), key=f"input_{index}"), "data", card, port.name)
        for port in spec.connectable_inputs:
            if port.type == LAYER:
                g.connect(g.add("layer_LSTM", units=4), "layer_instance", card, port.name)
        g.connect(card, "output", g.add("output"), "data")
    assert card.error is None, card.error
    assert card.output_shapes["output"][0] is None
    assert g.model is not None


def test_keras_argument_names_that_differ_are_mapped_not_renamed():
    def arguments(card_id, **params):
        spec = catalog.get(card_id)
        return keras_arguments(spec, {**spec.defaults(), **params}, {})

    assert arguments("layer_LeakyReLU", alpha=0.2)[0] == {"negative_slope": 0.2}
    assert arguments("layer_Reshape", target_reshape=(2, -1))[0] == {"target_shape": (2, -1)}
    assert arguments("layer_Cropping1D", at_the_beginning=2, at_the_end=3)[0] == {"cropping": (2, 3)}
    crop = {"at_the_beginning_of_dimension_1": 1, "at_the_end_of_dimension_1": 2}
    crop |= {"at_the_beginning_of_dimension_2": 3, "at_the_end_of_dimension_2": 4}
    assert arguments("layer_Cropping2D", **crop)[0]["cropping"] == ((1, 2), (3, 4))
    assert arguments("layer_ZeroPadding3D")[0]["padding"] == ((1, 1), (1, 1), (1, 1))
    assert arguments("layer_LayerNormalization")[0]["axis"] == -1
    assert arguments("layer_LayerNormalization", axes=(1, 2))[0]["axis"] == (1, 2)
    assert arguments("mergeLayer2_Dot", axes=(1, 2))[0]["axes"] == (1, 2)
    assert arguments("mergeLayer2_Dot")[0]["axes"] == -1
    assert arguments("layer_Attention", causal=True) == (
        {"use_scale": False, "dropout": 0.0},
        {"use_causal_mask": True},
    )
    embedding = arguments("layer_Embedding", input_length=12)[0]
    assert "input_length" not in embedding and embedding["input_dim"] == 1000
    assert arguments("layer_Dropout")[0]["noise_shape"] is None
    assert arguments("layer_Dropout", noise_shape=(1, 1, 3))[0]["noise_shape"] == (1, 1, 3)


def test_an_empty_pool_stride_lets_keras_use_the_pool_size():
    spec = catalog.get("layer_MaxPooling2D")
    arguments = keras_arguments(spec, {**spec.defaults(), "pool_size": (3, 3)}, {})[0]
    assert arguments["strides"] is None
    assert keras.layers.MaxPooling2D(**arguments).strides == (3, 3)


def test_padding_offers_causal_only_where_keras_accepts_it():
    offers_causal = {
        spec.id
        for spec in catalog.all()
        if spec.has_port("padding") and "causal" in spec.port("padding").choice_values()
    }
    assert offers_causal == {"layer_Conv1D", "keras_Conv1D"}


def test_bidirectional_offers_only_merge_modes_that_give_one_output():
    # Keras's merge_mode=None returns two tensors; a card has one Output port.
    spec = catalog.get("layer_Bidirectional")
    assert spec.port("merge_mode").choice_values() == ("concat", "sum", "mul", "ave")
    card = CardGraph().add("layer_Bidirectional")
    with pytest.raises(ParameterError, match="expected one of 'concat', 'sum', 'mul', 'ave'. Received: merge_mode=None"):
        card.merge_mode = None


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


def test_embedding_starts_with_protopipes_glorot_uniform_not_keras_uniform():
    assert catalog.get("layer_Embedding").port("embeddings_initializer").default == "initializer_GlorotUniform"


def test_a_wrong_value_on_a_keras_3_card_names_the_card_and_the_port():
    g = CardGraph()
    normalization = g.add("layer_Normalization", key="norm")
    with pytest.raises(ParameterError, match=r"Normalization layer 'norm', port 'Variance': expected a list of one or "
                       r"more numbers of at least 0 \(or an empty list\). Received: variance=\(-1.0,\)"):
        normalization.variance = (-1.0,)
    flip = g.add("layer_RandomFlip", key="flip")
    with pytest.raises(ParameterError, match=r"Random flip layer 'flip', port 'Mode': expected one of 'horizontal_and_vertical'"):
        flip.mode = "diagonal"
    typed = g.add("keras_input", key="ids")
    with pytest.raises(ParameterError, match=r"Input \(with dtype\) 'ids', port 'Dtype': expected one of 'float32'"):
        typed.dtype = "int31"
