"""The canvas's cost on the Python side, against plain ipycytoscape, in one run.

For a 50-card chain and a ResNet50-sized graph (177 cards) prints:
- creating the editor (document + widgets) against building the same elements as
  plain ipycytoscape Node/Edge widgets (`add_graph_from_json`, a widget each);
- a parameter edit until the canvas document is updated (rebuild included).
Browser-side timings (display to drawn, edit to screen) come from the browser
suite, which writes test-artifacts/timings.json; they are printed too if present.

    python benchmarks/widget.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ipycytoscape  # noqa: E402
from graphs import chain_graph, resnet50_graph  # noqa: E402

from nncards_widget import CardEditor  # noqa: E402
from nncards_widget.widget.canvas_document import graph_elements  # noqa: E402


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def plain_ipycytoscape(elements: list[dict]) -> None:
    widget = ipycytoscape.CytoscapeWidget()
    nodes = [e for e in elements if e["group"] == "nodes"]
    edges = [{"data": e["data"]} for e in elements if e["group"] == "edges"]
    widget.graph.add_graph_from_json({"nodes": nodes, "edges": edges}, directed=False)


def edit_latency(graph, card, name, values, repeats=9) -> float:
    editor = CardEditor(graph)
    times = []
    for index in range(repeats):
        value = values[index % 2]
        start = time.perf_counter()
        setattr(card, name, value)
        times.append(time.perf_counter() - start)
    label = next(e["data"]["label"] for e in editor.canvas.card_elements if e["data"]["id"] == f"port:{card.key}:output")
    assert label.endswith(f", {value})"), label
    return statistics.median(times)


def main() -> None:
    rows = []
    for label, graph in (("50-card chain", chain_graph(50)), ("ResNet50-sized", resnet50_graph())):
        elements = graph_elements(graph)
        ours = statistics.median(seconds(lambda: CardEditor(graph)) for _ in range(3))
        plain = seconds(lambda: plain_ipycytoscape(elements))
        head = [c for c in graph.cards if c.spec.id == "layer_Dense"][-1]
        edit = edit_latency(graph, head, "units", (10, 64))
        rows.append((label, len(graph.cards), len(elements), ours, plain, edit))
    print(f"{'graph':16} {'cards':>5} {'elements':>8}  {'CardEditor':>10}  {'plain ipycytoscape':>18}  {'plain/ours':>10}  {'edit->document':>14}")
    for label, cards, count, ours, plain, edit in rows:
        print(f"{label:16} {cards:>5} {count:>8}  {ours * 1000:>8.0f}ms  {plain * 1000:>16.0f}ms  {plain / ours:>9.1f}x  {edit * 1000:>12.1f}ms")
    timings = Path(__file__).resolve().parents[1] / "test-artifacts" / "timings.json"
    if timings.exists():
        print("\nBrowser (from the last browser-suite run, test-artifacts/timings.json):")
        for key, value in json.loads(timings.read_text()).items():
            print(f"  {key}: {value}")
    else:
        print("\nBrowser timings: run the browser suite (make test-browser) to produce test-artifacts/timings.json.")


if __name__ == "__main__":
    main()
