"""Training through the editor against plain `model.fit`, Stop latency, and a cell's answer during training.

At two model sizes (a 2-8-1 and a 2-128-128-1 multilayer perceptron on 4000 spiral points),
prints side by side:
- the time of `editor.fit` (background thread, Train tab curves, progress, decision boundary
  and weight-norm traces, all at their bounded rates) and of plain `model.fit` on the same
  model, data and epochs (each after a warm-up fit, the median of seven runs, alternating; goal: at
  most 1.1x), in wall-clock time and in CPU time (all threads: what the editor's work adds, less
  sensitive than the wall clock to what else the machine runs);
- Stop latency: batches run after `run.stop()` is called from the kernel's thread (goal: at most 1);
- a cell's answer while the editor trains: a real kernel (jupyter_client) starts training, then
  runs small cells; the time from request to reply of each (goal: under 1 s).

    python benchmarks/training.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from nncards_widget import CardEditor, CardGraph, datasets  # noqa: E402

SIZES = {"small (2-8-1)": (8,), "large (2-128-128-1)": (128, 128)}
SAMPLES, EPOCHS, BATCH, REPEATS = 4000, 5, 32, 7


def graph_of(hidden: tuple[int, ...]) -> CardGraph:
    g = CardGraph()
    with g.hold():
        previous, port = g.add("input", shape=[2]), "data"
        for units in hidden:
            layer = g.add("layer_Dense", units=units, activation="tanh")
            g.connect(previous, port, layer, "input")
            previous, port = layer, "output"
        head = g.add("layer_Dense", units=1, activation="sigmoid")
        g.connect(previous, port, head, "input")
        g.connect(head, "output", g.add("output"), "data")
    g.compile(learning_rate=0.01, loss="binary_crossentropy", metrics=["accuracy"])
    return g


def timed(fit) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all of the process's threads: TensorFlow's and the editor's) of `fit()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    fit()
    return time.perf_counter() - wall, time.process_time() - cpu


def editor_fit(editor: CardEditor, x, y) -> None:
    run = editor.fit(x, y, validation_split=0.2, epochs=EPOCHS, batch_size=BATCH)
    run.wait()
    assert run.state.status == "finished", run.state.error


def fit_ratio(hidden) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) seconds of editor.fit and of plain model.fit, runs alternating."""
    x, y = datasets.spirals(SAMPLES, seed=0)
    keras.utils.set_random_seed(0)
    editor = CardEditor(graph_of(hidden))
    editor.fit(x, y, epochs=1, batch_size=BATCH, validation_split=0.2).wait()  # warm-up: traces the train step
    plain = graph_of(hidden).model
    plain.fit(x, y, validation_split=0.2, epochs=1, batch_size=BATCH, verbose=0)
    editor_times, plain_times = [], []
    for _ in range(REPEATS):
        editor_times.append(timed(lambda: editor_fit(editor, x, y)))
        plain_times.append(timed(lambda: plain.fit(x, y, validation_split=0.2, epochs=EPOCHS, batch_size=BATCH, verbose=0)))
    medians = [tuple(statistics.median(run[i] for run in times) for i in (0, 1)) for times in (editor_times, plain_times)]
    return medians[0], medians[1]


def stop_latency(hidden) -> list[int]:
    x, y = datasets.spirals(SAMPLES, seed=0)
    editor = CardEditor(graph_of(hidden))
    latencies = []
    for delay in (0.3, 0.5, 0.7, 0.9, 1.1):
        run = editor.fit(x, y, epochs=1000, batch_size=BATCH)
        time.sleep(delay)
        at_stop = run.state.progress.batches_done
        run.stop()
        run.wait()
        latencies.append(run.state.progress.batches_done - at_stop)
    return latencies


CELL_SETUP = """
import sys
sys.path.insert(0, {path!r})
from training import graph_of, SAMPLES, BATCH
from nncards_widget import CardEditor, datasets
x, y = datasets.spirals(SAMPLES, seed=0)
editor = CardEditor(graph_of({hidden!r}))
editor.fit(x, y, epochs=1, batch_size=BATCH).wait()
run = editor.fit(x, y, epochs=1000, batch_size=BATCH, validation_split=0.2)
"""


def cell_answers(hidden) -> list[float]:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        quiet = {"output_hook": lambda message: None}
        client.execute_interactive(CELL_SETUP.format(path=os.path.dirname(os.path.abspath(__file__)), hidden=hidden), timeout=120, **quiet)
        answers = []
        for _ in range(5):
            time.sleep(0.3)
            start = time.perf_counter()
            reply = client.execute_interactive("run.state.progress.batches_done, sum(range(100000))", timeout=30, **quiet)
            answers.append(time.perf_counter() - start)
            assert reply["content"]["status"] == "ok"
        client.execute_interactive("run.stop(); run.wait()", timeout=60, **quiet)
        return answers
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    print(f"{SAMPLES} spiral points, {EPOCHS} epochs, batch {BATCH}, validation split 0.2")
    print(f"{'model':22} {'editor.fit':>11} {'model.fit':>10} {'ratio':>6} {'CPU ratio':>10}  {'stop latency (batches)':24} {'cell answers (s)'}")
    for name, hidden in SIZES.items():
        (editor_wall, editor_cpu), (plain_wall, plain_cpu) = fit_ratio(hidden)
        latencies = stop_latency(hidden)
        answers = cell_answers(hidden)
        print(
            f"{name:22} {editor_wall:10.2f}s {plain_wall:9.2f}s {editor_wall / plain_wall:6.2f} {editor_cpu / plain_cpu:10.2f}  "
            f"{str(latencies):24} max {max(answers):.3f}, median {statistics.median(answers):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
