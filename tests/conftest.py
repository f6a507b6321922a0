"""Shared test helpers. One interpreter runs every test, so TensorFlow is imported once."""

import pytest

from nncards_widget import CardGraph


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


@pytest.fixture
def list_merge():
    """The id of a card whose 'Inputs' port takes any number of tensors: the Concatenate of any number."""
    return "keras_Concatenate"
