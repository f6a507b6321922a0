"""Nested models recorded by a graph: validated where they enter, following removals, undone and redone."""

import re

import pytest

from nncards_widget import CardGraph, Group, GroupError, from_document, to_document


@pytest.fixture
def graph():
    g = CardGraph(auto_build=False)
    x = g.add("input", key="x", shape=[4])
    previous = x
    for key in ("a", "b", "c"):
        card = g.add("layer_Dense", key=key, units=4)
        g.connect(previous, "output" if previous is not x else "data", card, "input")
        previous = card
    g.connect(previous, "output", g.add("output", key="y"), "data")
    return g


def test_groups_are_recorded_with_each_card_s_group(graph):
    outer = Group("Functional", "outer", ("a",))
    inner = Group("Sequential", "inner", ("b", "c"), parent="outer")
    graph.set_groups([outer, inner])
    assert dict(graph.groups) == {"outer": outer, "inner": inner}
    assert graph.group_of(graph["b"]) is inner and graph.group_of(graph["x"]) is None
    with pytest.raises(TypeError):
        graph.groups["other"] = outer


@pytest.mark.parametrize(
    "groups, message",
    [
        ([Group("Sequential", "g", ("nope",))], "nested Sequential model 'g': no card named 'nope' in the graph"),
        ([Group("Sequential", "g", ("x",))], "card 'x' is Input card; a nested model holds layer cards"),
        ([Group("Sequential", "g", ("a",)), Group("Functional", "h", ("a",))], "card 'a' is in nested model 'g' already"),
        ([Group("Sequential", "g", ("a", "a"))], "card 'a' is in it already"),
        ([Group("Sequential", "g", ("a",), parent="h")], "its parent 'h' is not a nested model of the graph"),
        (
            [Group("Sequential", "g", ("a",), parent="h"), Group("Sequential", "h", ("b",), parent="g")],
            "Nested models hold each other: g -> h -> g",
        ),
        ([Group("Sequential", "g", ("a",)), Group("Sequential", "g", ("b",))], "Two nested models are named 'g'"),
        ([Group("Sequential", "a", ("b",))], "a card is named 'a' too"),
        ([Group("Subclassed", "g", ("a",))], "expected a class among ('Sequential', 'Functional'). Received: 'Subclassed'"),
        ([Group("Sequential", "g b", ("a",))], "Received: name='g b'"),
        ([Group("Sequential", "g")], "nested Sequential model 'g' holds no card"),
        ([Group("Sequential", "g", ("a",), outputs=["a"])], "expected a tuple of texts. Received: outputs=['a']"),
    ],
)
def test_refused_groups_name_the_group_and_the_card_and_change_nothing(graph, groups, message):
    kept = Group("Functional", "kept", ("c",))
    graph.set_groups([kept])
    with pytest.raises(GroupError, match=re.escape(message)):
        graph.set_groups(groups)
    assert dict(graph.groups) == {"kept": kept}


def test_a_card_cannot_take_a_nested_model_s_name(graph):
    graph.set_groups([Group("Sequential", "block", ("a",))])
    with pytest.raises(ValueError, match="'block' is the name of a nested model"):
        graph.add("layer_Dense", key="block")
    assert graph.add("layer_Dense", key=None).key == "dense"


def test_removing_a_member_takes_it_out_of_its_group_and_an_emptied_group_goes(graph):
    graph.set_groups([Group("Functional", "outer", ()), Group("Sequential", "inner", ("a", "b"), parent="outer")])
    graph.remove(graph["a"])
    assert graph.groups["inner"].members == ("b",)
    graph.remove(graph["b"])
    assert dict(graph.groups) == {}


def test_undo_of_a_removal_puts_the_card_back_in_its_group(graph):
    history = graph.history
    groups = {"inner": Group("Sequential", "inner", ("a", "b"))}
    graph.set_groups(groups.values())
    graph.remove(graph["b"])
    assert history.undo()
    assert dict(graph.groups) == groups and graph.group_of(graph["b"]) == groups["inner"]
    assert history.redo()
    assert graph.groups["inner"].members == ("a",) and "b" not in {card.key for card in graph.cards}


def test_setting_groups_is_one_undo_step(graph):
    history = graph.history
    graph.set_groups([Group("Sequential", "inner", ("a",))])
    graph.set_groups([])
    assert history.undo() and list(graph.groups) == ["inner"]
    assert history.undo() and list(graph.groups) == []
    assert history.redo() and list(graph.groups) == ["inner"]


def test_replacing_a_graph_takes_its_groups_and_undo_gives_the_old_ones_back(graph):
    history = graph.history
    graph.set_groups([Group("Sequential", "mine", ("a",))])
    other = from_document(to_document(graph))
    other.set_groups([Group("Functional", "theirs", ("b", "c"))])
    graph.replace_with(other)
    assert list(graph.groups) == ["theirs"]
    assert history.undo() and list(graph.groups) == ["mine"]
