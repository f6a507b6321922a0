"""The live Keras build: shapes, parameter counts, errors a student understands,
the last good model, wrapped layers, and incremental rebuilds."""

import keras
import numpy as np
import pytest

from nncards_widget import CardGraph
from nncards_widget.layers import LocallyConnected2D


def test_seed_network_gets_shapes_counts_and_a_model(seed_graph):
    lc, flat, head, out = (seed_graph[key] for key in ("locally_connected_2d", "flatten", "dense", "output"))
    assert seed_graph["input"].output_shapes == {"data": (None, 28, 28, 1)}
    assert lc.output_shapes == {"output": (None, 24, 24, 3)}
    assert flat.output_shapes == {"output": (None, 1728)}
    assert head.output_shapes == {"output": (None, 10)}
    assert out.output_shapes == {"data": (None, 10)}
    assert lc.param_count == 24 * 24 * (5 * 5 * 1 * 3 + 3)
    assert head.param_count == 1728 * 10 + 10
    model = seed_graph.model
    assert isinstance(model, keras.Model) and seed_graph.last_build.ok
    assert isinstance(model.get_layer("locally_connected_2d"), LocallyConnected2D)
    assert model.count_params() == lc.param_count + head.param_count
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 10)
    assert model.inputs[0].name == "image"


def test_unconnected_initializer_ports_use_their_default_cards_and_connected_ones_are_used():
    g = CardGraph()
    x = g.add("input", shape=[4])
    dense = g.add("layer_Dense", units=2)
    g.connect(x, "data", dense, "input")
    layer = g.last_build.model or _layer(g, dense)
    assert isinstance(layer.kernel_initializer, keras.initializers.GlorotUniform)
    assert isinstance(layer.bias_initializer, keras.initializers.Zeros)
    normal = g.add("initializer_GlorotNormal", seed=7)
    l2 = g.add("regularizer_l2", l=0.5)
    g.connect(normal, "initializer_instance", dense, "kernel_initializer")
    g.connect(l2, "regularizer_instance", dense, "kernel_regularizer")
    layer = _layer(g, dense)
    assert isinstance(layer.kernel_initializer, keras.initializers.GlorotNormal)
    assert layer.kernel_initializer.seed == 7
    assert float(layer.kernel_regularizer.l2) == pytest.approx(0.5)


def _layer(graph, card):
    return graph.keras_object(card)


def test_shapes_appear_before_there_is_an_output_card():
    g = CardGraph()
    x = g.add("input", shape=[28, 28, 1])
    lc = g.add("layer_LocallyConnected2D", filters=3, kernel_size=[5, 5])
    g.connect(x, "data", lc, "input")
    assert lc.output_shapes == {"output": (None, 24, 24, 3)}
    assert g.model is None and g.last_build.model is None


def test_kernel_larger_than_input_is_explained_and_nothing_downstream_has_a_shape(seed_graph):
    good_model = seed_graph.model
    lc, flat, head = seed_graph["locally_connected_2d"], seed_graph["flatten"], seed_graph["dense"]
    lc.kernel_size = (40, 40)
    assert lc.error == "kernel 40x40 is larger than the 28x28 input (port 'Kernel size'); use a smaller size or padding 'same'"
    assert lc.output_shapes == {} and flat.output_shapes == {} and head.output_shapes == {}
    assert head.error is None and "waiting for locally_connected_2d" in seed_graph.last_build.notes["dense"]
    assert "Locally connected 2D layer 'locally_connected_2d': kernel 40x40" in seed_graph.last_build.errors["locally_connected_2d"]
    assert seed_graph.model is good_model, "the last good model stays"
    lc.kernel_size = (3, 3)
    assert lc.error is None and head.output_shapes == {"output": (None, 10)}
    assert seed_graph.model is not good_model


def test_a_broken_branch_does_not_stop_the_others():
    g = CardGraph()
    x = g.add("input", shape=[8, 8, 2])
    broken = g.add("layer_LocallyConnected2D", kernel_size=[9, 9])
    fine = g.add("layer_Flatten")
    head = g.add("layer_Dense", units=3)
    y = g.add("output")
    for source, target in ((x, broken), (x, fine), (fine, head)):
        g.connect(source, "output" if source is not x else "data", target, "input")
    g.connect(head, "output", y, "data")
    assert broken.error.startswith("kernel 9x9 is larger than the 8x8 input")
    assert head.output_shapes == {"output": (None, 3)}
    assert g.model is not None and g.model.output_shape == (None, 3)


def test_wrong_rank_is_explained():
    g = CardGraph()
    x = g.add("input", shape=[784])
    lc = g.add("layer_LocallyConnected2D")
    g.connect(x, "data", lc, "input")
    assert lc.error == "expects an input with 4 axes (batch included); the input has 2: (None, 784)"


def test_keras_errors_become_the_cards_message():
    g = CardGraph()
    x = g.add("input", shape=[4])
    dense = g.add("layer_Dense", units=2)
    constraint = g.add("constraint_MaxNorm", axes=[5])
    g.connect(x, "data", dense, "input")
    g.connect(constraint, "constraint_instance", dense, "kernel_constraint")
    assert dense.error is None, "a constraint's axis is only used while training"
    assert dense.output_shapes == {"output": (None, 2)}


def test_layer_instance_to_wrapper_wraps_that_very_layer():
    g = CardGraph()
    x = g.add("input", shape=[5, 4])
    inner = g.add("layer_Dense", units=3)
    wrapper = g.add("layer_TimeDistributed")
    y = g.add("output")
    g.connect(inner, "layer_instance", wrapper, "layer")
    g.connect(x, "data", wrapper, "input")
    g.connect(wrapper, "output", y, "data")
    assert wrapper.output_shapes == {"output": (None, 5, 3)}
    wrapped = _layer(g, wrapper)
    assert wrapped.layer is _layer(g, inner)
    assert inner.param_count == 4 * 3 + 3 and wrapper.param_count == inner.param_count
    assert inner.error is None and inner.output_shapes == {}
    inner.units = 6
    assert wrapper.output_shapes == {"output": (None, 5, 6)}
    assert _layer(g, wrapper).layer is _layer(g, inner)


def test_an_edit_rebuilds_only_the_edited_card_and_what_is_downstream(seed_graph):
    seed_graph["dense"].units = 4
    assert seed_graph.last_build.rebuilt == ("dense", "output")
    seed_graph["locally_connected_2d"].filters = 2
    assert seed_graph.last_build.rebuilt == ("locally_connected_2d", "flatten", "dense", "output")
    last = seed_graph.last_build
    seed_graph["dense"].position = (100.0, 0.0)
    assert seed_graph.last_build is last, "moving a card is not a build"


def test_trained_weights_upstream_of_an_edit_survive_it(seed_graph):
    model = seed_graph.model
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    images = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
    labels = keras.utils.to_categorical(np.arange(8) % 10, 10)
    body = model.get_layer("locally_connected_2d")
    initial = [w.copy() for w in body.get_weights()]
    model.train_on_batch(images, labels)
    trained = [w.copy() for w in body.get_weights()]
    assert any(not np.array_equal(a, b) for a, b in zip(initial, trained))

    seed_graph["dense"].units = 5
    new_model = seed_graph.model
    assert new_model is not model and new_model.output_shape == (None, 5)
    assert new_model.get_layer("locally_connected_2d") is body
    for before, after in zip(trained, body.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_a_downstream_layer_with_an_unchanged_input_shape_keeps_its_weights(seed_graph):
    head = _layer(seed_graph, seed_graph["dense"])
    seed_graph["locally_connected_2d"].activation = "relu"
    assert _layer(seed_graph, seed_graph["dense"]) is head
    seed_graph["locally_connected_2d"].filters = 4
    assert _layer(seed_graph, seed_graph["dense"]) is not head, "a new input size needs new weights"


def test_two_inputs_merge_into_a_model_with_named_inputs_and_outputs():
    g = CardGraph()
    a, b = g.add("input", name="left", shape=[3]), g.add("input", name="right", shape=[3])
    add = g.add("mergeLayer2_Add")
    dense = g.add("layer_Dense", units=2)
    y1, y2 = g.add("output", name="sum"), g.add("output", name="score")
    g.connect(a, "data", add, "input_a")
    g.connect(b, "data", add, "input_b")
    g.connect(add, "output", dense, "input")
    g.connect(add, "output", y1, "data")
    g.connect(dense, "output", y2, "data")
    model = g.model
    assert [t.name for t in model.inputs] == ["left", "right"]
    prediction = model.predict({"left": np.ones((1, 3)), "right": np.ones((1, 3))}, verbose=0)
    assert set(prediction) == {"sum", "score"}
    np.testing.assert_allclose(prediction["sum"], 2 * np.ones((1, 3)))


def test_unconnected_output_keeps_the_last_model_and_says_why(seed_graph):
    model = seed_graph.model
    seed_graph.disconnect(seed_graph["dense"], "output", seed_graph["output"], "data")
    assert seed_graph.model is model and seed_graph.last_build.model is None
    assert seed_graph.last_build.notes["output"] == "port 'Data' is not connected"


def test_a_card_fed_by_an_unfinished_card_says_which_one_and_why():
    g = CardGraph()
    first, second, y = g.add("layer_Dense", key="first"), g.add("layer_Dense", key="second"), g.add("output")
    assert g.last_build.notes["second"] == "port 'Input' is not connected"
    g.connect(first, "output", second, "input")
    assert g.last_build.notes["second"] == "waiting for first, whose port 'Input' is not connected"
    g.connect(second, "output", y, "data")
    assert g.last_build.notes["output"] == "waiting for first, whose port 'Input' is not connected"
    x = g.add("input", shape=[4])
    g.connect(x, "data", first, "input")
    assert g.last_build.notes == {} and y.output_shapes == {"data": (None, 32)}


def test_why_no_model_names_only_the_causes_upstream_of_the_outputs():
    g = CardGraph()
    x = g.add("input", shape=[4])
    assert g.last_build.why_no_model is None, "no Output card: nothing is missing yet"
    y = g.add("output")
    assert g.last_build.why_no_model == "Output 'output': port 'Data' is not connected"
    merge, head = g.add("mergeLayer2_Add", key="merge"), g.add("layer_Dense", key="head", units=2)
    g.connect(x, "data", merge, "input_a")
    g.connect(merge, "output", head, "input")
    g.connect(head, "output", y, "data")
    g.add("layer_Dense", key="elsewhere")
    assert g.last_build.why_no_model == "Add layer (2 inputs) 'merge': port 'Input B' is not connected"
    g.connect(x, "data", merge, "input_b")
    assert g.last_build.why_no_model is None and g.last_build.model is not None
    g.connect(head, "output", g.add("layer_Reshape", key="reshape", target_reshape=[3, 3]), "input")
    assert g["reshape"].error and g.last_build.why_no_model is None, "the broken card feeds no Output"
    g.disconnect(head, "output", y, "data")
    g.connect(g["reshape"], "output", y, "data")
    assert g.last_build.why_no_model == f"Reshape layer 'reshape': {g['reshape'].error.rstrip('.')}"


def test_a_layer_that_needs_the_size_of_an_axis_of_any_size_says_so():
    g = CardGraph()
    x = g.add("input", shape=[None, 8])
    flat, head = g.add("layer_Flatten"), g.add("layer_Dense", units=3)
    g.connect(x, "data", flat, "input")
    g.connect(flat, "output", head, "input")
    assert flat.output_shapes == {"output": (None, None)}
    assert head.error == (
        "its weight 'kernel' would have shape (None, 3), which depends on an axis of the input (None, None) "
        "that has any size (None); give that axis a size on the Input card"
    )
    conv = g.add("layer_Conv1D")
    g.connect(g.add("input", shape=[5, None]), "data", conv, "input")
    assert conv.error.endswith(
        "(the input (None, 5, None) has an axis of any size, None, which this layer may need to know; "
        "give it a size on the Input card)"
    )
    memory = g.add("layer_LSTM", units=4)
    g.connect(x, "data", memory, "input")
    assert memory.error is None and memory.output_shapes == {"output": (None, 4)}
    x.shape = (6, 8)
    assert head.error is None and head.output_shapes == {"output": (None, 3)}


def test_duplicate_names_are_reported_not_raised():
    g = CardGraph()
    a, b = g.add("input", name="x", shape=[2]), g.add("input", name="x", shape=[2])
    add, y = g.add("mergeLayer2_Add"), g.add("output")
    g.connect(a, "data", add, "input_a")
    g.connect(b, "data", add, "input_b")
    g.connect(add, "output", y, "data")
    assert g.model is None and "x" in g.last_build.model_error


def test_a_list_merge_receives_its_tensors_in_the_order_they_were_connected(list_merge):
    g = CardGraph()
    inputs = {key: g.add("input", key=key, name=key, shape=[size]) for key, size in (("one", 1), ("two", 2), ("three", 3))}
    merge, y = g.add(list_merge, key="merge"), g.add("output")
    g.connect(merge, "output", y, "data")
    assert g.last_build.notes["merge"] == "port 'Inputs' is not connected"
    for key in ("one", "three", "two"):
        g.connect(inputs[key], "data", merge, "inputs")
    assert merge.output_shapes == {"output": (None, 6)}
    feed = {key: np.full((1, int(card.shape[0])), value, dtype="float32")
            for (key, card), value in zip(inputs.items(), (1, 2, 3))}
    np.testing.assert_array_equal(g.model.predict(feed, verbose=0), [[1, 3, 3, 3, 2, 2]])
    g.disconnect(inputs["three"], "data", merge, "inputs")
    assert merge.output_shapes == {"output": (None, 3)}
    del feed["three"]
    np.testing.assert_array_equal(g.model.predict(feed, verbose=0), [[1, 2, 2]])


def _chain(length: int) -> CardGraph:
    g = CardGraph()
    with g.hold():
        previous, port = g.add("input", shape=[4]), "data"
        for index in range(length):
            dense = g.add("layer_Dense", key=f"d{index}", units=4)
            g.connect(previous, port, dense, "input")
            previous, port = dense, "output"
        g.connect(previous, port, g.add("output", key="y"), "data")
    return g


@pytest.fixture
def visited(monkeypatch):
    """The keys of the cards each build looks at."""
    from nncards_widget.keras_build.builder import Builder

    seen = []
    original = Builder._update
    monkeypatch.setattr(Builder, "_update", lambda self, graph, card, state: seen.append(card.key) or original(self, graph, card, state))
    return seen


def test_a_build_looks_only_at_what_the_edits_touched_and_what_lies_downstream(visited):
    g = _chain(30)
    visited.clear()
    g.build()
    assert visited == [] and g.last_build.rebuilt == ()
    g["d29"].units = 5
    assert visited == ["d29", "y"]
    visited.clear()
    g["d27"].activation = "relu"
    assert visited == ["d27", "d28", "d29", "y"], "each called again on the new tensor"
    visited.clear()
    g["d0"].position = (5.0, 5.0)
    assert visited == []


def test_the_model_is_assembled_when_first_asked_for(monkeypatch):
    g = _chain(3)
    made = []
    original = keras.Model.__init__
    monkeypatch.setattr(keras.Model, "__init__", lambda self, *args, **kwargs: made.append(1) or original(self, *args, **kwargs))
    for units in (5, 6, 7):
        g["d2"].units = units
    assert made == []
    assert g.model.output_shape == (None, 7) and g.last_build.model is g.model and g.last_build.ok
    assert made == [1]
    g.build()
    assert g.model is g.last_build.model and made == [1], "nothing changed: the same model"


def test_a_chain_deeper_than_pythons_recursion_limit_makes_a_model():
    import sys

    depth = sys.getrecursionlimit() + 100
    g = CardGraph()
    with g.hold():
        previous, port = g.add("input", shape=[4]), "data"
        for _ in range(depth):
            activation = g.add("layer_Activation")
            g.connect(previous, port, activation, "input")
            previous, port = activation, "output"
        g.connect(previous, port, g.add("output"), "data")
    assert g.last_build.model_error is None and len(g.model.layers) == depth + 1
    assert sys.getrecursionlimit() == depth - 100, "the limit is raised only while the model is made"


def test_a_build_result_held_gives_its_own_model_after_later_edits():
    g = _chain(2)
    held = g.build()
    g["d1"].units = 9
    g["d1"].units = 3
    assert held.model.output_shape == (None, 4) and g.model.output_shape == (None, 3)


def test_the_last_good_model_is_the_last_good_builds_though_never_asked_for():
    g = _chain(2)
    g["d1"].units = 9
    g.disconnect(g["d1"], "output", g["y"], "data")
    assert g.last_build.model is None and g.model.output_shape == (None, 9)


def test_two_outputs_with_one_name_are_refused_naming_both_cards():
    g = _chain(1)
    other = g.add("output", key="z", name="y")
    g.connect(g["d0"], "output", other, "data")
    assert g["y"].error == "its name 'y' is also the name of Output 'z'; each Output card needs a name of its own (port 'Name')"
    assert other.error == "its name 'y' is also the name of Output 'y'; each Output card needs a name of its own (port 'Name')"
    assert g.model is not None and g.last_build.model is None
    assert "Output 'y': its name 'y' is also the name of Output 'z'" in g.last_build.why_no_model
    other.name = "second"
    assert g["y"].error is None and other.error is None
    assert set(g.model.predict(np.ones((1, 4)), verbose=0)) == {"y", "second"}
