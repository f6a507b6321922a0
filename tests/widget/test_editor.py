"""The editor without a browser: what the canvas is sent, and what its messages do."""

import gc
import json
import weakref

import numpy as np
import pytest

from nncards_widget import CardEditor, CardGraph, catalog, to_document
from nncards_widget.card_face import body_size
from nncards_widget.layout import layered_positions
from nncards_widget.widget.style import CANVAS_STYLE, PROJECTOR_STYLE
from nncards_widget.widget.field_text import parse_field
from nncards_widget.widget.palette import palette_options
from nncards_widget.widget.summary import summary_facts

from front_end import FrontEnd


@pytest.fixture
def editor():
    g = CardGraph()
    x = g.add("input", shape=[8], position=(0, 0))
    dense = g.add("layer_Dense", units=4, position=(300, 0))
    y = g.add("output", position=(600, 0))
    g.connect(x, "data", dense, "input")
    g.connect(dense, "output", y, "data")
    return CardEditor(g)


@pytest.fixture
def front(editor):
    return FrontEnd(editor)


def tap(editor, element_id):
    editor._on_canvas_event({"event": "tap", "id": element_id})


def test_a_view_gets_a_record_per_card_and_connection_and_the_spec_of_each_card_type(editor, front):
    reset = front.last()
    assert reset["base"] is None
    assert set(front.cards) == {"input", "dense", "output"}
    assert set(front.connections) == {"edge:input:data:dense:input", "edge:dense:output:output:data"}
    assert set(front.specs) == {"input", "layer_Dense", "output"}
    dense = front.cards["dense"]
    assert dense["outputs"] == {"output": "(None, 4)"} and dense["param_count"] == 36 and dense["trainable_count"] == 36
    assert (dense["x"], dense["y"]) == (300.0, 0.0) and dense["w"] > 0 and dense["h"] > 0
    ports = front.specs["layer_Dense"]["inputs"]
    assert [p["name"] for p in ports] == [port.name for port in catalog.get("layer_Dense").inputs]
    assert ports[0]["help"] == catalog.get("layer_Dense").port("units").help
    assert dict(next(p for p in ports if p["name"] == "activation")["choices"])["relu"] == "ReLU"


def test_an_edit_sends_only_the_records_it_changed(editor, front):
    editor.graph["dense"].units = 12
    patch = front.last()
    assert set(patch["cards"]) == {"dense", "output"}, "the edited card and the one whose shape follows"
    assert patch["connections"] == {} and patch["specs"] == {}
    assert front.row("dense", "units") == "12" and front.cards["dense"]["outputs"] == {"output": "(None, 12)"}
    count = len(front.messages)
    editor.refresh()
    assert len(front.messages) == count, "nothing changed, nothing sent"


def test_a_new_card_type_brings_its_spec_once_and_a_removed_card_takes_its_connections(editor, front):
    flat = editor.graph.add("layer_Flatten", key="flat")
    assert set(front.last()["specs"]) == {"layer_Flatten"} and "flat" in front.cards
    editor.graph.add("layer_Flatten", key="flat2")
    assert front.last()["specs"] == {}
    editor.graph.remove(editor.graph["dense"])
    patch = front.last()
    assert patch["cards"]["dense"] is None
    assert patch["connections"] == {"edge:input:data:dense:input": None, "edge:dense:output:output:data": None}
    assert "dense" not in front.cards and flat.key in front.cards


def test_a_view_that_missed_a_message_asks_for_every_record_again(editor, front):
    editor.graph["dense"].units = 3
    editor._on_canvas_event({"event": "resync"})
    assert front.last()["base"] is None and front.cards["dense"]["outputs"] == {"output": "(None, 3)"}


def test_clicking_an_output_lights_compatible_inputs_and_clicking_one_connects(editor, front):
    extra = editor.graph.add("layer_Dense", key="extra")
    tap(editor, "port:input:data")
    assert front.view["pending"] == "port:input:data"
    assert front.view["compatible"] == ["port:extra:input"], "occupied inputs are not compatible"
    tap(editor, "port:extra:input")
    assert editor.graph.incoming(extra, "input").source.key == "input"
    assert front.view["compatible"] == [] and front.view["pending"] is None
    assert "edge:input:data:extra:input" in front.connections
    assert "Connected input.data to extra.input" in editor.status.value


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
        editor.canvas.set_state({"cytoscape_style": []})
    with pytest.raises(ValueError, match="may not set"):
        editor.summary.set_state({"facts": {"has_model": False}})
    assert editor.canvas.cytoscape_style and editor.summary.facts["has_model"]


def test_dragging_a_card_moves_it_in_the_graph_and_undo_moves_it_back(editor):
    editor._on_canvas_event({"event": "moved", "positions": {"dense": [10, 900]}})
    assert editor.graph["dense"].position == (10.0, 900.0)
    editor.undo()
    assert editor.graph["dense"].position == (300.0, 0.0)


def test_a_card_dropped_on_another_slides_down_clear_of_it_in_one_undo_step(editor):
    editor._on_canvas_event({"event": "moved", "positions": {"dense": [0, 10]}})
    x, y = editor.graph["dense"].position
    assert x == 0.0 and y - body_size(editor.graph["dense"])[1] / 2 > body_size(editor.graph["input"])[1] / 2
    editor.undo()
    assert editor.graph["dense"].position == (300.0, 0.0)


def key(editor, action):
    editor._on_canvas_event({"event": "key", "action": action})


def test_undo_and_redo_keys_edit_the_graph_and_the_buttons_follow_at_once(editor):
    editor.graph["dense"].units = 7
    key(editor, "undo")
    assert editor.graph["dense"].units == 4
    assert not editor.buttons["redo"].disabled and editor.history.can_redo, "Redo is enabled by the undo itself"
    assert editor.buttons["undo"].disabled == (not editor.history.can_undo)
    key(editor, "redo")
    assert editor.graph["dense"].units == 7 and editor.buttons["redo"].disabled
    editor.graph.history.undo()  # from Python: the buttons follow too
    assert not editor.buttons["redo"].disabled


@pytest.mark.parametrize(
    "message",
    [
        {"event": "key", "action": "undo"},
        {"event": "key", "action": "delete"},
        {"event": "set", "card": "dense", "port": "units", "value": "9"},
        {"event": "add_at", "port": "port:dense:output", "card": "layer_Dense", "position": [900, 0]},
    ],
)
def test_canvas_edits_while_a_run_holds_the_model_are_refused_with_its_reason(editor, message):
    editor.graph["dense"].units = 5
    tap(editor, "card:dense")
    document = to_document(editor.graph)
    editor.graph.lock("A training run is using the model.")
    editor._on_canvas_event(message)
    assert "A training run is using the model." in editor.status.value
    assert to_document(editor.graph) == document


def test_undo_clears_the_error_it_undid_from_the_inspector_and_the_card(editor, front):
    second = editor.graph.add("output", key="second", name="second")
    editor.graph.connect(editor.graph["dense"], "output", second, "data")
    tap(editor, "card:output")
    second.name = "output"
    assert "⚠" in editor.inspector.facts.value and front.cards["output"]["error"]
    key(editor, "undo")
    assert "⚠" not in editor.inspector.facts.value and front.cards["output"]["error"] is None


def test_escape_cancels_a_pending_connection(editor, front):
    tap(editor, "port:dense:output")
    assert front.view["pending"] == "port:dense:output"
    key(editor, "escape")
    assert front.view["pending"] is None and front.view["compatible"] == []


def test_delete_key_removes_the_selected_card(editor):
    tap(editor, "card:dense")
    key(editor, "delete")
    assert "dense" not in [card.key for card in editor.graph.cards]
    assert "Removed Dense layer 'dense'" in editor.status.value


def test_copy_then_paste_adds_a_card_with_the_same_parameters_clear_of_the_others(editor):
    dense = editor.graph["dense"]
    dense.units, dense.activation = 12, "relu"
    tap(editor, "card:dense")
    key(editor, "copy")
    key(editor, "paste")
    copy = editor.graph[editor.interaction.selected]
    assert copy is not dense and copy.spec.id == "layer_Dense" and (copy.units, copy.activation) == (12, "relu")
    editor.undo()
    assert copy not in editor.graph and dense in editor.graph


def test_paste_with_nothing_copied_says_so(editor):
    key(editor, "paste")
    assert "Nothing to paste" in editor.status.value


def test_tab_moves_the_selection_from_card_to_card_and_shows_the_inspector(editor):
    editor.side.selected_index = 1
    key(editor, "next")
    assert editor.interaction.selected == "input" and editor.inspector.card is editor.graph["input"]
    assert editor.side.selected_index == 0
    key(editor, "next")
    key(editor, "next")
    key(editor, "next")
    assert editor.interaction.selected == "input", "Tab goes round"
    key(editor, "previous")
    assert editor.interaction.selected == "output"
    editor.side.selected_index = 1
    tap(editor, "card:output")
    assert editor.side.selected_index == 0, "a click on the card already selected shows its parameters too"


def test_an_unknown_key_action_is_refused_and_changes_nothing(editor):
    key(editor, "format_disk")
    assert "Ignored a canvas message: key: expected one of undo" in editor.status.value


def test_an_inline_edit_sets_the_card_and_answers_the_field(editor, front):
    editor._on_canvas_event({"event": "set", "card": "dense", "port": "units", "value": " 10 "})
    assert editor.graph["dense"].units == 10
    assert front.replies[-1] == {"command": "field", "card": "dense", "port": "units", "ok": True}
    assert front.cards["dense"]["outputs"] == {"output": "(None, 10)"}


@pytest.mark.parametrize("port, value, words", [
    ("units", "abc", "Units: expected a whole number. Received: 'abc'"),
    ("units", "0", "expected a positive integer"),
    ("activation", "sparkles", "Activation"),
    ("use_bias", "yes", "expected yes or no"),
])
def test_a_refused_inline_value_keeps_the_old_one_and_says_why_at_the_field_and_on_the_status_line(editor, front, port, value, words):
    before = getattr(editor.graph["dense"], port)
    editor._on_canvas_event({"event": "set", "card": "dense", "port": port, "value": value})
    assert getattr(editor.graph["dense"], port) == before
    reply = front.replies[-1]
    assert reply["ok"] is False and words in reply["message"] and "Kept" in reply["message"]
    assert words in editor.status.value


def test_an_inline_edit_of_a_port_that_is_not_a_parameter_is_refused(editor):
    editor._on_canvas_event({"event": "set", "card": "dense", "port": "input", "value": "3"})
    assert "is not a parameter" in editor.status.value


def test_a_list_value_is_typed_as_text_and_checkbox_as_a_boolean(editor, front):
    editor._on_canvas_event({"event": "set", "card": "input", "port": "shape", "value": "4, 2"})
    assert editor.graph["input"].shape == (4, 2)
    editor._on_canvas_event({"event": "set", "card": "dense", "port": "use_bias", "value": False})
    assert editor.graph["dense"].use_bias is False


def test_dropping_a_dragged_connection_on_empty_canvas_offers_the_cards_that_fit_and_adds_the_chosen_one(editor, front):
    editor._on_canvas_event({"event": "drop", "port": "port:dense:output", "position": [300, 400]})
    offer = front.replies[-1]
    assert offer["command"] == "offer" and offer["port"] == "port:dense:output" and offer["position"] == [300, 400]
    offered = {card_id for card_id, _title in offer["cards"]}
    assert "layer_Dropout" in offered and "output" in offered and "input" not in offered
    assert "initializer_GlorotNormal" not in offered
    editor._on_canvas_event({"event": "add_at", "card": "layer_Dropout", "port": "port:dense:output", "position": [300, 400]})
    dropout = editor.graph[editor.interaction.selected]
    assert dropout.spec.id == "layer_Dropout" and editor.graph.incoming(dropout, "input").source.key == "dense"
    assert dropout.position == (300.0, 400.0)
    editor.undo()
    assert dropout not in editor.graph, "the add and the connection are one step"


def test_a_drop_names_an_unknown_card_type_and_is_refused(editor):
    editor._on_canvas_event({"event": "add_at", "card": "layer_Nope", "port": "port:dense:output", "position": [0, 0]})
    assert "Ignored a canvas message: add_at: expected a card type" in editor.status.value


def test_prompts_and_refusals_name_port_types_in_a_students_words(editor):
    tap(editor, "port:dense:output")
    assert "gives a tensor" in editor.status.value and "an input that takes a tensor" in editor.status.value
    assert "NeuralNetwork" not in editor.status.value
    tap(editor, "port:dense:output")
    editor.graph.add("initializer_GlorotNormal", key="init")
    tap(editor, "port:init:initializer_instance")
    tap(editor, "port:output:data")
    assert "gives an initializer" in editor.status.value and "takes a tensor" in editor.status.value


def test_inspector_edits_set_the_card_and_refused_values_are_shown(editor):
    tap(editor, "card:dense")
    fields = {field.description: field for field in editor.inspector.form.children}
    assert fields["Units"].tooltip == catalog.get("layer_Dense").port("units").help
    fields["Units"].value = "16"
    assert editor.graph["dense"].units == 16
    fields["Units"].value = "0"
    assert editor.graph["dense"].units == 16 and fields["Units"].value == "16"
    assert "expected a positive integer. Received: units=0" in editor.inspector.notes["units"].value
    assert "expected a positive integer" in editor.status.value, "the refusal is on the status line too"
    fields["Units"].value = "abc"
    assert editor.graph["dense"].units == 16 and fields["Units"].value == "16"
    assert "Units: expected a whole number. Received: 'abc'" in editor.inspector.notes["units"].value
    assert "Kept 16" in editor.status.value
    editor.graph["dense"].units = 9
    assert fields["Units"].value == "9"
    assert editor.inspector.notes["units"].value == "", "a value set elsewhere clears the refusal"
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
    tap(editor, "card:dense")
    flat = editor.add_card("layer_Flatten")
    assert editor.graph.incoming(flat, "input").source.key == "dense"
    assert flat.position[0] > editor.graph["dense"].position[0]
    tap(editor, "card:dense")
    init = editor.add_card("initializer_GlorotNormal")
    assert editor.graph.incoming(editor.graph["dense"], "kernel_initializer").source is init
    editor.undo()
    assert init not in editor.graph


def test_delete_removes_the_selected_card_and_undo_restores_it(editor, front):
    tap(editor, "card:dense")
    assert front.view["selected"] == "dense"
    editor._on_canvas_event({"event": "key", "action": "delete"})
    assert "dense" not in [c.key for c in editor.graph.cards]
    assert "dense" not in front.cards and front.view["selected"] is None
    editor.undo()
    assert editor.graph["dense"].output_shapes == {"output": (None, 4)}
    assert front.cards["dense"]["outputs"] == {"output": "(None, 4)"} and len(front.connections) == 2


def test_several_editors_of_one_graph_stay_in_step(editor, front):
    other = CardEditor(editor.graph)
    other_front = FrontEnd(other)
    editor.graph["dense"].units = 5
    assert other_front.cards == front.cards and other_front.cards["dense"]["outputs"] == {"output": "(None, 5)"}
    tap(other, "port:dense:output")
    tap(other, "port:output:data")  # occupied: refused, shown in the other editor only
    assert "Cannot connect" in other.status.value and "Cannot connect" not in editor.status.value
    other.undo()
    assert editor.graph["dense"].units == 4 and front.cards == other_front.cards


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


def test_cards_never_placed_are_laid_out_by_the_editor_before_any_view_and_not_as_an_edit():
    g = CardGraph()
    x = g.add("input")
    dense = g.add("layer_Dense")
    g.connect(x, "data", dense, "input")
    editor = CardEditor(g)
    assert x.position != dense.position and x.position[0] < dense.position[0]
    assert not editor.history.can_undo


def test_auto_layout_arranges_every_card_as_one_undo_step_and_fits_the_view(editor):
    sent = []
    editor.canvas.send = sent.append
    editor.graph["dense"].position = (5000.0, 5000.0)
    before = {card.key: card.position for card in editor.graph.cards}
    editor.buttons["layout"].click()
    assert editor.graph["dense"].position == layered_positions(editor.graph.cards, editor.graph.connections)[editor.graph["dense"]]
    assert sent[-1] == {"command": "fit"}
    editor.undo()
    assert {card.key: card.position for card in editor.graph.cards} == before


def test_summary_facts_say_whether_there_is_a_model_and_why_not(editor):
    assert editor.summary.facts == {"has_model": True, "why_no_model": None, "error_count": 0}
    assert editor.summary.canvas is editor.canvas, "the table is drawn from the canvas's records"
    g = editor.graph
    g.disconnect(g["dense"], "output", g["output"], "data")
    assert editor.summary.facts == {
        "has_model": True,  # the last model stays
        "why_no_model": "Output 'output': port 'Data' is not connected",
        "error_count": 0,
    }
    g["dense"].units = 1
    g.connect(g["input"], "data", g.add("layer_Conv2D"), "input")
    assert editor.summary.facts["error_count"] == 1
    fresh = CardGraph()
    fresh.add("output")
    assert summary_facts(fresh) == {
        "has_model": False, "why_no_model": "Output 'output': port 'Data' is not connected", "error_count": 0,
    }


def test_preview_runs_a_sample_through_the_live_models_layers(editor):
    import numpy as np

    tap(editor, "card:dense")
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
    assert _shows_as_text(editor.inspector.notes["shape"].value) and editor.graph["input"].shape == (8,)


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


def test_a_trace_put_on_a_card_reaches_its_record_and_nothing_else(editor, front):
    editor.show_traces({"dense": [1.0, 0.5, 0.25]})
    assert set(front.last()["cards"]) == {"dense"} and front.cards["dense"]["trace"] == [1.0, 0.5, 0.25]
    with pytest.raises(KeyError, match="No card named 'ghost'"):
        editor.show_traces({"ghost": [1.0]})


def test_a_closed_editor_stops_following_its_graph(editor, front):
    count = len(front.messages)
    editor.close()
    editor.graph["dense"].units = 2
    assert len(front.messages) == count


def test_a_card_added_with_nothing_selected_goes_into_free_space_and_is_selected(editor, front):
    card = editor.add_card("layer_Dense")
    others = [c for c in editor.graph.cards if c is not card]
    lowest = max(c.position[1] + body_size(c)[1] / 2 for c in others)
    assert card.position[1] - body_size(card)[1] / 2 > lowest, "under the drawing, not off to its right"
    assert front.view["selected"] == card.key, "selected, so that the canvas brings it into view"


def test_the_panel_toggle_hides_the_side_panel_and_shows_it_again(editor):
    editor.toggles["panel"].value = False
    assert editor.side.layout.display == "none"
    editor.show_panel()
    assert editor.side.layout.display is None and editor.toggles["panel"].value


def test_projector_mode_restyles_the_canvas_and_marks_the_editor(editor):
    assert not editor.canvas.projector and editor.canvas.cytoscape_style == CANVAS_STYLE
    editor.toggles["projector"].value = True
    assert editor.canvas.projector and editor.canvas.cytoscape_style == CANVAS_STYLE + PROJECTOR_STYLE
    assert "nncards-projector-mode" in editor._dom_classes
    editor.set_projector(False)
    assert editor.canvas.cytoscape_style == CANVAS_STYLE and "nncards-projector-mode" not in editor._dom_classes
    assert CardEditor(editor.graph, projector=True).canvas.projector


def test_an_error_in_the_status_line_is_marked_as_one(editor):
    editor.undo()
    assert 'class="nncards-error"' in editor.status.value


def test_the_summary_facts_do_not_assemble_the_model_an_edit_leaves_pending(editor):
    editor.graph["dense"].units = 3
    assert editor.graph.last_build.assembly.pending
    assert editor.summary.facts["has_model"] and editor.graph.last_build.assembly.pending
    assert editor.model.count_params() == 8 * 3 + 3


@pytest.mark.parametrize("message, words", [
    ({"event": "drop", "port": "port:dense:output", "position": [1, float("nan")]}, "drop: expected a position [x, y]"),
    ({"event": "drop", "port": "card:dense", "position": [0, 0]}, "drop: expected a port id"),
    ({"event": "set", "card": "dense", "port": "units", "value": "1" * 5000}, "set: a value of at most"),
    ({"event": "set", "card": "nope", "port": "units", "value": "1"}, "set: no such parameter"),
])
def test_malformed_edit_messages_are_refused_and_change_nothing(editor, message, words):
    before = to_document(editor.graph)
    editor._on_canvas_event(message)
    assert words in editor.status.value and to_document(editor.graph) == before


def test_a_nested_model_is_sent_as_a_frame_its_cards_are_drawn_in():
    import keras

    from nncards_widget import Group, from_keras

    block = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, name="squeeze")], name="block")
    x = keras.Input((4,), name="x")
    graph = from_keras(keras.Model(x, keras.layers.Dense(2, name="head")(block(x))))
    front = FrontEnd(CardEditor(graph))
    assert front.frames == {"block": {"label": "Sequential model block", "parent": None, "inputs": ["(None, 4)"], "outputs": ["(None, 4)"]}}
    assert front.cards["squeeze"]["frame"] == "block"
    assert "frame" not in front.cards["head"]
    graph.set_groups([Group("Functional", "tail", members=("head",))])
    message = front.last()
    assert message["frames"] == {"tail": {"label": "Functional model tail", "parent": None, "inputs": ["(None, 4)"], "outputs": ["(None, 2)"]}}
    assert set(message["cards"]) == {"squeeze", "head"}, "only the cards that changed frame are sent again"
    assert "frame" not in front.cards["squeeze"] and front.cards["head"]["frame"] == "tail"
    graph.set_groups([])
    assert front.frames == {} and "frame" not in front.cards["head"]


@pytest.fixture
def nested_editor():
    """An editor of a model nesting Sequential 'stem' (two Dense) inside functional model 'body'."""
    import keras

    from nncards_widget import from_keras

    stem = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, name="widen"), keras.layers.Dense(3, name="narrow")], name="stem")
    inner = keras.Input((6,))
    body = keras.Model(inner, keras.layers.Dense(2, name="inner_head")(stem(inner)), name="body")
    x = keras.Input((6,), name="x")
    return CardEditor(from_keras(keras.Model(x, keras.layers.Dense(1, name="head")(body(x)))))


def test_a_nested_models_frame_carries_the_shapes_it_takes_and_gives_and_follows_edits(nested_editor):
    front = FrontEnd(nested_editor)
    assert front.frames["stem"] == {"label": "Sequential model stem", "parent": "body", "inputs": ["(None, 6)"], "outputs": ["(None, 3)"]}
    assert (front.frames["body"]["inputs"], front.frames["body"]["outputs"]) == (["(None, 6)"], ["(None, 2)"])
    nested_editor.graph["narrow"].units = 7
    assert front.last()["frames"]["stem"]["outputs"] == ["(None, 7)"]


def test_a_click_on_a_frames_title_collapses_it_and_selecting_a_card_inside_opens_it(nested_editor):
    front = FrontEnd(nested_editor)
    assert front.view["collapsed"] == []
    tap(nested_editor, "card:widen")
    nested_editor._on_canvas_event({"event": "collapse", "frame": "stem", "collapsed": True})
    assert front.view["collapsed"] == ["stem"] and front.view["selected"] is None, "the selected card went out of sight"
    assert "Collapsed nested Sequential model 'stem'" in nested_editor.status.value
    nested_editor._on_canvas_event({"event": "collapse", "frame": "body", "collapsed": True})
    assert front.view["collapsed"] == ["body", "stem"]
    # Tab (or the search box, or a Summary row) choosing a card inside opens every model round it.
    nested_editor._on_canvas_event({"event": "key", "action": "next"})
    nested_editor._on_canvas_event({"event": "key", "action": "next"})
    assert front.view["selected"] == "widen" and front.view["collapsed"] == []
    nested_editor.collapse("body")
    nested_editor.collapse("body", collapsed=False)
    assert front.view["collapsed"] == [] and "Opened nested Functional model 'body'" in nested_editor.status.value


def test_a_collapsed_model_no_longer_in_the_graph_is_forgotten(nested_editor):
    front = FrontEnd(nested_editor)
    nested_editor.collapse("stem")
    nested_editor.graph.set_groups([group for name, group in nested_editor.graph.groups.items() if name != "stem"])
    assert front.view["collapsed"] == []


@pytest.mark.parametrize("message, words", [
    ({"event": "collapse", "frame": "nope", "collapsed": True}, "collapse: expected the name of a nested model. Received: 'nope'"),
    ({"event": "collapse", "frame": ["stem"], "collapsed": True}, "collapse: expected the name of a nested model"),
    ({"event": "collapse", "frame": "stem", "collapsed": "yes"}, "collapse: expected collapsed to be true or false. Received: 'yes'"),
])
def test_malformed_collapse_messages_are_refused_and_change_nothing(nested_editor, message, words):
    front = FrontEnd(nested_editor)
    nested_editor._on_canvas_event(message)
    assert words in nested_editor.status.value and front.view["collapsed"] == []


def test_collapsing_a_model_the_graph_does_not_have_says_which_it_has(nested_editor):
    with pytest.raises(ValueError, match=r"No nested model is named 'stems'; the graph's nested models: 'body', 'stem'\."):
        nested_editor.collapse("stems")


def test_displaying_an_editor_sends_every_record_ahead_so_its_view_need_not_ask():
    graph = CardGraph()
    graph.add("layer_Dense", key="dense", units=4)
    editor = CardEditor(graph)
    sent = []
    editor.canvas.send_records = sent.append
    editor._repr_mimebundle_()
    assert len(sent) == 1 and sent[0]["base"] is None and "dense" in sent[0]["cards"]
    editor._repr_mimebundle_()
    assert len(sent) == 1, "shown again, the canvas model has the records already"
    editor._on_canvas_event({"event": "ready", "revision": sent[0]["revision"]})
    assert len(sent) == 1, "a view whose model holds the last records is not sent them again"
    graph["dense"].units = 5
    assert sent[-1]["base"] == sent[0]["revision"]
    editor._on_canvas_event({"event": "ready", "revision": sent[0]["revision"]})
    assert sent[-1]["base"] is None, "a view holding older records gets every record"
    editor._on_canvas_event({"event": "ready", "revision": None})
    assert sent[-1]["base"] is None and len(sent) == 4


@pytest.mark.parametrize("revision", ["3", True, -1, 2.5])
def test_a_ready_event_with_a_revision_that_is_not_a_count_is_refused(editor, front, revision):
    count = len(front.messages)
    editor._on_canvas_event({"event": "ready", "revision": revision})
    assert "Ignored a canvas message: ready: expected the revision of the records held" in editor.status.value
    assert f"Received: revision={revision!r}" in editor.status.value
    assert len(front.messages) == count
