"""`CardCanvas`: an ipycytoscape canvas that takes the card graph as records, sent as diffs.

Plain ipycytoscape makes a widget (a comm and a front-end model) per node and edge,
about 10 ms each in the browser. This canvas keeps ipycytoscape's widget (its
style, zoom and layout traits) but is sent one record per card and connection
(`canvas_sync`), as messages holding only what changed; the front-end view in
`js/` extends ipycytoscape's view, keeps the records on its model and draws each
change in one cytoscape batch. Clicks, drags and keys come back as custom
messages, which the editor routes through one handler.
"""

from __future__ import annotations

from typing import Callable

from ipycytoscape import CytoscapeWidget
from traitlets import Bool, Unicode, observe

from .._frontend import FrontEndModule
from .style import CANVAS_STYLE, PROJECTOR_STYLE

# Traits only Python may set: a browser update to them is refused.
PYTHON_ONLY = frozenset({"cytoscape_style", "cytoscape_layout", "projector"})


class CardCanvas(FrontEndModule, CytoscapeWidget):
    """The canvas. What it draws arrives as `send_records` messages; see `canvas_sync`.

    (ipycytoscape's own view redraws from scratch whenever its `elements` or `graph`
    change; this one leaves both empty.)
    """

    _model_name = Unicode("CardCanvasModel").tag(sync=True)
    _view_name = Unicode("CardCanvasView").tag(sync=True)
    projector = Bool(
        False,
        help="Large text and high-contrast errors, for a projector: cards show their compact face (type, name, "
        "shape) up to a closer zoom, and error messages are larger, bold, white on bright red.",
    ).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cytoscape_style = CANVAS_STYLE
        self.set_layout(name="preset", fit=True, padding=30)
        self.min_zoom, self.max_zoom = 0.05, 3.0
        self.box_selection_enabled = False
        self._event_callbacks: list[Callable[[dict], None]] = []
        self.on_msg(self._on_frontend_message)

    @observe("projector")
    def _restyle(self, change) -> None:
        self.cytoscape_style = CANVAS_STYLE + PROJECTOR_STYLE if change["new"] else CANVAS_STYLE

    def set_state(self, sync_data):
        refused = PYTHON_ONLY & set(sync_data)
        if refused:
            raise ValueError(f"The canvas front end may not set {sorted(refused)}; they are derived from the graph.")
        super().set_state(sync_data)

    def send_records(self, message: dict) -> None:
        """Send a message of `CanvasSync` (a reset or a diff of records) to the front end."""
        self.send(message)

    def on_canvas_event(self, callback: Callable[[dict], None]) -> None:
        """Call `callback(message)` for each event the browser sends (tap, moved, delete)."""
        self._event_callbacks.append(callback)

    def _on_frontend_message(self, _widget, content, _buffers) -> None:
        # ipycytoscape's own handler reads content["event"]; ours travel under "payload".
        if isinstance(content, dict) and content.get("kind") == "canvas_event":
            for callback in self._event_callbacks:
                callback(content.get("payload"))

    def send_command(self, command: dict) -> None:
        """Tell the front end to do something besides drawing records: answer an inline edit,
        offer cards for a dropped connection, fit the view."""
        self.send(command)

    def fit(self) -> None:
        self.send_command({"command": "fit"})
