"""The card graph: cards with typed parameters, typed connections, positions."""

from .card import Card, card_class
from .graph import CardGraph, Connection, ConnectionRefused
from .params import ParameterError

__all__ = ["Card", "CardGraph", "Connection", "ConnectionRefused", "ParameterError", "card_class"]
