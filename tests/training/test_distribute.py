"""Training under tf.distribute.MirroredStrategy over two logical CPU devices gives the curves that
training on one device gives. Devices must be configured before TensorFlow runs any operation, so
this runs in a Python process of its own."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

    import numpy as np
    from point_classifier import point_classifier
    from nncards_widget import CardEditor, datasets

    def editor():
        g = point_classifier(8)
        g.compile(optimizer="sgd", learning_rate=0.1, loss="binary_crossentropy", metrics=["accuracy"])
        return CardEditor(g)

    points, labels = datasets.xor(128, seed=0)
    single, mirrored = editor(), editor()
    mirrored.model.set_weights(single.model.get_weights())
    start = [w.copy() for w in single.model.get_weights()]
    strategy = tf.distribute.MirroredStrategy([d.name for d in tf.config.list_logical_devices("CPU")])
    results = {"replicas": strategy.num_replicas_in_sync}
    for name, ed, kind in (("single", single, None), ("mirrored", mirrored, strategy)):
        run = ed.fit(points, labels, validation_split=0.25, epochs=3, batch_size=16, shuffle=False, strategy=kind)
        run.wait(120)
        results[name] = {"status": run.state.status, "error": run.state.error, "history": run.history,
                         "curve": [list(map(float, row)) for row in np.atleast_2d(ed.train_panel.loss_lines.y)],
                         "moved": any(not np.allclose(a, b) for a, b in zip(start, ed.model.get_weights()))}
    results["same_weights"] = all(np.allclose(a, b, atol=1e-4) for a, b in zip(single.model.get_weights(), mirrored.model.get_weights()))
    print("RESULT " + json.dumps(results))
    """
)


def test_mirrored_training_on_two_logical_devices_draws_the_same_curves():
    tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "", "PYTHONPATH": tests}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    results = json.loads(lines[-1].removeprefix("RESULT "))
    assert results["replicas"] == 2
    single, mirrored = results["single"], results["mirrored"]
    assert single["status"] == mirrored["status"] == "finished", (single["error"], mirrored["error"])
    assert set(mirrored["history"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for name, values in single["history"].items():
        assert mirrored["history"][name] == pytest.approx(values, rel=1e-3, abs=1e-4), name
    assert len(mirrored["curve"]) == 2 and len(mirrored["curve"][0]) == 3
    assert mirrored["moved"] and results["same_weights"], "the mirrored weights are copied back into the graph's layers"
