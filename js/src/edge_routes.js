// Connections that run backwards, into a card left of where they leave, are the ones the layout
// wraps from the end of one band to the start of the next. Drawn straight, each would cross the
// whole drawing; instead each leaves its card to the right, runs along the free space above the
// band its target is in, and enters its target from the left (cytoscape "segments" edges,
// their corners given relative to the line between the two ports).

const TURN = 24; // how far right of its source, and left of its target, such a connection turns
const FIRST_GAP = 60; // above the topmost band, where there is no band before it

// The cards grouped in bands: runs of cards whose faces' heights overlap or nearly touch. The title of
// a nested model's frame is in the band of the cards under it: a connection running above must not cover it.
function bands(cy) {
  const spans = cy.nodes('node.card').map((card) => {
    const y = card.position('y');
    const half = card.data('height') / 2;
    return { y1: y - half, y2: y + half };
  });
  cy.nodes('node.frame').forEach((frame) => {
    spans.push({ y1: frame.boundingBox({ includeLabels: true }).y1, y2: frame.boundingBox({ includeLabels: false }).y1 });
  });
  spans.sort((a, b) => a.y1 - b.y1);
  const found = [];
  for (const span of spans) {
    const last = found[found.length - 1];
    // Lanes within a band are closer together than bands are: less than this apart, one band.
    if (last && span.y1 < last.y2 + 85) {
      last.y2 = Math.max(last.y2, span.y2);
    } else {
      found.push({ ...span });
    }
  }
  return found;
}

// The height of the space above the band holding y: halfway between that band and the one before.
function channelAbove(found, y) {
  const index = found.findIndex((band) => band.y1 <= y && y <= band.y2);
  if (index < 0) {
    return y - FIRST_GAP;
  }
  const before = found[index - 1];
  return before ? (before.y2 + found[index].y1) / 2 : found[index].y1 - FIRST_GAP / 2;
}

// A point as cytoscape's segment weight (along the line from s to t) and distance (across it).
function relative(point, s, t) {
  const dx = t.x - s.x;
  const dy = t.y - s.y;
  const length = Math.hypot(dx, dy) || 1;
  const px = point.x - s.x;
  const py = point.y - s.y;
  return { weight: (px * dx + py * dy) / (length * length), distance: (px * dy - py * dx) / -length };
}

// Route every backward connection; the others stay straight.
export function routeConnections(cy) {
  let found = null;
  cy.batch(() => {
    cy.edges('edge.connection').forEach((edge) => {
      const s = edge.source().position();
      const t = edge.target().position();
      if (t.x >= s.x + 2 * TURN) {
        if (edge.hasClass('routed')) {
          edge.removeClass('routed');
        }
        return;
      }
      found = found || bands(cy);
      const channel = channelAbove(found, t.y);
      const corners = [
        { x: s.x + TURN, y: s.y },
        { x: s.x + TURN, y: channel },
        { x: t.x - TURN, y: channel },
        { x: t.x - TURN, y: t.y },
      ].map((corner) => relative(corner, s, t));
      edge.data({ route_weights: corners.map((c) => c.weight), route_distances: corners.map((c) => c.distance) });
      edge.addClass('routed');
    });
  });
}
