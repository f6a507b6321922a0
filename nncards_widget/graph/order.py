"""A topological order of the cards, kept up to date connection by connection.

Every card has a rank, and every connection runs from a lower rank to a higher one
(Pearce and Kelly's dynamic topological sort). So a new connection that runs forward
needs no cycle check at all; one that runs backward is checked, and the order mended,
by visiting only the cards ranked between its two ends. Builds visit cards in rank
order, so an edit costs what lies downstream of it, not the whole graph.
"""

from __future__ import annotations

from typing import Callable, Hashable, Iterable

Successors = Callable[[Hashable], Iterable[Hashable]]


class TopologicalOrder:
    """Ranks of nodes such that every edge goes from a lower rank to a higher one."""

    def __init__(self):
        self._rank: dict[Hashable, int] = {}
        self._next = 0

    def rank(self, node: Hashable) -> int:
        return self._rank[node]

    def add(self, node: Hashable) -> None:
        """A node without edges, ranked after every other."""
        self._rank[node] = self._next
        self._next += 1

    def remove(self, node: Hashable) -> None:
        """Removing a node (and so its edges) leaves every other rank valid."""
        del self._rank[node]

    def reset(self, order: Iterable[Hashable]) -> None:
        """Rank the nodes as `order` lists them (a topological order of the whole graph)."""
        self._rank = {node: rank for rank, node in enumerate(order)}
        self._next = len(self._rank)

    def runs_forward(self, source: Hashable, target: Hashable) -> bool:
        """Whether an edge source -> target agrees with the order as it is (then it cannot close a cycle)."""
        return self._rank[source] < self._rank[target]

    def reaches(self, start: Hashable, goal: Hashable, successors: Successors) -> bool:
        """Whether `goal` is `start` or lies downstream of it. Only nodes ranked below `goal` are visited."""
        if start is goal:
            return True
        limit = self._rank[goal]
        if self._rank[start] > limit:
            return False
        return goal in self._search(start, successors, lambda rank: rank <= limit, stop=goal)

    def downstream(self, start: Hashable, successors: Successors, up_to_rank: int) -> set:
        """`start` and the nodes downstream of it ranked at most `up_to_rank`."""
        return self._search(start, successors, lambda rank: rank <= up_to_rank)

    def link(self, source: Hashable, target: Hashable, successors: Successors, predecessors: Successors) -> None:
        """Take a new edge source -> target into account; the caller has checked it closes no cycle.

        If the edge runs backward, the nodes between its ends are re-ranked: those
        upstream of `source` first, then those downstream of `target`, each group in
        its old order, on the ranks the two groups held.
        """
        low, high = self._rank[target], self._rank[source]
        if high < low:
            return
        after = self._search(target, successors, lambda rank: rank <= high)
        before = self._search(source, predecessors, lambda rank: rank >= low)
        moved = sorted(before, key=self._rank.__getitem__) + sorted(after, key=self._rank.__getitem__)
        for node, rank in zip(moved, sorted(self._rank[node] for node in moved)):
            self._rank[node] = rank

    def _search(self, start: Hashable, neighbours: Successors, within: Callable[[int], bool], stop=None) -> set:
        """The nodes reachable from `start` through nodes whose rank is `within` bounds (iterative:
        a chain of 20000 cards is no deeper for it than one of two)."""
        found, stack = {start}, [start]
        while stack:
            for node in neighbours(stack.pop()):
                if node not in found and within(self._rank[node]):
                    found.add(node)
                    if node is stop:
                        return found
                    stack.append(node)
        return found
