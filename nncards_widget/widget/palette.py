"""The palette: every catalog card, searchable, grouped by category."""

from __future__ import annotations

import ipywidgets as w

from .. import catalog
from ..catalog.spec import CardSpec


def _group(spec: CardSpec) -> str:
    return " / ".join(spec.category) or "Model"


def palette_options(search: str = "") -> list[tuple[str, str]]:
    """(label, value) pairs: a heading per category (value "") and its matching cards."""
    words = search.lower().split()
    options, current = [], None
    for spec in sorted(catalog.all(), key=lambda spec: (_group(spec) != "Model", _group(spec), spec.title)):
        haystack = f"{spec.title} {spec.id} {_group(spec)} {spec.help}".lower()
        if not all(word in haystack for word in words):
            continue
        if _group(spec) != current:
            current = _group(spec)
            options.append((f"── {current} ──", f"group:{current}"))
        options.append((f"    {spec.title}", spec.id))
    return options


class Palette(w.VBox):
    """Search box, list and Add button; calls `on_add(card_id)`."""

    def __init__(self, on_add):
        self._on_add = on_add
        self.search = w.Text(placeholder="Search cards (e.g. conv, dropout)", continuous_update=True,
                             layout=w.Layout(width="98%"))
        self.choices = w.Select(options=palette_options(), rows=14, layout=w.Layout(width="98%"))
        self.add_button = w.Button(description="Add card", icon="plus", button_style="primary",
                                   tooltip="Add the chosen card; if a card is selected, after it and connected to it")
        self.help = w.HTML()
        super().__init__([w.HTML("<b>Cards</b>"), self.search, self.choices, self.add_button, self.help],
                         layout=w.Layout(width="100%"))
        self.search.observe(self._filter, names="value")
        self.choices.observe(self._describe, names="value")
        self.add_button.on_click(self._add)

    def _filter(self, change) -> None:
        self.choices.options = palette_options(change["new"])

    def _describe(self, change) -> None:
        value = change["new"]
        self.help.value = f"<small>{catalog.get(value).help}</small>" if value and not value.startswith("group:") else ""

    def _add(self, _button) -> None:
        value = self.choices.value
        if value and not value.startswith("group:"):
            self._on_add(value)
