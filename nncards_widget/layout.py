"""Where cards sit on the canvas: a layered drawing that wraps like lines of text.

Real networks are long chains with short branches: in one row, a 700-card network
is hundreds of times wider than tall. Here each card takes a rank one after the
deepest card feeding it; ranks run left to right and wrap into bands, one under
the other, cut where the fewest connections cross, with as many bands as make the
whole drawing about as wide as a 16:10 screen. Within a rank, parallel branches
take lanes, ordered so that connections cross little, and a connection that skips
ranks keeps a lane of its own, so that its straight line passes by the cards of
the branch it skips (a residual shortcut, a dense block's concatenation). Object
cards (initializers, regularizers, constraints, a wrapped layer) sit in a column
left of the card they feed. Each card takes its footprint: its body, or, zoomed out, its compact face,
which is larger on a small card so that its name can still be read.

Positions are graph state. `arrange` moves every card, as one undoable step (an
editor's Auto-layout, `from_keras`); `place` puts new cards into free space next
to what they connect to and never moves the others.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections import deque
from dataclasses import dataclass, field
from typing import Iterable

from .card_face import ROW_HEIGHT, TITLE_HEIGHT, body_size, footprint, room_around
from .catalog.spec import TENSOR
from .graph import Card, CardGraph, Connection

COLUMN_GAP = 70  # between ranks: room for the connections
LANE_GAP = 50  # between the lanes of a band: an error message shows under its card
BAND_GAP = 120  # between bands: connections that wrap to the next band run here
SATELLITE_GAP = 40  # between an object card and the card it feeds, and between object cards
CORRIDOR = 40  # the height of a lane that only connections pass through
CLEARANCE = 40  # the least space `place` leaves around a new card
SCREEN_ASPECT = 16 / 10
ONE_BAND_WIDTH = 3200  # a drawing up to this wide (two screens at zoom 1) is not wrapped
CUT_FILL = 0.7  # a band may be cut once it is this full; it is cut where the fewest connections cross
WIDTH_CANDIDATES = 48
ORDER_SWEEPS = 8
LANE_SWEEPS = 8
# How much a segment of a connection wants to be straight, after Gansner et al.'s Omega: between two
# cards, a card and a pass-through point, two pass-through points. A long connection stays straightest,
# its ends included: more than a card's two short neighbours pull it aside.
STRAIGHTNESS = {(False, False): 1, (False, True): 3, (True, False): 3, (True, True): 8}


def arrange(graph: CardGraph) -> None:
    """Lay every card of `graph` out afresh, as one step that undo takes back."""
    positions = layered_positions(graph.cards, graph.connections)
    with graph.hold():
        for card, xy in positions.items():
            card.position = xy


def unplaced(graph: CardGraph) -> list[Card]:
    """The cards that share their place with another card: never placed (a graph built in Python)."""
    sharing: dict[tuple[float, float], list[Card]] = {}
    for card in graph.cards:
        sharing.setdefault(card.position, []).append(card)
    return [card for cards in sharing.values() if len(cards) > 1 for card in cards]


def place(graph: CardGraph, cards: Iterable[Card]) -> None:
    """Put `cards` (new to the drawing) where they overlap no other card; no other card moves.

    The new cards are laid out among themselves, then set right of a card that feeds
    them, or left of a card they feed, or else under the drawing's left end; then moved
    down until they overlap nothing. With no other card placed, that is `arrange`.
    """
    new = list(cards)
    if not new:
        return
    new_set = set(new)
    placed = [card for card in graph.cards if card not in new_set]
    inner = [c for c in graph.connections if c.source in new_set and c.target in new_set]
    block = layered_positions(new, inner)
    if placed:
        boxes = {card: _box(card, xy) for card, xy in block.items()}
        taken = [_box(card, card.position) for card in placed]
        dx, dy = _block_offset(graph, new_set, boxes, taken)
        dy += _slide_down([box.moved(dx, dy) for box in boxes.values()], taken)
        block = {card: (x + dx, y + dy) for card, (x, y) in block.items()}
    with graph.hold():
        for card, xy in block.items():
            card.position = xy


def clear_of_others(graph: CardGraph, cards: Iterable[Card]) -> None:
    """Move each of `cards` (just dropped or pasted) straight down until it overlaps no other card."""
    moving = list(cards)
    for card in moving:
        taken = [_box(other, other.position) for other in graph.cards if other is not card]
        shift = _slide_down([_box(card, card.position)], taken)
        if shift:
            card.position = (card.position[0], card.position[1] + shift)


def layered_positions(cards: Iterable[Card], connections: Iterable[Connection]) -> dict[Card, tuple[float, float]]:
    """The centre of each card's body in a layered drawing of `cards` and the `connections` among them.

    The drawing's top-left corner is (0, 0); x grows to the right, y downwards.
    """
    cards = list(cards)
    connections = [c for c in connections if c.source is not c.target]
    units, root_of = _units(cards, connections)
    if not units:
        return {}
    links = _unit_links(units, root_of, connections)
    ranks = _ranks(len(units), links)
    layered = _Layered(units, links, ranks)
    layered.order()
    layered.assign_lanes()
    positions: dict[Card, tuple[float, float]] = {}
    for unit, (left, top) in layered.unit_corners().items():
        unit.place(left, top, positions)
    return positions


# Units: a card with the object cards feeding it


@dataclass(eq=False)
class _Unit:
    """A card with the object cards that feed it (each with its own), drawn as one box."""

    card: Card
    body: tuple[float, float]  # the card's body
    room: tuple[float, float]  # the card's footprint, its body centred in it
    satellites: list[_Unit] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0

    @classmethod
    def of(cls, card: Card) -> _Unit:
        body = body_size(card)
        return cls(card, body, room_around(body))

    def measure(self) -> None:
        width, height = self.room
        if self.satellites:
            for satellite in self.satellites:
                satellite.measure()
            column_width = max(satellite.width for satellite in self.satellites)
            column_height = sum(satellite.height for satellite in self.satellites)
            column_height += SATELLITE_GAP * (len(self.satellites) - 1)
            width += column_width + SATELLITE_GAP
            height = max(height, column_height)
        self.width, self.height = width, height

    def place(self, left: float, top: float, positions: dict) -> None:
        """Put this box's top-left corner at (left, top): the card at its right, its object cards left of it."""
        width, height = self.room
        positions[self.card] = (round(left + self.width - width / 2, 1), round(top + height / 2, 1))
        column_right = left + self.width - width - SATELLITE_GAP
        for satellite in self.satellites:
            satellite.place(column_right - satellite.width, top, positions)
            top += satellite.height + SATELLITE_GAP


def _units(cards: list[Card], connections: list[Connection]) -> tuple[list[_Unit], dict[Card, _Unit]]:
    """The boxes to lay out, in card order, and the box each card is drawn in.

    A card is an object card of another when every connection it gives goes into a
    port that takes no tensor, and it takes no tensor itself.
    """
    members = set(cards)
    takes_tensor = set()
    fed: dict[Card, list[tuple[bool, Card]]] = {}
    for c in connections:
        if c.source in members and c.target in members:
            is_tensor = c.target.spec.port(c.target_port).type == TENSOR
            if is_tensor:
                takes_tensor.add(c.target)
            fed.setdefault(c.source, []).append((is_tensor, c.target))
    unit_of = {card: _Unit.of(card) for card in cards}
    host: dict[Card, Card] = {}
    for card in cards:
        targets = fed.get(card, [])
        if targets and card not in takes_tensor and not any(is_tensor for is_tensor, _ in targets):
            host[card] = targets[0][1]
            unit_of[targets[0][1]].satellites.append(unit_of[card])
    roots = [unit_of[card] for card in cards if card not in host]
    for unit in roots:
        unit.measure()
    root_of = {}
    for card in cards:
        top = card
        while top in host:
            top = host[top]
        root_of[card] = unit_of[top]
    return roots, root_of


@dataclass
class _Link:
    """The connections from one box to another: how many, and how far below the boxes' tops their
    straight lines may run (down to the source's bottom, where its output is, or the target's input row)."""

    count: int = 0
    reach: float = 0.0


def _unit_links(units: list[_Unit], root_of: dict[Card, _Unit], connections: list[Connection]) -> dict[tuple[int, int], _Link]:
    """(source box, target box) -> the connections joining them. Boxes joined to nothing are chained
    in card order, so that they wrap like the rest rather than stack in one rank."""
    index = {id(unit): number for number, unit in enumerate(units)}
    links: dict[tuple[int, int], _Link] = {}
    for c in connections:
        if c.source in root_of and c.target in root_of:
            source, target = root_of[c.source], root_of[c.target]
            if source is not target:
                link = links.setdefault((index[id(source)], index[id(target)]), _Link())
                link.count += 1
                link.reach = max(link.reach, _output_reach(source, c.source), _input_reach(target, c.target, c.target_port))
    joined = {end for link in links for end in link}
    loose = [number for number in range(len(units)) if number not in joined]
    for source, target in zip(loose, loose[1:]):
        links[(source, target)] = _Link(1, 0.0)
    return links


def _body_top(unit: _Unit) -> float:
    """How far below the box's top the card's body starts, centred in its footprint."""
    return (unit.room[1] - unit.body[1]) / 2


def _output_reach(unit: _Unit, card: Card) -> float:
    """How far below the box's top a card's outputs may be: its last rows."""
    return _body_top(unit) + unit.body[1] if card is unit.card else unit.height


def _input_reach(unit: _Unit, card: Card, port: str) -> float:
    """How far below the box's top an input port's row ends (rows follow the card's inputs)."""
    if card is not unit.card:
        return unit.height
    row = next(index for index, spec in enumerate(card.spec.inputs) if spec.name == port)
    return _body_top(unit) + TITLE_HEIGHT + (row + 1) * ROW_HEIGHT


def _ranks(count: int, links: dict[tuple[int, int], _Link]) -> list[int]:
    """Each box one rank after the deepest box feeding it; a box fed by none sits just before the first box it feeds."""
    successors: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for source, target in links:
        successors[source].append(target)
        waiting[target] += 1
    fed = [waiting[number] > 0 for number in range(count)]
    rank = [0] * count
    ready = deque(number for number in range(count) if waiting[number] == 0)
    order = []
    while ready:
        number = ready.popleft()
        order.append(number)
        for target in successors[number]:
            rank[target] = max(rank[target], rank[number] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    for number in order:
        if not fed[number] and successors[number]:
            rank[number] = min(rank[target] for target in successors[number]) - 1
    return rank


# The layered drawing


class _Layered:
    """Boxes in ranks, with pass-through points where a connection skips ranks; their order, lanes
    and, band by band, coordinates."""

    def __init__(self, units: list[_Unit], links: dict[tuple[int, int], _Link], ranks: list[int]):
        self.units = units
        self.rank = list(ranks)
        self.height = [unit.height for unit in units]
        self.up: list[list[tuple[int, int]]] = [[] for _ in units]  # (node one rank before, weight)
        self.down: list[list[tuple[int, int]]] = [[] for _ in units]
        self.chains: list[list[int]] = []  # each long connection: source, its pass-through points, target
        self.rank_count = max(ranks) + 1
        self.layers: list[list[int]] = [[] for _ in range(self.rank_count)]
        passing: dict[int, list[int]] = {}  # source box -> its pass-through points, in the order they are made
        for (source, target), link in sorted(links.items(), key=lambda item: (ranks[item[0][0]], item[0])):
            chain = [source]
            for rank in range(ranks[source] + 1, ranks[target]):
                # Tall enough that no card of a lane below comes up into the connection's straight line.
                chain.append(self._add_point(rank, max(CORRIDOR, link.reach + CORRIDOR / 4)))
                passing.setdefault(source, []).append(chain[-1])
            chain.append(target)
            for upper, lower in zip(chain, chain[1:]):
                self._join(upper, lower, link.count)
            if len(chain) > 2:
                self.chains.append(chain)
        # First order: boxes in card order by rank, a box's pass-through points right after it.
        for number in sorted(range(len(units)), key=lambda n: ranks[n]):
            self.layers[ranks[number]].append(number)
            for point in passing.get(number, []):
                self.layers[self.rank[point]].append(point)
        self.position = [0] * len(self.rank)
        self._number_layers()
        self.lane = list(self.position)

    def is_point(self, node: int) -> bool:
        return node >= len(self.units)

    def _add_point(self, rank: int, height: float) -> int:
        self.rank.append(rank)
        self.height.append(height)
        self.up.append([])
        self.down.append([])
        return len(self.rank) - 1

    def _join(self, upper: int, lower: int, count: int) -> None:
        weight = count * STRAIGHTNESS[(self.is_point(upper), self.is_point(lower))]
        self.down[upper].append((lower, weight))
        self.up[lower].append((upper, weight))

    def _number_layers(self) -> None:
        for layer in self.layers:
            for index, node in enumerate(layer):
                self.position[node] = index

    # Order within each rank: barycentre sweeps, keeping the order with the fewest crossings

    def order(self) -> None:
        best, fewest = [list(layer) for layer in self.layers], self.crossings()
        for sweep in range(ORDER_SWEEPS):
            downwards = sweep % 2 == 0
            ranks = range(1, self.rank_count) if downwards else range(self.rank_count - 2, -1, -1)
            neighbours = self.up if downwards else self.down
            for rank in ranks:
                self._sort_layer(self.layers[rank], neighbours)
            crossings = self.crossings()
            if crossings < fewest:
                best, fewest = [list(layer) for layer in self.layers], crossings
        self.layers = best
        self._number_layers()
        self.lane = list(self.position)

    def _sort_layer(self, layer: list[int], neighbours: list[list[tuple[int, int]]]) -> None:
        def barycentre(node: int) -> float:
            joined = neighbours[node]
            if not joined:
                return self.position[node]
            return sum(self.position[other] * weight for other, weight in joined) / sum(w for _, w in joined)

        layer.sort(key=barycentre)
        for index, node in enumerate(layer):
            self.position[node] = index

    def crossings(self) -> int:
        """How many pairs of segments cross between neighbouring ranks."""
        total = 0
        for layer in self.layers[:-1]:
            segments = sorted((self.position[node], self.position[lower]) for node in layer for lower, _ in self.down[node])
            seen: list[int] = []
            for _, lower in segments:
                total += len(seen) - bisect_right(seen, lower)
                insort(seen, lower)
        return total

    # Lanes: which nodes of neighbouring ranks line up, a long connection's straightest

    def assign_lanes(self) -> None:
        """Integer lanes, increasing along each rank's order, each node at the weighted median of its
        neighbours' lanes as far as the order allows (sweeps in both directions)."""
        for sweep in range(LANE_SWEEPS):
            ranks = range(self.rank_count) if sweep % 2 == 0 else range(self.rank_count - 1, -1, -1)
            for rank in ranks:
                layer = self.layers[rank]
                wishes = [self._wish(node) for node in layer]
                for node, lane in zip(layer, _increasing_lanes(wishes)):
                    self.lane[node] = lane

    def _wish(self, node: int) -> tuple[int, int]:
        """(the lane the node's neighbours pull it to, how hard they pull)."""
        joined = [(self.lane[other], weight) for other, weight in self.up[node] + self.down[node]]
        if not joined:
            return self.lane[node], 1
        return _weighted_median(joined, self.lane[node]), sum(weight for _, weight in joined)

    # Bands and coordinates

    def unit_corners(self) -> dict[_Unit, tuple[float, float]]:
        """The top-left corner of each box: ranks wrapped into bands, columns left to right in a band."""
        widths = [max((self.units[n].width for n in layer if not self.is_point(n)), default=0.0) for layer in self.layers]
        stacks = [sum(self.height[n] for n in layer) + LANE_GAP * (len(layer) - 1) for layer in self.layers]
        # The connections that cross a cut after a rank are the segments leaving it.
        crossing = [sum(len(self.down[node]) for node in layer) for layer in self.layers]
        corners = {}
        band_top = 0.0
        for first, last in _Bands(widths, stacks, crossing).best():
            tops = self._band_tops(first, last)
            left = 0.0
            for rank in range(first, last + 1):
                for node in self.layers[rank]:
                    if not self.is_point(node):
                        unit = self.units[node]
                        corners[unit] = (left + (widths[rank] - unit.width) / 2, band_top + tops[node])
                left += widths[rank] + COLUMN_GAP
            band_top += max(tops[n] + self.height[n] for r in range(first, last + 1) for n in self.layers[r]) + BAND_GAP
        return corners

    def _band_tops(self, first: int, last: int) -> dict[int, float]:
        """Each node's top within the band of ranks first..last: as high as the nodes above it in its
        rank allow, the nodes of a long connection that keeps one lane all at one height."""
        in_band = range(first, last + 1)
        group = {node: node for rank in in_band for node in self.layers[rank]}

        def root(node: int) -> int:
            while group[node] != node:
                group[node] = group[group[node]]
                node = group[node]
            return node

        for chain in self.chains:
            inside = [node for node in chain if first <= self.rank[node] <= last]
            if len(inside) > 1 and len({self.lane[node] for node in inside}) == 1:
                for node in inside[1:]:
                    group[root(node)] = root(inside[0])
        # A node's lower bound comes from the node above it in its rank, in a smaller lane: lanes in
        # increasing order settle every bound before it is needed.
        above = {}
        for rank in in_band:
            for upper, lower in zip(self.layers[rank], self.layers[rank][1:]):
                above[lower] = upper
        top: dict[int, float] = {}
        nodes = sorted(group, key=lambda node: self.lane[node])
        start = 0
        while start < len(nodes):
            lane = self.lane[nodes[start]]
            end = start
            while end < len(nodes) and self.lane[nodes[end]] == lane:
                end += 1
            needed: dict[int, float] = {}
            for node in nodes[start:end]:
                upper = above.get(node)
                bound = 0.0 if upper is None else top[root(upper)] + self.height[upper] + LANE_GAP
                needed[root(node)] = max(needed.get(root(node), 0.0), bound)
            top.update(needed)
            start = end
        return {node: top[root(node)] for node in group}


def _weighted_median(values: list[tuple[int, int]], current: int) -> int:
    """The value with half the weight on either side; of two such, the one nearer `current`."""
    values = sorted(values)
    half = sum(weight for _, weight in values) / 2
    running = 0
    for index, (value, weight) in enumerate(values):
        running += weight
        if running > half:
            return value
        if running == half:
            upper = values[index + 1][0]
            return min(max(current, value), upper)
    return values[-1][0]


def _increasing_lanes(wishes: list[tuple[int, int]]) -> list[int]:
    """Lanes 0 or more, strictly increasing, as near the wished ones as can be (least weighted distance).

    Pool adjacent violators on lane - index, which must not decrease, each pool at its weighted median.
    """
    pools: list[tuple[list[tuple[int, int]], int]] = []
    for index, (lane, weight) in enumerate(wishes):
        members, fit = [(lane - index, weight)], lane - index
        while pools and pools[-1][1] > fit:
            members = pools.pop()[0] + members
            fit = _weighted_median(members, fit)
        pools.append((members, fit))
    lanes = []
    for members, fit in pools:
        for _ in members:
            lanes.append(max(fit, 0) + len(lanes))
    return lanes


class _Bands:
    """Where to cut the ranks into bands so that the drawing's shape is nearest a screen's."""

    def __init__(self, widths: list[float], stacks: list[float], crossing: list[int]):
        self.widths = widths
        self.stacks = stacks  # each rank's height, its nodes stacked: a band is at least as high as its highest
        self.crossing = crossing
        self.ends = [0.0]  # ends[k]: the width of ranks 0..k-1, each followed by a gap
        for width in widths:
            self.ends.append(self.ends[-1] + width + COLUMN_GAP)

    def best(self) -> list[tuple[int, int]]:
        whole = self.ends[-1] - COLUMN_GAP
        if whole <= ONE_BAND_WIDTH:
            return [(0, len(self.widths) - 1)]
        narrowest = max(max(self.widths), ONE_BAND_WIDTH / 2)
        candidates = [
            narrowest * (whole / narrowest) ** (step / (WIDTH_CANDIDATES - 1)) for step in range(WIDTH_CANDIDATES)
        ]
        return min((self.cut(limit) for limit in candidates), key=self.misfit)

    def cut(self, limit: float) -> list[tuple[int, int]]:
        """Fill bands up to `limit` wide, each cut (once it is CUT_FILL full) after the rank with the fewest
        connections to later ranks, the later such rank if several."""
        bands, first, last_rank = [], 0, len(self.widths) - 1
        while first <= last_rank:
            start = self.ends[first]
            last = max(first, bisect_right(self.ends, start + limit + COLUMN_GAP) - 2)
            if last >= last_rank:
                bands.append((first, last_rank))
                break
            earliest = min(max(first, bisect_left(self.ends, start + CUT_FILL * limit + COLUMN_GAP) - 1), last)
            cut = min(range(earliest, last + 1), key=lambda rank: (self.crossing[rank], -rank))
            bands.append((first, cut))
            first = cut + 1
        return bands

    def misfit(self, bands: list[tuple[int, int]]) -> float:
        width = max(self.ends[last + 1] - self.ends[first] - COLUMN_GAP for first, last in bands)
        height = sum(max(self.stacks[first : last + 1]) for first, last in bands) + BAND_GAP * (len(bands) - 1)
        return abs(math.log(width / height / SCREEN_ASPECT))


# Placing new cards among placed ones


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def moved(self, dx: float, dy: float) -> _Box:
        return _Box(self.left + dx, self.top + dy, self.right + dx, self.bottom + dy)

    def near(self, other: _Box) -> bool:
        """Whether the boxes overlap or come closer than CLEARANCE."""
        return (
            self.left < other.right + CLEARANCE
            and other.left < self.right + CLEARANCE
            and self.top < other.bottom + CLEARANCE
            and other.top < self.bottom + CLEARANCE
        )


def _box(card: Card, centre: tuple[float, float]) -> _Box:
    width, height = footprint(card)
    x, y = centre
    return _Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _block_offset(graph: CardGraph, new: set, boxes: dict[Card, _Box], taken: list[_Box]) -> tuple[float, float]:
    """How far to move the new cards' own drawing to put it beside what it connects to."""
    for c in graph.connections:
        if c.source not in new and c.target in new:
            source, target = _box(c.source, c.source.position), boxes[c.target]
            return source.right + COLUMN_GAP - target.left, source.top - target.top
    for c in graph.connections:
        if c.source in new and c.target not in new:
            is_tensor = c.target.spec.port(c.target_port).type == TENSOR
            source, target = boxes[c.source], _box(c.target, c.target.position)
            gap = COLUMN_GAP if is_tensor else SATELLITE_GAP
            return target.left - gap - source.right, target.top - source.top
    left = min(box.left for box in boxes.values())
    top = min(box.top for box in boxes.values())
    return min(box.left for box in taken) - left, max(box.bottom for box in taken) + BAND_GAP - top


def _slide_down(block: list[_Box], taken: list[_Box]) -> float:
    """How far down the new boxes must move to keep CLEARANCE from every taken box."""
    shift = 0.0
    while True:
        clashes = [other.bottom + CLEARANCE - box.top for box in block for other in taken if box.near(other)]
        if not clashes:
            return shift
        step = max(clashes)
        shift += step
        block = [box.moved(0, step) for box in block]
