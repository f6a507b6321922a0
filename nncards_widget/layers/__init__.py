"""Keras 3 classes that Keras 3 dropped and the cards need, registered for `.keras` files.

`LocallyConnected1D`, `LocallyConnected2D`, `ThresholdedReLU`, `RadialConstraint`.
"""

from .constraints import RadialConstraint
from .locally_connected import LocallyConnected1D, LocallyConnected2D
from .thresholded_relu import ThresholdedReLU

__all__ = ["LocallyConnected1D", "LocallyConnected2D", "RadialConstraint", "ThresholdedReLU"]
