"""Closing widgets for good. ipywidgets keeps every widget it made until that widget is closed,
and closing a container leaves open its children and the layout and style widgets each one has."""

from __future__ import annotations

import ipywidgets as w


def close_parts(widget: w.Widget) -> None:
    """Close every widget inside `widget`, innermost first: its children and the widgets its synced
    traits hold (layout, style, a canvas's graph), each with its own parts; not `widget` itself."""
    for name in widget.keys:
        value = getattr(widget, name)
        for part in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(part, w.Widget):
                close_parts(part)
                part.close()
