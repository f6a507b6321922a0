"""The layout: whole networks fit a screen's shape, branches keep their lanes, nothing overlaps,
every connection runs forward in reading order, and cards a person placed stay where they are."""

import keras
import pytest

from nncards_widget import CardGraph, from_keras
from nncards_widget.card_face import CARD_PADDING, COMPACT_HEIGHT, COMPACT_WIDTH, ROW_HEIGHT, TITLE_HEIGHT, body_size, footprint
from nncards_widget.graph import History
from nncards_widget.layout import BAND_GAP, CLEARANCE, COLUMN_GAP, LANE_GAP, arrange, layered_positions, place, unplaced


def box(card, padding=0.0):
    """(left, top, right, bottom) of the room the card takes on the canvas: its footprint."""
    width, height = footprint(card)
    x, y = card.position
    return (x - width / 2 - padding, y - height / 2 - padding, x + width / 2 + padding, y + height / 2 + padding)


def body_box(card):
    """(left, top, right, bottom) of the card's body, where its rows and, zoomed in, its ports are drawn."""
    width, height = body_size(card)
    x, y = card.position
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def overlapping_pairs(graph, padding=CARD_PADDING):
    boxes = sorted((box(card, padding), card.key) for card in graph.cards)
    pairs = []
    for index, (a, key_a) in enumerate(boxes):
        for b, key_b in boxes[index + 1 :]:
            if b[0] >= a[2]:
                break
            if a[1] < b[3] and b[1] < a[3]:
                pairs.append((key_a, key_b))
    return pairs


def aspect(graph):
    boxes = [box(card) for card in graph.cards]
    width = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    height = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    return width / height


def bands(graph):
    """Each card's band (a line of the drawing), counted from the top. Bands are further apart than the
    lanes within a band: a new band starts where no card comes within halfway between those gaps."""
    band_of, band, lowest = {}, -1, float("-inf")
    for card in sorted(graph.cards, key=lambda card: box(card)[1]):
        left, top, right, bottom = box(card)
        if top > lowest + (LANE_GAP + BAND_GAP) / 2:
            band += 1
        lowest = max(lowest, bottom)
        band_of[card] = band
    return band_of


def backward_connections(graph):
    """Connections that do not run forward in reading order: into a later band, or rightwards within one."""
    band_of = bands(graph)
    return [
        (c.source.key, c.target.key)
        for c in graph.connections
        if not (
            band_of[c.target] > band_of[c.source]
            or band_of[c.target] == band_of[c.source] and box(c.target)[0] > box(c.source)[2]
        )
    ]


def chain(cards: int) -> CardGraph:
    g = CardGraph(auto_build=False)
    previous, port = g.add("input", shape=[8]), "data"
    for _ in range(cards - 2):
        dense = g.add("layer_Dense", units=8)
        g.connect(previous, port, dense, "input")
        previous, port = dense, "output"
    g.connect(previous, port, g.add("output"), "data")
    return g


def residual_block() -> CardGraph:
    """x -> Dense -> Dense -> Dense -> Add(x, ...): a shortcut skipping three cards."""
    g = CardGraph(auto_build=False)
    x = g.add("input", shape=[8], key="x")
    previous, port = x, "data"
    for index in range(3):
        dense = g.add("layer_Dense", units=8, key=f"dense_{index}")
        g.connect(previous, port, dense, "input")
        previous, port = dense, "output"
    add = g.add("mergeLayer2_Add", key="add")
    g.connect(x, "data", add, "input_a")
    g.connect(previous, "output", add, "input_b")
    g.connect(add, "output", g.add("output"), "data")
    return g


def lay_out(graph):
    graph.build()
    arrange(graph)
    return graph


def test_a_short_chain_stays_in_one_row_left_to_right():
    g = lay_out(chain(5))
    tops = [box(card)[1] for card in g.cards]
    lefts = [box(card)[0] for card in g.cards]
    assert tops == [tops[0]] * 5
    assert all(box(a)[2] < box(b)[0] for a, b in zip(g.cards, g.cards[1:]))
    assert lefts == sorted(lefts)


def test_a_small_card_takes_the_room_of_its_compact_face_its_body_centred_in_it():
    """Zoomed out, a ReLU's face is drawn in a box as large as a convolution's, so that its name can be read."""
    g = CardGraph(auto_build=False)
    x = g.add("input", shape=[8, 8, 4])
    conv = g.add("layer_Conv2D", filters=4, kernel_size=[3, 3])
    relu = g.add("layer_ReLU")
    g.connect(x, "data", conv, "input")
    g.connect(conv, "output", relu, "input")
    lay_out(g)
    for card in (x, relu):
        (width, height), (room_width, room_height) = body_size(card), footprint(card)
        assert (room_width, room_height) == (COMPACT_WIDTH, COMPACT_HEIGHT) and width < room_width and height < room_height
    assert footprint(conv)[1] == body_size(conv)[1] > COMPACT_HEIGHT
    # Side by side, their rooms a column gap apart; the small card's body in the middle of its room.
    assert box(relu)[0] - box(conv)[2] == COLUMN_GAP
    assert box(relu)[1] == box(conv)[1] and body_box(relu)[1] - box(relu)[1] == (COMPACT_HEIGHT - body_size(relu)[1]) / 2
    assert overlapping_pairs(g) == []


def test_a_long_chain_wraps_into_bands_that_fit_a_screen():
    g = lay_out(chain(120))
    assert 1 / 3 < aspect(g) < 3
    assert len(set(bands(g).values())) > 3
    assert overlapping_pairs(g) == []
    assert backward_connections(g) == []


def test_cards_joined_to_nothing_wrap_like_a_chain():
    g = CardGraph(auto_build=False)
    for _ in range(80):
        g.add("layer_Dense")
    lay_out(g)
    assert 1 / 3 < aspect(g) < 3 and overlapping_pairs(g) == []


def test_object_cards_sit_in_a_column_left_of_the_card_they_feed():
    g = CardGraph(auto_build=False)
    x = g.add("input", shape=[8, 8, 1])
    conv = g.add("layer_Conv2D", filters=4, kernel_size=[3, 3])
    initializer = g.add("initializer_GlorotNormal")
    regularizer = g.add("regularizer_l2")
    g.connect(x, "data", conv, "input")
    g.connect(initializer, "initializer_instance", conv, "kernel_initializer")
    g.connect(regularizer, "regularizer_instance", conv, "kernel_regularizer")
    lay_out(g)
    column = [box(initializer), box(regularizer)]
    assert all(right < box(conv)[0] for _, _, right, _ in column)
    assert column[0][2] == column[1][2], "one column, right edges aligned next to the card"
    assert column[0][3] < column[1][1], "one above the other"
    assert box(x)[2] < min(left for left, _, _, _ in column), "the input comes before the conv's column"
    assert overlapping_pairs(g) == [] and backward_connections(g) == []


def _crosses(point_a, point_b, rectangle, samples=400):
    left, top, right, bottom = rectangle
    for step in range(samples + 1):
        x = point_a[0] + (point_b[0] - point_a[0]) * step / samples
        y = point_a[1] + (point_b[1] - point_a[1]) * step / samples
        if left < x < right and top < y < bottom:
            return True
    return False


def test_a_shortcut_runs_straight_past_the_cards_it_skips():
    g = lay_out(residual_block())
    x, add = g["x"], g["add"]
    # Where the canvas draws the ends: an output at the card's last row, an input at its own row; on
    # the body's edges zoomed in, on the footprint's zoomed out.
    start_y = body_box(x)[3] - ROW_HEIGHT / 2
    row = [port.name for port in add.spec.inputs].index("input_a")
    end_y = body_box(add)[1] + TITLE_HEIGHT + (row + 0.5) * ROW_HEIGHT
    skipped = [g[f"dense_{index}"] for index in range(3)]
    for edges in (body_box, box):
        start, end = (edges(x)[2], start_y), (edges(add)[0], end_y)
        assert not any(_crosses(start, end, box(card, CARD_PADDING)) for card in skipped)
    assert overlapping_pairs(g) == [] and backward_connections(g) == []


def test_parallel_branches_take_lanes_side_by_side():
    """x feeds three branches of different lengths, merged by two Concatenates (an Inception module)."""
    g = CardGraph(auto_build=False)
    x = g.add("input", shape=[8, 8, 4])
    ends = []
    for length in (1, 2, 3):
        previous = x
        for _ in range(length):
            conv = g.add("layer_Conv2D", filters=2, kernel_size=[1, 1])
            g.connect(previous, "data" if previous is x else "output", conv, "input")
            previous = conv
        ends.append(previous)
    first = g.add("mergeLayer2_Concatenate")
    g.connect(ends[0], "output", first, "input_a")
    g.connect(ends[1], "output", first, "input_b")
    second = g.add("mergeLayer2_Concatenate")
    g.connect(first, "output", second, "input_a")
    g.connect(ends[2], "output", second, "input_b")
    lay_out(g)
    heads = [c.target for c in g.connections if c.source is x]
    assert len({box(head)[0] for head in heads}) == 1, "the branches start in one column"
    assert len({box(head)[1] for head in heads}) == 3, "each in a lane of its own"
    assert overlapping_pairs(g) == [] and backward_connections(g) == []


@pytest.fixture(scope="module", params=["MobileNetV2", "ResNet50", "DenseNet201"])
def application(request):
    return from_keras(getattr(keras.applications, request.param)(weights=None))


def test_imported_networks_fit_a_screen_without_overlaps_reading_forward(application):
    assert 1 / 3 < aspect(application) < 3
    assert overlapping_pairs(application) == []
    assert backward_connections(application) == []


def test_arrange_is_one_step_for_undo():
    g = chain(30)
    history = History(g)
    before = [card.position for card in g.cards]
    arrange(g)
    assert [card.position for card in g.cards] != before
    assert history.undo()
    assert [card.position for card in g.cards] == before
    assert not history.can_undo


def test_cards_sharing_a_place_are_unplaced_and_a_card_alone_at_the_origin_is_not():
    g = chain(4)
    assert unplaced(g) == list(g.cards)
    arrange(g)
    assert unplaced(g) == []
    g.cards[0].position = (0.0, 0.0)
    g.cards[2].position = g.cards[1].position
    assert unplaced(g) == [g.cards[1], g.cards[2]]


def test_layered_positions_leave_the_cards_where_they_are():
    g = chain(4)
    positions = layered_positions(g.cards, g.connections)
    assert set(positions) == set(g.cards)
    assert all(card.position == (0.0, 0.0) for card in g.cards)


def test_placing_a_new_card_moves_no_placed_card_and_overlaps_none():
    g = lay_out(residual_block())
    placed = {card.key: card.position for card in g.cards}
    dense = g["dense_0"]
    new = g.add("layer_Dense", units=3)
    g.connect(dense, "output", new, "input")
    place(g, [new])
    assert {key: g[key].position for key in placed} == placed
    assert overlapping_pairs(g, CLEARANCE / 2) == []
    assert box(new)[0] > box(dense)[2], "right of the card that feeds it"


def test_a_new_card_with_no_free_place_beside_its_source_moves_down():
    g = lay_out(chain(3))
    source = g.cards[1]
    first = g.add("layer_Dense")
    g.connect(source, "output", first, "input")
    second = g.add("layer_Dense")
    g.connect(source, "output", second, "input")
    place(g, [first])
    place(g, [second])
    assert box(second)[1] >= box(first)[3] + CLEARANCE
    assert overlapping_pairs(g, CLEARANCE / 2) == []


def test_a_new_object_card_goes_left_of_the_card_it_feeds():
    g = lay_out(chain(3))
    dense = g.cards[1]
    regularizer = g.add("regularizer_l2")
    g.connect(regularizer, "regularizer_instance", dense, "kernel_regularizer")
    place(g, [regularizer])
    assert box(regularizer)[2] < box(dense)[0]
    assert overlapping_pairs(g, CLEARANCE / 2) == []


def test_an_unconnected_new_card_goes_under_the_drawing_at_its_left_end():
    g = lay_out(chain(3))
    lowest = max(box(card)[3] for card in g.cards)
    leftmost = min(box(card)[0] for card in g.cards)
    new = g.add("layer_Dense")
    place(g, [new])
    assert box(new)[1] > lowest and box(new)[0] == leftmost


def test_new_cards_of_a_graph_with_none_placed_are_laid_out_as_a_whole():
    g = chain(6)
    place(g, g.cards)
    assert {card: card.position for card in g.cards} == layered_positions(g.cards, g.connections)

