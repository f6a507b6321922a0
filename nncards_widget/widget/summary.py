"""The summary panel: every layer card with its output shape and parameter count."""

from __future__ import annotations

import math
from html import escape

from ..card_face import format_shape
from ..graph import CardGraph


def summary_html(graph: CardGraph) -> str:
    """An HTML table like keras.Model.summary(), derived from the cards."""
    rows, total = [], 0
    for card in graph.topological_order():
        if card.spec.kind not in ("input", "layer"):
            continue
        shapes = ", ".join(format_shape(shape) for shape in card.output_shapes.values())
        if card.error:
            shapes = f'<span style="color:#c62828">⚠ {escape(card.error)}</span>'
        count = card.param_count or 0
        total += count
        rows.append(
            f"<tr><td><code>{escape(card.key)}</code></td><td>{escape(card.spec.title)}</td>"
            f"<td>{shapes or '-'}</td><td style='text-align:right'>{count:,}</td></tr>"
        )
    model = graph.model
    build = graph.last_build
    why = escape(build.why_no_model) if build is not None and build.why_no_model else None
    if model is not None:
        inputs = ", ".join(f"{escape(t.name)} {format_shape(tuple(t.shape))}" for t in model.inputs)
        outputs = ", ".join(format_shape(tuple(t.shape)) for t in model.outputs)
        trainable = sum(math.prod(v.shape) for v in model.trainable_weights)
        model_line = (
            f"Model inputs: {inputs} &rarr; outputs: {outputs}<br>"
            f"Total parameters: <b>{model.count_params():,}</b> (trainable {trainable:,})"
        )
        if why:
            model_line += f"<br><i>This is the last model the graph made; as it is now, it makes none: {why}.</i>"
    elif why:
        model_line = f"<i>No model yet: {why}.</i>"
    else:
        model_line = "<i>No model yet: connect an Input through to an Output card.</i>"
    problems = len(build.errors) if build is not None else 0
    status = f' <span style="color:#c62828">{problems} card(s) with errors</span>' if problems else ""
    return (
        "<table class='nncards-summary'><thead><tr><th>Card</th><th>Type</th><th>Output shape</th>"
        "<th>Parameters</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody><tfoot><tr><td colspan='3'><b>Cards total</b></td><td style='text-align:right'><b>{total:,}</b></td></tr></tfoot></table>"
        + f"<div>{model_line}{status}</div>"
    )
