"""What a typed value means for a port: the one reading of text typed into a field,
shared by the inspector's fields and the card's own inline editor."""

from __future__ import annotations

from ..catalog.spec import INTEGER, PortSpec


def parse_field(port: PortSpec, text: str):
    """What a typed text means for a number port: "5, 5" -> (5, 5); "" -> None for optional ports;
    "None, 16" -> (None, 16) where the port takes None entries.

    Raises ValueError with what was expected, for text that is not a number.
    """
    text = text.strip()
    if port.is_list:
        items = [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]
        return tuple(None if port.none_entries and item.lower() == "none" else _number(port, item) for item in items)
    if text == "" and port.optional:
        return None
    return _number(port, text)


def _number(port: PortSpec, text: str):
    try:
        return int(text) if port.type == INTEGER else float(text)
    except ValueError:
        if port.is_list:
            noun = ("integers" if port.type == INTEGER else "numbers") + (" or None" if port.none_entries else "")
            raise ValueError(f"{port.text}: expected {noun} separated by commas. Received: {text!r}") from None
        noun = "a whole number" if port.type == INTEGER else "a number"
        raise ValueError(f"{port.text}: expected {noun}{', or nothing to leave it unset' if port.optional else ''}. "
                         f"Received: {text!r}") from None
