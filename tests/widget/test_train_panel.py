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
