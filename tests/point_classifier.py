"""The network the training tests teach: 2-D points -> Dense(units) -> Dense(1, sigmoid) -> Output."""

from nncards_widget import CardGraph


def point_classifier(units: int = 8, activation: str = "tanh", **input_params) -> CardGraph:
    g = CardGraph()
    with g.hold():
        x = g.add("input", shape=[2], **input_params)
        hidden = g.add("layer_Dense", units=units, activation=activation)
        head = g.add("layer_Dense", units=1, activation="sigmoid")
        y = g.add("output")
        g.connect(x, "data", hidden, "input")
        g.connect(hidden, "output", head, "input")
        g.connect(head, "output", y, "data")
    return g
