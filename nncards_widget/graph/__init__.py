"""The card graph: cards with typed parameters, typed connections, positions."""

from .card import Card, card_class
from .graph import CardGraph, Connection, ConnectionRefused, Edit, EditsLocked
from .groups import FUNCTIONAL, SEQUENTIAL, Group, GroupError
from .history import History
from .params import ParameterError
from .training import TrainingSettings, TrainingSettingsError

__all__ = ["Card", "CardGraph", "Connection", "ConnectionRefused", "Edit", "EditsLocked", "FUNCTIONAL", "Group", "GroupError",
           "History", "ParameterError", "SEQUENTIAL", "TrainingSettings", "TrainingSettingsError", "card_class"]
