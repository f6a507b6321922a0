"""The inspector: a form generated from the selected card's spec.

Each scalar port is a field with the port's help text. Editing a field sets the
card's trait, which validates; a refused value is shown under the field and on the
editor's status line, and the field goes back to the card's value, which is kept.
Numbers are typed as text, so that a value the browser cannot read ("abc") still
reaches Python and is refused in words. A change made elsewhere shows in the field.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
from traitlets import TraitError

from ..card_face import format_shape, format_value
from ..catalog.spec import BOOLEAN, FLOAT, INTEGER, PortSpec
from ..graph import Card
from .closing import close_parts
from .field_text import parse_field


def _field(port: PortSpec, value) -> w.Widget:
    common = {"description": port.text, "tooltip": port.help, "style": {"description_width": "150px"},
              "layout": w.Layout(width="98%")}
    if port.choices is not None:
        options = [(choice.label, choice.value) for choice in port.choices]
        return w.Dropdown(options=options, value=value, **common)
    if port.type == BOOLEAN:
        return w.Checkbox(value=value, indent=False, **common)
    if port.type in (INTEGER, FLOAT):
        return w.Text(value=value, placeholder="empty: unset" if port.optional else "", continuous_update=False, **common)
    return w.Text(value=value, continuous_update=False, **common)


def _shown(port: PortSpec, value):
    """The field value for a card value."""
    if port.type in (INTEGER, FLOAT):
        return format_value(value) if value not in (None, ()) else ""
    return value


class Inspector(w.VBox):
    """Shows and edits one card: its parameters, output shapes, parameter count and error."""

    def __init__(self, on_preview=None, on_refused=None):
        self._card: Card | None = None
        self._fields: dict[str, w.Widget] = {}
        # Under each field: why a value typed there was refused.
        self.notes: dict[str, w.HTML] = {}
        self._on_refused = on_refused
        self.heading = w.HTML()
        self.facts = w.HTML()
        self.form = w.VBox()
        self.preview_button = w.Button(
            description="Preview output", icon="eye",
            tooltip="Run a sample through the live model and show what this card outputs",
        )
        self.preview = w.HTML()
        if on_preview is not None:
            self.preview_button.on_click(lambda _: on_preview(self._card))
        super().__init__(
            [self.heading, self.form, self.facts, self.preview_button, self.preview],
            layout=w.Layout(width="100%"),
        )
        self.show(None)

    @property
    def card(self) -> Card | None:
        return self._card

    def show(self, card: Card | None) -> None:
        if self._card is not None:
            self._card.unobserve(self._on_card_change)
        for field in [*self._fields.values(), *self.notes.values()]:
            close_parts(field)
            field.close()
        self.notes = {}
        self._card = card
        self.preview.value = ""
        self.preview_button.layout.display = "none" if card is None or card.spec.kind != "layer" else None
        if card is None:
            self.heading.value = "<b>Inspector</b><br><i>Select a card to edit its parameters.</i>"
            self.form.children, self._fields, self.facts.value = (), {}, ""
            return
        title, key, help_text = (escape(text, quote=False) for text in (card.spec.title, card.key, card.spec.help))
        self.heading.value = f"<b>{title}</b> <code>{key}</code><br><small>{help_text}</small>"
        self._fields = {}
        rows = []
        for port in card.spec.scalar_inputs:
            field = _field(port, _shown(port, getattr(card, port.name)))
            field.observe(self._on_field_change, names="value")
            self._fields[port.name] = field
            note = self.notes[port.name] = w.HTML(layout=w.Layout(display="none"))
            note.add_class("nncards-field-refused")
            rows += [field, note]
        self.form.children = rows
        card.observe(self._on_card_change)
        self.refresh_facts()

    def close(self) -> None:
        """Stop following the shown card, and close."""
        self.show(None)
        super().close()

    def refresh_facts(self) -> None:
        card = self._card
        if card is None:
            return
        lines = [
            f"{escape(card.spec.port(port).text, quote=False)}: <code>{escape(format_shape(shape), quote=False)}</code>"
            for port, shape in card.output_shapes.items()
        ]
        if card.param_count is not None:
            lines.append(f"Parameters: <b>{card.param_count:,}</b>")
        if card.error:
            lines.append(f'<span style="color:#c62828">⚠ {escape(card.error, quote=False)}</span>')
        self.facts.value = "<br>".join(lines)

    def _on_field_change(self, change) -> None:
        card = self._card
        name = next(name for name, field in self._fields.items() if field is change["owner"])
        port = card.spec.port(name)
        value = change["new"]
        try:
            if isinstance(value, str) and port.type in (INTEGER, FLOAT):
                value = parse_field(port, value)
            if value == getattr(card, name):
                return  # the field shows the card's value again, e.g. after a refused edit
            setattr(card, name, value)
        except (ValueError, TraitError) as refused:
            self._note(name, f"{refused} Kept {format_value(getattr(card, name))}.")
            change["owner"].value = _shown(port, getattr(card, name))
            return
        self._note(name, "")

    def _note(self, name: str, text: str) -> None:
        """Show (or clear) why the value typed into a field was refused, under it and on the status line."""
        note = self.notes[name]
        note.value = f'<span style="color:#c62828">⚠ {escape(text, quote=False)}</span>' if text else ""
        note.layout.display = None if text else "none"
        if text and self._on_refused is not None:
            self._on_refused(text)

    def _on_card_change(self, change) -> None:
        name = change["name"]
        if name in self._fields:
            self._note(name, "")
            shown = _shown(self._card.spec.port(name), change["new"])
            if self._fields[name].value != shown:
                self._fields[name].value = shown
        else:
            self.refresh_facts()
