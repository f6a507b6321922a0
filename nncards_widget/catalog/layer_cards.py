"""Layer cards beyond the core ones in `cards.py`: convolutions, pooling, reshaping,
normalization, regularization, activations, attention, merge, recurrent, wrappers."""

from __future__ import annotations

LAYERS = ()
