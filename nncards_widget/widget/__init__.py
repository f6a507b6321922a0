"""The notebook widget: an ipycytoscape canvas of the graph, with palette, inspector and summary."""

from .editor import CardEditor

__all__ = ["CardEditor"]
