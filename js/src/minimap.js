// The overview: a thumbnail of the whole graph in a corner of the canvas, with the part in
// view drawn as a window on it; a click there centres the view on that place, a drag moves it.
// cytoscape-navigator (the Cytoscape.js project's own extension) draws and drives it.
import cytoscape from 'cytoscape';
import navigator from 'cytoscape-navigator';

navigator(cytoscape);

// The thumbnail is a picture of the whole graph (cy.png): 0.3 s for MobileNetV2, more for bigger
// graphs. The extension redraws it after every frame the canvas draws, panning and zooming
// included, where only the window on it moves; here it is redrawn once the graph has stopped
// changing for this long (ms).
const REDRAW_AFTER = 300;
let made = 0;

export class Minimap {
  constructor(parent, cy) {
    made += 1;
    this.panel = document.createElement('div');
    // The extension finds its panel by id, in the document.
    this.panel.id = `nncards-minimap-${made}`;
    this.panel.className = 'nncards-minimap';
    this.panel.title = 'Overview: click or drag to move the view';
    parent.appendChild(this.panel);
    this.navigator = cy.navigator({ container: `#${this.panel.id}`, removeCustomContainer: true });
    // The thumbnail's redraw, which cytoscape-navigator 2.0.2 (pinned) hooks to every frame.
    this.redraw = this.navigator._onRenderHandler;
    cy.offRender(this.redraw);
    // With the whole graph in view there is nothing to move to: the overview steps aside.
    this.cy = cy;
    this.follow = () => {
      if (!this.pending) {
        this.pending = requestAnimationFrame(() => this.showIfNeeded());
      }
    };
    // Not on each element added or removed (thousands when a network is drawn): refresh() follows those.
    cy.on('viewport resize', this.follow);
    this.follow();
  }

  // The drawing changed (cards placed, moved, added or removed): redraw the thumbnail once it has
  // stopped changing, now if the overview shows, else when it next does.
  refresh() {
    this.stale = true;
    this.follow();
  }

  scheduleRedraw() {
    clearTimeout(this.waiting);
    if (this.stale && !this.panel.classList.contains('nncards-minimap-idle')) {
      this.waiting = setTimeout(() => {
        this.stale = false;
        this.redraw();
      }, REDRAW_AFTER);
    }
  }

  showIfNeeded() {
    this.pending = null;
    const all = this.cy.nodes('node.card').boundingBox();
    const view = this.cy.extent();
    const whole = all.w > 0 && view.x1 <= all.x1 && view.y1 <= all.y1 && view.x2 >= all.x2 && view.y2 >= all.y2;
    this.panel.classList.toggle('nncards-minimap-idle', whole);
    this.scheduleRedraw();
  }

  destroy() {
    this.cy.off('viewport resize', this.follow);
    cancelAnimationFrame(this.pending);
    clearTimeout(this.waiting);
    this.navigator.destroy();
  }
}
