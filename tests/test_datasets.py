"""The demonstration data sets: shapes, labels, seeds, and that each is learnable by what it shows."""

import numpy as np
import pytest

from nncards_widget import datasets


@pytest.mark.parametrize("make", [datasets.spirals, datasets.circles, datasets.xor, datasets.blobs])
def test_two_d_sets_are_seeded_and_balanced(make):
    x, y = make(101, seed=3)
    assert x.shape == (101, 2) and x.dtype == np.float32
    assert y.shape == (101,) and set(np.unique(y)) == {0, 1}
    assert abs(int((y == 0).sum()) - int((y == 1).sum())) <= 1
    again, labels = make(101, seed=3)
    np.testing.assert_array_equal(x, again)
    np.testing.assert_array_equal(y, labels)
    other, _ = make(101, seed=4)
    assert not np.array_equal(x, other)


def test_the_sets_are_what_their_names_say():
    x, y = datasets.circles(400, noise=0.0)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius[y == 1].max() <= 0.4 < 0.7 <= radius[y == 0].min()
    x, y = datasets.xor(400, noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(x[:, 0]) == np.sign(x[:, 1])).astype(int))
    x, y = datasets.blobs(300, classes=3, spread=0.05)
    centres = np.stack([x[y == label].mean(axis=0) for label in range(3)])
    assert np.allclose(np.hypot(centres[:, 0], centres[:, 1]), 0.6, atol=0.03)
    x, y = datasets.spirals(400, noise=0.0)
    # The two arms are the same curve turned by half a turn.
    np.testing.assert_allclose(np.sort(np.hypot(*x[y == 0].T)), np.sort(np.hypot(*x[y == 1].T)), atol=1e-6)


def test_shapes_are_images_of_three_kinds():
    x, y = datasets.shapes(60, size=12, seed=1)
    assert x.shape == (60, 12, 12, 1) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert set(np.unique(y)) == {0, 1, 2} == set(range(len(datasets.SHAPE_NAMES)))
    clean, labels = datasets.shapes(60, size=12, noise=0.0, seed=1)
    ink = clean.reshape(60, -1).sum(axis=1)
    assert (ink > 0).all()
    np.testing.assert_array_equal(labels, y)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: datasets.spirals(1), "spirals: expected n, a whole number of samples, at least 2. Received: n=1"),
        (lambda: datasets.circles(10, noise=2), "circles: expected noise from 0 to 1. Received: noise=2"),
        (lambda: datasets.blobs(10, classes=1), "blobs: expected classes from 2 to 10. Received: classes=1"),
        (lambda: datasets.shapes(10, size=4), "shapes: expected size from 8 to 64 pixels. Received: size=4"),
    ],
)
def test_refused_arguments_are_named(call, message):
    with pytest.raises(ValueError) as refused:
        call()
    assert str(refused.value) == message
