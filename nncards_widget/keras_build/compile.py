"""TrainingSettings -> a compiled keras.Model: optimizer, loss and metrics made afresh for each model.

A model is compiled once per settings: asking again for the same model with the same
settings keeps its optimizer (and its state), new settings compile it anew.
"""

from __future__ import annotations

import weakref

import keras

from ..graph.training import TrainingSettings

# model -> the settings it was compiled with.
_compiled_with: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_CROSSENTROPY = {
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
    "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
}


def optimizer_of(settings: TrainingSettings) -> keras.optimizers.Optimizer:
    clipping = {name: value for name, value in (("clipnorm", settings.clipnorm), ("clipvalue", settings.clipvalue)) if value is not None}
    if settings.optimizer == "sgd":
        return keras.optimizers.SGD(settings.learning_rate, momentum=settings.momentum, nesterov=settings.nesterov, **clipping)
    if settings.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(settings.learning_rate, momentum=settings.momentum, **clipping)
    return keras.optimizers.Adam(settings.learning_rate, **clipping)


def loss_of(settings: TrainingSettings):
    if settings.loss in _CROSSENTROPY:
        return _CROSSENTROPY[settings.loss](from_logits=settings.from_logits)
    return settings.loss


def compiled(model: keras.Model, settings: TrainingSettings) -> keras.Model:
    """`model`, compiled with `settings` unless it already is."""
    if _compiled_with.get(model) != settings:
        model.compile(optimizer=optimizer_of(settings), loss=loss_of(settings), metrics=list(settings.metrics))
        _compiled_with[model] = settings
    return model

