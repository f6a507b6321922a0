"""A model using all four classes saves to a `.keras` file and loads back the same."""

import keras
import numpy as np

from nncards_widget.layers import Identity, LocallyConnected1D, LocallyConnected2D, RadialConstraint, ThresholdedReLU


def _model_with_all_four():
    inputs = keras.Input((8, 8, 2))
    x = keras.layers.Conv2D(4, 3, padding="same", kernel_constraint=RadialConstraint())(inputs)
    x = LocallyConnected2D(
        3, 3, strides=(1, 2), padding="same", activation="relu", kernel_regularizer=keras.regularizers.L2(0.01),
        kernel_constraint=keras.constraints.NonNeg(), bias_initializer="random_normal",
    )(x)
    x = ThresholdedReLU(0.1)(x)
    x = keras.layers.Reshape((8, 12))(x)
    x = LocallyConnected1D(2, 3, strides=2, data_format="channels_first", use_bias=False)(x)
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(x))
    return keras.Model(inputs, outputs)


def test_a_trained_model_round_trips_with_identical_outputs_and_configs(tmp_path, rng):
    model = _model_with_all_four()
    model.compile("sgd", "mse")
    model.fit(rng.random((6, 8, 8, 2)), rng.random((6, 1)), epochs=1, verbose=0)
    sample = rng.random((3, 8, 8, 2)).astype("float32")
    expected = model.predict(sample, verbose=0)

    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")

    np.testing.assert_array_equal(loaded.predict(sample, verbose=0), expected)
    for original, again in zip(model.layers, loaded.layers, strict=True):
        assert type(again) is type(original)
        assert again.get_config() == original.get_config()
    assert isinstance(loaded.layers[1].kernel_constraint, RadialConstraint)


def test_classes_are_registered_under_the_package_name():
    for cls in (LocallyConnected1D, LocallyConnected2D, ThresholdedReLU, RadialConstraint):
        name = f"nncards_widget>{cls.__name__}"
        assert keras.saving.get_registered_name(cls) == name
        assert keras.saving.get_registered_object(name) is cls


def test_the_identity_initializer_keeps_its_gain_in_a_keras_file(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(3, kernel_initializer=Identity(gain=0.5))(inputs))
    model.save(tmp_path / "identity.keras")
    loaded = keras.models.load_model(tmp_path / "identity.keras")
    assert loaded.layers[-1].kernel_initializer.gain == 0.5
