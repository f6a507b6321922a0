"""Shared test helpers. One interpreter runs every test, so TensorFlow is imported once."""

import pytest

from nncards_widget import CardGraph, catalog
from nncards_widget.catalog.ports import LAYER_OUTPUTS
from nncards_widget.catalog.spec import CALL_LIST, INTEGER, LIST, TENSOR, CardSpec, PortSpec


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


# A merge card with a list port of tensors, as issue 15's merges will have; the catalog itself has none yet.
LIST_MERGE = CardSpec(
    id="test_ConcatenateList",
    title="Concatenate (list) test card",
    category=("Tests",),
    kind="layer",
    factory="keras.layers.Concatenate",
    inputs=(
        PortSpec("Inputs", TENSOR, multiplicity=LIST, help="The tensors to join, in the order they were connected."),
        PortSpec("Axis", INTEGER, default=-1, help="The axis along which the tensors are joined."),
    ),
    outputs=LAYER_OUTPUTS,
    help="Joins any number of tensors along an axis.",
    call=CALL_LIST,
)


@pytest.fixture
def list_merge(monkeypatch):
    """The id of a test card whose 'Inputs' port takes any number of tensors."""
    monkeypatch.setitem(catalog._CARDS, LIST_MERGE.id, LIST_MERGE)
    return LIST_MERGE.id
