"""Toolbar buttons made from (name, label, icon, tooltip) rows."""

from __future__ import annotations

import ipywidgets as w


def toolbar_buttons(owner, rows, class_prefix: str) -> dict[str, w.Button]:
    """Buttons by name; each calls `owner._on_<name>` when clicked and carries the CSS class
    `<class_prefix><name>`, which the browser tests find it by."""
    buttons = {}
    for name, label, icon, tooltip in rows:
        button = w.Button(description=label, icon=icon, tooltip=tooltip, layout=w.Layout(width="auto"))
        button.on_click(getattr(owner, f"_on_{name}"))
        button.add_class(f"{class_prefix}{name}")
        buttons[name] = button
    return buttons
