"""The card catalog: every card's spec, looked up by its Protopipe id.

    >>> from nncards_widget import catalog
    >>> spec = catalog.get("layer_LocallyConnected2D")
    >>> [port.name for port in spec.inputs][:3]
    ['filters', 'kernel_size', 'strides']
"""

from __future__ import annotations

from . import keras_layer_cards, preprocessing_cards
from .cards import CONSTRAINTS, CORE_LAYERS, ENDPOINTS, INITIALIZERS, KERAS_INITIALIZERS, KERAS_REGULARIZERS, REGULARIZERS
from .layer_cards import LAYERS
from .spec import CardSpec, Choice, PortSpec

# Protopipe's cards first, each group followed by Keras 3's cards beyond them.
_CARDS: dict[str, CardSpec] = {
    spec.id: spec
    for spec in ENDPOINTS
    + CORE_LAYERS
    + LAYERS
    + keras_layer_cards.LAYERS
    + preprocessing_cards.LAYERS
    + INITIALIZERS
    + KERAS_INITIALIZERS
    + REGULARIZERS
    + KERAS_REGULARIZERS
    + CONSTRAINTS
}


def get(card_id: str) -> CardSpec:
    """The spec of the card `card_id` (e.g. "layer_Dense")."""
    try:
        return _CARDS[card_id]
    except KeyError:
        raise KeyError(
            f"Unknown card {card_id!r}. Expected one of the catalog's ids, e.g. 'layer_Dense' "
            f"(catalog.all() lists {len(_CARDS)})."
        ) from None


def all() -> tuple[CardSpec, ...]:
    """Every card of the catalog, endpoints first, then layers, initializers, regularizers, constraints."""
    return tuple(_CARDS.values())


def ids() -> tuple[str, ...]:
    return tuple(_CARDS)


__all__ = ["CardSpec", "Choice", "PortSpec", "all", "get", "ids"]
