"""Registration of our classes for `.keras` files, and the argument checks they share."""

from __future__ import annotations

import numbers

import keras

# Saved as "nncards_widget>ClassName": a `.keras` file loads once `nncards_widget` is imported.
serializable = keras.saving.register_keras_serializable(package="nncards_widget")


def is_integer(value) -> bool:
    """True for Python and NumPy integers, False for booleans."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value) -> bool:
    """True for Python and NumPy integers and floats, False for booleans."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
