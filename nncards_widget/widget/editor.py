"""`CardEditor`: the notebook widget. Canvas, palette, inspector, summary, toolbar.

The editor owns no model state: it shows its `CardGraph` and turns clicks into
graph edits. Several editors of one graph stay in step because each redraws
when the graph's `revision` changes, whoever made the edit.
"""

from __future__ import annotations

import sys
import threading
import weakref
from html import escape
from pathlib import Path

import ipywidgets as w
import numpy as np

from ..graph import CardGraph
from ..io.document import DocumentError, load, save
from ..io.python_export import ExportError, to_python
from ..layout import arrange, place, unplaced
from .buttons import toolbar_buttons
from .canvas import CardCanvas
from .canvas_records import port_node_id
from .canvas_sync import CanvasSync
from .closing import close_parts
from .inspector import Inspector
from .interaction import CanvasInteraction, CanvasMessageError, Outcome
from .palette import Palette
from .preview import PreviewError, card_output, preview_html
from .summary import CardSummary, summary_facts
from .train_panel import TrainPanel

_TABS = ("Inspector", "Cards", "Summary", "Train")


class CardEditor(w.VBox):
    """Edit a `CardGraph` with the mouse; the same graph and its Keras model stay in the kernel.

    Example:
        >>> editor = CardEditor(graph)
        >>> editor            # doctest: +SKIP  (displays the editor)
        >>> editor.model      # the live keras.Model

    `height` is the canvas's CSS height: by default most of the window's, so that a whole
    network shows at the largest zoom. `projector=True` starts it in projector mode (large
    text, high-contrast errors); the toolbar's Panel and Projector toggles switch the side
    panel and that mode. `data` (name -> array) are the arrays the Train tab offers; more
    come with `offer_data`.
    """

    def __init__(
        self,
        graph: CardGraph | None = None,
        *,
        path: str = "graph.json",
        height: str = "min(78vh, 900px)",
        projector: bool = False,
        data: dict | None = None,
    ):
        self.graph = graph if graph is not None else CardGraph()
        # Cards never placed (a graph built in Python) are laid out before the history starts, so
        # that a first Undo undoes the person's edit, not this.
        place(self.graph, unplaced(self.graph))
        self.history = self.graph.history
        # Redrawing happens from the kernel and from a training run's thread (weight-norm traces).
        self._drawing = threading.RLock()
        self.data: dict = {}
        self.interaction = CanvasInteraction(self.graph)
        self.sync = CanvasSync(self.graph)
        self.canvas = CardCanvas(layout=w.Layout(height=height, width="auto", flex="1 1 auto", min_width="0"))
        # Diffs are sent once the whole picture has: on the first display, or when a view asks (its "ready" event).
        self._canvas_ready = False
        self.canvas.on_canvas_event(self._on_canvas_event)
        self.palette = Palette(self.add_card)
        self.inspector = Inspector(on_preview=self.preview, on_refused=lambda text: self._show(Outcome(text, error=True)))
        self.preview_sample = None
        self.summary = CardSummary(canvas=self.canvas, layout=w.Layout(width="100%"))
        self.status = w.HTML()
        self.status.add_class("nncards-status")
        self.code = w.Textarea(layout=w.Layout(width="100%", height="260px", display="none"), disabled=True)
        self.path = w.Text(value=path, description="File", layout=w.Layout(width="260px"),
                           style={"description_width": "40px"}, tooltip="File that Save writes and Load reads")
        self.buttons = toolbar_buttons(self, (
            ("undo", "Undo", "undo", "Undo the last edit"),
            ("redo", "Redo", "repeat", "Redo the last undone edit"),
            ("delete", "Delete", "trash", "Delete the selected card or connection (or press Delete)"),
            ("layout", "Auto-layout", "sitemap", "Arrange every card in rows that fit the screen (Undo puts them back)"),
            ("fit", "Fit", "expand", "Zoom to show every card"),
            ("save", "Save", "save", "Save the graph to the file"),
            ("load", "Load", "folder-open", "Load the graph from the file"),
            ("code", "Code", "code", "Show Keras code that builds this model"),
        ), "nncards-")
        self.toggles = {
            name: w.ToggleButton(value=value, description=label, icon=icon, tooltip=tip, layout=w.Layout(width="auto"))
            for name, value, label, icon, tip in (
                ("panel", True, "Panel", "columns", "Show or hide the side panel (hidden, the canvas takes the full width)"),
                ("projector", projector, "Projector", "television", "Large text and high-contrast errors, for a projector"),
            )
        }
        for name, toggle in self.toggles.items():
            toggle.observe(getattr(self, f"_on_{name}"), names="value")
            toggle.add_class(f"nncards-{name}")
        toolbar = w.HBox([*self.buttons.values(), *self.toggles.values(), self.path], layout=w.Layout(flex_flow="row wrap"))
        # The Train tab is made when first shown or used: its 125 widgets were 60% of what showing an editor sent.
        self._train_panel: TrainPanel | None = None
        side = w.Tab([self.inspector, self.palette, self.summary, w.VBox()], layout=w.Layout(width="400px", min_width="400px"))
        for index, title in enumerate(_TABS):
            side.set_title(index, title)
        side.observe(self._on_tab, names="selected_index")
        self.side = side
        super().__init__([toolbar, w.HBox([self.canvas, side], layout=w.Layout(width="100%")), self.status, self.code])
        self.add_class("nncards-editor")
        self.set_projector(projector)
        self.offer_data(**(data or {}))
        # Cards added since the last redraw, to be placed if they have no place of their own.
        self._added: list = []
        # Weakly: an editor the notebook dropped must not be kept alive, or kept redrawing, by its graph.
        graph = self.graph
        self._revision_observer = _weakly(self, CardEditor._on_revision, lambda f: graph.unobserve(f, names="revision"))
        self._edit_listener = _weakly(self, CardEditor._note_added, lambda f: graph.on_edit(f, remove=True))
        graph.observe(self._revision_observer, names="revision")
        graph.on_edit(self._edit_listener)
        self.refresh()

    @property
    def train_panel(self) -> TrainPanel:
        """The Train tab: training settings, data, Start / Pause / Stop, curves."""
        if self._train_panel is None:
            self._make_train_panel()
        return self._train_panel

    def _make_train_panel(self) -> None:
        self._train_panel = TrainPanel(self.graph, self.data, self.show_traces)
        self.side.children = tuple(self._train_panel if title == "Train" else child for child, title in zip(self.side.children, _TABS))

    def _on_tab(self, change) -> None:
        # Made with the graph's settings and kept up to date by refresh(): shown again, it keeps what was typed.
        if self._train_panel is None and change["new"] is not None and _TABS[change["new"]] == "Train":
            self._make_train_panel()

    @property
    def model(self):
        """The graph's latest good keras.Model."""
        return self.graph.model

    def close(self) -> None:
        """Stop following the graph and close every widget of the editor (ipywidgets also calls this on disposal)."""
        observer, self._revision_observer = getattr(self, "_revision_observer", None), None
        if observer is not None and not sys.is_finalizing():
            self.sync.close()
            self.graph.unobserve(observer, names="revision")
            self.graph.on_edit(self._edit_listener, remove=True)
            close_parts(self)
        super().close()

    # Drawing

    def _repr_mimebundle_(self, **kwargs):
        # The records go ahead of the display message: the canvas draws as soon as it is made instead of
        # asking for them first (a round trip, and the kernel making 0.5 MB of records for DenseNet201).
        if not self._canvas_ready:
            self._send_every_record()
        return super()._repr_mimebundle_(**kwargs)

    def _send_every_record(self) -> None:
        with self._drawing:
            self._canvas_ready = True
            self.canvas.send_records(self.sync.reset(self.view_state()))

    def refresh(self) -> None:
        """Bring the canvas, inspector and summary up to date with the graph."""
        with self._drawing:
            self._redraw()

    def _redraw(self) -> None:
        self.interaction.follow_graph()
        if self._canvas_ready:
            message = self.sync.patch(self.view_state())
            if message is not None:
                self.canvas.send_records(message)
        selected = self.interaction.selected
        card = self.graph.card(selected) if selected and not selected.startswith("edge:") else None
        if card is not self.inspector.card:
            self.inspector.show(card)
        else:
            self.inspector.refresh_facts()
        self.summary.facts = summary_facts(self.graph)
        if self._train_panel is not None:
            self._train_panel.show_settings()
        self.buttons["undo"].disabled = not self.history.can_undo
        self.buttons["redo"].disabled = not self.history.can_redo

    def view_state(self) -> dict:
        """What the canvas shows besides the graph: the selected card (key) or connection (edge id),
        the port waiting for its partner, the ports it may connect to, and the nested models collapsed."""
        pending = self.interaction.pending
        return {
            "selected": self.interaction.selected,
            "pending": None if pending is None else port_node_id(pending.card, pending.port),
            "compatible": sorted(self.interaction.compatible_ports()),
            "collapsed": sorted(self.interaction.collapsed),
        }

    def show_traces(self, traces: dict[str, list[float]]) -> None:
        """Draw a small curve on each card named in `traces` (card key -> values), e.g. a layer's
        weight norm while it trains; the curve is scaled to its own range."""
        with self._drawing:
            self.sync.set_traces(traces)
            self._redraw()

    # Training

    def offer_data(self, **arrays) -> None:
        """Hand arrays to the Train tab by name, e.g. `editor.offer_data(x=x, y=y, x_test=xt, y_test=yt)`:
        the names x, y, x_test and y_test are chosen at once for training and evaluation."""
        for name, array in arrays.items():
            self.data[name] = np.asarray(array)
        if self._train_panel is not None:
            self._train_panel.offer_data()

    def fit(self, x, y, *, validation_data=None, validation_split: float = 0.0, epochs: int = 1, batch_size: int = 32,
            shuffle: bool = True, strategy=None):
        """Train the live model in the background and watch it in the Train tab; the `TrainingRun`
        (`run.pause()`, `run.stop()`, `run.wait()`, `run.history`).

        `x`, `y` and the arrays of `validation_data` are arrays or names of arrays handed to the
        editor. `strategy` is a `tf.distribute` strategy to train under (the model is copied into its
        scope and its weights copied back). While it trains, edits that would rebuild the model are refused.
        """
        run = self.train_panel.fit(x, y, validation_data=validation_data, validation_split=validation_split,
                                   epochs=epochs, batch_size=batch_size, shuffle=shuffle, strategy=strategy)
        self._show(Outcome("Training in the background: the Train tab shows its progress."))
        return run

    def evaluate(self, x, y) -> dict:
        """Loss and metrics of the live model on held-out arrays (or names of the editor's arrays), also shown in the Train tab."""
        return self.train_panel.evaluate(x, y)

    @property
    def training_run(self):
        """The latest training run started here, or None."""
        return None if self._train_panel is None else self._train_panel.run

    def _on_revision(self, change) -> None:
        self._place_new_cards()
        self.refresh()

    def _note_added(self, edit) -> None:
        if edit.kind == "add":
            self._added.append(edit.card)

    def _place_new_cards(self) -> None:
        """Cards added elsewhere (in Python) without a place of their own go into free space beside
        the card feeding them; no other card moves."""
        new, self._added = [card for card in self._added if card in self.graph], []
        if not new:
            return
        fresh = set(new)
        taken = {card.position for card in self.graph.cards if card not in fresh}
        place(self.graph, [card for card in new if card.position in taken or card.position == (0.0, 0.0) and taken])

    def _show(self, outcome: Outcome) -> None:
        colour, kind = ("#c62828", "nncards-error") if outcome.error else ("#37474f", "nncards-message")
        message = escape(outcome.message, quote=False)
        self.status.value = f'<span class="{kind}" style="color:{colour}">{message}</span>' if outcome.message else ""

    # Edits

    def _on_canvas_event(self, message) -> None:
        selected = self.interaction.selected
        try:
            outcome = self.interaction.handle(message)
        except CanvasMessageError as refused:
            outcome = Outcome(f"Ignored a canvas message: {refused}", error=True)
        self._show(outcome)
        if outcome.redraw and not (self._canvas_ready and outcome.view_revision == self.sync.revision):
            self._send_every_record()
        self.refresh()
        if outcome.reply is not None:
            self.canvas.send_command(outcome.reply)
        now = self.interaction.selected
        chose_card = message.get("event") == "tap" if isinstance(message, dict) else False
        if now is not None and not now.startswith("edge:") and (now != selected or chose_card):
            # A card chosen on the canvas is to be looked at: its parameters, not the palette.
            self.side.selected_index = 0

    def add_card(self, card_id: str):
        """Add a card; placed after the selected card and, where the types fit, connected to it."""
        selected = self.interaction.selected
        anchor = self.graph.card(selected) if selected and not selected.startswith("edge:") else None
        if self.graph.locked_by is not None:
            self._show(Outcome(self.graph.locked_by, error=True))
            return None
        with self.graph.hold():
            card = self.graph.add(card_id)
            message = f"Added {card.describe()}."
            if anchor is not None:
                link = _first_fit(self.graph, anchor, card)
                if link:
                    self.graph.connect(*link)
                    message += f" Connected {link[0].key}.{link[1]} → {link[2].key}.{link[3]}."
            place(self.graph, [card])
        self.interaction.selected, self.interaction.pending = card.key, None
        self._show(Outcome(message))
        self.refresh()
        return card

    def auto_layout(self) -> None:
        """Lay every card out afresh (rows that wrap to fit a screen; one step for Undo) and show them all."""
        arrange(self.graph)
        self.canvas.fit()

    def preview(self, card=None) -> None:
        """Show in the inspector what `card` (default: the selected one) outputs for `preview_sample`.

        `editor.preview_sample` may be an array for the Input, a dict of arrays by
        Input name, or None: then the first sample of the arrays chosen in the Train tab,
        or generated noise if there are none.
        """
        card = card if card is not None else self.inspector.card
        if card is None:
            self._show(Outcome("Select a card to preview its output.", error=True))
            return
        sample, source = self._preview_source()
        try:
            output = card_output(self.graph, card, sample)
        except PreviewError as refused:
            self.inspector.preview.value = f'<span style="color:#c62828">{escape(str(refused), quote=False)}</span>'
            return
        self.inspector.preview.value = preview_html(card, output) + f"<br><small>from {source}</small>"

    def _preview_source(self) -> tuple:
        if self.preview_sample is not None:
            return self.preview_sample, "the given sample (editor.preview_sample)"
        run = self.train_panel.run
        if run is not None and not isinstance(run.plan.x, dict):
            return run.plan.x[:1], "the first training sample"
        chosen = self.train_panel.x.value
        if chosen in self.data:
            return self.data[chosen][:1], f"the first sample of {chosen!r}"
        return None, "a generated sample (uniform noise)"

    def delete_selected(self) -> None:
        self._show(self.interaction.delete_selected())
        self.refresh()

    def undo(self) -> None:
        self._show(self.interaction.undo())

    def redo(self) -> None:
        self._show(self.interaction.redo())

    def save(self, path: str | None = None) -> None:
        target = Path(path or self.path.value)
        save(self.graph, target)
        self._show(Outcome(f"Saved {len(self.graph)} cards to {target}."))

    def load(self, path: str | None = None) -> None:
        """Load a saved graph into this editor's graph (undoable); a bad file changes nothing."""
        source = Path(path or self.path.value)
        try:
            loaded = load(source)
        except DocumentError as refused:
            self._show(Outcome(str(refused), error=True))
            return
        if self.graph.locked_by is not None:
            self._show(Outcome(self.graph.locked_by, error=True))
            return
        self.interaction.selected = self.interaction.pending = None
        self.graph.replace_with(loaded)
        self._show(Outcome(f"Loaded {len(self.graph)} cards from {source}."))

    def show_code(self) -> None:
        """Show (or hide) the Keras code that builds the model, under the canvas."""
        if self.code.layout.display != "none":
            self.code.layout.display = "none"
            return
        try:
            self.code.value = to_python(self.graph)
        except ExportError as refused:
            self._show(Outcome(str(refused), error=True))
            return
        self.code.layout.display = None
        self._show(Outcome("The code below builds this model; copy it into a cell or a file."))

    def collapse(self, name: str, collapsed: bool = True) -> None:
        """Draw the nested model `name` (one of `graph.groups`) as one card showing the shapes it takes and gives,
        as a click on its frame's title does; `collapsed=False` shows its cards again (so does selecting one)."""
        self._show(self.interaction.collapse(name, collapsed))
        self.refresh()

    def show_panel(self, shown: bool = True) -> None:
        """Show the side panel (inspector, cards, summary), or hide it to give the canvas the full width."""
        self.toggles["panel"].value = shown
        self.side.layout.display = None if shown else "none"

    def set_projector(self, on: bool = True) -> None:
        """Projector mode: large text and high-contrast errors on the canvas and around it, for a classroom."""
        self.toggles["projector"].value = on
        self.canvas.projector = on
        (self.add_class if on else self.remove_class)("nncards-projector-mode")

    def _on_panel(self, change):
        self.show_panel(change["new"])

    def _on_projector(self, change):
        self.set_projector(change["new"])

    def _on_code(self, _):
        self.show_code()

    def _on_undo(self, _):
        self.undo()

    def _on_redo(self, _):
        self.redo()

    def _on_delete(self, _):
        self.delete_selected()

    def _on_layout(self, _):
        self.auto_layout()

    def _on_fit(self, _):
        self.canvas.fit()

    def _on_save(self, _):
        self.save()

    def _on_load(self, _):
        self.load()


def _weakly(editor: CardEditor, method, unsubscribe):
    """A callback that calls `method(editor, ...)` while the editor lives, then `unsubscribe`s itself."""
    reference = weakref.ref(editor)

    def callback(*args):
        alive = reference()
        if alive is None:
            unsubscribe(callback)
        else:
            method(alive, *args)

    return callback


def _first_fit(graph: CardGraph, anchor, card):
    """The first legal (source, port, target, port) between `anchor` and the new `card`.

    Tensors flow from the anchor into the new card; a new initializer, regularizer,
    constraint or layer card feeds the anchor's first free port of its type.
    """
    candidates = [(anchor, out, card, into) for out in anchor.spec.outputs for into in card.spec.connectable_inputs]
    candidates += [(card, out, anchor, into) for out in card.spec.outputs for into in anchor.spec.connectable_inputs]
    candidates.sort(key=lambda link: link[1].type != "NeuralNetworkTensor")
    for source, out, target, into in candidates:
        if out.type != into.type:
            continue
        try:
            graph.check_connection(source, out.name, target, into.name)
        except ValueError:
            continue
        return source, out.name, target, into.name
    return None

