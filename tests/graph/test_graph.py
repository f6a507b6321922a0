"""Cards and connections: every edit is validated before anything changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncards_widget import CardGraph, ConnectionRefused, ParameterError, catalog
from nncards_widget.graph import card_class
from nncards_widget.graph.params import coerce


@pytest.fixture
def graph():
    return CardGraph(auto_build=False)


def test_parameters_are_traitlets_that_fire_observe(graph):
    dense = graph.add("layer_Dense", units=8)
    seen = []
    dense.observe(lambda change: seen.append((change["name"], change["old"], change["new"])), names=["units"])
    dense.units = 16
    assert seen == [("units", 8, 16)]
    assert dense.units == 16


def test_every_trait_carries_its_port_help(graph):
    lc = graph.add("layer_LocallyConnected2D")
    for port in lc.spec.scalar_inputs:
        assert lc.traits()[port.name].help == port.help != ""


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("filters", 0, "expected a positive integer. Received: filters=0"),
        ("filters", 2.5, "expected a positive integer. Received: filters=2.5"),
        ("filters", True, "expected a positive integer. Received: filters=True"),
        ("kernel_size", [5], "expected a list of 2 positive integers. Received: kernel_size=[5]"),
        ("kernel_size", "5, 5", "expected a list of 2 positive integers. Received: kernel_size='5, 5'"),
        ("data_format", "channels_middle", "expected one of 'channels_last', 'channels_first'."),
        ("use_bias", "yes", "expected True or False. Received: use_bias='yes'"),
    ],
)
def test_a_refused_value_names_card_port_received_and_expected(graph, name, value, expected):
    lc = graph.add("layer_LocallyConnected2D", key="lc")
    before = lc.params
    with pytest.raises(ParameterError) as refused:
        setattr(lc, name, value)
    assert "Locally connected 2D layer 'lc'" in str(refused.value)
    assert expected in str(refused.value)
    assert lc.params == before


def test_lists_are_stored_as_tuples_so_every_change_is_an_assignment(graph):
    lc = graph.add("layer_LocallyConnected2D", kernel_size=[5, 5])
    assert lc.kernel_size == (5, 5)


def test_add_refuses_unknown_cards_and_parameters_and_leaves_graph_unchanged(graph):
    with pytest.raises(KeyError, match="Unknown card 'layer_Nope'"):
        graph.add("layer_Nope")
    with pytest.raises(TypeError, match="has no parameter 'unit'"):
        graph.add("layer_Dense", unit=3)
    with pytest.raises(ParameterError, match="units=-1"):
        graph.add("layer_Dense", units=-1)
    assert len(graph) == 0


def test_keys_are_unique_and_keras_like(graph):
    first, second = graph.add("layer_Dense"), graph.add("layer_Dense")
    lc = graph.add("layer_LocallyConnected2D")
    assert (first.key, second.key, lc.key) == ("dense", "dense_1", "locally_connected_2d")
    with pytest.raises(ValueError, match="already in the graph"):
        graph.add("layer_Dense", key="dense")
    with pytest.raises(ValueError, match="Card names start with a letter"):
        graph.add("layer_Dense", key="../etc")


def test_connect_checks_types_and_names_both_cards_and_ports(graph):
    x = graph.add("input", key="x")
    dense = graph.add("layer_Dense", key="d")
    with pytest.raises(ConnectionRefused) as refused:
        graph.connect(x, "data", dense, "kernel_initializer")
    message = str(refused.value)
    assert "Input 'x' port 'Data'" in message and "Dense layer 'd' port 'Kernel initializer'" in message
    assert "'Data' gives a tensor, 'Kernel initializer' takes an initializer." in message
    assert graph.connections == ()


def test_an_input_takes_one_connection(graph):
    a, b = graph.add("input"), graph.add("input")
    dense = graph.add("layer_Dense")
    graph.connect(a, "data", dense, "input")
    with pytest.raises(ConnectionRefused, match="already connected to Input 'input'"):
        graph.connect(b, "data", dense, "input")
    assert len(graph.connections) == 1


def test_tensor_outputs_fan_out(graph):
    x = graph.add("input")
    first, second = graph.add("layer_Dense"), graph.add("layer_Dense")
    graph.connect(x, "data", first, "input")
    graph.connect(x, "data", second, "input")
    assert len(graph.outgoing(x)) == 2


def test_upstream_is_the_cards_and_all_that_feed_them_through_any_port(graph):
    x, init = graph.add("input"), graph.add("initializer_Zeros")
    first, second, aside = graph.add("layer_Dense"), graph.add("layer_Dense"), graph.add("layer_Dense")
    graph.connect(x, "data", first, "input")
    graph.connect(init, "initializer_instance", first, "kernel_initializer")
    graph.connect(first, "output", second, "input")
    graph.connect(x, "data", aside, "input")
    assert graph.upstream([second]) == {x, init, first, second}
    assert graph.upstream([first, aside]) == {x, init, first, aside}
    assert graph.upstream([x]) == {x} and graph.upstream([]) == set()


def test_a_shape_takes_none_for_an_axis_of_any_size_where_its_port_says_so(graph):
    x = graph.add("input", shape=[None, 16])
    assert x.shape == (None, 16)
    drop = graph.add("layer_Dropout", noise_shape=(None, 1, 16))
    assert drop.noise_shape == (None, 1, 16)
    pooling = graph.add("layer_MaxPooling2D")
    with pytest.raises(ParameterError, match=r"expected a list of 2 positive integers\. Received: pool_size=\(None, 2\)"):
        pooling.pool_size = (None, 2)
    with pytest.raises(
        ParameterError,
        match=r"Input 'input', port 'Shape': expected a list of one or more positive integers or None\. Received: shape=\(None, 0\)",
    ):
        x.shape = (None, 0)
    assert x.shape == (None, 16)


def test_cycles_are_refused(graph):
    a, b, c = (graph.add("layer_Dense") for _ in range(3))
    graph.connect(a, "output", b, "input")
    graph.connect(b, "output", c, "input")
    with pytest.raises(ConnectionRefused, match="cycle"):
        graph.connect(c, "output", a, "input")
    with pytest.raises(ConnectionRefused, match="cycle"):
        graph.connect(a, "output", a, "input")
    assert len(graph.connections) == 2


def test_unknown_ports_and_scalar_ports_are_refused_with_the_ports_that_exist(graph):
    x, dense = graph.add("input"), graph.add("layer_Dense")
    with pytest.raises(ConnectionRefused, match="has no input port 'inputs'.*input"):
        graph.connect(x, "data", dense, "inputs")
    with pytest.raises(ConnectionRefused, match=r"'Units' is a parameter \(a whole number\): set it on the card"):
        graph.connect(x, "data", dense, "units")
    with pytest.raises(ConnectionRefused, match="has no output port 'output'"):
        graph.connect(x, "output", dense, "input")


def test_cards_of_another_graph_are_refused(graph):
    other = CardGraph(auto_build=False)
    x, dense = other.add("input"), graph.add("layer_Dense")
    with pytest.raises(ValueError, match="is not a card of this graph"):
        graph.connect(x, "data", dense, "input")


def test_disconnect_and_remove(graph):
    x, dense, y = graph.add("input"), graph.add("layer_Dense"), graph.add("output")
    graph.connect(x, "data", dense, "input")
    graph.connect(dense, "output", y, "data")
    graph.disconnect(x, "data", dense, "input")
    assert graph.incoming(dense, "input") is None
    with pytest.raises(ValueError, match="No connection"):
        graph.disconnect(x, "data", dense, "input")
    graph.remove(dense)
    assert dense not in graph and graph.connections == ()
    revision = graph.revision
    dense.units = 3  # a removed card no longer edits the graph
    assert graph.revision == revision


def test_hold_makes_many_edits_one_revision(graph):
    start = graph.revision
    with graph.hold():
        x, dense = graph.add("input"), graph.add("layer_Dense")
        graph.connect(x, "data", dense, "input")
        dense.units = 4
    assert graph.revision == start + 1


def test_moving_a_card_is_an_edit_that_views_see(graph):
    dense = graph.add("layer_Dense", position=(10, 20))
    start = graph.revision
    dense.position = (30.0, 40.0)
    assert graph.revision == start + 1 and dense.position == (30.0, 40.0)


ALL_SCALAR_PORTS = [
    (spec.id, port) for spec in catalog.all() for port in spec.scalar_inputs
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_SCALAR_PORTS), st.one_of(
    st.none(), st.booleans(), st.integers(-5, 70), st.floats(allow_nan=True), st.text(max_size=12),
    st.lists(st.one_of(st.integers(-2, 9), st.none()), max_size=4), st.sampled_from(["relu", "same", "channels_first", "sum", "fan_out"]),
))
def test_any_value_is_either_stored_as_validated_or_refused_leaving_the_card_unchanged(case, value):
    card_id, port = case
    card = CardGraph(auto_build=False).add(card_id)
    before = getattr(card, port.name)
    try:
        stored = coerce(port, value)
    except ValueError:
        with pytest.raises(ParameterError):
            setattr(card, port.name, value)
        assert getattr(card, port.name) == before
        return
    setattr(card, port.name, value)
    assert getattr(card, port.name) == stored
    assert coerce(port, stored) == stored


def test_a_list_port_of_tensors_takes_many_connections_in_the_order_they_were_made(graph, list_merge):
    a, b, c = (graph.add("input", key=key) for key in "abc")
    merge = graph.add(list_merge, key="merge")
    for source in (a, c, b):
        graph.connect(source, "data", merge, "inputs")
    assert [connection.source for connection in graph.incoming_list(merge, "inputs")] == [a, c, b]
    graph.disconnect(c, "data", merge, "inputs")
    assert [connection.source for connection in graph.incoming_list(merge, "inputs")] == [a, b]
    assert graph.incoming_list(merge, "axis") == () and graph.incoming_list(a, "data") == ()


def test_a_list_port_refuses_the_same_output_twice(graph, list_merge):
    x = graph.add("input", key="x")
    merge = graph.add(list_merge, key="merge")
    graph.connect(x, "data", merge, "inputs")
    with pytest.raises(ConnectionRefused, match="'Inputs' already takes this output; a list port takes each output once"):
        graph.connect(x, "data", merge, "inputs")
    assert len(graph.connections) == 1


def test_incoming_of_a_list_port_points_to_incoming_list(graph, list_merge):
    merge = graph.add(list_merge, key="merge")
    with pytest.raises(ValueError, match=r"port 'Inputs' takes a list of connections: use incoming_list\(card, 'inputs'\)"):
        graph.incoming(merge, "inputs")
    dense = graph.add("layer_Dense")
    assert graph.incoming_list(dense, "input") == ()


POOL = ("input", "layer_Dense", "layer_TimeDistributed", "initializer_Zeros", "regularizer_l2", "output", "list_merge")


def _random_graph(draw, list_merge) -> CardGraph:
    """A graph of cards drawn from POOL with connections attempted at random: forward, backward, refused."""
    graph = CardGraph(auto_build=False)
    for card_id in draw(st.lists(st.sampled_from(POOL), min_size=2, max_size=9)):
        graph.add(list_merge if card_id == "list_merge" else card_id)
    ports = [(card, port.name) for card in graph.cards for port in card.spec.outputs]
    for _ in range(draw(st.integers(0, 14)) if ports else 0):
        source, source_port = draw(st.sampled_from(ports))
        target = draw(st.sampled_from(graph.cards))
        inputs = [port.name for port in target.spec.connectable_inputs]
        if inputs:
            try:
                graph.connect(source, source_port, target, draw(st.sampled_from(inputs)))
            except ConnectionRefused:
                pass
    return graph


def _accepted(graph, source, source_port, target, target_port) -> bool:
    try:
        graph.check_connection(source, source_port, target, target_port)
    except ConnectionRefused:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_connectable_ports_are_exactly_the_connections_connect_accepts(list_merge, data):
    graph = _random_graph(data.draw, list_merge)
    for card in graph.cards:
        for port in card.spec.connectable_inputs + card.spec.outputs:
            if port.direction == "out":
                expected = {(other, p.name) for other in graph.cards for p in other.spec.connectable_inputs
                            if _accepted(graph, card, port.name, other, p.name)}
            else:
                expected = {(other, p.name) for other in graph.cards for p in other.spec.outputs
                            if _accepted(graph, other, p.name, card, port.name)}
            assert set(graph.connectable_ports(card, port.name)) == expected, (card, port.name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_ranks_orders_and_upstream_agree_with_the_connections_after_any_edits(list_merge, data):
    graph = _random_graph(data.draw, list_merge)
    for card in data.draw(st.lists(st.sampled_from(graph.cards), max_size=2, unique=True)):
        graph.remove(card)
    order = graph.topological_order()
    assert sorted(order, key=id) == sorted(graph.cards, key=id)
    for connection in graph.connections:
        assert graph.rank(connection.source) < graph.rank(connection.target)
        assert order.index(connection.source) < order.index(connection.target)
    for card in graph.cards:
        feeding, grown = {card}, True
        while grown:
            before = len(feeding)
            feeding |= {c.source for c in graph.connections if c.target in feeding}
            grown = len(feeding) > before
        assert graph.upstream([card]) == feeding


def test_connect_many_checks_cycles_once_and_names_the_cards_of_one(graph):
    a, b, c, d = (graph.add("layer_Dense", key=key) for key in "abcd")
    merge = graph.add("mergeLayer2_Add", key="m")
    graph.connect_many([(c, "output", d, "input"), (b, "output", c, "input"), (merge, "output", b, "input"),
                        (a, "output", merge, "input_a")])
    assert [card.key for card in graph.topological_order()] == ["a", "m", "b", "c", "d"]
    before = graph.connections
    with pytest.raises(ConnectionRefused, match="would make a cycle: ") as refused:
        graph.connect_many([(a, "layer_instance", graph.add("layer_TimeDistributed", key="w"), "layer"),
                            (d, "output", merge, "input_b")])
    cycle = [card.key for card in refused.value.cycle]
    assert sorted(cycle) == ["b", "c", "d", "m"] and " -> ".join(cycle + cycle[:1]) in str(refused.value)
    assert graph.connections == before


def test_connect_many_names_the_link_at_fault(graph):
    x, dense = graph.add("input", key="x"), graph.add("layer_Dense", key="d")
    with pytest.raises(ConnectionRefused, match="'Input' is already connected to Input 'x' port 'Data'") as refused:
        graph.connect_many([(x, "data", dense, "input"), (x, "data", dense, "input")])
    assert refused.value.index == 1 and graph.connections == ()


def test_new_keys_take_the_smallest_free_number(graph):
    cards = [graph.add("layer_Dense") for _ in range(4)]
    assert [card.key for card in cards] == ["dense", "dense_1", "dense_2", "dense_3"]
    graph.remove(cards[1])
    assert graph.add("layer_Dense").key == "dense_1" and graph.add("layer_Dense").key == "dense_4"


def test_a_card_put_in_directly_gets_its_key_checked(graph):
    with pytest.raises(ValueError, match="Card names start with a letter"):
        graph.insert(card_class("layer_Dense")("<img src=x onerror=alert(1)>"))
    assert len(graph) == 0


@pytest.mark.parametrize("value", [{5, 3}, iter([5, 5]), (size for size in (5, 5)), {"a": 5, "b": 5}])
def test_a_list_port_takes_only_ordered_sequences(graph, value):
    lc = graph.add("layer_LocallyConnected2D", key="lc")
    with pytest.raises(ParameterError, match=r"expected a list of 2 positive integers\. Received: kernel_size="):
        lc.kernel_size = value
    assert lc.kernel_size == (3, 3)
