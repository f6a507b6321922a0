"""nncards_widget: build a Keras network from cards on a canvas, with a live model in the kernel.

    >>> from nncards_widget import CardGraph
    >>> g = CardGraph()
    >>> x = g.add("input", shape=[28, 28, 1])
    >>> lc = g.add("layer_LocallyConnected2D", filters=3, kernel_size=[5, 5])
    >>> g.connect(x, "data", lc, "input")
    >>> lc.output_shapes["output"]
    (None, 24, 24, 3)
"""

from . import catalog, layers
from .graph import Card, CardGraph, Connection, ConnectionRefused, ParameterError
from .io.document import DocumentError, load, save

__all__ = [
    "Card",
    "CardGraph",
    "Connection",
    "ConnectionRefused",
    "DocumentError",
    "ParameterError",
    "catalog",
    "layers",
    "load",
    "save",
]
