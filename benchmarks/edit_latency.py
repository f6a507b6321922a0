"""Time from a parameter edit to updated shapes and model, against a full rebuild.

For a 50-card chain and a ResNet50-sized graph, in one run, prints the median
time of: a full rebuild of the graph (every Keras object made anew), an edit of
the head (the last Dense), and an edit in the middle; and the ratios. Goal:
an edit at least 5x faster than a full rebuild on the ResNet50-sized graph.

    python benchmarks/edit_latency.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import chain_graph, resnet50_graph  # noqa: E402

from nncards_widget.keras_build.builder import Builder  # noqa: E402


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def full_rebuild(graph) -> None:
    result = Builder().build(graph)
    assert result.model is not None, result.errors


def edit(graph, card, name: str, values: tuple):
    """Flip a parameter between two values; each flip is one edit with an automatic rebuild."""
    state = {"index": values.index(getattr(card, name)) if getattr(card, name) in values else 1}

    def flip():
        state["index"] ^= 1
        model_before = graph.model
        setattr(card, name, values[state["index"]])
        assert graph.model is not model_before and graph.last_build.ok, graph.last_build

    return flip


def measure(label: str, graph, edits: dict, repeats: int) -> list[tuple]:
    layer_cards = sum(card.spec.kind == "layer" for card in graph.cards)
    full = median_seconds(lambda: full_rebuild(graph), max(3, repeats // 2))
    rows = [(label, layer_cards, "full rebuild", full, 1.0)]
    for edit_label, (card, name, values) in edits.items():
        seconds = median_seconds(edit(graph, card, name, values), repeats)
        rows.append((label, layer_cards, edit_label, seconds, full / seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats

    chain = chain_graph(50)
    denses = [card for card in chain.cards if card.spec.id == "layer_Dense"]
    resnet = resnet50_graph()
    convs = [card for card in resnet.cards if card.spec.id == "layer_Conv2D"]
    head = next(card for card in resnet.cards if card.spec.id == "layer_Dense")
    rows = measure(
        "50-card chain",
        chain,
        {
            "edit head (last Dense units)": (denses[-1], "units", (32, 64)),
            "edit middle (Dense 24 activation)": (denses[24], "activation", ("tanh", "relu")),
        },
        repeats,
    )
    rows += measure(
        "ResNet50-sized",
        resnet,
        {
            "edit head (Dense units)": (head, "units", (10, 1000)),
            "edit middle (a stage-3 conv activation)": (convs[len(convs) // 2], "activation", ("relu", "linear")),
            "edit first conv (filters)": (convs[0], "filters", (32, 64)),
        },
        repeats,
    )
    print(f"{'graph':16} {'layer cards':>11}  {'what':42} {'median':>10} {'full / this':>12}")
    for label, count, what, seconds, ratio in rows:
        print(f"{label:16} {count:>11}  {what:42} {seconds * 1000:>8.1f}ms {ratio:>11.1f}x")


if __name__ == "__main__":
    main()
