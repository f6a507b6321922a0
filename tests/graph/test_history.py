"""Undo and redo of every kind of edit, from Python or the canvas alike."""

import numpy as np
import pytest

from nncards_widget import CardGraph, to_document
from nncards_widget.graph import History


@pytest.fixture
def graph():
    return CardGraph(auto_build=False)


def snapshot(graph):
    return to_document(graph)


def test_every_kind_of_edit_undoes_and_redoes(graph):
    history = History(graph)
    states = [snapshot(graph)]
    x = graph.add("input", shape=[4])
    states.append(snapshot(graph))
    dense = graph.add("layer_Dense")
    states.append(snapshot(graph))
    graph.connect(x, "data", dense, "input")
    states.append(snapshot(graph))
    dense.units = 7
    states.append(snapshot(graph))
    dense.position = (50.0, 60.0)
    states.append(snapshot(graph))
    graph.disconnect(x, "data", dense, "input")
    states.append(snapshot(graph))
    graph.connect(x, "data", dense, "input")
    graph.remove(x)
    states.append(snapshot(graph))
    for expected in reversed(states[:-1]):
        assert history.undo()
        if snapshot(graph) != expected:  # connect + remove were two steps
            assert history.undo()
        assert snapshot(graph) == expected
    assert not history.undo()
    while history.redo():
        pass
    assert snapshot(graph) == states[-1]


def test_edits_in_one_hold_are_one_step(graph):
    history = History(graph)
    with graph.hold():
        x, dense = graph.add("input"), graph.add("layer_Dense")
        graph.connect(x, "data", dense, "input")
    assert history.undo() and len(graph) == 0
    assert history.redo() and len(graph.connections) == 1


def test_undo_of_remove_brings_back_the_same_card_and_its_connections(graph):
    history = History(graph)
    x, dense = graph.add("input"), graph.add("layer_Dense")
    graph.connect(x, "data", dense, "input")
    graph.remove(dense)
    history.undo()
    assert graph["dense"] is dense and graph.incoming(dense, "input").source is x
    dense.units = 3  # observed again
    history.undo()
    assert dense.units == 32


def test_a_new_edit_clears_redo(graph):
    history = History(graph)
    dense = graph.add("layer_Dense")
    dense.units = 5
    history.undo()
    assert history.can_redo
    dense.units = 6
    assert not history.can_redo


def test_replace_with_a_loaded_graph_is_undoable(graph):
    history = History(graph)
    graph.add("layer_Dense", key="mine")
    other = CardGraph(auto_build=False)
    other.add("layer_Flatten", key="theirs")
    graph.replace_with(other)
    assert [c.key for c in graph.cards] == ["theirs"] and len(other) == 0
    graph["theirs"].data_format = "channels_first"
    history.undo()
    history.undo()
    assert [c.key for c in graph.cards] == ["mine"]
    history.redo()
    assert [c.key for c in graph.cards] == ["theirs"]


def test_moving_a_card_without_parameters_is_a_move_not_a_parameter_edit(graph):
    history = History(graph)
    add = graph.add("mergeLayer2_Add")
    edits = []
    graph.on_edit(edits.append)
    add.position = (5.0, 5.0)
    assert [edit.kind for edit in edits] == ["move"]
    history.undo()
    assert add.position == (0.0, 0.0)


def test_undo_puts_a_list_connection_back_at_its_place(graph, list_merge):
    history = History(graph)
    a, b, c = (graph.add("input", key=key) for key in "abc")
    merge = graph.add(list_merge, key="merge")
    for source in (a, b, c):
        graph.connect(source, "data", merge, "inputs")
    graph.disconnect(b, "data", merge, "inputs")
    graph.remove(a)
    history.undo()
    history.undo()
    assert [connection.source for connection in graph.incoming_list(merge, "inputs")] == [a, b, c]
    history.redo()
    assert [connection.source for connection in graph.incoming_list(merge, "inputs")] == [a, c]


def _trained_chain():
    """Input -> Dense 'dense' -> Dense 'head' -> Output, the Dense weights set as training would."""
    g = CardGraph()
    with g.hold():
        x, dense, head = g.add("input", shape=[3]), g.add("layer_Dense", key="dense", units=4), g.add("layer_Dense", key="head", units=2)
        g.connect(x, "data", dense, "input")
        g.connect(dense, "output", head, "input")
        g.connect(head, "output", g.add("output"), "data")
    for layer in (g.keras_object(dense), g.keras_object(head)):
        layer.set_weights([np.full(w.shape, 0.5) for w in layer.get_weights()])
    return g


def _values(layer):
    return [w.copy() for w in layer.get_weights()]


def test_undo_of_a_filters_change_brings_back_the_layer_with_its_trained_weights():
    g = _trained_chain()
    history = History(g)
    dense, head = g["dense"], g["head"]
    old_dense, old_head = g.keras_object(dense), g.keras_object(head)
    trained = _values(old_dense)
    dense.units = 6
    new_dense = g.keras_object(dense)
    assert new_dense is not old_dense and g.keras_object(head) is not old_head
    new_dense.set_weights([np.full(w.shape, -1.0) for w in new_dense.get_weights()])
    history.undo()
    assert g.keras_object(dense) is old_dense and g.keras_object(head) is old_head
    for now, before in zip(g.keras_object(dense).get_weights(), trained):
        np.testing.assert_array_equal(now, before)
    history.redo()
    assert g.keras_object(dense) is new_dense and np.all(new_dense.get_weights()[0] == -1.0)


def test_undo_of_removing_a_card_brings_back_its_layer():
    g = _trained_chain()
    history = History(g)
    head = g["head"]
    layer = g.keras_object(head)
    g.remove(head)
    history.undo()
    assert g.keras_object(head) is layer and np.all(layer.get_weights()[0] == 0.5)


def test_undo_keeps_layers_for_its_latest_steps_up_to_its_weights_limit():
    g = _trained_chain()
    history = History(g, weights_limit=200)
    dense = g["dense"]
    first = g.keras_object(dense)
    dense.units = 5
    second = g.keras_object(dense)
    dense.units = 6
    history.undo()
    assert g.keras_object(dense) is second, "the latest step kept its layers (128 bytes)"
    history.undo()
    assert dense.units == 4 and g.keras_object(dense) is not first, "the oldest step gave its layer up"
