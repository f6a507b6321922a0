"""Shared test helpers. One interpreter runs every test, so TensorFlow is imported once."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest  # noqa: E402

from nncards_widget import CardGraph  # noqa: E402
from nncards_widget.catalog.spec import BOOLEAN, FLOAT, INTEGER, PortSpec  # noqa: E402


def other_value(port: PortSpec):
    """A valid value of `port` that differs from its default."""
    if port.choices is not None:
        return next(value for value in port.choice_values() if value != port.default)
    if port.type == BOOLEAN:
        return not port.default
    if port.type == INTEGER:
        low = int(port.minimum) if port.minimum is not None else 0
        if port.is_list:
            count = port.lengths[0] if port.lengths else max(len(port.default), 1)
            return tuple(low + 2 + index for index in range(count))
        return low + 2 if port.default != low + 2 else low + 3
    if port.type == FLOAT:
        low = port.minimum if port.minimum is not None else 0.0
        high = port.maximum if port.maximum is not None else low + 1.0
        value = low + (high - low) * 0.375
        return value if value != port.default else low + (high - low) * 0.625
    return "renamed"


@pytest.fixture
def seed_graph():
    """Input(28, 28, 1) -> Locally connected 2D (3 filters, 5x5) -> Flatten -> Dense(10) -> Output."""
    g = CardGraph()
    with g.hold():
        x = g.add("input", shape=[28, 28, 1], name="image")
        lc = g.add("layer_LocallyConnected2D", filters=3, kernel_size=[5, 5])
        flat = g.add("layer_Flatten")
        head = g.add("layer_Dense", units=10, activation="softmax")
        y = g.add("output", name="digit")
        g.connect(x, "data", lc, "input")
        g.connect(lc, "output", flat, "input")
        g.connect(flat, "output", head, "input")
        g.connect(head, "output", y, "data")
    return g
