"""Saving and loading graphs: exact round trips, and one clear error for any bad document."""

import json

import pytest

from port_values import other_value
from nncards_widget import CardGraph, DocumentError, Group, catalog, from_document, load, save, to_document


def _graph_of_every_card_with_changed_parameters() -> CardGraph:
    g = CardGraph(auto_build=False)
    for index, spec in enumerate(catalog.all()):
        params = {port.name: other_value(port) for port in spec.scalar_inputs}
        g.add(spec.id, position=(index * 10.5, -index / 3), **params)
    return g


def test_every_card_with_non_default_parameters_round_trips_exactly(tmp_path):
    g = _graph_of_every_card_with_changed_parameters()
    document = to_document(g)
    assert document["format"] == "nncards_widget.graph" and document["version"] == 1
    assert to_document(from_document(document)) == document
    save(g, tmp_path / "all.json")
    loaded = load(tmp_path / "all.json")
    assert to_document(loaded) == document
    for card, again in zip(g.cards, loaded.cards):
        assert (again.key, again.spec, again.params, again.position) == (card.key, card.spec, card.params, card.position)
        for port in card.spec.scalar_inputs:
            assert getattr(card, port.name) != port.default or port.default is None


def test_connections_and_built_shapes_survive_save_and_load(seed_graph, tmp_path):
    save(seed_graph, tmp_path / "seed.json")
    loaded = load(tmp_path / "seed.json")
    assert [(c.source.key, c.source_port, c.target.key, c.target_port) for c in loaded.connections] == [
        (c.source.key, c.source_port, c.target.key, c.target_port) for c in seed_graph.connections
    ]
    assert loaded["locally_connected_2d"].output_shapes == {"output": (None, 24, 24, 3)}
    assert loaded.model is not None and loaded.model.output_shape == (None, 10)


def test_cards_saved_without_a_position_are_placed_and_the_others_kept(seed_graph):
    document = _seed_document(seed_graph)
    for entry in document["cards"]:
        del entry["position"]
    loaded = from_document(document)
    assert loaded["input"].position[0] < loaded["locally_connected_2d"].position[0] < loaded["flatten"].position[0]
    assert len({card.position for card in loaded.cards}) == len(loaded.cards)
    document = _seed_document(loaded)
    document["cards"][0]["position"] = [-2000.0, 500.0]
    del document["cards"][1]["position"]
    again = from_document(document)
    assert again["input"].position == (-2000.0, 500.0)
    assert [card.position for card in again.cards[2:]] == [card.position for card in loaded.cards[2:]]
    assert again["locally_connected_2d"].position[0] > -2000.0, "placed right of the Input that feeds it"


def _seed_document(seed_graph):
    return json.loads(json.dumps(to_document(seed_graph)))


@pytest.mark.parametrize(
    "break_it, expected",
    [
        (lambda d: d.update(format="something else"), "document.format: expected 'nncards_widget.graph'"),
        (lambda d: d.update(version=3), "made by a newer nncards_widget (version 3)"),
        (lambda d: d.update(groups=[]), "document.groups: nested models came with version 2; this document says version 1"),
        (
            lambda d: d.update(version=2, groups=[{"name": "block", "class": "Sequential", "members": ["ghost"]}]),
            "document.groups: nested Sequential model 'block': no card named 'ghost' in the graph",
        ),
        (
            lambda d: d.update(version=2, groups=[{"name": "block", "class": "Sequential", "members": "dense"}]),
            "groups[0].members: expected a list of texts. Received: 'dense'",
        ),
        (
            lambda d: d.update(version=2, groups=[{"name": "block", "class": "Sequential", "members": [], "code": 1}]),
            "groups[0]: unknown fields ['code']",
        ),
        (lambda d: d.update(version="1"), "document.version: expected an integer"),
        (lambda d: d.update(cards={}), "document.cards: expected a list"),
        (lambda d: d["cards"][1].update(card="layer_Nope"), "cards[1].card: Unknown card 'layer_Nope'"),
        (lambda d: d["cards"][1].update(card="os.system"), "cards[1].card: Unknown card 'os.system'"),
        (lambda d: d["cards"][1]["params"].update(filters=0), "expected a positive integer. Received: filters=0"),
        (lambda d: d["cards"][1]["params"].update(filtres=3), "has no parameter 'filtres'"),
        (lambda d: d["cards"][1].update(position=[0, "x"]), "cards[1].position: expected [x, y]"),
        (lambda d: d["cards"][1].update(factory="keras.layers.Dense"), "cards[1]: unknown fields ['factory']"),
        (lambda d: d["cards"][2].update(key="input"), "cards[2] ('input'): A card named 'input' is already"),
        (lambda d: d["cards"][2].pop("key"), "cards[2]: missing 'key'"),
        (lambda d: d["connections"][0].update(target="ghost"), "connections[0].target: no card named 'ghost'"),
        (
            lambda d: d["connections"][0].update(target_port="kernel_initializer"),
            "connections[0]: Cannot connect Input 'input' port 'Data' to Locally connected 2D layer",
        ),
        (
            lambda d: d["connections"].append(
                {"source": "dense", "source_port": "output", "target": "flatten", "target_port": "input"}
            ),
            "connections[4]: Cannot connect Dense layer 'dense' port 'Output' to Flatten layer 'flatten' port 'Input'",
        ),
        (lambda d: d["connections"][0].update(source=7), "connections[0].source: expected a text. Received: 7"),
    ],
)
def test_a_broken_document_raises_one_clear_error(seed_graph, break_it, expected):
    document = _seed_document(seed_graph)
    break_it(document)
    with pytest.raises(DocumentError) as refused:
        from_document(document)
    assert expected in str(refused.value)


def test_nested_models_round_trip_and_a_graph_without_them_stays_a_version_1_document(seed_graph):
    assert "groups" not in to_document(seed_graph)
    seed_graph.set_groups(
        [Group("Functional", "body", ("locally_connected_2d",)), Group("Sequential", "head", ("flatten", "dense"), "body", ("x",), ("locally_connected_2d",), ("dense",))]
    )
    document = _seed_document(seed_graph)
    assert document["version"] == 2
    loaded = from_document(document)
    assert dict(loaded.groups) == dict(seed_graph.groups)
    assert to_document(loaded) == document


def test_a_cycle_in_a_document_is_refused(seed_graph):
    document = _seed_document(seed_graph)
    document["cards"].append({"key": "loop", "card": "layer_Dense", "params": {}})
    document["connections"] += [
        {"source": "dense", "source_port": "output", "target": "loop", "target_port": "input"},
    ]
    document["connections"][1] = {"source": "loop", "source_port": "output", "target": "flatten", "target_port": "input"}
    document["connections"] = document["connections"][:1] + document["connections"][2:] + [document["connections"][1]]
    with pytest.raises(DocumentError, match="connections: These connections would make a cycle: ") as refused:
        from_document(document)
    cycle = str(refused.value).split(": ")[-1].rstrip(".").split(" -> ")
    assert cycle[0] == cycle[-1] and sorted(cycle[1:]) == ["dense", "flatten", "loop"]


def test_connections_in_any_order_load_as_made(seed_graph):
    document = _seed_document(seed_graph)
    document["cards"].reverse()
    document["connections"].reverse()
    loaded = from_document(document)
    assert loaded["dense"].output_shapes == {"output": (None, 10)} and loaded.model.output_shape == (None, 10)
    assert [c.source.key for c in loaded.connections] == [c.source.key for c in reversed(seed_graph.connections)]


def test_unknown_top_level_fields_are_refused(seed_graph):
    document = _seed_document(seed_graph)
    document["script"] = "<img src=x onerror=alert(1)>"
    with pytest.raises(DocumentError, match=r"document: unknown fields \['script'\]"):
        from_document(document)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"format": "nncards_widget.graph", "version": 1, "cards": [', "Not valid JSON at line 1, column"),
        ("", "Not valid JSON at line 1, column 1"),
        ("[1, 2]", "document: expected a JSON object. Received: list"),
        ('{"version": NaN}', "NaN is not a valid JSON number"),
        ('{"version": 1, "version": 2}', "the key 'version' appears twice"),
        ("[" * 100_000 + "]" * 100_000, "Not a graph document"),
        ('{"format": "nncards_widget.graph", "version": 1, "cards": [], "connections": []}', None),
    ],
)
def test_broken_truncated_and_hostile_text(text, expected, tmp_path):
    path = tmp_path / "graph.json"
    path.write_text(text)
    if expected is None:
        assert len(load(path)) == 0
        return
    with pytest.raises(DocumentError) as refused:
        load(path)
    assert str(path) in str(refused.value) and expected in str(refused.value)


def test_truncating_a_real_file_anywhere_gives_a_document_error(seed_graph, tmp_path):
    text = json.dumps(to_document(seed_graph))
    for cut in range(0, len(text), max(1, len(text) // 40)):
        with pytest.raises(DocumentError):
            from_document(text[:cut])


def test_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="Cannot read"):
        load(tmp_path / "nope.json")


def test_save_replaces_a_file_only_when_complete(seed_graph, tmp_path):
    path = tmp_path / "graph.json"
    path.write_text("previous")
    save(seed_graph, path)
    assert json.loads(path.read_text()) == to_document(seed_graph)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


def test_a_list_port_keeps_the_order_of_its_connections(list_merge):
    g = CardGraph(auto_build=False)
    for key in "cab":
        g.add("input", key=key, shape=[1])
    merge = g.add(list_merge, key="merge")
    for key in "abc":
        g.connect(g[key], "data", merge, "inputs")
    loaded = from_document(json.loads(json.dumps(to_document(g))))
    assert [c.source.key for c in loaded.incoming_list(loaded["merge"], "inputs")] == ["a", "b", "c"]
