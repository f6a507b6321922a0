"""Keras model -> card graph: the rebuilt model has the same layers, parameters, wiring and
parameter count (and with weights=True the same predictions); whatever a card cannot
represent is one clear error naming the layer and the argument."""

import asyncio
import gc

import keras
import numpy as np
import pytest

from nncards_widget.keras_build.builder import Builder
from nncards_widget.io.keras_import import KerasImportError, from_keras
from nncards_widget.io.python_export import to_python
from nncards_widget.layout import layered_positions

L = keras.layers


# Models, shared with the export tests


def sequential_cnn():
    """Conv2D (L2 regularizer, Glorot normal initializer) -> MaxPooling2D -> Flatten -> Dropout -> Dense."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1), name="image"),
            L.Conv2D(
                6,
                5,
                activation="relu",
                kernel_regularizer=keras.regularizers.L2(1e-3),
                kernel_initializer=keras.initializers.GlorotNormal(seed=1),
                name="conv",
            ),
            L.MaxPooling2D(3, strides=2, name="pool"),
            L.Flatten(name="flat"),
            L.Dropout(0.25, name="drop"),
            L.Dense(10, activation="softmax", name="digit"),
        ],
        name="cnn",
    )


def shared_input_two_outputs():
    """One input feeding two branches, with a class output and a value output."""
    x = keras.Input((12,), name="features")
    left = L.Dense(8, activation="tanh", name="left")(x)
    right = L.Dense(4, activation="relu", name="right")(x)
    label = L.Dense(3, activation="softmax", name="label")(left)
    score = L.Dense(1, name="score")(L.Concatenate(name="both")([left, right]))
    return keras.Model(x, [label, score], name="two_heads")


def residual_add():
    """x + Dense(x): an Add merge whose inputs are an input and a layer."""
    x = keras.Input((6,), name="x")
    dense = L.Dense(6, name="dense")(x)
    return keras.Model(x, L.Add(name="sum")([dense, x]))


def wrapped_sequence():
    """TimeDistributed(Dense) -> Bidirectional(LSTM) -> causal self-attention."""
    x = keras.Input((5, 3), name="steps")
    y = L.TimeDistributed(L.Dense(4, name="per_step"), name="each_step")(x)
    y = L.Bidirectional(L.LSTM(6, return_sequences=True, name="memory"), merge_mode="sum", name="both_ways")(y)
    y = L.Attention(name="attend")([y, y], use_causal_mask=True)
    return keras.Model(x, L.GlobalAveragePooling1D(name="pool")(y))


def sequences_of_any_length():
    """An Input with an axis of any size, and Dropout sharing its mask across steps (noise_shape's None)."""
    x = keras.Input((None, 3), name="steps")
    y = L.Dropout(0.5, noise_shape=(None, 1, 3), seed=1, name="same_mask_each_step")(x)
    return keras.Model(x, L.LSTM(4, name="memory")(y))


MODELS = [sequential_cnn, shared_input_two_outputs, residual_add, wrapped_sequence, sequences_of_any_length]


def _called_on(structure) -> list[str]:
    """The layers whose outputs a serialized call (inbound node) takes, in order."""
    if isinstance(structure, dict):
        if "keras_history" in structure:
            return [structure["keras_history"][0]]
        return [name for value in structure.values() for name in _called_on(value)]
    if isinstance(structure, (list, tuple)):
        return [name for value in structure for name in _called_on(value)]
    return []


def architecture(model) -> dict:
    """Every layer's class and config (its name included) and the layers it is called on."""
    entries = model.get_config()["layers"]
    if isinstance(model, keras.Sequential):
        names = [entry["config"]["name"] for entry in entries]
        wiring = {name: [before] for before, name in zip(names, names[1:])}
    else:
        wiring = {entry["name"]: _called_on(entry["inbound_nodes"]) for entry in entries if entry["inbound_nodes"]}
    return {
        "layers": {entry["config"]["name"]: (entry["class_name"], entry["config"]) for entry in entries},
        "wiring": wiring,
    }


def _predictions(model, inputs) -> dict:
    predicted = model.predict(inputs, verbose=0)
    if isinstance(predicted, dict):
        return predicted
    if isinstance(predicted, list):
        return dict(zip(model.output_names, predicted))
    return {"only output": predicted}


def _sample(model):
    shape = tuple(5 if size is None else size for size in model.inputs[0].shape[1:])
    return np.random.default_rng(0).random((3, *shape)).astype("float32")


# Round trips


@pytest.mark.parametrize("make_model", MODELS, ids=lambda make: make.__name__)
def test_rebuilt_model_has_the_same_layers_parameters_wiring_and_count(make_model):
    model = make_model()
    graph = from_keras(model)
    assert graph.last_build.ok
    assert architecture(graph.model) == architecture(model)
    assert graph.model.count_params() == model.count_params()


@pytest.mark.parametrize("make_model", MODELS, ids=lambda make: make.__name__)
def test_weights_are_carried_so_predictions_are_identical(make_model):
    model = make_model()
    graph = from_keras(model, weights=True)
    inputs = _sample(model)
    expected, rebuilt = _predictions(model, inputs), _predictions(graph.model, inputs)
    assert rebuilt.keys() == expected.keys()
    for name in expected:
        np.testing.assert_array_equal(rebuilt[name], expected[name])


def test_without_weights_the_rebuilt_layers_start_fresh():
    model = residual_add()
    graph = from_keras(model)
    kernels = [m.get_layer("dense").get_weights()[0] for m in (graph.model, model)]
    assert not np.array_equal(*kernels)


def test_layer_names_become_keys_and_non_default_objects_get_connected_cards():
    graph = from_keras(sequential_cnn())
    assert [(card.key, card.spec.id) for card in graph.cards] == [
        ("image", "input"),
        ("conv", "layer_Conv2D"),
        ("conv_kernel_initializer", "initializer_GlorotNormal"),
        ("conv_kernel_regularizer", "regularizer_l2"),
        ("pool", "layer_MaxPooling2D"),
        ("flat", "layer_Flatten"),
        ("drop", "layer_Dropout"),
        ("digit", "layer_Dense"),
        ("output", "output"),
    ]
    conv = graph["conv"]
    assert (conv.filters, conv.kernel_size, conv.activation, conv.padding) == (6, (5, 5), "relu", "valid")
    assert graph["conv_kernel_initializer"].seed == 1
    assert graph["conv_kernel_regularizer"].l == pytest.approx(1e-3)
    assert (graph["pool"].pool_size, graph["pool"].strides) == ((3, 3), (2, 2))
    assert graph["drop"].rate == 0.25
    links = {(c.source.key, c.source_port, c.target.key, c.target_port) for c in graph.connections}
    assert ("conv_kernel_initializer", "initializer_instance", "conv", "kernel_initializer") in links
    assert ("conv_kernel_regularizer", "regularizer_instance", "conv", "kernel_regularizer") in links
    # The bias initializer is Zeros, the port's default card with default parameters: no card.
    assert graph.incoming(conv, "bias_initializer") is None


def test_input_and_output_names_are_kept():
    graph = from_keras(shared_input_two_outputs())
    assert graph["features"].spec.id == "input" and graph["features"].shape == (12,)
    outputs = [card for card in graph.cards if card.spec.id == "output"]
    assert sorted((card.name, graph.incoming(card, "data").source.key) for card in outputs) == [
        ("label", "label"),
        ("score", "score"),
    ]
    assert graph.model.inputs[0].name == "features"
    assert sorted(graph.model.output_names) == ["label", "score"]


def test_a_merge_keeps_which_tensor_is_input_a_and_which_is_input_b():
    graph = from_keras(residual_add())
    sum_card = graph["sum"]
    assert graph.incoming(sum_card, "input_a").source.key == "dense"
    assert graph.incoming(sum_card, "input_b").source.key == "x"


def test_wrappers_get_their_inner_layer_card_and_attention_its_causal_mask():
    graph = from_keras(wrapped_sequence())
    links = {(c.source.key, c.source_port, c.target.key, c.target_port) for c in graph.connections}
    assert ("per_step", "layer_instance", "each_step", "layer") in links
    assert ("memory", "layer_instance", "both_ways", "layer") in links
    assert graph["memory"].spec.id == "layer_LSTM" and graph["memory"].return_sequences is True
    assert graph["both_ways"].merge_mode == "sum"
    assert graph["attend"].causal is True


def nested_models():
    """x -> Sequential "block" (Dense) -> functional "inner" (Add, Subtract of its two inputs) with z -> Multiply."""
    pair = [keras.Input((4,)), keras.Input((4,))]
    inner = keras.Model(pair, [L.Add(name="plus")(pair), L.Subtract(name="minus")(pair)], name="inner")
    block = keras.Sequential([keras.Input((4,)), L.Dense(4, name="squeeze")], name="block")
    x, z = keras.Input((4,), name="x"), keras.Input((4,), name="z")
    plus, minus = inner([block(x), z])
    return keras.Model([x, z], L.Multiply(name="times")([plus, minus]), name="nested")


def nested_within_nested():
    """A functional "encoder" holding a Sequential "stem" (itself holding a Sequential "core") and a Dense;
    then a Sequential "head" after it, beside a Dense fed by the encoder's middle."""
    core = keras.Sequential([keras.Input((6,)), L.Dense(6, activation="relu", name="core_dense")], name="core")
    stem = keras.Sequential([keras.Input((8,)), L.Dense(6, name="stem_dense"), core, L.Dropout(0.1, name="stem_drop")], name="stem")
    features = keras.Input((8,), name="features")
    middle = stem(features)
    encoder = keras.Model(features, [L.Dense(5, activation="tanh", name="code")(middle), middle], name="encoder")
    head = keras.Sequential([keras.Input((5,)), L.Dense(3, name="head_dense"), L.Softmax(name="head_softmax")], name="head")
    x = keras.Input((8,), name="x")
    code, middle = encoder(x)
    return keras.Model(x, {"class": head(code), "side": L.Dense(2, name="side")(middle)}, name="outer")


def nested_inputs_used_out_of_order():
    """A functional model whose layers use its second input first, called on tensors of two shapes."""
    a, b = keras.Input((4,), name="wide"), keras.Input((3,), name="narrow")
    inner = keras.Model([a, b], L.Concatenate(name="joined")([L.Dense(2, name="from_narrow")(b), a]), name="swap")
    x, z = keras.Input((4,), name="x"), keras.Input((3,), name="z")
    return keras.Model([x, z], inner([x, z]), name="outer")


def layer_names(model):
    """[class, name] of each layer, and of the layers of each nested model under it."""
    return [
        [type(layer).__name__, layer.name] + ([layer_names(layer)] if isinstance(layer, keras.Model) else [])
        for layer in model.layers
    ]


def nested_ends(model):
    """The shapes of each nested model's inputs and outputs, in order, by name (nested ones too)."""
    ends = {}
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            ends[layer.name] = ([tuple(t.shape) for t in layer.inputs], [tuple(t.shape) for t in layer.outputs])
            ends.update(nested_ends(layer))
    return ends


def _inputs_of(model):
    rng = np.random.default_rng(0)
    samples = [rng.random((3, *tensor.shape[1:])).astype("float32") for tensor in model.inputs]
    return samples[0] if len(samples) == 1 else samples


@pytest.mark.parametrize(
    "make_model", [nested_models, nested_within_nested, nested_inputs_used_out_of_order], ids=lambda make: make.__name__
)
def test_nested_models_rebuild_nested_with_their_classes_names_weights_and_predictions(make_model):
    model = make_model()
    graph = from_keras(model, weights=True)
    rebuilt = graph.model
    assert layer_names(rebuilt) == layer_names(model)
    assert nested_ends(rebuilt) == nested_ends(model)
    assert rebuilt.count_params() == model.count_params()
    inputs = _inputs_of(model)
    expected, got = model.predict(inputs, verbose=0), rebuilt.predict(inputs, verbose=0)
    for name in expected if isinstance(expected, dict) else [None]:
        np.testing.assert_allclose(got[name] if name else got, expected[name] if name else expected, atol=1e-6)


def test_the_cards_of_nested_models_stay_flat_and_each_is_recorded_with_its_model():
    graph = from_keras(nested_models())
    assert {card.key for card in graph.cards if card.spec.kind == "layer"} == {"squeeze", "plus", "minus", "times"}
    assert graph.incoming(graph["plus"], "input_a").source.key == "squeeze"
    assert graph.incoming(graph["minus"], "input_b").source.key == "z"
    assert [(g.model_class, g.name, g.members, g.parent) for g in graph.groups.values()] == [
        ("Sequential", "block", ("squeeze",), None),
        ("Functional", "inner", ("plus", "minus"), None),
    ]
    nested = from_keras(nested_within_nested())
    assert {name: group.parent for name, group in nested.groups.items()} == {
        "encoder": None, "stem": "encoder", "core": "stem", "head": None
    }
    assert nested.groups["stem"].members == ("stem_dense", "stem_drop")


def test_an_edited_member_card_rebuilds_inside_its_nested_model():
    model = nested_within_nested()
    graph = from_keras(model)
    graph["core_dense"].units = 7
    graph["code"].units = 9
    assert layer_names(graph.model) == layer_names(model)
    core = graph.model.get_layer("encoder").get_layer("stem").get_layer("core")
    assert core.output_shape == (None, 7) and graph.model.get_layer("head").input_shape == (None, 9)


def test_a_member_card_removed_leaves_its_nested_model():
    model = nested_within_nested()
    graph = from_keras(model)
    with graph.hold():
        graph.remove(graph["stem_drop"])
        for target in ("code", "side"):
            graph.connect(graph["core_dense"], "output", graph[target], "input")
    assert graph.groups["stem"].members == ("stem_dense",)
    stem = graph.model.get_layer("encoder").get_layer("stem")
    assert [layer.name for layer in stem.layers] == ["stem_dense", "core"]
    with graph.hold():
        graph.remove(graph["core_dense"])
        for target in ("code", "side"):
            graph.connect(graph["stem_dense"], "output", graph[target], "input")
    assert "core" not in graph.groups
    assert [layer.name for layer in graph.model.get_layer("encoder").get_layer("stem").layers] == ["stem_dense"]


def test_nested_models_survive_a_document_round_trip():
    from nncards_widget import from_document, to_document

    model = nested_within_nested()
    loaded = from_document(to_document(from_keras(model)))
    assert dict(loaded.groups) == dict(from_keras(model).groups)
    assert layer_names(loaded.model) == layer_names(model)


def test_import_builds_the_graph_once(monkeypatch):
    builds = []
    original = Builder.build
    monkeypatch.setattr(Builder, "build", lambda self, *args: builds.append(1) or original(self, *args))
    from_keras(wrapped_sequence())
    assert len(builds) == 1


def test_import_calls_the_layers_its_check_made_instead_of_making_each_again(monkeypatch):
    made = []
    original = L.Dense.__init__
    monkeypatch.setattr(L.Dense, "__init__", lambda self, *args, **kwargs: made.append(1) or original(self, *args, **kwargs))
    model = shared_input_two_outputs()
    made.clear()
    graph = from_keras(model)
    assert len(made) == 4  # one for each of the four Dense layers: the check's, which the build then calls
    assert graph.keras_object(graph["left"]).get_config() == model.get_layer("left").get_config()


def test_an_imported_card_edited_is_built_into_a_new_layer():
    graph = from_keras(sequential_cnn())
    imported = graph.keras_object(graph["digit"])
    graph["digit"].units = 7
    assert graph.keras_object(graph["digit"]) is not imported
    assert graph.model.output_shape == (None, 7)


def test_a_prepared_layer_must_be_a_layer_cards_and_carry_its_name(seed_graph):
    dense = seed_graph["dense"]
    with pytest.raises(ValueError, match="expected a layer named 'dense'. Received"):
        seed_graph.offer_prepared({dense: L.Dense(10, name="other")})
    zeros = seed_graph.add("initializer_Zeros")
    with pytest.raises(ValueError, match="only a layer card that wraps no layer takes a prepared layer"):
        seed_graph.offer_prepared({zeros: keras.initializers.Zeros()})


def test_in_a_kernel_import_collects_its_garbage_once_idle_leaving_no_collection_for_the_next_cell():
    collections = []

    def record(phase, info):
        if phase == "stop":
            collections.append(info["generation"])

    async def cell_then_idle():
        collections.clear()
        from_keras(model)
        after_cell = list(collections)
        await asyncio.sleep(0)
        return after_cell

    model = sequential_cnn()
    gc.callbacks.append(record)
    try:
        after_cell = asyncio.run(cell_then_idle())
    finally:
        gc.callbacks.remove(record)
    # No full collection while importing (the collector is paused), one as soon as the loop is idle.
    assert 2 not in after_cell and 2 in collections[len(after_cell):]
    assert gc.isenabled()


def test_imported_cards_are_laid_out_once_their_shapes_are_known():
    graph = from_keras(sequential_cnn())
    assert {card: card.position for card in graph.cards} == layered_positions(graph.cards, graph.connections)
    assert len({card.position for card in graph.cards}) == len(graph.cards)


# What cannot be represented


class Echo(L.Layer):
    def call(self, inputs):
        return inputs


def _sequential(*layers, shape=(8,), **input_options):
    return keras.Sequential([keras.Input(shape, **input_options), *layers])


@pytest.mark.parametrize(
    "make_model, expected",
    [
        (
            lambda: _sequential(L.EinsumDense("ab,bc->ac", output_shape=3, name="einsum")),
            "Layer 'einsum' (EinsumDense) has no card; nncards_widget has layer cards for: Activation, ",
        ),
        (lambda: _sequential(Echo(name="echo")), "Layer 'echo' (Echo) has no card"),
        (
            lambda: _sequential(L.Dense(3, activation="hard_silu", name="d")),
            "Layer 'd' (Dense): argument 'activation' is 'hard_silu', which the Dense layer card cannot represent "
            "(port 'Activation' expects one of 'linear', 'relu',",
        ),
        (
            lambda: _sequential(L.LayerNormalization(rms_scaling=True, name="norm")),
            "Layer 'norm' (LayerNormalization): the Layer normalization layer card cannot represent "
            "rms_scaling=True (it builds rms_scaling=False).",
        ),
        (
            lambda: _sequential(L.Dense(3, trainable=False, name="d")),
            "Layer 'd' (Dense): the Dense layer card cannot represent trainable=False (it builds trainable=True).",
        ),
        (
            # Keras's own Identity: the Identity card makes this package's, which keeps its gain in files.
            lambda: _sequential(L.Dense(3, kernel_initializer=keras.initializers.Identity(), name="d")),
            "Layer 'd' (Dense), argument 'kernel_initializer' (Identity) has no card; nncards_widget has "
            "initializer cards for: Constant, GlorotNormal,",
        ),
        (
            lambda: _sequential(
                L.Dense(3, kernel_initializer=keras.initializers.GlorotUniform(seed=3, output_axes=[1]), name="d")
            ),
            "Layer 'd' (Dense), argument 'kernel_initializer' (GlorotUniform): the Glorot uniform initializer card "
            "cannot represent output_axes=[1]",
        ),
        (
            lambda: _sequential(L.Dropout(0.2, seed=-1, name="drop"), shape=(4, 3)),
            "Layer 'drop' (Dropout): argument 'seed' is -1, which the Dropout layer card cannot represent "
            "(port 'Seed' expects an integer of at least 0 (or None to leave it unset)).",
        ),
        (
            lambda: _sequential(L.Dense(3), batch_size=4, name="batch"),
            "Input 'batch': the Input (with dtype) card cannot represent batch_shape=(4, 8) "
            "(it builds batch_shape=(None, 8)).",
        ),
        (
            lambda: _sequential(L.Dense(3, name="1st")),
            "Layer '1st': Card names start with a letter or _",
        ),
    ],
    ids=[
        "layer without card",
        "custom layer",
        "activation not among the choices",
        "argument without a port",
        "frozen layer",
        "initializer without card",
        "initializer argument without a port",
        "value outside the port's range",
        "input with a fixed batch size",
        "name that cannot be a card key",
    ],
)
def test_what_a_card_cannot_represent_is_an_error_naming_layer_and_argument(make_model, expected):
    with pytest.raises(KerasImportError) as refused:
        from_keras(make_model())
    assert expected in str(refused.value)


def test_a_shared_layer_is_an_error_not_one_card():
    x = keras.Input((8,))
    shared = L.Dense(8, name="shared")
    model = keras.Model(x, shared(shared(x)), name="twice")
    expected = r"Layer 'shared' \(Dense\) is called 2 times in model 'twice': a shared layer cannot be one card"
    with pytest.raises(KerasImportError, match=expected):
        from_keras(model)


@pytest.mark.parametrize(
    "make_model, expected",
    [
        (
            lambda: (lambda x: keras.Model(x, L.Concatenate(name="cat")([x, x, x])))(keras.Input((4,), name="x")),
            "Layer 'cat' (Concatenate): its card's list port 'Inputs' takes each tensor once; the model passes "
            "x 3 times.",
        ),
        (
            lambda: (lambda q, v: keras.Model([q, v], L.Attention(name="att")([q, v])))(
                keras.Input((5, 4), name="q"), keras.Input((5, 4), name="v")
            ),
            "Layer 'att' (Attention): its card calls it on [x, x] (self-attention: one tensor as query and value); "
            "the model calls it on [q, v].",
        ),
        (
            lambda: (lambda x: keras.Model(x, L.Dropout(0.5, name="drop")(x, training=True)))(keras.Input((4,))),
            "Layer 'drop' (Dropout) is called with training=True, which a card cannot pass.",
        ),
    ],
    ids=["one tensor thrice in a merge", "attention across two tensors", "call argument"],
)
def test_a_call_the_card_cannot_make_is_an_error(make_model, expected):
    with pytest.raises(KerasImportError) as refused:
        from_keras(make_model())
    assert expected in str(refused.value)


def test_models_without_readable_wiring_are_refused():
    with pytest.raises(KerasImportError, match=r"Sequential model 'later' has no input shape yet"):
        from_keras(keras.Sequential([L.Dense(2)], name="later"))

    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__(name="custom")
            self.dense = L.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    model = Subclassed()
    model(np.ones((1, 3)))
    with pytest.raises(KerasImportError, match=r"Model 'custom' \(Subclassed\) is a subclassed keras.Model"):
        from_keras(model)
    with pytest.raises(TypeError, match="from_keras expects a keras.Model. Received: Dense"):
        from_keras(L.Dense(2))


# keras.applications, built without weights: one group, a few seconds each.


class TestKerasApplications:
    @pytest.mark.parametrize("name", ["ResNet50", "MobileNetV2", "DenseNet121"])
    def test_imports_with_the_same_layers_wiring_and_parameter_count(self, name):
        model = getattr(keras.applications, name)(weights=None)
        graph = from_keras(model)
        assert graph.model.count_params() == model.count_params()
        assert architecture(graph.model) == architecture(model)


def test_a_functional_dropout_imports_although_keras_records_training_false():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dropout(0.25, name="drop")(inputs))
    graph = from_keras(model)
    assert graph["drop"].rate == 0.25 and graph.model.count_params() == 0


def test_integer_ids_come_in_as_an_input_card_with_its_dtype():
    words = keras.Input((6,), dtype="int32", name="words")
    model = keras.Model(words, L.Embedding(10, 3, name="vectors")(words))
    graph = from_keras(model, weights=True)
    assert graph["words"].spec.id == "keras_input" and graph["words"].dtype == "int32"
    assert graph.model.inputs[0].dtype == "int32"
    ids = np.array([[1, 2, 3, 4, 5, 9]], dtype="int32")
    np.testing.assert_allclose(graph.model.predict(ids, verbose=0), model.predict(ids, verbose=0))
    assert "keras.Input(shape=(6,), dtype='int32', name='words')" in to_python(graph)


def test_a_float_input_stays_protopipes_input_card():
    x = keras.Input((4,), name="features")
    assert from_keras(keras.Model(x, L.Dense(3)(x)))["features"].spec.id == "input"


def test_what_protopipes_card_lacks_comes_in_as_the_keras_3_card_of_the_class():
    image = keras.Input((8, 8, 4), name="image")
    grouped = L.Conv2D(4, 3, groups=2, name="grouped")(image)
    swished = L.Activation("hard_silu", name="swished")(grouped)
    pooled = L.GlobalAveragePooling2D(keepdims=True, name="pooled")(swished)
    plain = L.GlobalAveragePooling2D(name="plain")(swished)
    model = keras.Model(image, [pooled, plain])
    graph = from_keras(model, weights=True)
    assert [graph[key].spec.id for key in ("grouped", "swished", "pooled", "plain")] == [
        "keras_Conv2D",
        "keras_Activation",
        "keras_GlobalAveragePooling2D",
        "layer_GlobalAveragePooling2D",
    ]
    assert graph["grouped"].groups == 2 and graph["pooled"].keepdims
    batch = np.random.default_rng(1).normal(size=(2, 8, 8, 4)).astype("float32")
    ours = graph.model.predict(batch, verbose=0)
    for name, theirs in zip(("pooled", "plain"), model.predict(batch, verbose=0)):
        np.testing.assert_allclose(ours[name], theirs, atol=1e-6)
