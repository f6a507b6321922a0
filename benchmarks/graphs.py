"""Card graphs of known sizes for the benchmarks: a chain and a ResNet50-shaped network."""

from __future__ import annotations

from nncards_widget import CardGraph


def chain_graph(cards: int = 50) -> CardGraph:
    """Input -> (cards - 2) Dense layers -> Output."""
    g = CardGraph()
    with g.hold():
        previous, port = g.add("input", shape=[64]), "data"
        for _ in range(cards - 2):
            dense = g.add("layer_Dense", units=64, activation="relu")
            g.connect(previous, port, dense, "input")
            previous, port = dense, "output"
        g.connect(previous, port, g.add("output"), "data")
    return g


def resnet50_graph() -> CardGraph:
    """The layer structure of keras.applications.ResNet50: 176 layer cards plus Input and Output."""
    g = CardGraph()

    def chain(source, card_id, **params):
        card = g.add(card_id, **params)
        g.connect(source, "data" if source.spec.kind == "input" else "output", card, "input")
        return card

    def conv_bn(source, filters, kernel, strides=1, padding="valid", relu=True):
        conv = chain(source, "layer_Conv2D", filters=filters, kernel_size=[kernel, kernel],
                     strides=[strides, strides], padding=padding)
        bn = chain(conv, "layer_BatchNormalization", axis=3, epsilon=1.001e-5)
        return chain(bn, "layer_Activation", activation="relu") if relu else bn

    def block(source, filters, strides=1, conv_shortcut=True):
        shortcut = conv_bn(source, 4 * filters, 1, strides, relu=False) if conv_shortcut else source
        x = conv_bn(source, filters, 1, strides)
        x = conv_bn(x, filters, 3, padding="same")
        x = conv_bn(x, 4 * filters, 1, relu=False)
        add = g.add("mergeLayer2_Add")
        g.connect(shortcut, "output", add, "input_a")
        g.connect(x, "output", add, "input_b")
        return chain(add, "layer_Activation", activation="relu")

    with g.hold():
        x = g.add("input", shape=[224, 224, 3])
        x = chain(x, "layer_ZeroPadding2D", **_pad(3))
        x = conv_bn(x, 64, 7, strides=2)
        x = chain(x, "layer_ZeroPadding2D", **_pad(1))
        x = chain(x, "layer_MaxPooling2D", pool_size=[3, 3], strides=[2, 2])
        for filters, blocks, first_strides in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
            x = block(x, filters, first_strides)
            for _ in range(blocks - 1):
                x = block(x, filters, conv_shortcut=False)
        x = chain(x, "layer_GlobalAveragePooling2D")
        head = chain(x, "layer_Dense", units=1000, activation="softmax")
        g.connect(head, "output", g.add("output"), "data")
    return g


def _pad(amount: int) -> dict:
    ports = ("at_the_beginning_of_dimension_1", "at_the_end_of_dimension_1",
             "at_the_beginning_of_dimension_2", "at_the_end_of_dimension_2")
    return dict.fromkeys(ports, amount)
