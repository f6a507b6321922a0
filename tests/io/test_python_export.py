"""Card graph -> Python: the code, run, builds the graph's model (same layers, parameters, wiring,
count) and reads like hand-written functional-API Keras; a graph without a model is refused."""

import keras
import pytest
from test_keras_import import MODELS, architecture, nested_models, nested_within_nested, shared_input_two_outputs, wrapped_sequence

from nncards_widget import CardGraph
from nncards_widget.io.keras_import import from_keras
from nncards_widget.io.python_export import ExportError, to_python


def _run(code: str):
    namespace = {}
    exec(compile(code, "<exported>", "exec"), namespace)
    return namespace["model"]


def _assert_same_model(graph):
    model = _run(to_python(graph))
    assert architecture(model) == architecture(graph.model)
    assert model.count_params() == graph.model.count_params()
    return model


def test_the_seed_graph_exports_to_code_that_builds_the_same_model(seed_graph):
    model = _assert_same_model(seed_graph)
    assert model.inputs[0].name == "image" and model.output_shape == (None, 10)


@pytest.mark.parametrize("make_model", MODELS, ids=lambda make: make.__name__)
def test_imported_graphs_export_to_code_that_builds_the_same_model(make_model):
    _assert_same_model(from_keras(make_model()))


def _flat_layers(model, top=True) -> list:
    """The names of a model's layers and of its nested models' layers (not their inputs), in place of them."""
    names = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            names += _flat_layers(layer, top=False)
        elif top or not isinstance(layer, keras.layers.InputLayer):
            names.append(layer.name)
    return names


@pytest.mark.parametrize("make_model", [nested_models, nested_within_nested], ids=lambda make: make.__name__)
def test_nested_models_are_written_flat_with_the_same_layers_and_parameter_count(make_model):
    graph = from_keras(make_model())
    model = _run(to_python(graph))
    assert not any(isinstance(layer, keras.Model) for layer in model.layers)
    assert sorted(layer.name for layer in model.layers) == sorted(_flat_layers(graph.model))
    assert model.count_params() == graph.model.count_params()


def test_code_is_functional_keras_with_our_layers_imported_and_only_arguments_that_matter(seed_graph):
    assert to_python(seed_graph) == (
        "import keras\n"
        "from nncards_widget.layers import LocallyConnected2D\n"
        "\n"
        "input_1 = keras.Input(shape=(28, 28, 1), name='image')\n"
        "locally_connected_2d = LocallyConnected2D("
        "filters=3, kernel_size=(5, 5), name='locally_connected_2d')(input_1)\n"
        "flatten = keras.layers.Flatten(name='flatten')(locally_connected_2d)\n"
        "dense = keras.layers.Dense(units=10, activation='softmax', name='dense')(flatten)\n"
        "\n"
        "model = keras.Model(inputs=input_1, outputs=dense)\n"
    )


def test_object_cards_become_keras_objects_inline_or_shared_through_a_variable():
    g = CardGraph()
    with g.hold():
        x = g.add("input", shape=[8], key="x")
        seeded = g.add("initializer_GlorotNormal", seed=3, key="seeded")
        penalty = g.add("regularizer_l1_l2", l1=0.01, key="penalty")
        norm = g.add("constraint_MaxNorm", max_value=3.0, key="norm")
        first = g.add("layer_Dense", units=4, key="first")
        second = g.add("layer_Dense", units=2, key="second")
        g.connect(x, "data", first, "input")
        g.connect(first, "output", second, "input")
        g.connect(seeded, "initializer_instance", first, "kernel_initializer")
        g.connect(seeded, "initializer_instance", second, "kernel_initializer")
        g.connect(penalty, "regularizer_instance", first, "kernel_regularizer")
        g.connect(norm, "constraint_instance", second, "bias_constraint")
        g.connect(second, "output", g.add("output"), "data")
    code = to_python(g)
    assert "seeded = keras.initializers.GlorotNormal(seed=3)\n" in code
    assert (
        "first = keras.layers.Dense(units=4, kernel_initializer=seeded, "
        "kernel_regularizer=keras.regularizers.L1L2(l1=0.01), name='first')(x)\n" in code
    )
    assert "bias_constraint=keras.constraints.MaxNorm(max_value=3.0)" in code
    _assert_same_model(g)


def test_a_card_default_that_differs_from_keras_default_is_written():
    # The Embedding card starts its vectors with Glorot uniform; Keras alone would use RandomUniform.
    g = CardGraph()
    with g.hold():
        words = g.add("input", shape=[5], key="words")
        embed = g.add("layer_Embedding", input_dim=50, output_dim=4, key="embed")
        g.connect(words, "data", embed, "input")
        g.connect(embed, "output", g.add("output"), "data")
    code = to_python(g)
    assert "embeddings_initializer=keras.initializers.GlorotUniform()" in code
    _assert_same_model(g)


def test_wrappers_wrap_their_layer_and_attention_gets_x_x_and_its_causal_mask():
    code = to_python(from_keras(wrapped_sequence()))
    assert (
        "each_step = keras.layers.TimeDistributed(layer=keras.layers.Dense(units=4, name='per_step'), "
        "name='each_step')(steps)\n" in code
    )
    assert "keras.layers.Bidirectional(layer=keras.layers.LSTM(units=6, return_sequences=True, name='memory')" in code
    assert "attend = keras.layers.Attention(name='attend')([both_ways, both_ways], use_causal_mask=True)\n" in code


def test_merges_are_called_with_a_list_and_several_outputs_make_a_dict():
    code = to_python(from_keras(shared_input_two_outputs()))
    assert "both = keras.layers.Concatenate(name='both')([left, right])\n" in code
    assert "model = keras.Model(inputs=features, outputs={'label': label, 'score': score})\n" in code


def test_keys_that_are_not_python_names_become_valid_distinct_variables():
    g = CardGraph()
    with g.hold():
        x = g.add("input", shape=[4], key="lambda")
        a = g.add("layer_Dense", units=3, key="conv-1.a")
        b = g.add("layer_Dense", units=3, key="conv_1_a")
        g.connect(x, "data", a, "input")
        g.connect(a, "output", b, "input")
        g.connect(b, "output", g.add("output"), "data")
    code = to_python(g)
    assert "lambda_ = keras.Input(shape=(4,), name='lambda')\n" in code
    assert "conv_1_a = keras.layers.Dense(units=3, name='conv-1.a')(lambda_)\n" in code
    assert "conv_1_a_1 = keras.layers.Dense(units=3, name='conv_1_a')(conv_1_a)\n" in code
    _assert_same_model(g)


def test_a_graph_without_output_or_with_errors_is_refused(seed_graph):
    g = CardGraph()
    g.add("input", shape=[4])
    with pytest.raises(ExportError, match="The graph has no Output card"):
        to_python(g)
    g.add("output")
    with pytest.raises(ExportError, match=r"The graph makes no model: Output 'output': port 'Data' is not connected\.$"):
        to_python(g)
    merge = g.add("mergeLayer2_Add", key="merge")
    g.connect(g["input"], "data", merge, "input_a")
    g.connect(merge, "output", g["output"], "data")
    with pytest.raises(ExportError, match=r"The graph makes no model: Add layer \(2 inputs\) 'merge': port 'Input B' is not connected\.$"):
        to_python(g)
    seed_graph["locally_connected_2d"].kernel_size = [40, 40]
    expected = "The graph has errors, so it makes no model: Locally connected 2D layer 'locally_connected_2d': kernel"
    with pytest.raises(ExportError, match=expected):
        to_python(seed_graph)


# keras.applications, built without weights: one group, a few seconds each.


class TestKerasApplications:
    @pytest.mark.parametrize("name", ["ResNet50", "MobileNetV2"])
    def test_imported_application_exports_to_code_that_builds_the_same_model(self, name):
        model = getattr(keras.applications, name)(weights=None)
        exported = _assert_same_model(from_keras(model))
        assert exported.count_params() == model.count_params()


def _keras_3_model():
    """An int32 input, merges of three, multi-head attention on two tensors, x + y and x * c operations."""
    L = keras.layers
    ids = keras.Input((6,), dtype="int32", name="ids")
    steps = L.Embedding(20, 8, name="embed")(ids)
    a, b, c = (L.Dense(8, name=f"branch_{index}")(steps) for index in range(3))
    joined = L.Concatenate(name="joined")([a, b, c])
    summed = L.Add(name="summed")([a, b, c])
    attended = L.MultiHeadAttention(2, 4, name="attention")(summed, a)
    mixed = (attended + summed) * 0.5
    pooled = L.GlobalAveragePooling1D(keepdims=True, name="pooled")(mixed)
    return keras.Model(ids, [L.Flatten(name="flat")(pooled), joined])


def test_keras_3_cards_export_to_code_that_builds_the_same_model():
    graph = from_keras(_keras_3_model())
    kinds = {card.key: card.spec.id for card in graph.cards}
    assert kinds["ids"] == "keras_input" and kinds["joined"] == "keras_Concatenate" and kinds["summed"] == "keras_Add"
    assert kinds["attention"] == "layer_MultiHeadAttention" and kinds["pooled"] == "keras_GlobalAveragePooling1D"
    assert {"ops_Add", "ops_MultiplyNumber"} <= set(kinds.values())
    code = to_python(graph)
    assert "keras.layers.Concatenate(name='joined')([branch_0, branch_1, branch_2])" in code
    assert "(summed, branch_0)" in code and "x2=0.5" in code
    _assert_same_model(graph)


def test_training_settings_other_than_the_defaults_are_written_as_a_compile_line(seed_graph):
    assert "compile" not in to_python(seed_graph)
    seed_graph.compile(optimizer="sgd", learning_rate=0.1, momentum=0.9, nesterov=True, clipnorm=1.0,
                       loss="sparse_categorical_crossentropy", from_logits=True, metrics=["accuracy"])
    code = to_python(seed_graph)
    assert code.endswith(
        "model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True, clipnorm=1.0), "
        "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=['accuracy'])\n"
    )
    model = _run(code)
    assert isinstance(model.optimizer, keras.optimizers.SGD) and model.optimizer.nesterov
    assert model.loss.get_config()["from_logits"]
