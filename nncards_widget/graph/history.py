"""Undo and redo of every edit of a graph, whoever made it (canvas or Python), weights included.

A step also keeps the Keras objects that the build after it replaced (a layer whose
filters changed, a removed card's layer), with their weights as they were then. Undoing
the step offers them back to the graph, whose next build takes each one back if its
card is again as it was built from: undo of a filters change brings back the very layer
with its trained weights. Those objects are kept for the most recent steps up to
`weights_limit` bytes in all; older steps undo their values, and their layers start afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import CardGraph, Edit

DEFAULT_WEIGHTS_LIMIT = 1 << 30


@dataclass(eq=False)
class _Step:
    """Edits undone together, and the Keras objects to offer back: `before` when undone, `after` when redone."""

    edits: list
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return sum(record.nbytes for records in (self.before, self.after) for record in records.values())


class History:
    """Records a graph's edits; `undo()` and `redo()` replay them backwards and forwards.

    Edits made inside one `graph.hold()` are one step. `graph.history` is the
    graph's own, which its editors share.
    """

    def __init__(self, graph: CardGraph, limit: int = 500, weights_limit: int = DEFAULT_WEIGHTS_LIMIT):
        self.graph = graph
        self.limit = limit
        self.weights_limit = weights_limit
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._replaying: _Step | None = None
        self._replaying_backwards = False
        graph.on_edit(self._record)
        graph.on_build(self._on_build)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _record(self, edit: Edit) -> None:
        if self._replaying is not None:
            return
        if self._undo and self._undo[-1].edits[-1].group == edit.group:
            self._undo[-1].edits.append(edit)
        else:
            self._undo.append(_Step([edit]))
            del self._undo[: -self.limit]
        self._redo.clear()

    def _on_build(self, result) -> None:
        """Keep what the build replaced with the step it undoes: the step replayed now, or the latest one."""
        if not result.replaced:
            return
        if self._replaying is not None:
            kept = self._replaying.after if self._replaying_backwards else self._replaying.before
            kept.clear()
        elif self._undo:
            kept = self._undo[-1].before
        else:
            return
        for card, record in result.replaced.items():
            kept.setdefault(card, record)
        self._keep_within_limit()

    def _keep_within_limit(self) -> None:
        """Drop the Keras objects of the oldest steps (undo's, then the farthest redo's) while over the limit."""
        total = sum(step.nbytes for step in self._undo + self._redo)
        for step in self._undo + self._redo[::-1]:
            if total <= self.weights_limit:
                return
            total -= step.nbytes
            step.before.clear()
            step.after.clear()

    def undo(self) -> bool:
        """Undo the last step; False if there is none."""
        return self._replay(self._undo, self._redo, backwards=True)

    def redo(self) -> bool:
        """Redo the last undone step; False if there is none."""
        return self._replay(self._redo, self._undo, backwards=False)

    def _replay(self, source: list, target: list, backwards: bool) -> bool:
        if not source:
            return False
        self.graph.check_unlocked()
        step = source.pop()
        # Moved first: the views that redraw on the replay's revision must already see it as undoable
        # (or redoable), or their Undo and Redo buttons would lag one edit behind.
        target.append(step)
        self._replaying, self._replaying_backwards = step, backwards
        offered = step.before if backwards else step.after
        try:
            with self.graph.hold():
                for edit in reversed(step.edits) if backwards else step.edits:
                    self._apply(edit, backwards)
                self.graph.offer_replaced(offered)
        finally:
            self._replaying = None
        # Taken back by the build (or waiting in the graph for the next one): no longer the step's to keep.
        offered.clear()
        return True

    def _apply(self, edit: Edit, backwards: bool) -> None:
        graph = self.graph
        forwards = not backwards
        if edit.kind in ("add", "remove"):
            if (edit.kind == "add") == forwards:
                graph.insert(edit.card, edit.old)
                for index, connection in edit.connections:
                    graph.attach(connection, index)
            else:
                graph.remove(edit.card)
        elif edit.kind in ("connect", "disconnect"):
            c = edit.connection
            if (edit.kind == "connect") == forwards:
                graph.attach(c, edit.old)
            else:
                graph.disconnect(c.source, c.source_port, c.target, c.target_port)
        elif edit.kind == "set":
            setattr(edit.card, edit.name, edit.old if backwards else edit.new)
        elif edit.kind == "move":
            edit.card.position = edit.old if backwards else edit.new
        elif edit.kind == "replace":
            graph.restore(*(edit.old if backwards else edit.new))
        elif edit.kind == "groups":
            graph.set_groups(edit.old if backwards else edit.new)
