"""Keras 3 versions of classes that Keras 3 dropped and the cards need.

`LocallyConnected1D`, `LocallyConnected2D`, `ThresholdedReLU` and
`RadialConstraint`, and `Identity` (Keras 3's forgets its gain when
saved), registered under the package "nncards_widget": a `.keras`
file that uses them loads once `nncards_widget` is imported.
"""

from .constraints import RadialConstraint
from .initializers import Identity
from .locally_connected import LocallyConnected1D, LocallyConnected2D
from .thresholded_relu import ThresholdedReLU

__all__ = ["Identity", "LocallyConnected1D", "LocallyConnected2D", "RadialConstraint", "ThresholdedReLU"]
