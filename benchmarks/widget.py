"""What the editor costs on the Python side, and what it sends the browser, at two graph sizes.

For MobileNetV2 (157 cards) and DenseNet201 (710 cards), imported from keras.applications
with `from_keras`, prints side by side:
- opening a view: creating the editor and the first message (every record), its bytes;
- a one-card edit near the output (the last Dense's units), a click on the last Dense's
  output port (the few inputs that may take it light up), a click on a new card's free
  input (every tensor output may feed it, so all of them light up) and a drag (one card
  moved): time until the canvas message is made, and the bytes of everything sent to
  the front end (all widgets' messages), also as a share of the whole first message.
Browser-side timings (display to drawn, edit to screen) come from the browser suite,
which writes test-artifacts/timings.json and, for MobileNetV2 and DenseNet201,
test-artifacts/timings-real-networks.json; they are printed too if present.

    python benchmarks/widget.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ipywidgets  # noqa: E402

from nncards_widget import CardEditor, from_keras  # noqa: E402

import keras  # noqa: E402  (after nncards_widget, which imports TensorFlow quietly)


@contextmanager
def counting_bytes():
    """Count the bytes of every message any widget sends to the front end."""
    sent = [0]
    original = ipywidgets.Widget._send

    def send(widget, msg, buffers=None):
        sent[0] += len(json.dumps(msg, separators=(",", ":"), default=str))
        return original(widget, msg, buffers)

    ipywidgets.Widget._send = send
    try:
        yield sent
    finally:
        ipywidgets.Widget._send = original


def timed(action, repeats: int = 7, setup=None) -> tuple[float, int]:
    """Median seconds of `action()`, and the bytes the last run sent; `setup()`, untimed, before each run."""
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        with counting_bytes() as sent:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return statistics.median(times), sent[0]


def measure(name: str, model) -> dict:
    graph = from_keras(model)
    editor = None

    def open_view():
        nonlocal editor
        editor = CardEditor(graph)
        editor._on_canvas_event({"event": "ready"})

    open_seconds, document_bytes = timed(open_view, repeats=3)
    head = [card for card in graph.cards if card.spec.id == "layer_Dense"][-1]
    units = iter([7, 9] * 50)
    edit_seconds, edit_bytes = timed(lambda: setattr(head, "units", next(units)))
    # A click on the last Dense's output (few ports may take it), and on a new card's free input (every
    # tensor output may feed it); each click is followed by a click on empty canvas, not timed.
    graph.add("layer_Dense", key="probe")

    def cancel():
        editor._on_canvas_event({"event": "tap", "id": ""})

    def click(element_id):
        return lambda: editor._on_canvas_event({"event": "tap", "id": element_id})

    output_seconds, output_bytes = timed(click(f"port:{head.key}:output"), setup=cancel)
    click_seconds, click_bytes = timed(click("port:probe:input"), setup=cancel)
    cancel()
    places = iter([[0.0, -900.0], [0.0, -1200.0]] * 50)
    drag_seconds, drag_bytes = timed(
        lambda: editor._on_canvas_event({"event": "moved", "positions": {"probe": next(places)}}))
    return {
        "name": name, "cards": len(graph.cards) - 1, "open": open_seconds, "document": document_bytes,
        "edit": (edit_seconds, edit_bytes), "output click": (output_seconds, output_bytes),
        "click": (click_seconds, click_bytes), "drag": (drag_seconds, drag_bytes),
    }


def main() -> None:
    small = measure("MobileNetV2", keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3), classes=5))
    large = measure("DenseNet201", keras.applications.DenseNet201(weights=None, input_shape=(96, 96, 3), classes=5))
    print(f"{'':34} {small['name']:>16} {large['name']:>16} {'ratio':>7}")
    print(f"{'cards':34} {small['cards']:>16} {large['cards']:>16} {large['cards'] / small['cards']:>6.1f}x")
    print(f"{'open a view (editor + all records)':34} {small['open'] * 1000:>14.0f}ms {large['open'] * 1000:>14.0f}ms "
          f"{large['open'] / small['open']:>6.1f}x")
    print(f"{'  bytes sent':34} {small['document']:>16,} {large['document']:>16,} {large['document'] / small['document']:>6.1f}x")
    for key, label in (("edit", "one-card edit near the output"), ("output click", "click the last Dense's output"),
                       ("click", "click a new card's free input"),
                       ("drag", "drag one card")):
        (s_time, s_bytes), (l_time, l_bytes) = small[key], large[key]
        print(f"{label:34} {s_time * 1000:>14.1f}ms {l_time * 1000:>14.1f}ms {l_time / s_time:>6.1f}x")
        share = lambda sent, result: f"{sent:,} ({sent / result['document']:.2%})"
        print(f"{'  bytes sent (share of the whole)':34} {share(s_bytes, small):>16} {share(l_bytes, large):>16}")
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    for name in ("timings.json", "timings-real-networks.json"):
        timings = artifacts / name
        if timings.exists():
            print(f"\nBrowser (from the last browser-suite run, test-artifacts/{name}):")
            for key, value in json.loads(timings.read_text()).items():
                print(f"  {key}: {value}")
        else:
            print(f"\nBrowser timings: run the browser suite (make test-browser) to produce test-artifacts/{name}.")


if __name__ == "__main__":
    main()
