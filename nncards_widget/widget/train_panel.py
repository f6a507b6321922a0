"""The Train tab: training settings, the data to learn from, Start / Pause / Stop, and what it learns.

Curves and the decision boundary are bqplot figures (ipywidgets whose marks update by
trait), fed from the training run's listener, which the run calls at a bounded rate: at most
every `update_interval` seconds, so a fast run never floods the comm. The decision boundary
(the model's output over a grid, as the TensorFlow Playground draws it) is shown when the
model takes 2-D points.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any, Callable

import bqplot as bq
import ipywidgets as w
import numpy as np

from ..graph import EditsLocked, TrainingSettingsError
from ..graph.training import HELP, LOSSES, METRICS, OPTIMIZERS
from ..keras_build.compile import CROSSENTROPY_CLASSES
from ..training import FAILED, PAUSED, RUNNING, TrainingDataError, TrainingRun, fit_plan
from .buttons import toolbar_buttons

NO_ARRAY = "(none)"
# Grid points along each axis of the decision boundary.
BOUNDARY_STEPS = 30
# The decision boundary is recomputed at most this often (seconds): it costs a prediction over the grid.
BOUNDARY_INTERVAL = 1.0
_STYLE = {"description_width": "110px"}


def _wide() -> w.Layout:
    """A layout of its own for each field: closing an editor closes its fields' layouts."""
    return w.Layout(width="98%")


def _curve_figure(title: str) -> tuple[bq.Figure, bq.Lines]:
    x, y = bq.LinearScale(), bq.LinearScale()
    lines = bq.Lines(
        x=[], y=[], scales={"x": x, "y": y}, colors=["#1565c0", "#ef6c00"], labels=["train", "validation"],
        display_legend=True, marker="circle", marker_size=16,
    )
    figure = bq.Figure(
        marks=[lines], axes=[bq.Axis(scale=x, label="epoch"), bq.Axis(scale=y, side="left")],
        title=title, legend_location="top-right", legend_style={"fill": "white", "fill-opacity": 0.7}, animation_duration=0,
        layout=w.Layout(width="98%", height="220px"), fig_margin={"top": 40, "bottom": 40, "left": 50, "right": 10},
    )
    return figure, lines


def _boundary_figure() -> tuple[bq.Figure, bq.HeatMap, bq.Scatter]:
    x, y = bq.LinearScale(), bq.LinearScale()
    heat = bq.HeatMap(
        x=np.zeros(2), y=np.zeros(2), color=np.zeros((2, 2)),
        scales={"x": x, "y": y, "color": bq.ColorScale(scheme="RdBu", min=0.0, max=1.0)},
    )
    points = bq.Scatter(
        x=[], y=[], color=[], scales={"x": x, "y": y, "color": bq.ColorScale(colors=["#ef6c00", "#1565c0"])},
        default_size=16, stroke="#263238",
    )
    figure = bq.Figure(
        marks=[heat, points], axes=[bq.Axis(scale=x), bq.Axis(scale=y, side="left")],
        title="Decision boundary", animation_duration=0, layout=w.Layout(width="98%", height="300px"),
        fig_margin={"top": 40, "bottom": 30, "left": 40, "right": 10},
    )
    return figure, heat, points


class TrainPanel(w.VBox):
    """The Train tab of a `CardEditor`. `data` is the editor's dict of named arrays (shared, not copied);
    `show_traces(card key -> values)` draws the layers' weight norms on their cards."""

    def __init__(self, graph, data: dict[str, np.ndarray], show_traces: Callable[[dict], None], *, update_interval: float = 0.25):
        self.graph = graph
        self.data = data
        self.update_interval = update_interval
        self._show_traces = show_traces
        self.run: TrainingRun | None = None
        self._epochs_drawn = -1
        self._boundary_at = 0.0
        self._boundary_grid: np.ndarray | None = None

        def dropdown(description, help_text, options, value):
            return w.Dropdown(description=description, tooltip=help_text, options=options, value=value, style=_STYLE, layout=_wide())

        settings = graph.training
        self.optimizer = dropdown("Optimizer", HELP["optimizer"], list(OPTIMIZERS), settings.optimizer)
        self.learning_rate = w.BoundedFloatText(description="Learning rate", tooltip=HELP["learning_rate"], value=settings.learning_rate,
                                                min=1e-7, max=10.0, step=0.001, style=_STYLE, layout=_wide())
        self.momentum = w.BoundedFloatText(description="Momentum", tooltip=HELP["momentum"], value=settings.momentum,
                                           min=0.0, max=0.999, step=0.05, style=_STYLE, layout=_wide())
        self.nesterov = w.Checkbox(description="Nesterov", tooltip=HELP["nesterov"], value=settings.nesterov, indent=False)
        # Text, not a number field: empty means no clipping.
        self.clipnorm, self.clipvalue = (
            w.Text(description=description, tooltip=HELP[name], placeholder="off", value=_shown_number(getattr(settings, name)),
                   continuous_update=False, style=_STYLE, layout=_wide())
            for name, description in (("clipnorm", "Clip norm"), ("clipvalue", "Clip value"))
        )
        self.loss = dropdown("Loss", HELP["loss"], list(LOSSES), settings.loss)
        self.from_logits = w.Checkbox(description="From logits", tooltip=HELP["from_logits"], value=settings.from_logits, indent=False)
        self.metrics = w.SelectMultiple(description="Metrics", tooltip=HELP["metrics"], options=list(METRICS),
                                        value=settings.metrics, rows=3, style=_STYLE, layout=_wide())
        self._settings_fields = (
            self.optimizer, self.learning_rate, self.momentum, self.nesterov, self.clipnorm, self.clipvalue,
            self.loss, self.from_logits, self.metrics,
        )
        for field in self._settings_fields:
            field.observe(self._on_setting, names="value")

        self.x = dropdown("Inputs (x)", "The array of samples to learn from (arrays handed to the editor)", [], None)
        self.y = dropdown("Targets (y)", "The array of targets, one per sample", [], None)
        self.held_x = dropdown("Held-out x", "Samples kept out of training, for Evaluate", [NO_ARRAY], NO_ARRAY)
        self.held_y = dropdown("Held-out y", "Targets of the held-out samples", [NO_ARRAY], NO_ARRAY)
        self.validation_x = dropdown("Validation x", "Samples to validate on each epoch, instead of a split of the inputs",
                                     [NO_ARRAY], NO_ARRAY)
        self.validation_y = dropdown("Validation y", "Targets of the validation samples", [NO_ARRAY], NO_ARRAY)
        for chooser in (self.validation_x, self.validation_y):
            chooser.observe(self._show_validation, names="value")
        self.epochs = w.BoundedIntText(description="Epochs", tooltip="Passes over the training samples", value=20, min=1,
                                       max=100_000, style=_STYLE, layout=_wide())
        self.batch_size = w.BoundedIntText(description="Batch size", tooltip="Samples per weight update", value=32, min=1,
                                           max=1_000_000, style=_STYLE, layout=_wide())
        self.validation_split = w.BoundedFloatText(
            description="Validation split", value=0.2, min=0.0, max=0.9, step=0.05, style=_STYLE, layout=_wide(),
            tooltip="Fraction of the samples (from the end) kept to validate each epoch, when no validation arrays are chosen",
        )
        self.shuffle = w.Checkbox(description="Shuffle", value=True, indent=False, tooltip="Shuffle the samples every epoch")

        self.buttons = toolbar_buttons(self, (
            ("start", "Train", "play", "Train the model on the chosen arrays, in the background"),
            ("pause", "Pause", "pause", "Pause after the running batch (press again to resume)"),
            ("stop", "Stop", "stop", "Stop after the running batch; the weights stay as they are"),
            ("evaluate", "Evaluate", "check", "Loss and metrics of the model on the held-out arrays"),
        ), "nncards-train-")
        self.progress = w.FloatProgress(value=0.0, min=0.0, max=1.0, description="", layout=_wide())
        self.progress_text = w.HTML()
        self.progress_text.add_class("nncards-train-progress")
        self.message = w.HTML()
        self.message.add_class("nncards-train-message")
        # Beside the fields, so that a refused setting is read where it was typed.
        self.settings_message = w.HTML()
        self.settings_message.add_class("nncards-train-settings-message")
        self.results = w.HTML()
        self.results.add_class("nncards-train-results")
        self.loss_figure, self.loss_lines = _curve_figure("Loss")
        self.metric_figure, self.metric_lines = _curve_figure("Metric")
        self.boundary_figure, self.boundary, self.boundary_points = _boundary_figure()
        self.boundary_figure.layout.display = "none"
        self.metric_figure.layout.display = "none"
        super().__init__([
            w.HTML("<b>Settings</b>"), *self._settings_fields, self.settings_message,
            w.HTML("<b>Data</b>"), self.x, self.y, self.epochs, self.batch_size,
            self.validation_split, self.validation_x, self.validation_y, self.shuffle,
            w.HBox([self.buttons["start"], self.buttons["pause"], self.buttons["stop"]]),
            self.progress, self.progress_text, self.message,
            self.loss_figure, self.metric_figure, self.boundary_figure,
            w.HTML("<b>Evaluate</b>"), self.held_x, self.held_y, self.buttons["evaluate"], self.results,
        ], layout=w.Layout(width="100%"))
        self.add_class("nncards-train")
        self.offer_data()
        self._show_applicable()
        self._show_buttons()

    # Settings

    def _on_setting(self, change) -> None:
        """Every field's change sends all the fields to the graph. A refused combination (Nesterov
        without momentum, a clip of 0) is said and left in the fields to be corrected, while the
        graph keeps its settings; the fields that do not apply are sent as their defaults."""
        self._show_applicable()
        applies = OPTIMIZERS[self.optimizer.value]
        changes = {
            "optimizer": self.optimizer.value, "learning_rate": self.learning_rate.value, "loss": self.loss.value,
            "metrics": tuple(self.metrics.value),
            "momentum": self.momentum.value if "momentum" in applies else 0.0,
            "nesterov": self.nesterov.value and "nesterov" in applies,
            "clipnorm": _entered_number(self.clipnorm.value), "clipvalue": _entered_number(self.clipvalue.value),
            "from_logits": self.from_logits.value and self.loss.value in CROSSENTROPY_CLASSES,
        }
        try:
            self.graph.check_unlocked()
        except EditsLocked as refused:
            self.show_settings()
            self._say(str(refused), error=True, where=self.settings_message)
            return
        try:
            self.graph.training = self.graph.training.with_changes(**changes)
        except TrainingSettingsError as refused:
            self._say(str(refused), error=True, where=self.settings_message)
            return
        self._say("", where=self.settings_message)

    def _show_applicable(self) -> None:
        """Grey out the fields that the chosen optimizer or loss does not use."""
        applies = OPTIMIZERS[self.optimizer.value]
        self.momentum.disabled = "momentum" not in applies
        self.nesterov.disabled = "nesterov" not in applies
        self.from_logits.disabled = self.loss.value not in CROSSENTROPY_CLASSES

    def show_settings(self) -> None:
        """Show the graph's training settings (after `CardGraph.compile`, a load, or a change refused while it trains)."""
        settings = self.graph.training
        for field in self._settings_fields:
            field.unobserve(self._on_setting, names="value")
        try:
            self.optimizer.value, self.learning_rate.value = settings.optimizer, settings.learning_rate
            self.momentum.value, self.nesterov.value = settings.momentum, settings.nesterov
            self.clipnorm.value, self.clipvalue.value = _shown_number(settings.clipnorm), _shown_number(settings.clipvalue)
            self.loss.value, self.from_logits.value, self.metrics.value = settings.loss, settings.from_logits, settings.metrics
        finally:
            for field in self._settings_fields:
                field.observe(self._on_setting, names="value")
        self._show_applicable()
        self._say("", where=self.settings_message)

    # Data

    def offer_data(self) -> None:
        """Show the editor's arrays in the choosers (after `CardEditor.offer_data`)."""
        names = list(self.data)
        choosers = (
            (self.x, None), (self.y, None), (self.held_x, NO_ARRAY), (self.held_y, NO_ARRAY),
            (self.validation_x, NO_ARRAY), (self.validation_y, NO_ARRAY),
        )
        for chooser, fallback in choosers:
            current = chooser.value
            chooser.options = names if fallback is None else [fallback, *names]
            if current in chooser.options:
                chooser.value = current
        for chooser, guess in ((self.x, "x"), (self.y, "y"), (self.held_x, "x_test"), (self.held_y, "y_test")):
            if chooser.value in (None, NO_ARRAY) and guess in names:
                chooser.value = guess

    def _show_validation(self, _) -> None:
        """Validation arrays, when chosen, replace the split."""
        self.validation_split.disabled = (self.validation_x.value, self.validation_y.value) != (NO_ARRAY, NO_ARRAY)

    def _array(self, value: Any, what: str):
        if isinstance(value, str):
            if value not in self.data:
                raise TrainingDataError(f"{what}: no array named {value!r}; arrays handed to the editor: {sorted(self.data) or 'none'}")
            return self.data[value]
        return value

    # Training

    def fit(self, x, y, *, validation_data=None, validation_split: float = 0.0, epochs: int = 1, batch_size: int = 32,
            shuffle: bool = True, strategy=None) -> TrainingRun:
        """Start training in the background and watch it here; `x` and `y` are arrays or names of the editor's arrays."""
        if self.run is not None and self.run.running:
            raise TrainingDataError("A training run is going on: stop it first.")
        x, y = self._array(x, "x"), self._array(y, "y")
        if validation_data is not None:
            validation_data = (self._array(validation_data[0], "validation_data x"), self._array(validation_data[1], "validation_data y"))
        plan = fit_plan(self.graph.model, x, y, validation_data=validation_data, validation_split=validation_split,
                        epochs=epochs, batch_size=batch_size, shuffle=shuffle)
        self._prepare(plan)
        run = TrainingRun(self.graph, plan, strategy=strategy, update_interval=self.update_interval)
        run.on_update(self._on_update)
        self.run = run.start()
        self._show_buttons()
        return run

    def _prepare(self, plan) -> None:
        self._epochs_drawn = -1
        self._boundary_at = 0.0
        self.results.value = ""
        self.loss_lines.x, self.loss_lines.y = [], []
        self.metric_lines.x, self.metric_lines.y = [], []
        self.progress.value = 0.0
        two_d = not isinstance(plan.x, dict) and plan.x.ndim == 2 and plan.x.shape[1] == 2
        self.boundary_figure.layout.display = None if two_d else "none"
        self._boundary_grid = None
        if two_d:
            low, high = plan.x.min(axis=0), plan.x.max(axis=0)
            margin = (high - low) * 0.1
            xs = np.linspace(low[0] - margin[0], high[0] + margin[0], BOUNDARY_STEPS)
            ys = np.linspace(low[1] - margin[1], high[1] + margin[1], BOUNDARY_STEPS)
            self.boundary.x, self.boundary.y = xs, ys
            self._boundary_grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2).astype(np.float32)
            shown = slice(0, 400)
            self.boundary_points.x, self.boundary_points.y = plan.x[shown, 0], plan.x[shown, 1]
            self.boundary_points.color = np.asarray(plan.y[shown]).reshape(len(plan.x[shown]), -1)[:, 0].astype(float)
            self._draw_boundary(plan)

    def _on_start(self, _) -> None:
        chosen = (self.validation_x.value, self.validation_y.value)
        if chosen == (NO_ARRAY, NO_ARRAY):
            validation = {"validation_split": self.validation_split.value}
        elif NO_ARRAY in chosen:
            self._say("Choose both validation arrays (x and y), or neither to validate on a split of the inputs.", error=True)
            return
        else:
            validation = {"validation_data": chosen}
        try:
            self.fit(self.x.value, self.y.value, epochs=self.epochs.value, batch_size=self.batch_size.value,
                     shuffle=self.shuffle.value, **validation)
        except (TrainingDataError, EditsLocked) as refused:
            self._say(str(refused), error=True)
            return
        self._say("Training…")

    def _on_pause(self, _) -> None:
        if self.run is None:
            return
        if self.run.state.status == PAUSED:
            self.run.resume()
        else:
            self.run.pause()
        self._show_buttons()

    def _on_stop(self, _) -> None:
        if self.run is not None:
            self.run.stop()

    def _show_buttons(self) -> None:
        active = self.run is not None and self.run.running
        paused = active and self.run.state.status == PAUSED
        self.buttons["start"].disabled = active
        self.buttons["pause"].disabled = self.buttons["stop"].disabled = not active
        self.buttons["pause"].description, self.buttons["pause"].icon = ("Resume", "play") if paused else ("Pause", "pause")
        self.buttons["evaluate"].disabled = active

    def _on_update(self, run: TrainingRun) -> None:
        """From the training thread, at most every `update_interval` seconds (and when the run ends)."""
        state, progress = run.state, run.state.progress
        self.progress.value = progress.fraction
        left = "" if progress.remaining is None else f", about {_duration(progress.remaining)} left"
        self.progress_text.value = (
            f"<span data-status='{state.status}'>{state.status.capitalize()}: epoch {progress.epoch}/{progress.epochs}, "
            f"batch {progress.batch}/{progress.batches}{left if state.status in (RUNNING, PAUSED) else ''}</span>"
        )
        epochs = len(state.history.get("loss", ()))
        if epochs != self._epochs_drawn:
            self._epochs_drawn = epochs
            self._draw_curves(state.history)
            self._show_traces({key: values for key, values in state.weight_norms.items() if key in _keys(self.graph)})
        if self._boundary_grid is not None and (time.perf_counter() - self._boundary_at > BOUNDARY_INTERVAL or not run.running):
            self._draw_boundary(run.plan, run.model)
        if state.status == FAILED:
            self._say(f"Training failed: {state.error}", error=True)
        elif not run.running:
            self._say(f"Training {state.status} after {progress.batches_done} batches ({_duration(progress.elapsed)}).")
        self._show_buttons()

    def _draw_curves(self, history: dict) -> None:
        epochs = np.arange(1, len(history.get("loss", ())) + 1)
        for lines, name in ((self.loss_lines, "loss"), (self.metric_lines, _metric_name(history))):
            if name not in history:
                continue
            curves = np.array([history[name]] + ([history[f"val_{name}"]] if f"val_{name}" in history else []), dtype=float)
            # bqplot squeezes arrays, so a single epoch's point is drawn as the same point twice.
            shown_epochs, curves = (np.repeat(epochs, 2), np.repeat(curves, 2, axis=1)) if len(epochs) == 1 else (epochs, curves)
            with lines.hold_sync():
                lines.x = shown_epochs
                lines.y = curves
        metric = _metric_name(history)
        if metric is not None:
            self.metric_figure.title = metric.replace("_", " ").capitalize()
            self.metric_figure.layout.display = None

    def _draw_boundary(self, plan, model=None) -> None:
        model = model if model is not None else self.graph.model
        self._boundary_at = time.perf_counter()
        output = np.asarray(model(self._boundary_grid, training=False))
        values = output.reshape(len(self._boundary_grid), -1)
        # One sigmoid unit: its value; several (softmax): the probability of the last class.
        self.boundary.color = values[:, -1].reshape(BOUNDARY_STEPS, BOUNDARY_STEPS)

    # Evaluation

    def evaluate(self, x, y) -> dict[str, float]:
        """Loss and metrics of the model on held-out arrays (or names of the editor's arrays), shown under Evaluate."""
        if self.run is not None and self.run.running:
            raise TrainingDataError("The model is training: stop it before evaluating.")
        plan = fit_plan(self.graph.model, self._array(x, "x"), self._array(y, "y"))
        scores = self.graph.model.evaluate(plan.x, plan.y, verbose=0, return_dict=True)
        rows = "".join(f"<tr><td>{escape(name)}</td><td>{value:.4f}</td></tr>" for name, value in scores.items())
        self.results.value = f"<table>{rows}</table><small>on {plan.samples} held-out samples</small>"
        return {name: float(value) for name, value in scores.items()}

    def _on_evaluate(self, _) -> None:
        if NO_ARRAY in (self.held_x.value, self.held_y.value):
            self._say("Choose the held-out arrays to evaluate on (hand them to the editor with offer_data).", error=True)
            return
        try:
            self.evaluate(self.held_x.value, self.held_y.value)
        except TrainingDataError as refused:
            self._say(str(refused), error=True)

    def _say(self, text: str, error: bool = False, where: w.HTML | None = None) -> None:
        """Show `text` in the message line under the buttons, or in `where`."""
        colour = "#c62828" if error else "#37474f"
        (where or self.message).value = f'<span style="color:{colour}">{escape(text, quote=False)}</span>' if text else ""


def _shown_number(value: float | None) -> str:
    return "" if value is None else repr(value)


def _entered_number(text: str) -> Any:
    """A clip field's number: empty is no clipping; text that is not a number is handed on as it is,
    for TrainingSettings to refuse with its message."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _keys(graph) -> set[str]:
    return {card.key for card in graph.cards}


def _metric_name(history: dict) -> str | None:
    return next((name for name in history if name != "loss" and not name.startswith("val_")), None)


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s"
