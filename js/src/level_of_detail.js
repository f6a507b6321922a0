// Level of detail: zoomed out, where a card's 12-pixel rows would be too small to read, each
// card shows a compact face instead: its type, its name and its output shape, as large as its
// box allows; zoomed in, the rows come back. The switch is a class on the card bodies,
// which the stylesheet (nncards_widget/widget/style.py) draws.

import { compactShape, shortType } from './text';

// Below this zoom a card's rows are under 6 pixels high on screen: the compact face is shown.
export const COMPACT_ZOOM = 0.5;
// In projector mode the compact face (large text) is shown up to a closer zoom: rows under 10 pixels.
export const PROJECTOR_COMPACT_ZOOM = 0.8;
const LINE_HEIGHT = 1.2;
const CHAR_ADVANCE = 0.56; // average width of a character of the sans-serif font, in font sizes
const MARGIN = 8;

// The compact face of a card: its lines (type, name, shape) and the font size that fills its box.
export function compactFace(record, spec) {
  const shapes = Object.values(record.outputs).map(compactShape).filter((shape) => shape !== '');
  const lines = [shortType(spec), record.key];
  if (record.error) {
    lines.push('⚠ error');
  } else if (shapes.length) {
    lines.push(shapes.join(', '));
  }
  const longest = Math.max(...lines.map((line) => line.length));
  const byWidth = (record.w - 2 * MARGIN) / (longest * CHAR_ADVANCE);
  const byHeight = (record.h - MARGIN) / (lines.length * LINE_HEIGHT);
  return { text: lines.join('\n'), font: Math.max(1, Math.floor(Math.min(byWidth, byHeight))) };
}

// Follows a view's zoom and switches its cards between the compact face and the full rows.
export class LevelOfDetail {
  // projector(): whether the editor is in projector mode.
  constructor(cy, projector) {
    this.cy = cy;
    this.projector = projector;
    this.compact = false;
    cy.on('zoom', () => this.follow());
  }

  follow() {
    const compact = this.cy.zoom() < (this.projector() ? PROJECTOR_COMPACT_ZOOM : COMPACT_ZOOM);
    if (compact !== this.compact) {
      this.compact = compact;
      const bodies = this.cy.nodes('node.body');
      this.cy.batch(() => (compact ? bodies.addClass('compact') : bodies.removeClass('compact')));
    }
  }

  // The classes a body is drawn with at the current zoom.
  dress(element) {
    if (this.compact && element.classes && element.classes.split(' ')[0] === 'body') {
      return { ...element, classes: `${element.classes} compact` };
    }
    return element;
  }
}
