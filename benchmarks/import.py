"""Every keras.applications constructor imported as cards, against Keras' own rebuild.

For each model (weights=None, a 96x96x3 input where the constructor takes one,
classes=5), in one run:

- cards: how many cards `from_keras(model)` makes;
- from_keras: the time of `from_keras(model)` (read every layer, check each card
  against its layer's config, add the cards, one build of the graph's Keras model);
- from_config: the time of `keras.Model.from_config(model.get_config())`;
- ratio: from_keras / from_config (goal: at most 2x);
- params, classes: whether the graph's model has the same parameter count and the
  same layer classes (nested models looked into) as the original;
- nesting: the nested models (Sequential or functional) of the original, and whether
  the graph's model keeps them (as graph.groups, the cards drawn flat);
- predict: with the original's weights copied (`from_keras(model, weights=True)`;
  random weights, as no pretrained file can be downloaded here: the initializers'
  values, each moved at random so that batch normalization's statistics are not 0
  and 1), the largest difference of the two models' predictions on one random
  batch, against the goal of 1e-5.

Times are medians of --repeats rounds; rounds alternate between both sides, so that
both see the same machine state.

    python benchmarks/import.py                      # all 40, once each
    python benchmarks/import.py --models ResNet50 MobileNetV3Small --repeats 3
"""

from __future__ import annotations

import argparse
import collections
import copy
import gc
import inspect
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from nncards_widget.io.keras_import import from_keras  # noqa: E402

GOAL = 2.0
TOLERANCE = 1e-5
INPUT_SHAPE = (96, 96, 3)
CLASSES = 5


def constructors() -> list[str]:
    return sorted(name for name, value in vars(keras.applications).items() if inspect.isfunction(value) and name[0].isupper())


def make(name: str):
    constructor = getattr(keras.applications, name)
    options = {"weights": None, "classes": CLASSES}
    if "input_shape" in inspect.signature(constructor).parameters:
        options["input_shape"] = INPUT_SHAPE
    return constructor(**options)


def seconds(action, argument) -> tuple[float, object]:
    # Each timed call starts with the garbage of earlier rounds (a whole network's weights) collected.
    gc.collect()
    start = time.perf_counter()
    result = action(argument)
    return time.perf_counter() - start, result


def operations(model) -> list:
    """A model's layers and operations (x + y); a Sequential has only layers."""
    return model.layers if isinstance(model, keras.Sequential) else model.operations


def leaf_classes(model) -> collections.Counter:
    """The classes of a model's layers and operations, nested models looked into."""
    counts = collections.Counter()
    for operation in operations(model):
        if isinstance(operation, keras.Model):
            counts += leaf_classes(operation)
        else:
            counts[type(operation).__name__] += 1
    return counts


def nested(model) -> list[str]:
    return [f"{type(operation).__name__} {operation.name}" for operation in operations(model) if isinstance(operation, keras.Model)]


def perturb(model) -> None:
    """Move every weight away from where its initializer put it (batch normalization's statistics would
    otherwise be 0 and 1): non-negative ones (variances, counts) by a random factor, others by up to 10%
    and a little noise."""
    rng = np.random.default_rng(0)
    for variable in model.weights:
        value = np.asarray(variable.numpy())
        if not np.issubdtype(value.dtype, np.floating):
            continue
        if (value >= 0).all():
            moved = value * rng.uniform(0.5, 1.5, value.shape)
        else:
            # Small moves: larger ones overflow the deepest networks (EfficientNetV2L predicted NaN).
            moved = value * rng.uniform(0.9, 1.1, value.shape) + rng.normal(0.0, 0.01, value.shape)
        variable.assign(moved.astype(value.dtype))


def measure(name: str, repeats: int) -> dict:
    model = make(name)
    config = model.get_config()
    ours, keras_own = [], []
    for _ in range(repeats):
        elapsed, graph = seconds(from_keras, model)
        ours.append(elapsed)
        del graph
        keras_own.append(seconds(keras.Model.from_config, copy.deepcopy(config))[0])
    perturb(model)
    graph = from_keras(model, weights=True)
    rebuilt = graph.model
    batch = np.random.default_rng(0).uniform(0, 255, (2, *model.input_shape[1:])).astype("float32")
    difference = float(np.max(np.abs(rebuilt.predict(batch, verbose=0) - model.predict(batch, verbose=0))))
    original_nesting = nested(model)
    return {
        "model": name,
        "layers": len(operations(model)),
        "cards": len(graph.cards),
        "ours": statistics.median(ours),
        "keras": statistics.median(keras_own),
        "params": rebuilt.count_params() == model.count_params(),
        "classes": leaf_classes(rebuilt) == leaf_classes(model),
        "nesting": "none" if not original_nesting else f"{len(original_nesting)} kept" if nested(rebuilt) == original_nesting else f"{len(original_nesting)} inlined",
        "difference": difference,
    }


HEADER = (
    f"{'model':<18} {'layers':>6} {'cards':>6} {'from_keras':>11} {'from_config':>12} {'ratio':>6} "
    f"{'params':>6} {'classes':>7} {'nesting':>10} {'max |diff|':>11}"
)


def row(result: dict) -> str:
    ratio = result["ours"] / result["keras"]
    yes = {True: "same", False: "DIFF"}
    return (
        f"{result['model']:<18} {result['layers']:>6} {result['cards']:>6} {result['ours']:>10.2f}s "
        f"{result['keras']:>11.2f}s {ratio:>5.2f}x {yes[result['params']]:>6} {yes[result['classes']]:>7} "
        f"{result['nesting']:>10} {result['difference']:>11.1e}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=constructors(), help="constructor names (default: all)")
    parser.add_argument("--repeats", type=int, default=1)
    arguments = parser.parse_args()

    # One untimed round on a small model, so that neither side pays for first-call costs (imports, caches).
    warm_up = make("MobileNetV2")
    from_keras(warm_up)
    keras.Model.from_config(copy.deepcopy(warm_up.get_config()))
    del warm_up

    print(f"keras.applications, weights=None, input {INPUT_SHAPE} where allowed, classes={CLASSES}; "
          f"median of {arguments.repeats}; goals: ratio <= {GOAL:.0f}x, max |diff| <= {TOLERANCE:.0e}")
    print(HEADER, flush=True)
    results, failures = [], []
    for name in arguments.models:
        try:
            result = measure(name, arguments.repeats)
        except Exception as error:  # noqa: BLE001 - one model's failure is a row of the table, not the end
            failures.append(name)
            print(f"{name:<18} FAILED: {type(error).__name__}: {str(error)[:300]}", flush=True)
            continue
        results.append(result)
        print(row(result), flush=True)
        keras.backend.clear_session()
        gc.collect()
    ratios = [result["ours"] / result["keras"] for result in results]
    print(
        f"\n{len(results)} of {len(arguments.models)} imported; ratio median {statistics.median(ratios):.2f}x, "
        f"worst {max(ratios):.2f}x; within {GOAL:.0f}x: {sum(ratio <= GOAL for ratio in ratios)}; "
        f"same params: {sum(r['params'] for r in results)}; same classes: {sum(r['classes'] for r in results)}; "
        f"predictions within {TOLERANCE:.0e}: {sum(r['difference'] <= TOLERANCE for r in results)}"
        + (f"; failed: {', '.join(failures)}" if failures else "")
    )


if __name__ == "__main__":
    main()
