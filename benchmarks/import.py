"""Import time of keras.applications.ResNet50 (weights=None) as a card graph, against Keras' own rebuild.

In one run, prints the median time of `from_keras(model)` (read every layer, check
each card against its layer's config, add the cards, one build of the graph's
Keras model) and of `keras.Model.from_config(model.get_config())` on the same
config, and their ratio. Goal: from_keras within 2x of from_config.

    python benchmarks/import.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from nncards_widget.io.keras_import import from_keras  # noqa: E402

GOAL = 2.0


def seconds(action, argument) -> float:
    # Each timed call starts with the garbage of earlier rounds (a whole ResNet's weights) collected.
    gc.collect()
    start = time.perf_counter()
    action(argument)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats

    model = keras.applications.ResNet50(weights=None)
    config = model.get_config()
    # One untimed round of each, so that neither pays for first-call costs (imports, tracing caches).
    from_keras(model)
    keras.Model.from_config(copy.deepcopy(config))

    # Rounds alternate, so that both sides see the same machine state; from_config consumes its
    # config, so each round gets a fresh copy, made outside the timing.
    ours, keras_own = [], []
    for _ in range(repeats):
        ours.append(seconds(from_keras, model))
        keras_own.append(seconds(keras.Model.from_config, copy.deepcopy(config)))
    ours, keras_own = statistics.median(ours), statistics.median(keras_own)
    ratio = ours / keras_own
    print(f"ResNet50 (weights=None): {len(model.layers)} layers, {model.count_params():,} parameters; "
          f"median of {repeats}")
    print(f"  {'keras.Model.from_config(model.get_config())':<46} {keras_own * 1000:8.1f} ms")
    print(f"  {'from_keras(model)':<46} {ours * 1000:8.1f} ms")
    print(f"  ratio {ratio:.2f}x (goal: at most {GOAL:.0f}x) -> {'met' if ratio <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
