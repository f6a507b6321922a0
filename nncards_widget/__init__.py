"""nncards_widget: build a Keras network from cards on a canvas, with a live model in the kernel.

    >>> from nncards_widget import CardGraph
    >>> g = CardGraph()
    >>> x = g.add("input", shape=[28, 28, 1])
    >>> lc = g.add("layer_LocallyConnected2D", filters=3, kernel_size=[5, 5])
    >>> g.connect(x, "data", lc, "input")
    >>> lc.output_shapes["output"]
    (None, 24, 24, 3)
"""

from ._tensorflow_import import import_tensorflow_quietly

import_tensorflow_quietly()

from . import catalog, layers  # noqa: E402
from .graph import Card, CardGraph, Connection, ConnectionRefused, Group, GroupError, ParameterError  # noqa: E402
from .io.document import DocumentError, from_document, load, save, to_document  # noqa: E402
from .io.keras_import import KerasImportError, from_keras  # noqa: E402
from .io.python_export import ExportError, to_python  # noqa: E402
from .widget import CardEditor  # noqa: E402

__all__ = [
    "Card",
    "CardEditor",
    "CardGraph",
    "Connection",
    "ConnectionRefused",
    "DocumentError",
    "ExportError",
    "Group",
    "GroupError",
    "KerasImportError",
    "ParameterError",
    "catalog",
    "from_document",
    "from_keras",
    "layers",
    "load",
    "save",
    "to_document",
    "to_python",
]
