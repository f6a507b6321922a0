"""The card graph: cards with typed parameters, typed connections, positions."""

from .card import Card, card_class
from .graph import CardGraph, Connection, ConnectionRefused, Edit
from .history import History
from .params import ParameterError

__all__ = ["Card", "CardGraph", "Connection", "ConnectionRefused", "Edit", "History", "ParameterError", "card_class"]
