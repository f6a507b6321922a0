"""Training settings live with the graph: checked where they enter, compiled into every new live model,
saved in the document; and edits refused while a training run holds the model."""

import keras
import numpy as np
import pytest

from point_classifier import point_classifier

from nncards_widget.graph import EditsLocked, TrainingSettings, TrainingSettingsError
from nncards_widget.io.document import DocumentError, from_document, to_document


def _mlp(units=4):
    return point_classifier(units, activation="relu")


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"optimizer": "adagrad"}, "'optimizer': expected one of sgd, adam, rmsprop. Received: 'adagrad'"),
        ({"learning_rate": 0}, "'learning_rate': expected a number above 0.0. Received: 0"),
        ({"learning_rate": float("nan")}, "'learning_rate': expected a number above 0.0"),
        ({"optimizer": "sgd", "momentum": 1.0}, "'momentum': expected a number at least 0.0 and below 1.0. Received: 1.0"),
        ({"momentum": 0.9}, "'momentum' applies to SGD and RMSprop, not adam"),
        ({"optimizer": "sgd", "nesterov": True}, "'nesterov' needs a momentum above 0"),
        ({"clipnorm": -1}, "'clipnorm': expected a number above 0.0. Received: -1"),
        ({"clipnorm": 1.0, "clipvalue": 0.5}, "'clipnorm' and 'clipvalue': set one of them, not both. Received: clipnorm=1.0, clipvalue=0.5"),
        ({"loss": "mse2"}, "'loss': expected one of mean_squared_error"),
        ({"metrics": "accuracy"}, "'metrics': expected a list of names. Received: 'accuracy'"),
        ({"metrics": ["accuracy", "accuracy"]}, "each metric once"),
        ({"metrics": ["f1"]}, "'metrics': expected one of accuracy"),
        ({"speed": 3}, "Unknown training settings ['speed']"),
    ],
)
def test_refused_settings_say_what_was_received_and_leave_the_graph_unchanged(settings, message):
    g = _mlp()
    before = g.training
    with pytest.raises(TrainingSettingsError, match=None) as refused:
        g.compile(**settings)
    assert message in str(refused.value)
    assert g.training is before


def test_the_live_model_comes_compiled_with_the_settings():
    g = _mlp()
    assert g.model.optimizer is not None  # the defaults: Adam on mean squared error
    g.compile(optimizer="sgd", learning_rate=0.05, momentum=0.9, nesterov=True, clipnorm=1.0,
              loss="binary_crossentropy", metrics=["accuracy"])
    model = g.model
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)
    assert model.optimizer.momentum == pytest.approx(0.9) and model.optimizer.nesterov
    assert model.optimizer.clipnorm == 1.0
    x, y = np.zeros((8, 2), "float32"), np.ones((8, 1), "float32")
    history = model.fit(x, y, epochs=1, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    assert g.model.optimizer is model.optimizer  # asked again: compiled once, its optimizer state kept


def test_a_new_model_after_an_edit_is_compiled_and_keeps_the_untouched_layers_weights():
    g = _mlp(units=4)
    g.compile(optimizer="rmsprop", learning_rate=0.01, momentum=0.5, loss="binary_crossentropy", metrics=["binary_accuracy"])
    first = g.model
    first.fit(np.random.default_rng(0).normal(size=(16, 2)), np.ones((16, 1)), epochs=1, verbose=0)
    hidden_before = [w.copy() for w in first.get_layer("dense").get_weights()]
    g["dense_1"].units = 1  # same shape as before: the head stays, only its activation changes below
    g["dense_1"].activation = "tanh"
    second = g.model
    assert second is not first
    assert isinstance(second.optimizer, keras.optimizers.RMSprop)
    assert float(second.optimizer.learning_rate) == pytest.approx(0.01)
    for before, after in zip(hidden_before, second.get_layer("dense").get_weights()):
        np.testing.assert_array_equal(before, after)
    second.fit(np.zeros((4, 2)), np.ones((4, 1)), epochs=1, verbose=0)


def test_settings_are_saved_and_old_documents_get_the_defaults():
    g = _mlp()
    g.compile(optimizer="sgd", learning_rate=0.1, loss="huber", metrics=["mean_absolute_error"])
    document = to_document(g)
    assert document["version"] == 1
    assert document["training"]["optimizer"] == "sgd" and document["training"]["metrics"] == ["mean_absolute_error"]
    loaded = from_document(document)
    assert loaded.training == g.training
    assert isinstance(loaded.model.optimizer, keras.optimizers.SGD)
    old = {key: value for key, value in document.items() if key != "training"}
    assert from_document(old).training == TrainingSettings()


def test_a_bad_training_field_is_a_document_error():
    document = to_document(_mlp())
    document["training"] = {"optimizer": "adam", "learning_rate": -1}
    with pytest.raises(DocumentError, match=r"document.training: Training setting 'learning_rate': expected a number above 0.0"):
        from_document(document)
    document["training"] = ["adam"]
    with pytest.raises(DocumentError, match="document.training: expected an object of training settings. Received: list"):
        from_document(document)


def test_a_locked_graph_refuses_every_model_edit_and_changes_nothing():
    g = _mlp()
    g.history.can_undo  # the history records edits from its first use on
    g["dense"].units = 5
    model = g.model
    g.lock("The model is training: press Stop or Pause before editing.")
    hidden = g["dense"]
    for edit in (
        lambda: g.add("layer_Dense"),
        lambda: g.remove(hidden),
        lambda: g.disconnect(g["input"], "data", hidden, "input"),
        lambda: setattr(hidden, "units", 9),
        lambda: g.compile(loss="huber"),
        lambda: g.history.undo(),
    ):
        with pytest.raises(EditsLocked, match="The model is training: press Stop"):
            edit()
    assert hidden.units == 5 and len(g) == 4 and len(g.connections) == 3
    hidden.position = (50.0, 20.0)  # moving a card does not touch the model
    assert g.model is model
    g.unlock()
    hidden.units = 9
    assert g.model is not model and g.history.can_undo
