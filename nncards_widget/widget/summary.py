"""The Summary tab: every layer card with its output shape and parameter count.

The table is drawn in the browser from the records the canvas already holds
(js/src/summary.js), so an edit sends nothing for it but these few facts about
the model: whether there is one, and if not, why.
"""

from __future__ import annotations

import ipywidgets as w
from traitlets import Dict, Instance, Unicode

from .._frontend import FrontEndModule
from ..graph import CardGraph
from .canvas import CardCanvas


def summary_facts(graph: CardGraph) -> dict:
    """What the summary says about the model, beyond the cards' own records."""
    build = graph.last_build
    return {
        "has_model": graph.model is not None,
        "why_no_model": build.why_no_model if build is not None else None,
        "error_count": len(build.errors) if build is not None else 0,
    }


class CardSummary(FrontEndModule, w.DOMWidget):
    """A table like keras.Model.summary() of the canvas's cards; clicking a row selects that card."""

    _model_name = Unicode("CardSummaryModel").tag(sync=True)
    _view_name = Unicode("CardSummaryView").tag(sync=True)

    canvas = Instance(CardCanvas, help="The canvas whose cards the table lists.").tag(sync=True, **w.widget_serialization)
    facts = Dict(help="Whether the graph makes a model, why not, and how many cards have errors.").tag(sync=True)

    def set_state(self, sync_data):
        raise ValueError(f"The summary front end may not set {sorted(sync_data)}; it is derived from the graph.")
