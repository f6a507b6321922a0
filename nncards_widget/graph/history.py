"""Undo and redo of every edit of a graph, whoever made it (canvas or Python)."""

from __future__ import annotations

from .graph import CardGraph, Edit


class History:
    """Records a graph's edits; `undo()` and `redo()` replay them backwards and forwards.

    Edits made inside one `graph.hold()` are one step.
    """

    def __init__(self, graph: CardGraph, limit: int = 500):
        self.graph = graph
        self.limit = limit
        self._undo: list[list[Edit]] = []
        self._redo: list[list[Edit]] = []
        self._replaying = False
        graph.on_edit(self._record)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _record(self, edit: Edit) -> None:
        if self._replaying:
            return
        if self._undo and self._undo[-1][-1].group == edit.group:
            self._undo[-1].append(edit)
        else:
            self._undo.append([edit])
            del self._undo[: -self.limit]
        self._redo.clear()

    def undo(self) -> bool:
        """Undo the last step; False if there is none."""
        return self._replay(self._undo, self._redo, backwards=True)

    def redo(self) -> bool:
        """Redo the last undone step; False if there is none."""
        return self._replay(self._redo, self._undo, backwards=False)

    def _replay(self, source: list, target: list, backwards: bool) -> bool:
        if not source:
            return False
        step = source.pop()
        self._replaying = True
        try:
            with self.graph.hold():
                for edit in reversed(step) if backwards else step:
                    self._apply(edit, backwards)
        finally:
            self._replaying = False
        target.append(step)
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
