// The card canvas: ipycytoscape's model and view, fed the whole card graph as one
// synced document (`card_elements_json`) instead of one widget per node and edge.
//
// Python derives every element from its CardGraph; this view only applies each new
// list as a diff inside one cytoscape batch, and reports what the person does
// (taps, drags, the Delete key, layout results) as messages. Nothing about a card
// is kept here that Python does not have.
import { CytoscapeModel, CytoscapeView } from 'jupyter-cytoscape';
import cytoscape from 'cytoscape';
import { MODULE_NAME, MODULE_VERSION } from './version';
import './canvas.css';

const LAYOUT = { name: 'dagre', rankDir: 'LR', nodeSep: 40, rankSep: 90, edgeSep: 20 };
const FIT_PADDING = 30;
// Below this zoom a card's text is too small to read: a first view starts at the network's left end instead.
const READABLE_ZOOM = 0.6;

export class CardCanvasModel extends CytoscapeModel {
  defaults() {
    return {
      ...super.defaults(),
      _model_name: 'CardCanvasModel',
      _model_module: MODULE_NAME,
      _model_module_version: MODULE_VERSION,
      _view_name: 'CardCanvasView',
      _view_module: MODULE_NAME,
      _view_module_version: MODULE_VERSION,
      card_elements_json: '[]',
    };
  }

  processMessage(command) {
    this.forEachView((view) => view.runCommand(command));
  }
}

export class CardCanvasView extends CytoscapeView {
  render() {
    super.render();
    this.el.classList.add('nncards-canvas');
    this.el.tabIndex = 0;
    // Keys typed on the canvas are for the canvas: without this, JupyterLab's command-mode
    // shortcuts (d d, x, a, b, m) would edit the notebook around it.
    this.el.dataset.lmSuppressShortcuts = 'true';
    this.el.addEventListener('keydown', (event) => this.onKey(event));
    this.model.on('change:card_elements_json', this.applyElements, this);
  }

  // ipycytoscape re-creates the cytoscape object on some trait changes: draw everything again.
  init_render() {
    const started = performance.now();
    super.init_render();
    this.applied = new Map();
    // Exposed so that page scripts (and the browser tests) can read where things are drawn.
    this.el.cytoscape = this.cytoscape_obj;
    this.listenToCanvas();
    this.applyElements();
    this.readableView();
    this.el.dataset.rendered = String(this.cytoscape_obj.elements().length);
    this.el.dataset.renderMs = String(Math.round(performance.now() - started));
    this.send_event({ event: 'ready' });
  }

  applyElements() {
    const cy = this.cytoscape_obj;
    if (!cy) {
      return;
    }
    const started = performance.now();
    const next = JSON.parse(this.model.get('card_elements_json') || '[]');
    const seen = new Set();
    cy.batch(() => {
      for (const element of next) {
        const id = element.data.id;
        seen.add(id);
        const text = JSON.stringify(element);
        if (this.applied.get(id) === text) {
          continue;
        }
        const existing = cy.getElementById(id);
        if (existing.nonempty() && sameEnds(existing, element)) {
          existing.data(element.data);
          existing.classes(element.classes || '');
          if (element.position && !existing.grabbed()) {
            existing.position(element.position);
          }
        } else {
          existing.remove();
          cy.add(element);
          if (element.data.parent) {
            cy.getElementById(id).ungrabify();
          }
        }
        this.applied.set(id, text);
      }
      for (const id of [...this.applied.keys()]) {
        if (!seen.has(id)) {
          cy.getElementById(id).remove();
          this.applied.delete(id);
        }
      }
    });
    if (this.fitAfterApply) {
      this.fitAfterApply = false;
      this.readableView();
    }
    this.el.dataset.elements = String(cy.elements().length);
    // How long the last update took here, from the new document to a drawn canvas (read by the browser tests).
    this.el.dataset.applyMs = String(Math.round(performance.now() - started));
    this.el.dataset.revision = String(Number(this.el.dataset.revision || 0) + 1);
  }

  // Fit everything if it stays readable; otherwise show the left end of the network at a readable zoom.
  readableView() {
    const cy = this.cytoscape_obj;
    cy.fit(undefined, FIT_PADDING);
    if (cy.zoom() >= READABLE_ZOOM || cy.elements().empty()) {
      return;
    }
    const box = cy.elements().boundingBox();
    cy.zoom(READABLE_ZOOM);
    cy.pan({ x: FIT_PADDING - box.x1 * READABLE_ZOOM, y: cy.height() / 2 - ((box.y1 + box.y2) / 2) * READABLE_ZOOM });
  }

  send_event(payload) {
    this.send({ kind: 'canvas_event', payload });
  }

  listenToCanvas() {
    const cy = this.cytoscape_obj;
    cy.on('tap', (event) => {
      this.el.focus();
      this.send_event({ event: 'tap', id: event.target === cy ? '' : event.target.id() });
    });
    // A card is dragged by its body or its frame; its ports follow, and the new place goes to Python.
    let last = null;
    cy.on('grab', 'node.body', (event) => {
      const p = event.target.position();
      last = { x: p.x, y: p.y };
    });
    cy.on('drag', 'node.body', (event) => {
      const p = event.target.position();
      if (last) {
        event.target.siblings().shift({ x: p.x - last.x, y: p.y - last.y });
      }
      last = { x: p.x, y: p.y };
    });
    cy.on('free', 'node.body, node.card', (event) => {
      last = null;
      const card = event.target.isParent() ? event.target : event.target.parent();
      const body = card.children('node.body');
      if (body.nonempty()) {
        const p = body.position();
        this.send_event({ event: 'moved', positions: { [card.data('key')]: [p.x, p.y] } });
      }
    });
    cy.on('mousemove', 'node.body, node.port, node.card', (event) => {
      this.el.title = helpAt(event.target, event.position);
    });
    cy.on('mouseout', 'node', () => {
      this.el.title = '';
    });
  }

  onKey(event) {
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.send_event({ event: 'delete' });
    }
  }

  runCommand(command) {
    if (command.command === 'fit') {
      this.cytoscape_obj.fit(undefined, FIT_PADDING);
    } else if (command.command === 'layout') {
      this.fitAfterApply = true;
      this.send_event({ event: 'moved', positions: this.layeredPositions() });
    }
  }

  // Dagre runs on one box per card (a compound node's children would confuse it);
  // each card's body then moves to its box.
  layeredPositions() {
    const cy = this.cytoscape_obj;
    const boxes = cy.nodes('node.card').map((card) => {
      const box = card.boundingBox({ includeLabels: false });
      return { data: { id: card.id(), w: box.w, h: box.h } };
    });
    const links = [];
    cy.edges().forEach((edge) => {
      const source = edge.source().parent().id();
      const target = edge.target().parent().id();
      if (source !== target) {
        links.push({ data: { id: edge.id(), source, target } });
      }
    });
    const plan = cytoscape({
      headless: true,
      styleEnabled: true,
      elements: boxes.concat(links),
      style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)', shape: 'rectangle' } }],
    });
    plan.layout(LAYOUT).run();
    const positions = {};
    cy.nodes('node.card').forEach((card) => {
      const body = card.children('node.body');
      const box = card.boundingBox({ includeLabels: false });
      const target = plan.getElementById(card.id()).position();
      const p = body.position();
      const centre = { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
      positions[card.data('key')] = [target.x + p.x - centre.x, target.y + p.y - centre.y];
    });
    plan.destroy();
    return positions;
  }
}

function sameEnds(existing, element) {
  if (existing.isEdge()) {
    return existing.data('source') === element.data.source && existing.data('target') === element.data.target;
  }
  return (existing.data('parent') || null) === (element.data.parent || null);
}

// The help text under the mouse: a port's, a body row's, or the card's.
function helpAt(node, position) {
  if (!node.hasClass('body')) {
    return node.data('help') || '';
  }
  const rows = node.data('row_help') || [];
  const top = node.position().y - node.height() / 2 + node.data('title_height');
  const row = Math.floor((position.y - top) / node.data('row_height'));
  return row >= 0 && row < rows.length ? rows[row] : node.parent().data('help') || '';
}
