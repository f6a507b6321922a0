"""The saved form of a graph: a versioned JSON document, and `save` / `load`.

    {"format": "nncards_widget.graph", "version": 1,
     "cards": [{"key": "dense", "card": "layer_Dense", "position": [0, 0],
                "params": {"units": 10, ...}}, ...],
     "connections": [{"source": "input", "source_port": "data",
                      "target": "dense", "target_port": "input"}, ...],
     "training": {"optimizer": "adam", "learning_rate": 0.001, "loss": "mean_squared_error", ...},
     "groups": [{"name": "block", "class": "Sequential", "members": ["dense"], "parent": null, "inputs": [],
                 "feeds": ["input"], "outputs": ["dense"]}, ...]}

"training" (graph/training.py) is optional: a document without it gets the default settings.
"groups" (graph/groups.py, the nested models) came with version 2; a graph without any is
written as version 1, which older readers take too.

Reading checks everything and builds the graph through the same methods an edit
uses, so a document can only hold what an editor could have made. Any problem
raises one `DocumentError` saying what is wrong and where, and nothing is
returned. Reading never executes code: card ids are looked up in the catalog.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from traitlets import TraitError

from ..graph import CardGraph, ConnectionRefused, Group, GroupError, TrainingSettings, TrainingSettingsError
from ..layout import place
from .loading import cycle_collector_paused

FORMAT = "nncards_widget.graph"
VERSION = 2
# The version that brought nested models ("groups").
_GROUPS_VERSION = 2
MAX_BYTES = 64 * 1024 * 1024
MAX_CARDS = 20_000
MAX_CONNECTIONS = 100_000
_TOP_LEVEL = {"format", "version", "cards", "connections", "training", "groups"}
_GROUP_FIELDS = {"name", "class", "members", "parent", "inputs", "feeds", "outputs"}


class DocumentError(ValueError):
    """A graph document that cannot be read: says what is wrong and where."""


def to_document(graph: CardGraph) -> dict:
    """The graph as a versioned JSON document (a dict that `json.dumps` takes), of the oldest version that holds it."""
    document = {
        "format": FORMAT,
        "version": _GROUPS_VERSION if graph.groups else 1,
        "cards": [
            {
                "key": card.key,
                "card": card.spec.id,
                "position": list(card.position),
                "params": {name: list(value) if isinstance(value, tuple) else value for name, value in card.params.items()},
            }
            for card in graph.cards
        ],
        "connections": [
            {
                "source": c.source.key,
                "source_port": c.source_port,
                "target": c.target.key,
                "target_port": c.target_port,
            }
            for c in graph.connections
        ],
        "training": graph.training.to_json(),
    }
    if graph.groups:
        document["groups"] = [
            {
                "name": g.name,
                "class": g.model_class,
                "members": list(g.members),
                "parent": g.parent,
                "inputs": list(g.inputs),
                "feeds": list(g.feeds),
                "outputs": list(g.outputs),
            }
            for g in graph.groups.values()
        ]
    return document


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a valid JSON number")


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def parse(text: str | bytes) -> dict:
    """The JSON object in `text`, or DocumentError."""
    if len(text) > MAX_BYTES:
        raise DocumentError(f"The document is {len(text)} bytes; at most {MAX_BYTES} are read.")
    try:
        document = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"Not valid JSON at line {error.lineno}, column {error.colno}: {error.msg} (is the file truncated?)"
        ) from None
    except (ValueError, RecursionError) as error:
        raise DocumentError(f"Not a graph document: {error}.") from None
    return document


def _expect(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise DocumentError(f"{where}: {message}")


def _expect_object(value: Any, where: str, text_fields: tuple[str, ...]) -> None:
    """`value` is an object with these text fields (and maybe a position and params)."""
    _expect(isinstance(value, dict), where, f"expected an object. Received: {type(value).__name__}")
    for key in text_fields:
        _expect(key in value, where, f"missing {key!r}")
        _expect(isinstance(value[key], str), f"{where}.{key}", f"expected a text. Received: {value[key]!r}")
    unknown = sorted(set(value) - set(text_fields) - {"position", "params"})
    _expect(not unknown, where, f"unknown fields {unknown}")


def _position(value: Any, where: str) -> tuple[float, float]:
    _expect(
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value),
        where,
        f"expected [x, y] with two finite numbers. Received: {value!r}",
    )
    return float(value[0]), float(value[1])


def _check_header(document: Any) -> None:
    _expect(isinstance(document, dict), "document", f"expected a JSON object. Received: {type(document).__name__}")
    unknown = sorted(set(document) - _TOP_LEVEL)
    _expect(not unknown, "document", f"unknown fields {unknown}; a graph document has {sorted(_TOP_LEVEL)}")
    _expect(document.get("format") == FORMAT, "document.format", f"expected {FORMAT!r}. Received: {document.get('format')!r}")
    version = document.get("version")
    _expect(isinstance(version, int) and not isinstance(version, bool), "document.version", f"expected an integer. Received: {version!r}")
    _expect(
        version <= VERSION,
        "document.version",
        f"made by a newer nncards_widget (version {version}); this one reads version {VERSION} and older",
    )
    _expect(version >= 1, "document.version", f"expected 1 or more. Received: {version}")
    _expect(
        "groups" not in document or version >= _GROUPS_VERSION,
        "document.groups",
        f"nested models came with version {_GROUPS_VERSION}; this document says version {version}",
    )
    for field_name, limit in (("cards", MAX_CARDS), ("connections", MAX_CONNECTIONS)):
        items = document.get(field_name)
        _expect(isinstance(items, list), f"document.{field_name}", f"expected a list. Received: {type(items).__name__}")
        _expect(len(items) <= limit, f"document.{field_name}", f"{len(items)} entries; at most {limit} are read")


def from_document(document: dict | str | bytes) -> CardGraph:
    """A new graph from a document made by `to_document` (or its JSON text); DocumentError, and no graph, if anything is wrong."""
    with cycle_collector_paused():
        if isinstance(document, (str, bytes)):
            document = parse(document)
        _check_header(document)
        return _graph_of(document)


def _graph_of(document: dict) -> CardGraph:
    graph = CardGraph(auto_build=False)
    if "training" in document:
        try:
            graph.training = TrainingSettings.from_json(document["training"], "document.training")
        except TrainingSettingsError as error:
            raise DocumentError(str(error)) from None
    with graph.hold():
        cards, unplaced = _add_cards(graph, document["cards"])
        links = []
        for index, entry in enumerate(document["connections"]):
            where = f"connections[{index}]"
            _expect_object(entry, where, ("source", "source_port", "target", "target_port"))
            for end in ("source", "target"):
                _expect(entry[end] in cards, f"{where}.{end}", f"no card named {entry[end]!r:.200} in the document")
            links.append((cards[entry["source"]], entry["source_port"], cards[entry["target"]], entry["target_port"]))
        try:
            # Checked together: cycles are looked for once, so loading stays linear in any order of entries.
            graph.connect_many(links)
        except ConnectionRefused as error:
            where = "connections" if error.index is None else f"connections[{error.index}]"
            raise DocumentError(f"{where}: {error}") from None
        if "groups" in document:
            try:
                graph.set_groups(_groups(document["groups"]))
            except GroupError as error:
                raise DocumentError(f"document.groups: {error}") from None
    graph.build()
    # Cards saved without a position are placed once the build has sized them; the others stay.
    place(graph, unplaced)
    graph.auto_build = True
    return graph


def _groups(entries: Any) -> list[Group]:
    _expect(isinstance(entries, list), "document.groups", f"expected a list. Received: {type(entries).__name__}")
    _expect(len(entries) <= MAX_CARDS, "document.groups", f"{len(entries)} entries; at most {MAX_CARDS} are read")
    groups = []
    for index, entry in enumerate(entries):
        where = f"groups[{index}]"
        _expect(isinstance(entry, dict), where, f"expected an object. Received: {type(entry).__name__}")
        unknown = sorted(set(entry) - _GROUP_FIELDS)
        _expect(not unknown, where, f"unknown fields {unknown}")
        for name in ("name", "class", "members"):
            _expect(name in entry, where, f"missing {name!r}")
        parent, members = entry.get("parent"), entry["members"]
        inputs, feeds, outputs = (entry.get(name, []) for name in ("inputs", "feeds", "outputs"))
        _expect(isinstance(entry["name"], str), f"{where}.name", f"expected a text. Received: {entry['name']!r:.200}")
        _expect(parent is None or isinstance(parent, str), f"{where}.parent", f"expected a text or null. Received: {parent!r:.200}")
        for field_name, value in (("members", members), ("inputs", inputs), ("feeds", feeds), ("outputs", outputs)):
            _expect(
                isinstance(value, list) and all(isinstance(item, str) for item in value),
                f"{where}.{field_name}",
                f"expected a list of texts. Received: {value!r:.200}",
            )
        groups.append(Group(entry["class"], entry["name"], tuple(members), parent, tuple(inputs), tuple(feeds), tuple(outputs)))
    return groups


def _add_cards(graph: CardGraph, entries: list) -> tuple[dict, list]:
    """The cards of the document by key, and those saved without a position."""
    cards, unplaced = {}, []
    for index, entry in enumerate(entries):
        where = f"cards[{index}]"
        _expect_object(entry, where, ("key", "card"))
        params = entry.get("params", {})
        _expect(isinstance(params, dict), f"{where}.params", f"expected an object. Received: {type(params).__name__}")
        position = _position(entry["position"], f"{where}.position") if "position" in entry else None
        try:
            cards[entry["key"]] = graph.add(entry["card"], key=entry["key"], position=position, **params)
        except KeyError as error:
            raise DocumentError(f"{where}.card: {error.args[0]}") from None
        except (TypeError, ValueError, TraitError) as error:
            raise DocumentError(f"{where} ({entry['key']!r:.200}): {error}") from None
        if position is None:
            unplaced.append(cards[entry["key"]])
    return cards, unplaced


def save(graph: CardGraph, path: str | os.PathLike) -> None:
    """Write the graph to `path` as JSON; an existing file is replaced only once the new one is complete."""
    path = Path(path)
    text = json.dumps(to_document(graph), indent=1)
    with tempfile.NamedTemporaryFile("w", dir=path.parent or ".", suffix=".tmp", delete=False, encoding="utf-8") as f:
        f.write(text)
    os.replace(f.name, path)


def load(path: str | os.PathLike) -> CardGraph:
    """Read a graph saved by `save`; DocumentError (naming the file) if it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"Cannot read {path}: {error.strerror}.") from None
    try:
        return from_document(data)
    except DocumentError as error:
        raise DocumentError(f"{path}: {error}") from None
