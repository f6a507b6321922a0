"""`TrainingRun`: the graph's model trained in a background thread, to be paused, stopped and watched.

The kernel stays free while the model learns: `model.fit` runs in a thread of its own. Stop
sets the model's `stop_training` at once, which `fit` reads after the batch that is running; a
Keras callback honours Pause before each batch and records progress, and at each epoch's end
the history of every loss and metric and each layer's weight norm. The callback has no
`on_train_batch_end`: a callback with one makes Keras turn every batch's logs into numbers on
the training thread, which backends that allow it (JAX, PyTorch) otherwise leave to a thread
pool; on TensorFlow Keras does it on the training thread either way.
Listeners hear of it at a bounded rate (`update_interval`), and once more when the run ends,
so that a view updating a widget never floods the comm.

While the run lives, the graph refuses edits that would rebuild the model (CardGraph.lock):
the model being trained is never changed under it.

Under a `tf.distribute` strategy the model is copied into the strategy's scope, trained there,
and its weights copied back into the graph's layers after every epoch and at the end.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import keras
import numpy as np

from ..keras_build.compile import compiled
from .data import FitPlan

LOCKED = "The model is training: press Stop (or wait for the end) before changing the network or its training settings."

# States of a run.
RUNNING, PAUSED, STOPPED, FINISHED, FAILED = "running", "paused", "stopped", "finished", "failed"


@dataclass
class Progress:
    """Where a run is: epoch and batch (counted from 1), the time spent and an estimate of the time left."""

    epoch: int = 0
    epochs: int = 0
    batch: int = 0
    batches: int = 0
    elapsed: float = 0.0
    remaining: float | None = None
    batches_done: int = 0

    @property
    def fraction(self) -> float:
        total = self.epochs * self.batches
        return self.batches_done / total if total else 0.0


@dataclass
class RunState:
    """What listeners read: the state, progress, the per-epoch history and the layers' weight norms."""

    status: str = RUNNING
    progress: Progress = field(default_factory=Progress)
    history: dict[str, list[float]] = field(default_factory=dict)
    weight_norms: dict[str, list[float]] = field(default_factory=dict)
    error: str | None = None


class TrainingRun:
    """One training of the graph's model; made and started by `train` (or `CardEditor.fit`)."""

    def __init__(self, graph, plan: FitPlan, *, strategy=None, update_interval: float = 0.25):
        self.graph = graph
        self.plan = plan
        self.update_interval = float(update_interval)
        self.state = RunState(progress=Progress(epochs=plan.epochs, batches=plan.batches_per_epoch))
        self.model = graph.model
        # The model `fit` trains (a copy under a strategy), once made: Stop sets its `stop_training`.
        self._trained: keras.Model | None = None
        self._strategy = strategy
        self._listeners: list[Callable[[TrainingRun], None]] = []
        self._resume = threading.Event()
        self._resume.set()
        self._stop = threading.Event()
        self._last_update = 0.0
        self._ended = False
        self._thread = threading.Thread(target=self._run, name="nncards-training", daemon=True)

    # Control (any thread)

    def start(self) -> TrainingRun:
        self.graph.lock(LOCKED)
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def pause(self) -> None:
        """Wait after the running batch until `resume` (or `stop`)."""
        if self.state.status == RUNNING:
            self._resume.clear()
            self.state.status = PAUSED
            self._notify(force=True)

    def resume(self) -> None:
        if self.state.status == PAUSED:
            self.state.status = RUNNING
            self._resume.set()
            self._notify(force=True)

    def stop(self) -> None:
        """End the run after the running batch (when paused: the batch about to start); the weights stay as they are then."""
        self._stop.set()
        if self._trained is not None:
            self._trained.stop_training = True
        self._resume.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the run ends (or `timeout` seconds); whether it has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        """Started and not yet ended (listeners hear of the end with this already False)."""
        return self._thread.ident is not None and not self._ended

    def on_update(self, callback: Callable[[TrainingRun], None], remove: bool = False) -> None:
        """Call `callback(run)` at most every `update_interval` seconds while it trains, and when it ends
        (from the training thread)."""
        if remove:
            self._listeners.remove(callback)
        else:
            self._listeners.append(callback)

    @property
    def history(self) -> dict[str, list[float]]:
        """Per epoch: "loss" and each metric, and "val_..." of each when there is validation data."""
        return self.state.history

    # The training thread

    def _run(self) -> None:
        try:
            trained = self._trained = self._trained_model()
            plan = self.plan
            trained.fit(
                plan.x, plan.y, validation_data=plan.validation, epochs=plan.epochs, batch_size=plan.batch_size,
                shuffle=plan.shuffle, verbose=0, callbacks=[_Watch(self, trained)],
            )
            self._copy_back(trained)
            self.state.status = STOPPED if self._stop.is_set() else FINISHED
        except Exception as error:  # noqa: BLE001 - reported to the listeners; the graph is unlocked below
            self.state.status, self.state.error = FAILED, f"{type(error).__name__}: {error}"
        finally:
            self.graph.unlock()
            self._ended = True
            self._notify(force=True)

    def _trained_model(self) -> keras.Model:
        if self._strategy is None:
            return self.model
        with self._strategy.scope():
            copy = keras.models.clone_model(self.model)
            copy.set_weights(self.model.get_weights())
            return compiled(copy, self.graph.training)

    def _copy_back(self, trained: keras.Model) -> None:
        if trained is not self.model:
            self.model.set_weights(trained.get_weights())

    def _batch_begins(self, trained: keras.Model, epoch: int, batch: int) -> None:
        progress = self.state.progress
        progress.epoch, progress.batch = epoch + 1, batch + 1
        self._count(progress, epoch * progress.batches + batch)
        # `fit` clears `stop_training` as it starts, which a Stop that came before may have set.
        if self._stop.is_set():
            trained.stop_training = True
            return
        self._notify()
        if not self._resume.is_set():
            self._notify(force=True)
            self._resume.wait()
            # The pause does not count as training time.
            self._started = time.perf_counter() - progress.elapsed
        if self._stop.is_set():
            trained.stop_training = True

    def _count(self, progress: Progress, batches_done: int) -> None:
        """Progress after `batches_done` batches; the time left is unknown until one is done."""
        progress.batches_done = batches_done
        progress.elapsed = time.perf_counter() - self._started
        left = progress.epochs * progress.batches - batches_done
        progress.remaining = progress.elapsed / batches_done * left if batches_done else None

    def _epoch_ended(self, trained: keras.Model, epoch: int, batches: int, logs: dict) -> None:
        """After `batches` batches of `epoch` (fewer than all when it was stopped)."""
        progress = self.state.progress
        progress.epoch, progress.batch = epoch + 1, batches
        self._count(progress, epoch * progress.batches + batches)
        for name, value in logs.items():
            self.state.history.setdefault(name, []).append(float(value))
        for layer in trained.layers:
            if layer.weights:
                norm = float(np.sqrt(sum(float(np.sum(np.square(w))) for w in layer.get_weights())))
                self.state.weight_norms.setdefault(layer.name, []).append(norm)
        if trained is not self.model:
            self._copy_back(trained)
        # Not forced: short epochs (a toy set trains hundreds a second) would flood the comm; the
        # next update, or the last one, carries this epoch's values.
        self._notify()

    def _notify(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last_update < self.update_interval:
            return
        self._last_update = now
        for listener in list(self._listeners):
            listener(self)


class _Watch(keras.callbacks.Callback):
    """The run's eyes inside `fit`: before each batch and at each epoch's end (see the module's doc
    for why not after each batch)."""

    def __init__(self, run: TrainingRun, trained: keras.Model):
        super().__init__()
        self._run, self._trained, self._epoch, self._batches = run, trained, 0, 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch, self._batches = epoch, 0

    def on_train_batch_begin(self, batch, logs=None):
        self._run._batch_begins(self._trained, self._epoch, batch)
        # Every batch begun is trained: a Stop ends the epoch after it.
        self._batches = batch + 1

    def on_epoch_end(self, epoch, logs=None):
        self._run._epoch_ended(self._trained, epoch, self._batches, logs or {})


def train(graph, plan: FitPlan, *, strategy: Any = None, update_interval: float = 0.25) -> TrainingRun:
    """Start training the graph's model as `plan` says, in the background; the run, already started."""
    return TrainingRun(graph, plan, strategy=strategy, update_interval=update_interval).start()
