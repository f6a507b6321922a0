// Level of detail: zoomed out, where a card's 12-pixel rows would be too small to read, each
// card shows a compact face instead: its type, its name and its output shape, as large as its
// box allows; its ports show no shape, and those of objects (initializers, layers) not connected are not
// drawn; connections are drawn wider, to be seen. Zoomed in, the rows and ports come back. The switch is
// a class on the cards, ports and connections, which the stylesheet (nncards_widget/widget/style.py) draws.

import { compactShape, shortType } from './text';

// Below this zoom a card's rows are under 6 pixels high on screen: the compact face is shown.
export const COMPACT_ZOOM = 0.5;
// In projector mode the compact face (large text) is shown up to a closer zoom: rows under 10 pixels.
export const PROJECTOR_COMPACT_ZOOM = 0.8;
const LINE_HEIGHT = 1.2;
const CHAR_ADVANCE = 0.56; // average width of a character of the sans-serif font, in font sizes
const MARGIN = 8;

// A text cut in two where `boundary` matches nearest its middle ("block_5_" "expand_relu",
// "Batch" "Normalization"), or whole if it has no such place.
function halves(text, boundary) {
  const cuts = [...text.matchAll(boundary)].map((match) => match.index + match[0].length).filter((at) => at > 0 && at < text.length);
  if (!cuts.length) {
    return [text];
  }
  const at = cuts.reduce((best, cut) => (Math.abs(cut - text.length / 2) < Math.abs(best - text.length / 2) ? cut : best));
  return [text.slice(0, at), text.slice(at)];
}

// The font size at which lines fill a w x h box, the longest line its width.
function fillingFont(lines, w, h) {
  const longest = Math.max(...lines.map((line) => line.length));
  return Math.min((w - 2 * MARGIN) / (longest * CHAR_ADVANCE), (h - MARGIN) / (lines.length * LINE_HEIGHT));
}

// The compact face of a card: its type, name and shape, each on a line or cut in two (whichever
// gives the larger text), and the font size that fills its box.
export function compactFace(record, spec) {
  const shapes = Object.values(record.outputs).map(compactShape).filter((shape) => shape !== '');
  const last = record.error ? ['⚠ error'] : shapes.length ? [shapes.join(', ')] : [];
  const type = shortType(spec);
  let best = null;
  for (const typeLines of [[type], halves(type, /[a-z0-9](?=[A-Z])/g)]) {
    for (const nameLines of [[record.key], halves(record.key, /_/g)]) {
      const lines = [...typeLines, ...nameLines, ...last];
      const font = fillingFont(lines, record.w, record.h);
      if (!best || font > best.font) {
        best = { lines, font };
      }
    }
  }
  return { text: best.lines.join('\n'), font: Math.max(1, Math.floor(best.font)) };
}

// Follows a view's zoom and switches its cards between the compact face and the full rows.
export class LevelOfDetail {
  // projector(): whether the editor is in projector mode; detailed(): called on each switch to the rows.
  constructor(cy, projector, detailed) {
    this.cy = cy;
    this.projector = projector;
    this.detailed = detailed;
    this.compact = false;
    cy.on('zoom', () => this.follow());
  }

  follow() {
    const compact = this.cy.zoom() < (this.projector() ? PROJECTOR_COMPACT_ZOOM : COMPACT_ZOOM);
    if (compact !== this.compact) {
      this.compact = compact;
      const dressed = this.cy.elements('node.card, node.port, edge.connection');
      this.cy.batch(() => (compact ? dressed.addClass('compact') : dressed.removeClass('compact')));
      if (!compact) {
        this.detailed();
      }
    }
  }

  // The classes a card, port or connection is drawn with at the current zoom.
  dress(element) {
    const classes = element.classes ? element.classes.split(' ') : [];
    if (this.compact && ['card', 'port', 'connection'].includes(classes[0])) {
      return { ...element, classes: `${element.classes} compact` };
    }
    return element;
  }
}
