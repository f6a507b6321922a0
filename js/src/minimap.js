// The overview: a thumbnail of the whole graph in a corner of the canvas, with the part in
// view drawn as a window on it; a click there centres the view on that place, a drag moves it.
// cytoscape-navigator (the Cytoscape.js project's own extension) drives it; the thumbnail is drawn here.
import cytoscape from 'cytoscape';
import navigator from 'cytoscape-navigator';

navigator(cytoscape);

// The extension's own thumbnail is cy.png of the whole graph: every element drawn in full, each card's
// face a picture, which froze the page for seconds with DenseNet201 zoomed in (and took 0.3 s for
// MobileNetV2). The overview draws its own instead, from where cytoscape has placed each card and
// connection: boxes and lines, 5 to 50 ms. The extension still keeps the window on the view and moves
// the view on a click or drag. The thumbnail is redrawn once the graph has stopped changing for this
// long (ms), not after every frame.
const REDRAW_AFTER = 100;
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
    // Off: the extension's own thumbnail redraw, which cytoscape-navigator 2.0.2 (pinned) hooks to every frame.
    cy.offRender(this.navigator._onRenderHandler);
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

  // The thumbnail, placed where the extension places its own: the graph's bounds scaled to fit the panel, centred.
  redraw() {
    const started = performance.now();
    const navigator = this.navigator;
    navigator._checkThumbnailSizesAndUpdate();
    navigator._setupView();
    const { panelWidth, panelHeight, boundingBox: bounds, $thumbnail: thumbnail } = navigator;
    const scale = Math.min(panelWidth / bounds.w, panelHeight / bounds.h);
    if (!(scale > 0 && Number.isFinite(scale))) {
      thumbnail.removeAttribute('src');
      return;
    }
    const ratio = window.devicePixelRatio || 1;
    const picture = document.createElement('canvas');
    picture.width = Math.max(1, Math.ceil(bounds.w * scale * ratio));
    picture.height = Math.max(1, Math.ceil(bounds.h * scale * ratio));
    const context = picture.getContext('2d');
    const unit = scale * ratio;
    context.setTransform(unit, 0, 0, unit, -bounds.x1 * unit, -bounds.y1 * unit);
    // A line a screen pixel wide, whatever the graph's size.
    context.lineWidth = 1 / unit;
    const box = (node) => {
      const { x, y } = node.position();
      const w = node.outerWidth();
      const h = node.outerHeight();
      context.rect(x - w / 2, y - h / 2, w, h);
    };
    this.cy.nodes('node.frame').filter((frame) => frame.visible()).forEach((frame) => {
      context.beginPath();
      box(frame);
      context.strokeStyle = frame.pstyle('border-color').strValue;
      context.stroke();
    });
    this.cy.edges('edge.connection').filter((edge) => edge.visible()).forEach((edge) => {
      const points = [edge.sourceEndpoint(), ...(edge.segmentPoints() || []), edge.targetEndpoint()];
      if (points.some((point) => !point || !Number.isFinite(point.x))) {
        return;
      }
      context.beginPath();
      context.moveTo(points[0].x, points[0].y);
      points.slice(1).forEach((point) => context.lineTo(point.x, point.y));
      context.strokeStyle = edge.pstyle('line-color').strValue;
      context.stroke();
    });
    this.cy.nodes('node.card, node.folded').filter((card) => card.visible()).forEach((card) => {
      context.beginPath();
      box(card);
      context.fillStyle = card.pstyle('background-color').strValue;
      context.fill();
      context.strokeStyle = card.pstyle('border-color').strValue;
      context.stroke();
    });
    thumbnail.src = picture.toDataURL();
    thumbnail.style.position = 'absolute';
    thumbnail.style.width = `${picture.width / ratio}px`;
    thumbnail.style.left = `${(panelWidth - scale * bounds.w) / 2}px`;
    thumbnail.style.top = `${(panelHeight - scale * bounds.h) / 2}px`;
    // How long the thumbnail took (read by the browser tests).
    this.panel.dataset.drawMs = String(Math.round(performance.now() - started));
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
