"""Nested models: the cards that the graph's keras.Model holds inside a Sequential or functional model of its own.

The canvas draws each group as a labelled frame round its cards; a group says how the keras.Model is assembled
(keras_build/nesting.py), so that an imported model nesting others rebuilds with the
same nested models, classes and names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

from .card import NAME, Card

SEQUENTIAL = "Sequential"
FUNCTIONAL = "Functional"
MODEL_CLASSES = (SEQUENTIAL, FUNCTIONAL)


class GroupError(ValueError):
    """Nested models the graph does not accept; the graph is unchanged."""


@dataclass(frozen=True)
class Group:
    """One nested model.

    Attributes:
        model_class: "Sequential" or "Functional", the Keras class it is rebuilt as.
        name: the nested model's name (unique among the graph's cards and nested models).
        members: the keys of the layer cards it holds itself, in order.
        parent: the name of the nested model that holds this one, or None for the outer model.
        inputs: the names its Input layers get, in order (empty, or another count than it has inputs:
            names Keras chooses).
        feeds: the keys of the cards whose outputs it takes, in the order it takes them (others after them,
            in the order its layers first use them).
        outputs: the keys of the cards whose outputs it gives, in the order it gives them (others after them,
            in the order they are computed).
    """

    model_class: str
    name: str
    members: tuple[str, ...] = ()
    parent: str | None = None
    inputs: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()

    def describe(self) -> str:
        """How messages name the group: `nested Sequential model 'block'`."""
        return f"nested {self.model_class} model {self.name!r}"


def check_groups(groups: Iterable[Group], card: Callable[[str], Card | None]) -> dict[str, Group]:
    """The groups by name, each checked (`card(key)`: the graph's card of that key, or None); GroupError says what is wrong."""
    by_name: dict[str, Group] = {}
    owner: dict[str, str] = {}
    for group in groups:
        if not isinstance(group, Group):
            raise GroupError(f"Expected a Group. Received: {type(group).__name__}")
        where = group.describe()
        if group.model_class not in MODEL_CLASSES:
            raise GroupError(f"Nested model {group.name!r}: expected a class among {MODEL_CLASSES}. Received: {group.model_class!r}")
        if not isinstance(group.name, str) or not NAME.fullmatch(group.name):
            raise GroupError(
                "Nested model names start with a letter or _ and use letters, digits, _ . - (at most 128). "
                f"Received: name={group.name!r:.200}"
            )
        if group.name in by_name:
            raise GroupError(f"Two nested models are named {group.name!r}; each needs a name of its own.")
        if card(group.name) is not None:
            raise GroupError(f"{where}: a card is named {group.name!r} too; Keras needs a name of its own for each.")
        for field_name in ("inputs", "feeds", "outputs"):
            value = getattr(group, field_name)
            if not isinstance(value, tuple) or not all(isinstance(name, str) for name in value):
                raise GroupError(f"{where}: expected a tuple of texts. Received: {field_name}={value!r:.200}")
        for key in group.members:
            member = card(key) if isinstance(key, str) else None
            if member is None:
                raise GroupError(f"{where}: no card named {key!r:.200} in the graph.")
            if member.spec.kind != "layer":
                raise GroupError(f"{where}: card {key!r} is {member.spec.title} card; a nested model holds layer cards.")
            if key in owner:
                other = "it" if owner[key] == group.name else f"nested model {owner[key]!r}"
                raise GroupError(f"{where}: card {key!r} is in {other} already; a card is in one nested model at most.")
            owner[key] = group.name
        by_name[group.name] = group
    holds = {}
    for group in by_name.values():
        if group.parent is not None:
            if group.parent not in by_name:
                raise GroupError(f"{group.describe()}: its parent {group.parent!r:.200} is not a nested model of the graph.")
            holds[group.parent] = True
    for group in by_name.values():
        if not group.members and group.name not in holds:
            raise GroupError(f"{group.describe()} holds no card.")
        chain = [group.name]
        while by_name[chain[-1]].parent is not None:
            chain.append(by_name[chain[-1]].parent)
            if chain[-1] in chain[:-1]:
                cycle = chain[chain.index(chain[-1]):]
                raise GroupError(f"Nested models hold each other: {' -> '.join(cycle)}.")
    return by_name


def without_card(groups: dict[str, Group], key: str) -> tuple[Group, ...]:
    """The groups once card `key` is gone: it leaves its group, and a group left with no card, directly or
    through the groups it holds, goes too."""
    kept = {
        name: replace(g, members=tuple(m for m in g.members if m != key))
        for name, g in groups.items()
    }
    while True:
        parents = {g.parent for g in kept.values()}
        empty = [name for name, g in kept.items() if not g.members and name not in parents]
        if not empty:
            return tuple(kept.values())
        for name in empty:
            del kept[name]
