"""Training in the background: history, Stop within one batch, Pause, edits refused while it trains,
and arguments checked before anything starts."""

import threading
import time

import keras
import numpy as np
import pytest

from point_classifier import point_classifier

from nncards_widget import datasets
from nncards_widget.graph import EditsLocked
from nncards_widget.training import FINISHED, PAUSED, STOPPED, TrainingDataError, TrainingRun, fit_plan, train
from nncards_widget.training.run import _Watch


def _classifier(hidden=8):
    g = point_classifier(hidden, name="point")
    g.compile(optimizer="adam", learning_rate=0.05, loss="binary_crossentropy", metrics=["accuracy"])
    return g


def test_a_run_records_train_and_validation_history_and_weight_norms():
    g = _classifier()
    x, y = datasets.circles(120, seed=1)
    run = train(g, fit_plan(g.model, x, y, validation_split=0.25, epochs=3, batch_size=30))
    assert run.wait(60)
    assert run.state.status == FINISHED and run.state.error is None
    assert set(run.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in run.history.values())
    assert run.state.progress.batches_done == 3 * 3 and run.state.progress.fraction == 1.0
    assert set(run.state.weight_norms) == {"dense", "dense_1"}
    assert all(len(norms) == 3 and norms[0] > 0 for norms in run.state.weight_norms.values())
    assert g.locked_by is None


def test_stop_takes_effect_within_one_batch_and_keeps_what_was_learnt():
    g = _classifier()
    x, y = datasets.xor(400, seed=2)
    seen = []

    def stop_at_third(run):
        seen.append(run.state.progress.batches_done)
        if run.state.progress.batches_done == 3:
            run.stop()

    before = g.model.get_layer("dense").get_weights()[0].copy()
    run = train(g, fit_plan(g.model, x, y, epochs=50, batch_size=10), update_interval=0.0)
    run.on_update(stop_at_third)
    assert run.wait(60)
    assert run.state.status == STOPPED
    assert run.state.progress.batches_done <= 4, "at most the batch that was running when Stop came"
    assert not np.array_equal(before, g.model.get_layer("dense").get_weights()[0])


def test_stop_from_the_kernel_thread_reaches_the_model_at_once():
    g = _classifier()
    x, y = datasets.xor(400, seed=2)
    at_third, go_on = threading.Event(), threading.Event()

    def hold_the_third_batch(run):
        if run.state.progress.batches_done == 3 and not at_third.is_set():
            at_third.set()
            go_on.wait(60)

    run = TrainingRun(g, fit_plan(g.model, x, y, epochs=50, batch_size=10), update_interval=0.0)
    run.on_update(hold_the_third_batch)
    run.start()
    assert at_third.wait(60)
    run.stop()
    # Set on the model by `stop` itself, not later by the training thread: `fit` ends after the batch it runs.
    assert run.model.stop_training is True
    go_on.set()
    assert run.wait(60) and run.state.status == STOPPED and run.state.progress.batches_done == 4


def test_the_watching_callback_leaves_batch_ends_to_keras():
    # A callback with its own on_train_batch_end makes Keras turn each batch's logs into numbers
    # on the training thread, where a thread-safe backend would hand them to a thread pool.
    assert _Watch.on_train_batch_end is keras.callbacks.Callback.on_train_batch_end
    assert _Watch.on_batch_end is keras.callbacks.Callback.on_batch_end


def test_time_left_is_unknown_until_a_batch_is_done():
    g = _classifier()
    x, y = datasets.circles(120, seed=1)
    seen = []
    run = TrainingRun(g, fit_plan(g.model, x, y, epochs=2, batch_size=30), update_interval=0.0)
    run.on_update(lambda run: seen.append((run.state.progress.batches_done, run.state.progress.remaining)))
    assert run.start().wait(60) and run.state.status == FINISHED
    assert seen[0] == (0, None)
    assert all(remaining is not None and remaining >= 0 for done, remaining in seen if done)
    assert seen[-1][0] == 2 * 4 and seen[-1][1] == 0.0


def test_edits_are_refused_while_it_trains_and_allowed_after():
    g = _classifier()
    x, y = datasets.blobs(200, seed=0)
    paused = threading.Event()

    def pause_once(run):
        if run.state.progress.batches_done == 2 and not paused.is_set():
            run.pause()
            paused.set()

    run = train(g, fit_plan(g.model, x, y, epochs=20, batch_size=10), update_interval=0.0)
    run.on_update(pause_once)
    assert paused.wait(60)
    assert run.state.status == PAUSED and run.running
    model = g.model
    with pytest.raises(EditsLocked, match="The model is training: press Stop"):
        g["dense"].units = 3
    with pytest.raises(EditsLocked):
        g.add("layer_Dense")
    assert g["dense"].units == 8 and g.model is model
    g["dense"].position = (10.0, 10.0)
    done = run.state.progress.batches_done
    run.stop()
    assert run.wait(60) and run.state.progress.batches_done <= done + 1
    g["dense"].units = 3
    assert g.model is not model and g.model.get_layer("dense").units == 3


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"x": np.zeros((10, 3)), "y": np.zeros(10)}, "x: Input 'point' takes samples of shape (2). Received: an array of shape (10, 3)"),
        ({"x": np.zeros((10, 2)), "y": np.zeros(9)}, "y: expected 10 targets, one per sample. Received: 9"),
        ({"x": np.zeros((10, 2)), "y": np.zeros(10), "epochs": 0}, "epochs: expected a whole number, at least 1. Received: epochs=0"),
        ({"x": np.zeros((10, 2)), "y": np.zeros(10), "validation_split": 1.0}, "validation_split: expected a fraction from 0 to below 1"),
        ({"x": np.zeros((10, 2)), "y": np.zeros(10), "validation_split": 0.95}, "leaves 10 to validate and 0 to train"),
        ({"x": {"other": np.zeros((10, 2))}, "y": np.zeros(10)}, "x: expected arrays for the Inputs ['point']. Received: ['other']"),
        ({"x": np.array(["a", "b"]), "y": np.zeros(2)}, "x: expected an array of numbers with a sample axis. Received: dtype <U1"),
    ],
)
def test_fit_arguments_are_checked_before_anything_starts(arguments, message):
    g = _classifier()
    with pytest.raises(TrainingDataError) as refused:
        fit_plan(g.model, **arguments)
    assert message in str(refused.value)
    assert g.locked_by is None


def test_listeners_hear_at_a_bounded_rate_and_once_at_the_end():
    g = _classifier()
    x, y = datasets.spirals(200, seed=0)
    heard = []
    run = train(g, fit_plan(g.model, x, y, epochs=8, batch_size=4), update_interval=0.2)
    run.on_update(lambda run: heard.append((run.running, time.monotonic())))
    assert run.wait(120)
    assert run.state.progress.batches_done == 8 * 50
    # While it runs, updates come at least `update_interval` apart; the last (it ended) comes at once.
    during = [at for running, at in heard if running]
    gaps = [later - earlier for earlier, later in zip(during, during[1:])]
    assert min(gaps, default=0.2) >= 0.2 - 1e-3, gaps
    assert heard[-1][0] is False and [running for running, _ in heard].count(False) == 1
