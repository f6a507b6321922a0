"""The editor without a browser: what the canvas is sent, and what its messages do."""

import gc
import json
import weakref

import numpy as np
import pytest

from nncards_widget import CardEditor, CardGraph, catalog, to_document
from nncards_widget.widget.canvas_document import graph_elements
from nncards_widget.widget.inspector import parse_field
from nncards_widget.widget.palette import palette_options


@pytest.fixture
def editor():
    g = CardGraph()
    x = g.add("input", shape=[8], position=(0, 0))
    dense = g.add("layer_Dense", units=4, position=(300, 0))
    y = g.add("output", position=(600, 0))
    g.connect(x, "data", dense, "input")
    g.connect(dense, "output", y, "data")
    return CardEditor(g)


def tap(editor, element_id):
    editor._on_canvas_event({"event": "tap", "id": element_id})


def ids(editor, css_class=None):
    return [e["data"]["id"] for e in editor.canvas.card_elements if css_class is None or css_class in e["classes"].split()]


def test_a_card_is_a_compound_node_with_a_body_and_its_connectable_ports(editor):
    elements = {e["data"]["id"]: e for e in editor.canvas.card_elements}
    dense_ports = [i for i in elements if i.startswith("port:dense:")]
    assert dense_ports == [
        f"port:dense:{port.name}" for port in catalog.get("layer_Dense").inputs if port.is_connectable
    ] + ["port:dense:layer_instance", "port:dense:output"]
    assert elements["port:dense:output"]["data"]["label"] == "Output (None, 4)"
    assert elements["port:dense:output"]["data"]["parent"] == "card:dense"
    assert elements["body:dense"]["data"]["image"].startswith("data:image/svg+xml")
    assert "Units" in elements["body:dense"]["data"]["row_help"][0]
    assert "edge:input:data:dense:input" in elements
    assert len(editor.canvas.card_elements) == len(graph_elements(editor.graph))


def test_the_card_body_shows_each_parameter_value_and_follows_edits(editor):
    from urllib.parse import unquote

    body = lambda: unquote(next(e for e in editor.canvas.card_elements if e["data"]["id"] == "body:dense")["data"]["image"])
    assert ">Units<tspan" in body() and ">4</tspan>" in body()
    editor.graph["dense"].units = 12
    assert ">12</tspan>" in body()
    assert next(e for e in editor.canvas.card_elements if e["data"]["id"] == "port:dense:output")["data"]["label"] == "Output (None, 12)"


def test_clicking_an_output_lights_compatible_inputs_and_clicking_one_connects(editor):
    extra = editor.graph.add("layer_Dense", key="extra")
    tap(editor, "port:input:data")
    assert ids(editor, "pending") == ["port:input:data"]
    assert set(ids(editor, "compatible")) == {"port:extra:input"}, "occupied inputs are not compatible"
    tap(editor, "port:extra:input")
    assert editor.graph.incoming(extra, "input").source.key == "input"
    assert ids(editor, "compatible") == [] and "Connected input.data to extra.input" in editor.status.value


def test_an_illegal_pair_is_refused_with_a_visible_message(editor):
    before = editor.graph.connections
    tap(editor, "port:dense:layer_instance")
    tap(editor, "port:output:data")
    assert editor.graph.connections == before
    assert "Cannot connect Dense layer 'dense' port 'Layer instance'" in editor.status.value
    assert "#c62828" in editor.status.value


@pytest.mark.parametrize(
    "message",
    [
        "not an object",
        {"event": "rm -rf"},
        {"event": "tap", "id": 7},
        {"event": "tap", "id": "port:ghost:input"},
        {"event": "tap", "id": "port:dense:nope"},
        {"event": "tap", "id": "x" * 5000},
        {"event": "tap", "id": "card"},
        {"event": "tap", "id": "body"},
        {"event": "tap", "id": "port"},
        {"event": "tap", "id": "port:dense"},
        {"event": "tap", "id": "edge"},
        {"event": "moved", "positions": {"dense": [1, float("nan")]}},
        {"event": "moved", "positions": {"dense": [1, 2, 3]}},
        {"event": "moved", "positions": {"ghost": [1, 2]}},
        {"event": "moved", "positions": [1, 2]},
        None,
    ],
)
def test_malformed_canvas_messages_change_nothing_and_say_so(editor, message):
    document = to_document(editor.graph)
    editor._on_canvas_event(message)
    assert to_document(editor.graph) == document
    assert "Ignored a canvas message" in editor.status.value


def test_the_front_end_cannot_write_what_python_derives(editor):
    with pytest.raises(ValueError, match="may not set"):
        editor.canvas.set_state({"card_elements_json": "[]"})
    assert editor.canvas.card_elements


def test_dragging_a_card_moves_it_in_the_graph_and_undo_moves_it_back(editor):
    editor._on_canvas_event({"event": "moved", "positions": {"dense": [10, 20]}})
    assert editor.graph["dense"].position == (10.0, 20.0)
    editor.undo()
    assert editor.graph["dense"].position == (300.0, 0.0)


def test_inspector_edits_set_the_card_and_refused_values_are_shown(editor):
    tap(editor, "body:dense")
    fields = {field.description: field for field in editor.inspector.form.children}
    assert fields["Units"].tooltip == catalog.get("layer_Dense").port("units").help
    fields["Units"].value = 16
    assert editor.graph["dense"].units == 16
    fields["Units"].value = 0
    assert editor.graph["dense"].units == 16 and fields["Units"].value == 16
    assert "expected a positive integer. Received: units=0" in editor.inspector.message.value
    editor.graph["dense"].units = 9
    assert fields["Units"].value == 9
    assert "Parameters: <b>81</b>" in editor.inspector.facts.value


def test_list_fields_parse_and_report_text_that_is_not_numbers():
    port = catalog.get("layer_LocallyConnected2D").port("kernel_size")
    assert parse_field(port, "5, 5") == (5, 5)
    with pytest.raises(ValueError, match="expected integers separated by commas. Received: 'a'"):
        parse_field(port, "5, a")


def test_a_shape_field_reads_none_as_an_axis_of_any_size():
    shape = catalog.get("input").port("shape")
    assert parse_field(shape, "None, 16") == (None, 16) and parse_field(shape, "none,16") == (None, 16)
    with pytest.raises(ValueError, match="expected integers or None separated by commas. Received: 'any'"):
        parse_field(shape, "any, 16")
    kernel = catalog.get("layer_LocallyConnected2D").port("kernel_size")
    with pytest.raises(ValueError, match="expected integers separated by commas. Received: 'None'"):
        parse_field(kernel, "None, 3")


def test_palette_search_keeps_category_headings(editor):
    options = palette_options("locally")
    assert options[0][1] == "group:Layers / Locally connected layers"
    assert [value for _, value in options[1:]] == ["layer_LocallyConnected1D", "layer_LocallyConnected2D"]
    assert len([v for _, v in palette_options() if not v.startswith("group:")]) == len(catalog.all())


def test_a_card_added_while_another_is_selected_is_placed_after_it_and_connected(editor):
    tap(editor, "body:dense")
    flat = editor.add_card("layer_Flatten")
    assert editor.graph.incoming(flat, "input").source.key == "dense"
    assert flat.position[0] > editor.graph["dense"].position[0]
    tap(editor, "body:dense")
    init = editor.add_card("initializer_GlorotNormal")
    assert editor.graph.incoming(editor.graph["dense"], "kernel_initializer").source is init
    editor.undo()
    assert init not in editor.graph


def test_delete_removes_the_selected_card_and_undo_restores_it(editor):
    tap(editor, "body:dense")
    editor._on_canvas_event({"event": "delete"})
    assert "dense" not in [c.key for c in editor.graph.cards]
    assert not any(i.startswith("port:dense:") for i in ids(editor))
    editor.undo()
    assert editor.graph["dense"].output_shapes == {"output": (None, 4)}


def _drawn(editor):
    """The canvas without the editor's own selection marks."""
    return [(e["data"], e.get("position")) for e in editor.canvas.card_elements]


def test_several_editors_of_one_graph_stay_in_step(editor):
    other = CardEditor(editor.graph)
    editor.graph["dense"].units = 5
    assert _drawn(other) == _drawn(editor)
    tap(other, "port:dense:output")
    tap(other, "port:output:data")  # occupied: refused, shown in the other editor only
    assert "Cannot connect" in other.status.value and "Cannot connect" not in editor.status.value
    other.undo()
    assert editor.graph["dense"].units == 4 and _drawn(editor) == _drawn(other)


def test_load_replaces_the_graph_in_place_and_a_bad_file_changes_nothing(editor, tmp_path):
    editor.save(str(tmp_path / "g.json"))
    editor.graph["dense"].units = 2
    (tmp_path / "bad.json").write_text("{")
    editor.load(str(tmp_path / "bad.json"))
    assert "Not valid JSON" in editor.status.value and editor.graph["dense"].units == 2
    graph = editor.graph
    editor.load(str(tmp_path / "g.json"))
    assert editor.graph is graph and graph["dense"].units == 4
    editor.undo()
    assert graph["dense"].units == 2


def test_a_view_that_draws_itself_gets_a_layout_when_cards_were_never_placed():
    g = CardGraph()
    g.add("input")
    g.add("layer_Dense")
    editor = CardEditor(g)
    sent = []
    editor.canvas.send = sent.append
    editor._on_canvas_event({"event": "ready"})
    assert sent == [{"command": "layout"}]


def test_summary_lists_layers_with_shapes_counts_and_totals(editor):
    html = editor.summary.value
    assert "<code>dense</code>" in html and "(None, 4)" in html and "Total parameters: <b>36</b>" in html
    editor.graph["dense"].units = 1
    assert "Total parameters: <b>9</b>" in editor.summary.value


def test_summary_says_why_the_graph_makes_no_model(editor):
    g = editor.graph
    g.disconnect(g["dense"], "output", g["output"], "data")
    html = editor.summary.value
    assert "Total parameters: <b>36</b>" in html, "the last model stays"
    assert "as it is now, it makes none: Output &#x27;output&#x27;: port &#x27;Data&#x27; is not connected." in html
    fresh = CardEditor(CardGraph())
    fresh.graph.add("output")
    assert "No model yet: Output &#x27;output&#x27;: port &#x27;Data&#x27; is not connected." in fresh.summary.value


def test_preview_runs_a_sample_through_the_live_models_layers(editor):
    import numpy as np

    tap(editor, "body:dense")
    editor.preview_sample = np.arange(8, dtype=np.float32)
    editor.inspector.preview_button.click()
    layer = editor.graph.keras_object(editor.graph["dense"])
    expected = np.arange(8, dtype=np.float32) @ layer.kernel.numpy() + layer.bias.numpy()
    html = editor.inspector.preview.value
    assert "shape (4)" in html and "<svg" in html
    for value in expected:
        assert f"{value:.4g}" in html
    editor.preview_sample = np.zeros(3)
    editor.inspector.preview_button.click()
    assert "The sample has shape (3,), the Input 'input' expects (8,)" in editor.inspector.preview.value


def test_preview_fills_an_axis_of_any_size_and_takes_samples_of_any_length():
    from nncards_widget.widget.preview import GENERATED_SIZE, PreviewError, card_output

    g = CardGraph()
    x = g.add("input", shape=[None, 3])
    steps = g.add("layer_TimeDistributed")
    dense = g.add("layer_Dense", units=2)
    g.connect(dense, "layer_instance", steps, "layer")
    g.connect(x, "data", steps, "input")
    assert card_output(g, steps).shape == (GENERATED_SIZE, 2)
    assert card_output(g, steps, sample=np.ones((5, 3))).shape == (5, 2)
    with pytest.raises(PreviewError, match=r"expects \(None, 3\), where None is any size"):
        card_output(g, steps, sample=np.ones((5, 4)))


def test_preview_of_feature_maps_is_an_image_grid():
    from nncards_widget.widget.preview import card_output, preview_html

    g = CardGraph()
    x = g.add("input", shape=[6, 6, 1])
    lc = g.add("layer_LocallyConnected2D", filters=2, kernel_size=[3, 3])
    g.connect(x, "data", lc, "input")
    output = card_output(g, lc)
    assert output.shape == (4, 4, 2)
    html = preview_html(lc, output)
    assert html.count("data:image/png;base64,") == 2


def test_a_card_added_in_python_without_a_place_goes_after_the_card_feeding_it(editor):
    extra = editor.graph.add("layer_Dense", key="extra")
    assert extra.position != (0.0, 0.0)
    with editor.graph.hold():
        fed = editor.graph.add("layer_Dense", key="fed")
        editor.graph.connect(extra, "output", fed, "input")
    assert fed.position[0] > extra.position[0] and fed.position[1] == extra.position[1]


def test_the_code_button_shows_keras_code_that_builds_the_same_model(editor):
    editor.buttons["code"].click()
    namespace = {}
    exec(editor.code.value, namespace)
    assert namespace["model"].count_params() == editor.model.count_params()
    editor.buttons["code"].click()
    assert editor.code.layout.display == "none"
    editor.graph.disconnect(editor.graph["dense"], "output", editor.graph["output"], "data")
    editor.buttons["code"].click()
    assert "#c62828" in editor.status.value and editor.code.layout.display == "none"


HOSTILE = "<img src=x onerror=alert(1)>"


def _shows_as_text(html: str) -> bool:
    return "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_file_naming_a_card_with_html_is_refused_in_plain_text(editor, tmp_path):
    document = to_document(editor.graph)
    document["cards"][1]["card"] = HOSTILE
    (tmp_path / "hostile.json").write_text(json.dumps(document))
    editor.load(tmp_path / "hostile.json")
    assert _shows_as_text(editor.status.value)


def test_names_holding_html_show_as_text_in_the_inspector(editor):
    editor.graph["output"].name = HOSTILE
    editor.graph.connect(editor.graph["dense"], "output", editor.graph.add("output", key="second", name=HOSTILE), "data")
    tap(editor, "card:second")
    assert _shows_as_text(editor.inspector.facts.value), "the duplicate-name error quotes the name"
    editor.graph["input"].name = HOSTILE
    editor.preview_sample = {"elsewhere": np.zeros(8)}
    editor.preview(editor.graph["dense"])
    assert _shows_as_text(editor.inspector.preview.value)


def test_a_refused_field_value_holding_html_shows_as_text(editor):
    tap(editor, "card:input")
    editor.inspector._fields["shape"].value = HOSTILE
    assert _shows_as_text(editor.inspector.message.value) and editor.graph["input"].shape == (8,)


def test_closed_editors_stop_following_their_graph_and_are_freed(editor, monkeypatch):
    refreshed = []
    original = CardEditor.refresh
    monkeypatch.setattr(CardEditor, "refresh", lambda self: refreshed.append(self) or original(self))
    closed = []
    for _ in range(10):
        other = CardEditor(editor.graph)
        tap(other, "card:dense")
        closed.append(weakref.ref(other))
        other.close()
        other.close()
        del other
    refreshed.clear()
    editor.graph["dense"].units = 6
    assert refreshed == [editor]
    refreshed.clear()
    gc.collect()
    assert [ref for ref in closed if ref() is not None] == []


def test_selecting_cards_again_and_again_leaves_no_widgets_behind(editor):
    from ipywidgets.widgets.widget import _instances

    for key in ("dense", "input", "dense"):
        tap(editor, f"card:{key}")
    count = len(_instances)
    for key in ("input", "dense") * 5:
        tap(editor, f"card:{key}")
    assert len(_instances) == count
