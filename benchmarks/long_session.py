"""A long session on real-size networks: memory over many edits, costs that should not grow with
the graph, and loading documents of thousands of cards. Prints figures and ratios side by side.

- Memory: toggling `filters` of ResNet50's `conv5_block3_1_conv` (keras.applications, weights=None,
  imported with from_keras) --edits times; the growth of the process (after a garbage collection)
  and of the live Keras layers. Goal: under 100 MB in all for 1000 edits. Also with the model asked
  for after each edit, as an editor's summary does.
- Size: DenseNet201 (710 cards) against MobileNetV2 (157): a one-card edit near the output (the
  final Dense's units, which makes new weights: 1920 x 1000 against 1280 x 1000; and its activation,
  which keeps them), a build with nothing changed, and port clicks (the compatible ports of the
  final Dense's output, and of a new card's free input). Goal: each at most 1.5x; a click under 50 ms.
- Load: documents of unconnected cards, and of a chain whose connections are listed in reverse
  order, at two sizes. Goal: 20000 cards in under 10 s; per-card time at the larger size within
  1.5x of that at the smaller. For the chain, beside it: Keras's own `Model.from_config` of the
  loaded model's config (the same layers made and called, with no cards), the floor of any load
  that makes the model.

    python benchmarks/long_session.py [--quick] [--edits N] [--only memory,size,load]

Runs against whichever nncards_widget is imported first (PYTHONPATH=<a checkout> for "before").
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from nncards_widget import from_document, from_keras  # noqa: E402
from nncards_widget.widget.interaction import CanvasInteraction  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def live_layers() -> int:
    gc.collect()
    return sum(isinstance(obj, keras.layers.Layer) for obj in gc.get_objects())


def median_ms(action, repeats: int) -> float:
    """The median time of `action` after two runs to warm up."""
    action()
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def toggle(card, name: str, values: tuple):
    """An action flipping a parameter between two values: one edit, and its rebuild, each time."""

    def flip():
        setattr(card, name, values[1] if getattr(card, name) == values[0] else values[0])

    return flip


# Memory


def memory(edits: int, asked: int) -> None:
    graph = from_keras(keras.applications.ResNet50(weights=None))
    flip = toggle(graph["conv5_block3_1_conv"], "filters", (512, 256))
    print(f"\nMemory: ResNet50 ({len(graph)} cards), filters of conv5_block3_1_conv toggled")
    print(f"{'edits':>8} {'model asked':>12} {'start MB':>9} {'end MB':>8} {'growth MB':>10} {'per edit':>9} {'layers':>12}")
    for count, ask in ((edits, False), (asked, True)):
        layers, start = live_layers(), rss_mb()
        for _ in range(count):
            flip()
            if ask:
                assert graph.model is not None
        after_layers, end = live_layers(), rss_mb()
        print(
            f"{count:>8} {'every edit' if ask else 'never':>12} {start:>9.0f} {end:>8.0f} {end - start:>10.1f} "
            f"{(end - start) / count:>7.2f}MB {layers:>5} -> {after_layers:<5}"
        )


# Size


def _clicks(graph, card, port: str):
    """An action working out the ports a click on `card`'s `port` lights up, and how many it finds."""
    interaction = CanvasInteraction(graph)
    interaction.handle({"event": "tap", "id": f"port:{card.key}:{port}"})
    return interaction.compatible_ports, len(interaction.compatible_ports())


def size(repeats: int) -> None:
    """Each action timed on both graphs in turn, so that the machine's ups and downs fall on both alike."""
    graphs = {name: from_keras(getattr(keras.applications, name)(weights=None)) for name in ("MobileNetV2", "DenseNet201")}
    cards = {name: len(graph) for name, graph in graphs.items()}
    actions, lit = {}, {}
    for name, graph in graphs.items():
        head = graph["predictions"]
        output_click, output_lit = _clicks(graph, head, "output")
        input_click, input_lit = _clicks(graph, graph.add("layer_Dense", key="bench_loose"), "input")
        lit[name] = (output_lit, input_lit)
        actions[name] = {
            "edit near the output (final Dense units)": toggle(head, "units", (1000, 999)),
            "edit near the output (its activation)": toggle(head, "activation", ("softmax", "linear")),
            "build with nothing changed": graph.build,
            "click: final Dense's output": output_click,
            "click: a new card's free input": input_click,
        }
    small, large = graphs
    print(f"\nSize: {small} ({cards[small]} cards) against {large} ({cards[large]} cards), median of {repeats}, taken in turn")
    print(f"{'':44} {small:>12} {large:>12} {'ratio':>7}")
    for what in actions[small]:
        times = {name: [] for name in graphs}
        for _ in range(repeats):
            for name in graphs:
                times[name].append(median_ms(actions[name][what], 1))
        a, b = statistics.median(times[small]), statistics.median(times[large])
        print(f"{what:44} {a:>10.3f}ms {b:>10.3f}ms {b / a:>6.2f}x")
    print(f"{'  ports lit (output click, input click)':44} {str(lit[small]):>12} {str(lit[large]):>12}")


# Load


def _document(cards: int, chain: bool) -> str:
    """`cards` unconnected Dense cards; or Input -> Activation ... -> Output, connections listed last to first."""
    if not chain:
        entries = [{"key": f"d{i}", "card": "layer_Dense", "params": {"units": 4}} for i in range(cards)]
        return json.dumps({"format": "nncards_widget.graph", "version": 1, "cards": entries, "connections": []})
    keys = ["x"] + [f"a{i}" for i in range(cards - 2)] + ["y"]
    entries = [{"key": "x", "card": "input", "params": {"shape": [4]}}]
    entries += [{"key": key, "card": "layer_Activation", "params": {"activation": "relu"}} for key in keys[1:-1]]
    entries.append({"key": "y", "card": "output"})
    links = [
        {"source": a, "source_port": "data" if a == "x" else "output", "target": b, "target_port": "data" if b == "y" else "input"}
        for a, b in zip(keys, keys[1:])
    ]
    return json.dumps({"format": "nncards_widget.graph", "version": 1, "cards": entries, "connections": links[::-1]})


def load(sizes: tuple[int, int]) -> None:
    print(f"\nLoad: from_document of the JSON text (parse, check, add, connect, build)")
    print(f"{'document':40} {'cards':>7} {'seconds':>8} {'per card':>10} {'per card vs smaller':>20} {'keras from_config':>18}")
    for chain in (False, True):
        label = "chain, connections in reverse order" if chain else "unconnected Dense cards"
        first = None
        for cards in sizes:
            text = _document(cards, chain)
            gc.collect()
            start = time.perf_counter()
            graph = from_document(text)
            seconds = time.perf_counter() - start
            assert len(graph) == cards
            per_card = seconds / cards * 1e6
            ratio = "" if first is None else f"{per_card / first:.2f}x"
            first = per_card if first is None else first
            keras_own = f"{_keras_rebuild_seconds(graph):>7.2f} s, {seconds / _keras_rebuild_seconds.last:.2f}x" if chain else ""
            print(f"{label:40} {cards:>7} {seconds:>8.2f} {per_card:>8.0f}us {ratio:>20} {keras_own:>18}")
            del graph


def _keras_rebuild_seconds(graph) -> float:
    """Seconds Keras takes to make the graph's model again from its config."""
    config = graph.model.get_config()
    gc.collect()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + 2 * len(graph))  # Keras walks the chain recursively, as for ours
    start = time.perf_counter()
    keras.Model.from_config(config)
    _keras_rebuild_seconds.last = time.perf_counter() - start
    sys.setrecursionlimit(limit)
    return _keras_rebuild_seconds.last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer edits, repeats and cards")
    parser.add_argument("--edits", type=int, help="memory edits (default 1000, quick 100)")
    parser.add_argument("--load-sizes", help="two document sizes, e.g. 2000,20000")
    parser.add_argument("--only", default="memory,size,load", help="which parts to run")
    options = parser.parse_args()
    parts = options.only.split(",")
    if "memory" in parts:
        edits = options.edits or (100 if options.quick else 1000)
        memory(edits, max(10, edits // 10))
    if "size" in parts:
        size(9 if options.quick else 21)
    if "load" in parts:
        sizes = options.load_sizes or ("1000,4000" if options.quick else "2000,20000")
        load(tuple(int(n) for n in sizes.split(",")))


if __name__ == "__main__":
    main()
