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
    """What the summary says about the model, beyond the cards' own records.

    Read without assembling the model (which walks every layer): a build whose model is
    still to be made counts as making one.
    """
    build = graph.last_build
    if build is None:
        return {"has_model": False, "why_no_model": None, "error_count": 0}
    pending = build.assembly is not None and build.assembly.pending
    if not build.has_outputs or pending:
        why = None
    elif build.assembly is None:
        why = "; ".join(build.causes) or None
    else:
        why = build.why_no_model
    return {"has_model": pending or graph.model is not None, "why_no_model": why, "error_count": len(build.errors)}


class CardSummary(FrontEndModule, w.DOMWidget):
    """A table like keras.Model.summary() of the canvas's cards; clicking a row selects that card."""

    _model_name = Unicode("CardSummaryModel").tag(sync=True)
    _view_name = Unicode("CardSummaryView").tag(sync=True)

    canvas = Instance(CardCanvas, help="The canvas whose cards the table lists.").tag(sync=True, **w.widget_serialization)
    facts = Dict(help="Whether the graph makes a model, why not, and how many cards have errors.").tag(sync=True)

    def set_state(self, sync_data):
        raise ValueError(f"The summary front end may not set {sorted(sync_data)}; it is derived from the graph.")
