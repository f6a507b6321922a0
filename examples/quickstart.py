"""The seed card in context: Input 28x28x1 -> Locally connected 2D -> Flatten -> Dense -> Output.

Builds the graph from plain Python, prints each card's output shape and parameter
count, shows the clear message a mistake gets, trains one epoch on generated data,
and saves the graph to quickstart_graph.json. `make demo` runs this.
"""

import numpy as np

from nncards_widget import CardGraph, load, save

g = CardGraph()
x = g.add("input", name="image", shape=[28, 28, 1])
lc = g.add("layer_LocallyConnected2D", filters=3, kernel_size=[5, 5], activation="relu")
init = g.add("initializer_GlorotNormal", seed=1)
l2 = g.add("regularizer_l2", l=1e-4)
flat = g.add("layer_Flatten")
head = g.add("layer_Dense", units=10, activation="softmax")
y = g.add("output", name="digit")
g.connect(x, "data", lc, "input")
g.connect(init, "initializer_instance", lc, "kernel_initializer")
g.connect(l2, "regularizer_instance", lc, "kernel_regularizer")
g.connect(lc, "output", flat, "input")
g.connect(flat, "output", head, "input")
g.connect(head, "output", y, "data")

for card in g.cards:
    shapes = ", ".join(f"{port} {shape}" for port, shape in card.output_shapes.items()) or "-"
    print(f"{card.title:30} {shapes:32} params: {card.param_count if card.param_count is not None else '-'}")

lc.kernel_size = (40, 40)
print("\nWith a 40x40 kernel:", lc.error)
lc.kernel_size = (5, 5)

rng = np.random.default_rng(0)
images = rng.random((512, 28, 28, 1), dtype=np.float32)
labels = (images[:, :14].mean(axis=(1, 2, 3)) > images[:, 14:].mean(axis=(1, 2, 3))).astype(int)
model = g.model
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(images, labels, epochs=1, batch_size=64, verbose=0)
print(f"\nTrained one epoch on generated data: loss {history.history['loss'][-1]:.3f}")

save(g, "quickstart_graph.json")
again = load("quickstart_graph.json")
print("Saved and loaded quickstart_graph.json:", again["locally_connected_2d"].output_shapes)
