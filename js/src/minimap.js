// The overview: a thumbnail of the whole graph in a corner of the canvas, with the part in
// view drawn as a window on it; a click there centres the view on that place, a drag moves it.
// cytoscape-navigator (the Cytoscape.js project's own extension) draws and drives it.
import cytoscape from 'cytoscape';
import navigator from 'cytoscape-navigator';

navigator(cytoscape);

// The thumbnail is drawn again at most this often (ms) while the canvas changes or moves:
// drawing it costs a picture of the whole graph.
const REDRAW_EVERY = 400;
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
    this.navigator = cy.navigator({ container: `#${this.panel.id}`, rerenderDelay: REDRAW_EVERY, removeCustomContainer: true });
  }

  destroy() {
    this.navigator.destroy();
  }
}
