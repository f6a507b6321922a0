"""The canvas stylesheet: cards as white rounded nodes, ports as small circles."""

from ..card_face import CARD_PADDING, FONT_SIZE, PORT_SIZE

CANVAS_STYLE = [
    {"selector": "core", "style": {"active-bg-opacity": 0}},
    # A card: a white frame whose image is its face (js/src/card_elements.js). Its size is its face's;
    # the padding is the frame around it.
    {
        "selector": "node.card",
        "style": {
            "shape": "round-rectangle",
            "width": "data(width)",
            "height": "data(height)",
            "padding": f"{CARD_PADDING}px",
            "background-color": "#ffffff",
            "border-width": 1,
            "border-color": "#b0bec5",
            "background-image": "data(image)",
            "background-fit": "none",
            "background-clip": "none",
            "background-image-containment": "over",
        },
    },
    # Under a card, its error (or why it has no output yet) in white on a dark box, readable on the blue
    # canvas. Every style property costs each element that has it: these are only on the cards that show one.
    {
        "selector": "node.note",
        "style": {
            "width": 1,
            "height": 1,
            "background-opacity": 0,
            "border-width": 0,
            "events": "no",
            # Above the cards and connections it may overlap, as the ports are.
            "z-compound-depth": "top",
            "z-index": 15,
            "label": "data(label)",
            "text-valign": "bottom",
            "text-halign": "center",
            "text-margin-y": 6,
            "font-size": 13,
            "font-family": "Roboto, Helvetica, Arial, sans-serif",
            "color": "#ffffff",
            "text-background-color": "#b71c1c",
            "text-background-opacity": 1,
            "text-background-padding": "4px",
            "text-background-shape": "roundrectangle",
            "text-wrap": "wrap",
            "text-max-width": "320px",
        },
    },
    # A nested model (graph.groups): a labelled frame around its cards.
    {
        "selector": "node.frame",
        "style": {
            "shape": "round-rectangle",
            "background-color": "#e3f2fd",
            "background-opacity": 0.18,
            "border-width": 3,
            "border-style": "dashed",
            "border-color": "#e3f2fd",
            "padding": "16px",
            "label": "data(label)",
            "text-valign": "top",
            "text-halign": "center",
            "text-margin-y": -8,
            "font-size": 28,
            "font-weight": 600,
            "font-family": "Roboto, Helvetica, Arial, sans-serif",
            "color": "#ffffff",
            "compound-sizing-wrt-labels": "exclude",
            "events": "yes",
            # A click on the title collapses the model (js/src/canvas.js).
            "text-events": "yes",
        },
    },
    # A nested model collapsed to one card: its title and the shapes it takes and gives.
    {
        "selector": "node.folded",
        "style": {
            "shape": "round-rectangle",
            "width": "data(width)",
            "height": "data(height)",
            "background-color": "#e3f2fd",
            "border-width": 3,
            "border-color": "#0d47a1",
            "label": "data(label)",
            "text-wrap": "wrap",
            "text-valign": "center",
            "text-halign": "center",
            "font-size": 30,
            "font-weight": 600,
            "font-family": "Roboto, Helvetica, Arial, sans-serif",
            "color": "#0d47a1",
        },
    },
    # Zoomed out (js/src/level_of_detail.js), a card's face is its type, name and shape, as large as it fits
    # in its footprint (card_face.footprint): a small card's face is larger than its body.
    {
        "selector": "node.card.compact",
        "style": {
            "width": "data(compact_width)",
            "height": "data(compact_height)",
            "background-image": "none",
            "label": "data(compact)",
            "font-size": "data(compact_font)",
            "font-family": "Roboto, Helvetica, Arial, sans-serif",
            "font-weight": 600,
            "line-height": 1.2,
            "color": "#0d2137",
            "text-valign": "center",
            "text-halign": "center",
            "text-wrap": "wrap",
        },
    },
    {"selector": "node.card.compact.waiting", "style": {"color": "#455a64"}},
    # Cards the search box finds, and the selected card; tinted too, to be seen zoomed out.
    {"selector": "node.card.match", "style": {"border-width": 4, "border-color": "#ff9800", "background-color": "#fff3e0"}},
    {"selector": "node.card.chosen", "style": {"border-width": 3, "border-color": "#1e88e5", "background-color": "#bbdefb"}},
    {"selector": "node.card.error", "style": {"border-width": 3, "border-color": "#e53935"}},
    {"selector": "node.card.compact.error", "style": {"background-color": "#c62828", "color": "#ffffff"}},
    {"selector": "node.note.waiting", "style": {"text-background-color": "#37474f"}},
    {
        "selector": "node.port",
        "style": {
            "width": PORT_SIZE,
            "height": PORT_SIZE,
            "shape": "ellipse",
            "background-color": "#ffffff",
            "border-width": 1.6,
            "border-color": "data(colour)",
            # Above the connections (which are above the cards), so a port stays clickable where an edge ends on it.
            "z-compound-depth": "top",
            "z-index": 20,
        },
    },
    # Only outputs have a label (their shape): an input's text is on the card's face.
    {
        "selector": "node.port.out",
        "style": {
            "label": "data(label)",
            "font-size": FONT_SIZE,
            "font-family": "Roboto, Helvetica, Arial, sans-serif",
            "color": "#212121",
            "text-valign": "center",
            "text-halign": "left",
            "text-margin-x": -6,
            # Hidden where the rows are (below zoom 0.5, js/src/level_of_detail.js): labels under 6 pixels.
            "min-zoomed-font-size": 6,
        },
    },
    {"selector": "node.port.list", "style": {"border-style": "double", "border-width": 4}},
    {"selector": "node.port.pending", "style": {"background-color": "data(colour)", "width": 16, "height": 16}},
    {
        "selector": "node.port.compatible",
        "style": {"background-color": "data(colour)", "border-color": "#ff6f00", "border-width": 3, "width": 16, "height": 16},
    },
    # Zoomed out, an output's shape is on the compact face, and a port that takes or gives an object (an initializer, a layer) and has no connection is
    # not drawn: it would be a dot of a pixel or two, and most of a real network's elements.
    {"selector": "node.port.object.compact", "style": {"display": "none"}},
    {"selector": "node.port.out.compact", "style": {"label": ""}},
    {"selector": "node.port.linked, node.port.pending, node.port.compatible", "style": {"display": "element"}},
    {
        "selector": "edge.connection",
        # Drawn above the cards, so that a connection passing over a card can still be clicked. Straight:
        # two ports have at most one connection, and bezier's search for parallel edges costs each drawing.
        "style": {"curve-style": "straight", "line-color": "data(colour)", "width": 3, "target-arrow-shape": "none",
                  "z-compound-depth": "top", "z-index": 10},
    },
    # A connection into a card left of its source (wrapping to the next band) goes round, through
    # the space above the target's band (js/src/edge_routes.js).
    {
        "selector": "edge.connection.routed",
        "style": {
            "curve-style": "segments",
            "segment-weights": "data(route_weights)",
            "segment-distances": "data(route_distances)",
            "edge-distances": "node-position",
        },
    },
    # Zoomed out (below 0.5), 3 units would be under a pixel and the network's wiring would not show.
    {"selector": "edge.connection.compact", "style": {"width": 10}},
    {"selector": "edge.connection.chosen", "style": {"line-color": "#ff6f00", "width": 5}},
    {"selector": "edge.connection.chosen.compact", "style": {"width": 16}},
]

# Added to CANVAS_STYLE in projector mode (`CardCanvas.projector`): what a class at the back reads.
PROJECTOR_STYLE = [
    {
        "selector": "node.note",
        "style": {
            "font-size": 24,
            "font-weight": 700,
            "text-max-width": "480px",
            "text-background-padding": "6px",
            "text-background-color": "#d50000",
        },
    },
    {"selector": "node.note.waiting", "style": {"text-background-color": "#263238"}},
    {"selector": "node.card.error", "style": {"border-width": 8, "border-color": "#ff1744"}},
    {"selector": "node.card.chosen", "style": {"border-width": 6, "border-color": "#0d47a1"}},
    {"selector": "node.card.compact", "style": {"color": "#000000", "font-weight": 700}},
    {"selector": "node.card.compact.error", "style": {"background-color": "#d50000", "color": "#ffffff"}},
    # Hidden below zoom 0.8, where the compact faces show in this mode.
    {"selector": "node.port.out", "style": {"font-size": 15, "font-weight": 600, "color": "#000000", "min-zoomed-font-size": 12}},
    {"selector": "edge.connection", "style": {"width": 5}},
]
