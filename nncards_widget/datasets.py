"""Small data sets for demonstrations, generated on the spot (no download), each from a seed.

The 2-D sets are those of the TensorFlow Playground: points `x` of shape (n, 2) in
[-1, 1]-ish coordinates with class labels `y` of shape (n,) as integers. `shapes`
is a small image set: (n, size, size, 1) grey images of squares, crosses and rings.

Example:
    >>> x, y = spirals(200, seed=0)
    >>> x.shape, y.shape
    ((200, 2), (200,))
"""

from __future__ import annotations

import numpy as np

SHAPE_NAMES = ("square", "cross", "ring")


def _check(n: int, noise: float, name: str, *, at_least: int = 2) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < at_least:
        raise ValueError(f"{name}: expected n, a whole number of samples, at least {at_least}. Received: n={n!r:.80}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise <= 1:
        raise ValueError(f"{name}: expected noise from 0 to 1. Received: noise={noise!r:.80}")


def _halves(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


def spirals(n: int = 400, *, noise: float = 0.05, turns: float = 1.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals (labels 0 and 1), `turns` times round the centre."""
    _check(n, noise, "spirals")
    rng = np.random.default_rng(seed)
    parts = []
    for label, count in enumerate(_halves(n)):
        t = np.linspace(0.05, 1.0, count)
        angle = 2 * np.pi * turns * t + np.pi * label
        points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
        parts.append((points + rng.normal(scale=noise, size=points.shape), np.full(count, label)))
    return _shuffled(parts, rng)


def circles(n: int = 400, *, noise: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A disc of points (label 1) inside a ring (label 0)."""
    _check(n, noise, "circles")
    rng = np.random.default_rng(seed)
    parts = []
    for label, (count, radii) in enumerate(zip(_halves(n), ((0.7, 1.0), (0.0, 0.4)))):
        radius = rng.uniform(*radii, size=count)
        angle = rng.uniform(0, 2 * np.pi, size=count)
        points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
        parts.append((points + rng.normal(scale=noise, size=points.shape), np.full(count, label)))
    return _shuffled(parts, rng)


def xor(n: int = 400, *, noise: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points in the four quadrants: label 1 where x and y have the same sign, 0 where they differ
    (half the points each)."""
    _check(n, noise, "xor")
    rng = np.random.default_rng(seed)
    parts = []
    for label, count in enumerate(_halves(n)):
        # Magnitudes kept off the axes, where the label would be a coin toss.
        points = rng.uniform(0.05, 1.0, size=(count, 2))
        first_sign = rng.choice([-1.0, 1.0], size=count)
        points[:, 0] *= first_sign
        points[:, 1] *= first_sign if label else -first_sign
        parts.append((points + rng.normal(scale=noise, size=points.shape), np.full(count, label)))
    return _shuffled(parts, rng)


def blobs(n: int = 400, *, classes: int = 2, spread: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs, one per class, their centres evenly round a circle of radius 0.6."""
    if isinstance(classes, bool) or not isinstance(classes, int) or not 2 <= classes <= 10:
        raise ValueError(f"blobs: expected classes from 2 to 10. Received: classes={classes!r:.80}")
    _check(n, spread, "blobs", at_least=classes)
    rng = np.random.default_rng(seed)
    counts = [n // classes + (index < n % classes) for index in range(classes)]
    parts = []
    for label, count in enumerate(counts):
        angle = 2 * np.pi * label / classes
        centre = 0.6 * np.array([np.cos(angle), np.sin(angle)])
        parts.append((centre + rng.normal(scale=spread, size=(count, 2)), np.full(count, label)))
    return _shuffled(parts, rng)


def shapes(n: int = 300, *, size: int = 16, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Grey images (n, size, size, 1) in [0, 1] of a square outline, a cross or a ring (labels 0, 1, 2,
    as in `SHAPE_NAMES`), each of a random size and place, with pixel noise."""
    _check(n, noise, "shapes", at_least=1)
    if isinstance(size, bool) or not isinstance(size, int) or not 8 <= size <= 64:
        raise ValueError(f"shapes: expected size from 8 to 64 pixels. Received: size={size!r:.80}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(SHAPE_NAMES), size=n)
    rows, cols = np.mgrid[0:size, 0:size]
    images = np.zeros((n, size, size), np.float32)
    for index, label in enumerate(labels):
        half = rng.uniform(size * 0.18, size * 0.35)
        centre_row, centre_col = rng.uniform(half + 1, size - half - 1, size=2)
        dr, dc = rows - centre_row, cols - centre_col
        if label == 0:
            inside = (np.abs(dr) <= half) & (np.abs(dc) <= half)
            drawn = inside & ((np.abs(dr) >= half - 1.2) | (np.abs(dc) >= half - 1.2))
        elif label == 1:
            drawn = ((np.abs(dr) <= 0.8) | (np.abs(dc) <= 0.8)) & (np.abs(dr) <= half) & (np.abs(dc) <= half)
        else:
            drawn = np.abs(np.hypot(dr, dc) - half) <= 0.9
        images[index] = drawn
    images += rng.normal(scale=noise, size=images.shape).astype(np.float32)
    return np.clip(images, 0, 1)[..., None], labels.astype(np.int64)


def _shuffled(parts, rng) -> tuple[np.ndarray, np.ndarray]:
    x = np.concatenate([points for points, _ in parts]).astype(np.float32)
    y = np.concatenate([labels for _, labels in parts]).astype(np.int64)
    order = rng.permutation(len(x))
    return x[order], y[order]
