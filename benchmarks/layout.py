"""The layout's cost and shape at two sizes: MobileNetV2 (157 cards) and DenseNet201 (710 cards).

Both imported from keras.applications (weights=None) by `from_keras`. For each, in one run, prints
the median time of `layered_positions` (the computation) and of `arrange` (the computation and
every card's move and the rebuild after it, as the Auto-layout button makes them), the time per card, the drawing's size
and aspect ratio; then how the time grows against the number of cards. Goal: DenseNet201 well
under 1 s.

    python benchmarks/layout.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from nncards_widget import from_keras  # noqa: E402
from nncards_widget.card_face import body_size  # noqa: E402
from nncards_widget.layout import arrange, layered_positions  # noqa: E402

GOAL_SECONDS = 1.0


def median_seconds(action, repeats: int, setup=lambda: None) -> float:
    times = []
    for _ in range(repeats):
        setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scatter(graph) -> None:
    with graph.hold():
        for index, card in enumerate(graph.cards):
            card.position = (float(index), 0.0)


def drawing_size(graph) -> tuple[float, float]:
    boxes = []
    for card in graph.cards:
        (x, y), (width, height) = card.position, body_size(card)
        boxes.append((x - width / 2, y - height / 2, x + width / 2, y + height / 2))
    return max(b[2] for b in boxes) - min(b[0] for b in boxes), max(b[3] for b in boxes) - min(b[1] for b in boxes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    rows = []
    for name in ("MobileNetV2", "DenseNet201"):
        graph = from_keras(getattr(keras.applications, name)(weights=None))
        compute = median_seconds(lambda: layered_positions(graph.cards, graph.connections), repeats)
        # Each arrange starts from cards moved away, so that it moves every card (and rebuilds, as after any edit).
        whole = median_seconds(lambda: arrange(graph), repeats, setup=lambda: scatter(graph))
        width, height = drawing_size(graph)
        rows.append((name, len(graph.cards), compute, whole, width, height))
    print(f"{'network':12} {'cards':>5}  {'layered_positions':>17}  {'arrange':>8}  {'per card':>8}  {'drawing':>14}  {'aspect':>6}")
    for name, cards, compute, whole, width, height in rows:
        print(
            f"{name:12} {cards:>5}  {compute * 1000:>15.0f}ms  {whole * 1000:>6.0f}ms  {whole / cards * 1000:>6.2f}ms"
            f"  {width:>6.0f} x {height:<6.0f}  {width / height:>6.2f}"
        )
    (_, small_cards, small, _, _, _), (_, big_cards, big, big_whole, _, _) = rows
    growth = math.log(big / small) / math.log(big_cards / small_cards)
    print(
        f"\n{big_cards / small_cards:.1f}x the cards take {big / small:.1f}x the time (grows as cards^{growth:.2f}); "
        f"DenseNet201's arrange: {big_whole:.2f} s against a goal of {GOAL_SECONDS:.0f} s ({big_whole / GOAL_SECONDS:.0%})."
    )


if __name__ == "__main__":
    main()
