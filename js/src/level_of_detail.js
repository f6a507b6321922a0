// Level of detail: zoomed out, where a card's 12-pixel rows would be too small to read, each
// card shows a compact face instead: its type, its name and its output shape, as large as its
// footprint allows; its ports show no shape, and those of objects (initializers, layers) not connected are not
// drawn; connections are drawn wider, to be seen. Zoomed in, the rows and ports come back. The switch is
// a class on the cards, ports and connections, which the stylesheet (nncards_widget/widget/style.py) draws;
// the ports of a card whose face is larger than its body move out to the face's edges (canvas.js).

import { compactShape, shortType } from './text';

// Below this zoom a card's rows are under 6 pixels high on screen: the compact face is shown.
export const COMPACT_ZOOM = 0.5;
// In projector mode the compact face (large text) is shown up to a closer zoom: rows under 10 pixels.
export const PROJECTOR_COMPACT_ZOOM = 0.8;
const LINE_HEIGHT = 1.2;
// The compact face's font (nncards_widget/widget/style.py), bold as in projector mode, at 100 px.
const FACE_FONT = '700 100px Roboto, Helvetica, Arial, sans-serif';
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

let measuring = null;
const widths = new Map();

// A line's width in font sizes, as this browser draws it: the fonts it has differ in width by a
// fifth and more, and an estimate from the number of characters let long names run out of their card.
function lineWidth(line) {
  let width = widths.get(line);
  if (width === undefined) {
    measuring = measuring || document.createElement('canvas').getContext('2d');
    measuring.font = FACE_FONT;
    width = measuring.measureText(line).width / 100;
    widths.set(line, width);
  }
  return width;
}

// The font size at which lines fill a w x h box, the widest line its width.
function fillingFont(lines, w, h) {
  const widest = Math.max(...lines.map(lineWidth));
  return Math.min((w - 2 * MARGIN) / widest, (h - MARGIN) / (lines.length * LINE_HEIGHT));
}

// The ways a card's type, name and shape can be set in lines: each on a line or cut in two, or, for a
// wide and short card (an Input, a pooling layer), side by side on fewer lines.
function layouts(type, name, last) {
  const found = [];
  for (const typeLines of [[type], halves(type, /[a-z0-9](?=[A-Z])/g)]) {
    for (const nameLines of [[name], halves(name, /_/g)]) {
      found.push([...typeLines, ...nameLines, ...last]);
    }
  }
  found.push([`${type} ${name}`, ...last]);
  if (last.length) {
    found.push([type, `${name} ${last[0]}`], [`${type} ${name} ${last[0]}`]);
  }
  return found;
}

// The compact face of a card: its type, name and shape, in the lines that give the largest text, and
// the font size that fills its box.
export function compactFace(record, spec) {
  const shapes = Object.values(record.outputs).map(compactShape).filter((shape) => shape !== '');
  const last = record.error ? ['⚠ error'] : shapes.length ? [shapes.join(', ')] : [];
  let best = null;
  for (const lines of layouts(shortType(spec), record.key, last)) {
    const font = fillingFont(lines, record.cw, record.ch);
    if (!best || font > best.font) {
      best = { lines, font };
    }
  }
  return { text: best.lines.join('\n'), font: Math.max(1, Math.floor(best.font)) };
}

// Follows a view's zoom and switches its cards between the compact face and the full rows.
export class LevelOfDetail {
  // projector(): whether the editor is in projector mode; switched(compact): called on each switch,
  // with the classes changed.
  constructor(cy, projector, switched) {
    this.cy = cy;
    this.projector = projector;
    this.switched = switched;
    this.compact = false;
    cy.on('zoom', () => this.follow());
  }

  // The zoom below which cards show their compact faces.
  threshold() {
    return this.projector() ? PROJECTOR_COMPACT_ZOOM : COMPACT_ZOOM;
  }

  follow() {
    const compact = this.cy.zoom() < this.threshold();
    if (compact !== this.compact) {
      this.compact = compact;
      const dressed = this.cy.elements('node.card, node.port, edge.connection');
      this.cy.batch(() => {
        if (compact) {
          dressed.addClass('compact');
        } else {
          dressed.removeClass('compact');
        }
        this.switched(compact);
      });
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
