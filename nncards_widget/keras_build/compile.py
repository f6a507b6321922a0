"""TrainingSettings -> a compiled keras.Model: optimizer, loss and metrics made afresh for each model.

A model is compiled once per settings: asking again for the same model with the same
settings keeps its optimizer (and its state), new settings compile it anew.
"""

from __future__ import annotations

import weakref

import keras

from ..graph.training import OPTIMIZERS, TrainingSettings

# model -> the settings it was compiled with.
_compiled_with: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

OPTIMIZER_CLASSES = {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop}
CROSSENTROPY_CLASSES = {
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
    "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
}


def optimizer_arguments(settings: TrainingSettings) -> dict:
    """The keyword arguments of the optimizer's class (`OPTIMIZER_CLASSES`) that the settings give it."""
    arguments = {"learning_rate": settings.learning_rate}
    arguments.update({name: getattr(settings, name) for name in OPTIMIZERS[settings.optimizer]})
    arguments.update({name: getattr(settings, name) for name in ("clipnorm", "clipvalue") if getattr(settings, name) is not None})
    return arguments


def optimizer_of(settings: TrainingSettings) -> keras.optimizers.Optimizer:
    return OPTIMIZER_CLASSES[settings.optimizer](**optimizer_arguments(settings))


def loss_of(settings: TrainingSettings):
    if settings.loss in CROSSENTROPY_CLASSES:
        return CROSSENTROPY_CLASSES[settings.loss](from_logits=settings.from_logits)
    return settings.loss


def compiled(model: keras.Model, settings: TrainingSettings) -> keras.Model:
    """`model`, compiled with `settings` unless it already is."""
    if _compiled_with.get(model) != settings:
        model.compile(optimizer=optimizer_of(settings), loss=loss_of(settings), metrics=list(settings.metrics))
        _compiled_with[model] = settings
    return model

