"""Our locally connected layers (Keras 3) against tf.keras 2's three implementations.

For each case, in one run, prints side by side for ours, for tf_keras with
`implementation` 1, 2 and 3 ("tf_keras 1" ... "tf_keras 3"), and for
"patches given": our layer's work after the patch extraction (batched matmul,
output transposition, bias) on patches made beforehand. tf_keras's
implementation 1 runs the same matmul, transposition and bias after its own
patch extraction, so "patches given" shows how far below tf_keras any patch
extraction could bring a step with this matmul:

- the median training step (forward pass, gradients of a mean squared error,
  SGD update, in one `tf.function`: the same harness for every implementation),
  for the layer as a model's first layer (weight gradients only) and inside a
  network (weight and input gradients);
- the first call: layer construction, build and first training step (graph
  tracing included);
- the peak resident memory of the process above its level after the imports,
  beside the sizes of the kernel, of the input plus output, and of the patches
  (every window's cells, which ours gathers);

and ours (and "patches given") divided by the fastest tf_keras implementation. Goals: a training
step at most 0.8x tf_keras's fastest wherever tf_keras completes; a first call
under 2 s at 64x64x16.

Timings are the best of several rounds (each a median of up to --max-steps
steps), the rounds interleaving the implementations, so that other work on the
machine disturbs them less; what timed out or ran out of memory in the first
round is not run again.

Every implementation of every case runs in its own process, under a time limit
and a memory guard: tf_keras's implementation 1 builds one op per output
position (a graph build of about half a minute at 64x64x16, more than a minute
with input gradients), implementation 2 allocates a dense input-by-output
kernel (32 GB at 64x64x16) and implementation 3 is slow; they show as "timeout"
or "OOM", and what a process measured before it was stopped is kept. Ours runs
on the TensorFlow backend.

    python benchmarks/locally_connected.py [--rounds 2] [--timeout 60] [--memory-limit-gb 8]
                                           [--max-steps 100] [--only TEXT]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMPLEMENTATIONS = ("ours", "patches given", "tf_keras 1", "tf_keras 2", "tf_keras 3")
TIMED_STEPS_SECONDS = 4.0  # per kind of step: time steps until this budget (at least 3) or --max-steps


@dataclass(frozen=True)
class Case:
    name: str
    batch: int
    input_shape: tuple[int, ...]  # without the batch axis, in the layer's data format
    filters: int
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    data_format: str = "channels_last"

    @property
    def rank(self) -> int:
        return len(self.kernel_size)

    def positions_and_window(self) -> tuple[int, int]:
        """Output positions and values per window (kernel cells times channels), padding "valid"."""
        if self.data_format == "channels_first":
            spatial, channels = self.input_shape[1:], self.input_shape[0]
        else:
            spatial, channels = self.input_shape[:-1], self.input_shape[-1]
        outputs = [(size - k) // s + 1 for size, k, s in zip(spatial, self.kernel_size, self.strides)]
        return math.prod(outputs), math.prod(self.kernel_size) * channels

    def sizes_mb(self) -> dict[str, float]:
        """Kernel (implementation 1 and ours), input plus output, and patches, in MB of float32."""
        positions, window = self.positions_and_window()
        megabytes = 4 / 2**20
        return {
            "kernel": positions * window * self.filters * megabytes,
            "in+out": self.batch * (math.prod(self.input_shape) + positions * self.filters) * megabytes,
            "patches": self.batch * positions * window * megabytes,
        }


CASES = (
    Case("2D 128 x 28x28x1, 32 filters, 3x3", 128, (28, 28, 1), 32, (3, 3), (1, 1)),
    Case("2D 32 x 64x64x16, 32 filters, 3x3", 32, (64, 64, 16), 32, (3, 3), (1, 1)),
    Case("2D 64 x 8x32x32 channels_first, 16 f., 3x3 /2", 64, (8, 32, 32), 16, (3, 3), (2, 2), "channels_first"),
    Case("1D 64 x 128x16, 32 filters, 5", 64, (128, 16), 32, (5,), (1,)),
)

# Result fields: what the child reports, and the parent's tables.
STEP_KINDS = (
    ("first_layer_ms", False, "Training step as a model's first layer (weight gradients), median"),
    ("inner_layer_ms", True, "Training step inside a network (weight and input gradients), median"),
)


# --- child: one implementation on one case, reporting JSON lines on stdout as it goes ---


def _report(**values) -> None:
    print(json.dumps(values), flush=True)


def _resident_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _patches_given_layer(case: Case):
    """What our layer does after extracting patches (batched matmul, output transposition, bias), on patches
    made beforehand: a bound on the time that any patch extraction could reach with this matmul."""
    import keras
    from keras import ops

    class PatchesGiven(keras.layers.Layer):
        def build(self, patches_shape):
            positions, _, window = patches_shape
            self.kernel = self.add_weight(shape=(positions, window, case.filters), initializer="glorot_uniform")
            self.bias = self.add_weight(shape=(positions, case.filters), initializer="zeros")

        def call(self, patches):
            return ops.transpose(ops.matmul(patches, self.kernel), (1, 0, 2)) + self.bias

        def compute_output_shape(self, patches_shape):
            positions, batch, _ = patches_shape
            return (batch, positions, case.filters)

    return PatchesGiven()


def _make_layer(implementation: str, case: Case):
    arguments = dict(
        filters=case.filters, kernel_size=case.kernel_size, strides=case.strides, data_format=case.data_format
    )
    if implementation == "ours":
        from nncards_widget.layers import LocallyConnected1D, LocallyConnected2D

        return (LocallyConnected2D if case.rank == 2 else LocallyConnected1D)(**arguments)
    if implementation == "patches given":
        return _patches_given_layer(case)
    import tf_keras

    classes = {1: tf_keras.layers.LocallyConnected1D, 2: tf_keras.layers.LocallyConnected2D}
    return classes[case.rank](implementation=int(implementation.split()[-1]), **arguments)


def run_child(implementation: str, case: Case, max_steps: int, first_layer_only: bool) -> None:
    import numpy as np
    import tensorflow as tf

    if implementation == "ours":
        sys.path.insert(0, str(REPO))
        import nncards_widget.layers  # noqa: F401
    elif implementation.startswith("tf_keras"):
        import tf_keras  # noqa: F401
    if implementation == "patches given":
        positions, window = case.positions_and_window()
        shape = (positions, case.batch, window)
    else:
        shape = (case.batch, *case.input_shape)
    inputs = tf.constant(np.random.default_rng(0).standard_normal(shape).astype("float32"))
    _report(baseline_mb=_resident_mb())
    try:
        start = time.perf_counter()
        layer = _make_layer(implementation, case)
        targets = tf.zeros(layer.compute_output_shape(tuple(inputs.shape)))
        layer.build(tuple(inputs.shape))
        weights = list(layer.trainable_variables)
        for field, input_gradient, _ in STEP_KINDS[:1] if first_layer_only else STEP_KINDS:

            @tf.function
            def train_step(x, y, input_gradient=input_gradient):
                with tf.GradientTape() as tape:
                    if input_gradient:
                        tape.watch(x)
                    loss = tf.reduce_mean(tf.square(layer(x, training=True) - y))
                gradients = tape.gradient(loss, [x, *weights] if input_gradient else weights)
                for weight, gradient in zip(weights, gradients[-len(weights) :]):
                    weight.assign_sub(0.01 * gradient)
                # Returning the input gradient keeps it from being pruned away.
                return (loss, gradients[0]) if input_gradient else (loss,)

            def timed_step() -> float:
                began = time.perf_counter()
                for output in train_step(inputs, targets):
                    output.numpy()
                return time.perf_counter() - began

            timed_step()
            if not input_gradient:
                _report(first_s=time.perf_counter() - start)
            times: list[float] = []
            deadline = time.perf_counter() + TIMED_STEPS_SECONDS
            while len(times) < max_steps and (len(times) < 3 or time.perf_counter() < deadline):
                times.append(timed_step())
            _report(**{field: statistics.median(times) * 1000})
    except (tf.errors.ResourceExhaustedError, MemoryError):
        _report(error="OOM")


# --- parent: one guarded process per implementation, case and round ---


@dataclass
class Result:
    first_s: float | None = None
    first_layer_ms: float | None = None
    inner_layer_ms: float | None = None
    baseline_mb: float | None = None
    peak_mb: float | None = None
    error: str | None = None  # why the fields still None are missing: "timeout", "OOM" or "failed"

    @property
    def above_mb(self) -> float | None:
        return None if self.peak_mb is None or self.baseline_mb is None else self.peak_mb - self.baseline_mb


def run_guarded(implementation: str, case: Case, arguments, first_layer_only: bool) -> Result:
    command = [sys.executable, __file__, "--child", implementation, case.name, "--max-steps", str(arguments.max_steps)]
    if first_layer_only:
        command.append("--first-layer-only")
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    result = Result()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=environment, cwd=REPO)
        deadline = time.monotonic() + arguments.timeout
        while True:
            # wait4 rather than Popen.wait: it also gives the child's own peak memory (ru_maxrss).
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                result.error = "timeout"
            elif _resident_mb(process.pid) > arguments.memory_limit_gb * 1024:
                result.error = "OOM"
            if result.error:
                os.kill(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped above; Popen must not wait for it again
        result.peak_mb = usage.ru_maxrss / 1024
        out.seek(0)
        for line in out:
            if line.startswith("{"):
                for key, value in json.loads(line).items():
                    setattr(result, key, value)
        last_field = STEP_KINDS[0 if first_layer_only else -1][0]
        if getattr(result, last_field) is None and result.error is None:
            err.seek(0)
            last_line = (err.read().strip().splitlines() or [f"exit status {process.returncode}"])[-1]
            result.error = "OOM" if "MemoryError" in last_line or process.returncode == -signal.SIGKILL else "failed"
            print(f"  {implementation}, {case.name}: {last_line[:200]}", file=sys.stderr)
    return result


def best_of(rounds: list[Result]) -> Result:
    """The fastest of each timing over the rounds (the least disturbed by other work), the largest memory."""

    def smallest(field: str):
        values = [getattr(result, field) for result in rounds if getattr(result, field) is not None]
        return min(values) if values else None

    best = Result(first_s=smallest("first_s"), error=rounds[0].error)
    for field, _, _ in STEP_KINDS:
        setattr(best, field, smallest(field))
    peaks = [result for result in rounds if result.above_mb is not None]
    if peaks:
        largest = max(peaks, key=lambda result: result.above_mb)
        best.peak_mb, best.baseline_mb = largest.peak_mb, largest.baseline_mb
    return best


def _cell(result: Result, field: str, unit: str, digits: int) -> str:
    value = getattr(result, field)
    return f"{value:.{digits}f} {unit}" if value is not None else (result.error or "-")


def print_tables(cases, results: dict[tuple[str, str], Result], rounds: int) -> None:
    width = max(len(case.name) for case in cases) + 1
    header = f"{'case':<{width}}" + "".join(f"{name:>15}" for name in IMPLEMENTATIONS)
    best = f", best of {rounds} rounds" if rounds > 1 else ""
    tables = [(f"{title}{best}", field, "ms", 1) for field, _, title in STEP_KINDS]
    tables.append((f"First call (construction, build, first step as a first layer){best}", "first_s", "s", 2))
    for title, field, unit, digits in tables:
        print(f"\n{title}\n{header}{'ours / fastest tf_keras':>26}{'patches given / fastest':>26}")
        for case in cases:
            row = [results[case.name, name] for name in IMPLEMENTATIONS]
            references = [
                getattr(result, field)
                for name, result in zip(IMPLEMENTATIONS, row)
                if name.startswith("tf_keras") and getattr(result, field) is not None
            ]
            ours, bound = (getattr(row[IMPLEMENTATIONS.index(name)], field) for name in ("ours", "patches given"))
            ratio = f"{ours / min(references):.2f}x" if ours is not None and references else "-"
            bound_ratio = f"{bound / min(references):.2f}x" if bound is not None and references else "-"
            cells = "".join(f"{_cell(result, field, unit, digits):>15}" for result in row)
            print(f"{case.name:<{width}}{cells}{ratio:>26}{bound_ratio:>26}")

    print("\nPeak resident memory above the level after the imports, MB (for timeout / OOM: when stopped)")
    print(f"{header}{'kernel':>9}{'in+out':>9}{'patches':>9}")
    for case in cases:
        cells = ""
        for name in IMPLEMENTATIONS:
            result = results[case.name, name]
            text = "-" if result.above_mb is None else f"{result.above_mb:.0f}"
            cells += f"{text + (' ' + result.error if result.error else ''):>15}"
        sizes = case.sizes_mb()
        print(f"{case.name:<{width}}{cells}{sizes['kernel']:>9.0f}{sizes['in+out']:>9.0f}{sizes['patches']:>9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    parser.add_argument("--memory-limit-gb", type=float, default=8.0, help="resident memory at which a run is stopped")
    parser.add_argument("--max-steps", type=int, default=100, help="most timed steps per kind of step (default 100)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each implementation and case (default 2)")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    parser.add_argument("--child", nargs=2, metavar=("IMPLEMENTATION", "CASE"), help=argparse.SUPPRESS)
    parser.add_argument("--first-layer-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        implementation, case_name = arguments.child
        case = next(case for case in CASES if case.name == case_name)
        run_child(implementation, case, arguments.max_steps, arguments.first_layer_only)
        return

    cases = [case for case in CASES if arguments.only in case.name]
    print(
        f"TensorFlow {version('tensorflow')}, Keras {version('keras')}, tf_keras {version('tf_keras')}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start; "
        f"limits per run: {arguments.timeout:.0f} s, {arguments.memory_limit_gb:g} GB"
    )
    began = time.perf_counter()
    runs: dict[tuple[str, str], list[Result]] = {(case.name, name): [] for case in cases for name in IMPLEMENTATIONS}
    # Rounds interleave the implementations, so that a burst of other work slows one run, not all of one column.
    for round_number in range(1, arguments.rounds + 1):
        for case in cases:
            for name in IMPLEMENTATIONS:
                earlier = runs[case.name, name]
                if earlier and earlier[0].first_layer_ms is None:
                    continue  # it failed in the first round and would again: a timeout or OOM costs minutes
                first_layer_only = bool(earlier) and earlier[0].inner_layer_ms is None
                result = run_guarded(name, case, arguments, first_layer_only)
                earlier.append(result)
                measured = [f"{getattr(result, field):.1f} ms" for field, _, _ in STEP_KINDS if getattr(result, field)]
                outcome = ", ".join(measured + [result.error] * bool(result.error))
                print(f"  round {round_number}, {case.name}, {name}: {outcome}", file=sys.stderr, flush=True)
    results = {key: best_of(rounds) for key, rounds in runs.items()}
    print_tables(cases, results, arguments.rounds)
    print(f"\n{time.perf_counter() - began:.0f} s in all; load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
