"""The card graph: cards with typed parameters, typed connections, positions."""

from .card import Card, card_class
from .graph import CardGraph, Connection, ConnectionRefused, Edit, EditsLocked
from .history import History
from .params import ParameterError
from .training import TrainingSettings, TrainingSettingsError

__all__ = ["Card", "CardGraph", "Connection", "ConnectionRefused", "Edit", "EditsLocked", "History", "ParameterError",
           "TrainingSettings", "TrainingSettingsError", "card_class"]
