"""`TrainingSettings`: how the graph's model learns (optimizer, loss, metrics), checked where they enter.

The settings are plain data that live with the graph and are saved with it: the Keras
objects are made from them by keras_build/compile.py, afresh for every new live model.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

# Optimizer name -> the settings that apply to it besides learning rate and clipping.
OPTIMIZERS = {"sgd": ("momentum", "nesterov"), "adam": (), "rmsprop": ("momentum",)}
LOSSES = (
    "mean_squared_error",
    "mean_absolute_error",
    "huber",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
)
METRICS = (
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "mean_absolute_error",
    "mean_squared_error",
)

HELP = {
    "optimizer": f"How the weights move: one of {', '.join(OPTIMIZERS)}.",
    "learning_rate": "Step size of the optimizer (a number above 0).",
    "momentum": "How much of the previous step each step keeps, from 0 to below 1 (SGD and RMSprop).",
    "nesterov": "SGD only: look ahead along the momentum before taking the gradient.",
    "clipnorm": "If set, each weight's gradient is scaled down to at most this norm (a number above 0).",
    "clipvalue": "If set, each gradient value is clipped to [-clipvalue, clipvalue] (a number above 0; not with clipnorm).",
    "loss": f"What training minimises: one of {', '.join(LOSSES)}.",
    "from_logits": "Crossentropy losses: the model outputs logits (no sigmoid or softmax on its last layer).",
    "metrics": f"Also reported while training: any of {', '.join(METRICS)}.",
}


class TrainingSettingsError(ValueError):
    """A training setting that is refused; says what was received and what is expected."""


@dataclass(frozen=True)
class TrainingSettings:
    """Optimizer, loss and metrics of a graph's model. Immutable: `with_changes` makes a new one."""

    optimizer: str = "adam"
    learning_rate: float = 0.001
    momentum: float = 0.0
    nesterov: bool = False
    clipnorm: float | None = None
    clipvalue: float | None = None
    loss: str = "mean_squared_error"
    from_logits: bool = False
    metrics: tuple[str, ...] = ()

    def __post_init__(self):
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _choice("loss", self.loss, LOSSES)
        _number("learning_rate", self.learning_rate, above=0.0)
        _number("momentum", self.momentum, at_least=0.0, below=1.0)
        for name in ("clipnorm", "clipvalue"):
            if getattr(self, name) is not None:
                _number(name, getattr(self, name), above=0.0)
        for name in ("nesterov", "from_logits"):
            if not isinstance(getattr(self, name), bool):
                raise TrainingSettingsError(f"Training setting {name!r}: expected True or False. Received: {getattr(self, name)!r:.80}")
        if isinstance(self.metrics, str) or not isinstance(self.metrics, (list, tuple)):
            raise TrainingSettingsError(f"Training setting 'metrics': expected a list of names. Received: {self.metrics!r:.80}")
        for metric in self.metrics:
            _choice("metrics", metric, METRICS)
        if len(set(self.metrics)) != len(self.metrics):
            raise TrainingSettingsError(f"Training setting 'metrics': each metric once. Received: {list(self.metrics)}")
        object.__setattr__(self, "metrics", tuple(self.metrics))
        object.__setattr__(self, "learning_rate", float(self.learning_rate))
        object.__setattr__(self, "momentum", float(self.momentum))
        if self.momentum and "momentum" not in OPTIMIZERS[self.optimizer]:
            raise TrainingSettingsError(
                f"Training setting 'momentum' applies to SGD and RMSprop, not {self.optimizer}. Received: momentum={self.momentum}"
            )
        if self.nesterov and "nesterov" not in OPTIMIZERS[self.optimizer]:
            raise TrainingSettingsError(f"Training setting 'nesterov' applies to SGD only, not {self.optimizer}.")
        if self.nesterov and not self.momentum:
            raise TrainingSettingsError("Training setting 'nesterov' needs a momentum above 0.")
        # Keras's optimizers take one way of clipping.
        if self.clipnorm is not None and self.clipvalue is not None:
            raise TrainingSettingsError(
                f"Training settings 'clipnorm' and 'clipvalue': set one of them, not both. "
                f"Received: clipnorm={self.clipnorm}, clipvalue={self.clipvalue}"
            )

    def with_changes(self, **changes: Any) -> TrainingSettings:
        """These settings with some changed (each checked); unknown names are refused."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise TrainingSettingsError(f"Unknown training settings {unknown}. Expected some of: {', '.join(HELP)}.")
        return TrainingSettings(**{**asdict(self), **changes})

    def to_json(self) -> dict:
        return {**asdict(self), "metrics": list(self.metrics)}

    @classmethod
    def from_json(cls, value: Any, where: str = "training") -> TrainingSettings:
        if not isinstance(value, dict):
            raise TrainingSettingsError(f"{where}: expected an object of training settings. Received: {type(value).__name__}")
        try:
            return cls().with_changes(**value)
        except (TypeError, TrainingSettingsError) as error:
            raise TrainingSettingsError(f"{where}: {error}") from None


def _choice(name: str, value: Any, allowed) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise TrainingSettingsError(f"Training setting {name!r}: expected one of {', '.join(allowed)}. Received: {value!r:.80}")


def _number(name: str, value: Any, *, above: float | None = None, at_least: float | None = None, below: float | None = None) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (above is None or value > above) and (at_least is None or value >= at_least) and (below is None or value < below)
    if not ok:
        bounds = " and ".join(
            text for text in (
                f"above {above}" if above is not None else "",
                f"at least {at_least}" if at_least is not None else "",
                f"below {below}" if below is not None else "",
            ) if text
        )
        raise TrainingSettingsError(f"Training setting {name!r}: expected a number {bounds}. Received: {value!r:.80}")
