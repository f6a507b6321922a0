"""The editor's Train tab: settings both ways, Train / Pause / Stop, curves, traces on the cards,
the decision boundary, Evaluate, and Preview on a real sample."""

import threading

import numpy as np
import pytest

from point_classifier import point_classifier

from nncards_widget import CardEditor, datasets
from nncards_widget.training import FINISHED, STOPPED


@pytest.fixture
def editor():
    g = point_classifier(6)
    g.compile(learning_rate=0.05, loss="binary_crossentropy", metrics=["accuracy"])
    points, labels = datasets.circles(160, seed=0)
    held, held_labels = datasets.circles(40, seed=1)
    return CardEditor(g, data={"x": points, "y": labels, "x_test": held, "y_test": held_labels})


def test_the_train_tab_is_made_when_first_shown_with_the_arrays_and_settings_of_that_moment(editor):
    from nncards_widget.widget.train_panel import TrainPanel

    assert not any(isinstance(child, TrainPanel) for child in editor.side.children)
    assert editor.training_run is None
    editor.offer_data(x_more=np.zeros((4, 2)))
    editor.graph.compile(optimizer="sgd", learning_rate=0.02, momentum=0.5, loss="binary_crossentropy")
    editor.side.selected_index = editor.side.titles.index("Train")
    panel = editor.side.children[editor.side.selected_index]
    assert isinstance(panel, TrainPanel) and panel is editor.train_panel
    assert "x_more" in panel.x.options and panel.x.value == "x"
    assert (panel.optimizer.value, panel.learning_rate.value, panel.momentum.value) == ("sgd", 0.02, 0.5)


def test_settings_fields_and_compile_show_the_same_settings(editor):
    panel = editor.train_panel
    assert (panel.optimizer.value, panel.loss.value, panel.metrics.value) == ("adam", "binary_crossentropy", ("accuracy",))
    panel.optimizer.value = "sgd"
    panel.momentum.value = 0.9
    assert editor.graph.training.optimizer == "sgd" and editor.graph.training.momentum == 0.9
    panel.optimizer.value = "adam"  # momentum does not apply to Adam: it is dropped, not refused
    assert editor.graph.training.momentum == 0.0
    editor.graph.compile(optimizer="rmsprop", learning_rate=0.01, loss="huber")
    assert (panel.optimizer.value, panel.learning_rate.value, panel.loss.value, panel.metrics.value) == ("rmsprop", 0.01, "huber", ())


def test_train_button_trains_and_draws_curves_traces_and_the_boundary(editor):
    panel = editor.train_panel
    assert (panel.x.value, panel.y.value, panel.held_x.value, panel.held_y.value) == ("x", "y", "x_test", "y_test")
    panel.epochs.value, panel.batch_size.value, panel.validation_split.value = 3, 40, 0.25
    blank = np.array(panel.boundary.color).copy()
    panel.buttons["start"].click()
    run = editor.training_run
    assert run.wait(60) and run.state.status == FINISHED
    assert list(panel.loss_lines.x) == [1, 2, 3]
    assert np.array(panel.loss_lines.y).shape == (2, 3)  # train and validation
    assert panel.metric_figure.title == "Accuracy" and np.array(panel.metric_lines.y).shape == (2, 3)
    assert panel.progress.value == 1.0 and "Finished: epoch 3/3, batch 3/3" in panel.progress_text.value
    assert set(editor.sync._traces) == {"dense", "dense_1"} and len(editor.sync._traces["dense"]) == 3
    assert panel.boundary_figure.layout.display is None
    assert not np.array_equal(np.array(panel.boundary.color), blank)
    assert not panel.buttons["start"].disabled and panel.buttons["stop"].disabled
    panel.buttons["evaluate"].click()
    assert "loss" in panel.results.value and "accuracy" in panel.results.value and "40 held-out samples" in panel.results.value
    scores = editor.evaluate("x_test", "y_test")
    assert set(scores) == {"loss", "accuracy"}


def test_stop_pause_and_edits_while_it_trains(editor):
    panel = editor.train_panel
    paused = threading.Event()

    def pause_at_second_batch(run):
        if run.state.progress.batches_done >= 2 and not paused.is_set():
            run.pause()
            paused.set()

    editor.graph["dense"].units = 7  # something to undo
    run = editor.fit("x", "y", epochs=200, batch_size=8)
    run.on_update(pause_at_second_batch)
    assert paused.wait(60)
    assert panel.buttons["pause"].description == "Resume" and panel.buttons["start"].disabled
    assert editor.add_card("layer_Dense") is None
    assert "The model is training" in editor.status.value and len(editor.graph) == 4
    editor.undo()
    assert "The model is training" in editor.status.value and editor.graph["dense"].units == 7
    panel.buttons["pause"].click()  # resume
    panel.buttons["stop"].click()
    assert run.wait(60) and run.state.status == STOPPED
    assert run.state.progress.batches_done < 200 * 20
    assert editor.add_card("layer_Dropout") is not None


def test_refused_data_is_said_in_the_tab(editor):
    panel = editor.train_panel
    editor.offer_data(wide=np.zeros((10, 5)))
    panel.x.value = "wide"
    panel.buttons["start"].click()
    assert "x: Input 'input' takes samples of shape (2). Received: an array of shape (10, 5)" in panel.message.value
    assert editor.training_run is None and editor.graph.locked_by is None


def test_preview_uses_a_real_sample(editor):
    editor.preview(editor.graph["dense"])
    assert "from the first sample of 'x'" in editor.inspector.preview.value
    editor.preview_sample = np.array([0.5, -0.5])
    editor.preview(editor.graph["dense"])
    assert "editor.preview_sample" in editor.inspector.preview.value


def test_nesterov_clipping_and_from_logits_fields_set_the_settings_both_ways(editor):
    panel = editor.train_panel
    assert panel.nesterov.disabled and not panel.from_logits.disabled  # Adam; a crossentropy loss
    panel.optimizer.value = "sgd"
    panel.momentum.value = 0.9
    panel.nesterov.value = True
    panel.clipnorm.value = " 1.5 "
    panel.from_logits.value = True
    settings = editor.graph.training
    assert (settings.nesterov, settings.clipnorm, settings.clipvalue, settings.from_logits) == (True, 1.5, None, True)
    optimizer = editor.graph.model.optimizer
    assert (optimizer.nesterov, optimizer.clipnorm) == (True, 1.5)
    panel.clipnorm.value = ""  # empty: no clipping
    panel.clipvalue.value = "0.5"
    assert (editor.graph.training.clipnorm, editor.graph.training.clipvalue) == (None, 0.5)
    panel.loss.value = "huber"  # from_logits applies to crossentropy only: dropped, not refused
    assert panel.from_logits.disabled and editor.graph.training.from_logits is False
    editor.graph.compile(optimizer="rmsprop", momentum=0.5, clipvalue=2.0, loss="binary_crossentropy", from_logits=True)
    assert (panel.nesterov.value, panel.clipnorm.value, panel.clipvalue.value, panel.from_logits.value) == (False, "", "2.0", True)
    assert panel.nesterov.disabled and not panel.momentum.disabled


@pytest.mark.parametrize(
    "entered, message, correction, corrected",
    [
        ({"nesterov": True}, "Training setting 'nesterov' needs a momentum above 0.", {"momentum": 0.9}, {"nesterov": True, "momentum": 0.9}),
        ({"clipnorm": "0"}, "Training setting 'clipnorm': expected a number above 0.0. Received: 0.0", {"clipnorm": "3"}, {"clipnorm": 3.0}),
        ({"clipnorm": "-1"}, "Training setting 'clipnorm': expected a number above 0.0. Received: -1.0", {"clipnorm": "3"}, {"clipnorm": 3.0}),
        ({"clipvalue": "a lot"}, "Training setting 'clipvalue': expected a number above 0.0. Received: 'a lot'", {"clipvalue": "3"},
         {"clipvalue": 3.0}),
        ({"clipnorm": "1", "clipvalue": "0.5"}, "Training settings 'clipnorm' and 'clipvalue': set one of them, not both.",
         {"clipnorm": ""}, {"clipnorm": None, "clipvalue": 0.5}),
    ],
)
def test_a_refused_setting_is_said_beside_the_fields_and_nothing_is_lost(editor, entered, message, correction, corrected):
    panel = editor.train_panel
    panel.optimizer.value = "sgd"
    panel.learning_rate.value = 0.2
    *accepted, (refused, value) = entered.items()
    for field, accepted_value in accepted:
        getattr(panel, field).value = accepted_value
    before = editor.graph.training
    getattr(panel, refused).value = value
    assert message in panel.settings_message.value
    assert editor.graph.training == before, "the graph keeps its settings"
    assert getattr(panel, refused).value == value and panel.learning_rate.value == 0.2, "the fields keep what was entered"
    # Corrected, the whole of what was entered applies.
    for field, corrected_value in correction.items():
        getattr(panel, field).value = corrected_value
    assert panel.settings_message.value == ""
    assert editor.graph.training == before.with_changes(**corrected)


def test_validation_arrays_chosen_in_the_tab_replace_the_split(editor):
    panel = editor.train_panel
    points, labels = datasets.circles(50, seed=2)
    editor.offer_data(x_val=points, y_val=labels)
    panel.validation_x.value = "x_val"
    panel.buttons["start"].click()
    assert "Choose both validation arrays (x and y)" in panel.message.value and editor.training_run is None
    panel.validation_y.value = "y_val"
    assert panel.validation_split.disabled
    panel.epochs.value = 2
    panel.buttons["start"].click()
    run = editor.training_run
    assert run.wait(60) and run.state.status == FINISHED
    assert run.plan.samples == 160, "no split taken from the inputs"
    assert run.plan.validation[0] is editor.data["x_val"] and run.plan.validation[1] is editor.data["y_val"]
    assert len(run.history["val_loss"]) == 2 and np.array(panel.loss_lines.y).shape == (2, 2)
    panel.validation_x.value = panel.validation_y.value = "(none)"
    assert not panel.validation_split.disabled
