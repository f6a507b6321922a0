// The card canvas: ipycytoscape's model and view, fed the card graph as records.
//
// Python derives a record per card and connection from its CardGraph and sends them as
// diffs (store.js keeps them on the model). Each view draws the records that changed
// inside one cytoscape batch, and reports what the person does (taps, drags, keys) as
// messages. Nothing about a card is kept here that Python did not send. Over the drawing:
// a search box (search.js) and an overview (minimap.js); zoomed out, cards show a compact
// face (level_of_detail.js); connections that wrap to the next band go round (edge_routes.js).
// On the cards: a field for editing a value in place (inline_editor.js), connections dragged from
// port to port (connect_drag.js), and a banner when the kernel cannot take edits (kernel_state.js).
import { CytoscapeModel, CytoscapeView } from 'jupyter-cytoscape';
import cytoscape from 'cytoscape';
import { MODULE_NAME, MODULE_VERSION } from './version';
import { CanvasStore } from './store';
import {
  cardElements, cardNodeId, connectionElement, foldedElement, foldedNodeId, frameElement, helpAt, portNodeId,
} from './card_elements';
import { CardChooser, ConnectDrag } from './connect_drag';
import { InlineEditor, valueRowAt } from './inline_editor';
import { KernelState } from './kernel_state';
import { routeConnections } from './edge_routes';
import { LevelOfDetail } from './level_of_detail';
import { Minimap } from './minimap';
import { CardSearch } from './search';
import './canvas.css';

const FIT_PADDING = 30;

// The keys of the focused canvas and the action each asks Python for (interaction.py's KEY_ACTIONS).
function keyAction(event) {
  const command = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (command && key === 'z') {
    return event.shiftKey ? 'redo' : 'undo';
  }
  if (command && key === 'y') {
    return 'redo';
  }
  if (command && (key === 'c' || key === 'v')) {
    return key === 'c' ? 'copy' : 'paste';
  }
  if (!command && (event.key === 'Delete' || event.key === 'Backspace')) {
    return 'delete';
  }
  if (event.key === 'Escape') {
    return 'escape';
  }
  if (event.key === 'Tab' && !command && !event.altKey) {
    return event.shiftKey ? 'previous' : 'next';
  }
  return null;
}

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
      projector: false,
    };
  }

  initialize(attributes, options) {
    super.initialize(attributes, options);
    this.store = new CanvasStore();
  }

  processMessage(message) {
    if (message.kind === 'canvas') {
      this.applyRecords(message);
    } else {
      this.forEachView((view) => view.runCommand(message));
    }
  }

  applyRecords(message) {
    const change = this.store.apply(message);
    if (change === null) {
      // A message was missed (or this model was made after the first ones): ask for everything, once.
      if (!this.resyncRequested) {
        this.resyncRequested = true;
        this.sendEvent({ event: 'resync' });
      }
      return;
    }
    this.resyncRequested = false;
    this.trigger('records', change);
  }

  sendEvent(payload) {
    this.send({ kind: 'canvas_event', payload });
  }
}

export class CardCanvasView extends CytoscapeView {
  render() {
    this.el.classList.add('nncards-canvas');
    this.el.tabIndex = 0;
    // Keys typed on the canvas are for the canvas: without this, JupyterLab's command-mode
    // shortcuts (d d, x, a, b, m) would edit the notebook around it.
    this.el.dataset.lmSuppressShortcuts = 'true';
    // Cytoscape takes every mouse event inside its container as its own, so the drawing has a
    // container of its own, under the search box and the overview.
    this.drawing = document.createElement('div');
    this.drawing.className = 'nncards-drawing';
    this.el.appendChild(this.drawing);
    this.search = new CardSearch(this, this.el);
    this.inline = new InlineEditor(this, this.el);
    this.connectDrag = new ConnectDrag(this, this.el);
    this.chooser = new CardChooser(this, this.el);
    this.kernelState = new KernelState(this, this.el);
    super.render();
    this.el.addEventListener('keydown', (event) => this.onKey(event));
    this.listenTo(this.model, 'records', this.drawChange);
    // Another widget of the editor (the summary) asks for a card to be shown.
    this.listenTo(this.model, 'reveal', this.reveal);
    this.listenTo(this.model, 'change:projector', this.showProjector);
    this.showProjector();
  }

  remove() {
    cancelAnimationFrame(this.objectPortsPending);
    this.kernelState.dispose();
    this.minimap?.destroy();
    super.remove();
  }

  // ipycytoscape re-creates the cytoscape object on some trait changes: draw everything again.
  init_render() {
    this.renderStarted = performance.now();
    this.minimap?.destroy();
    this.inline.close();
    this.chooser.close();
    this.cytoscape_obj?.destroy();
    // ipycytoscape's view re-renders (value_changed) only once rendered.
    this.is_rendered = true;
    // Made here rather than by ipycytoscape, which always passes a wheel sensitivity (and so gets
    // cytoscape's warning about it, for every editor): wheel zoom takes cytoscape's own steps.
    this.cytoscape_obj = cytoscape({
      container: this.drawing,
      minZoom: this.model.get('min_zoom'),
      maxZoom: this.model.get('max_zoom'),
      boxSelectionEnabled: this.model.get('box_selection_enabled'),
      style: this.model.get('cytoscape_style'),
      elements: [],
    });
    this.drawn = new Map();
    this.adding = new Map();
    this.cardParts = new Map();
    this.cardBoxes = new Map();
    this.marked = new Map();
    this.linkedPorts = new Set();
    this.collapsedFrames = new Set();
    this.levelOfDetail = new LevelOfDetail(this.cytoscape_obj, () => this.model.get('projector'), (compact) => {
      this.moveParts(compact);
      this.drawObjectPorts();
    });
    // The cards whose ports of objects with no connection are made: those shown with their rows, in or
    // near the view, so far. Zoomed out these ports are not drawn, and they are half of a real network's
    // elements (DenseNet201: 3700 of 7500); made for every card at once, the first zoom in on DenseNet201
    // held the page for 0.6 s.
    this.objectPortCards = new Set();
    this.cytoscape_obj.on('viewport', () => {
      if (!this.objectPortsPending) {
        this.objectPortsPending = requestAnimationFrame(() => {
          this.objectPortsPending = null;
          this.drawObjectPorts();
        });
      }
    });
    this.minimap = new Minimap(this.el, this.cytoscape_obj);
    // The view is fitted to the drawing until the person zooms or pans it, or it is moved to a card.
    this.followsFit = true;
    this.minimap.panel.addEventListener('pointerdown', () => {
      this.followsFit = false;
    });
    // Exposed so that page scripts (and the browser tests) can read where things are drawn.
    this.el.cytoscape = this.cytoscape_obj;
    this.el.nncardsStore = this.model.store;
    this.listenToCanvas();
    // Drawn once the view has its size: the first draw fits the view to the cards, and the records
    // may be here before the editor's layout (its height) is applied.
    this.sized = false;
    const cy = this.cytoscape_obj;
    this.layoutPromise.then(() => {
      if (this.cytoscape_obj !== cy) {
        return;
      }
      this.sized = true;
      cy.resize();
      if (this.model.store.ready) {
        this.drawChange({ reset: true, cards: [], connections: [], view: true });
      }
    });
    // The view is made (read by the browser tests); its cards come once it has its size (data-drawn-ms).
    this.el.dataset.rendered = 'true';
    // The records shown with the editor are here already: Python sends them again only if they are not the last.
    this.sendEvent({ event: 'ready', revision: this.model.store.revision });
  }

  // Send an event to Python; none while the kernel cannot take it (the banner says why, and flashes).
  sendEvent(payload) {
    if (!this.kernelState.live) {
      this.kernelState.refuse();
      return;
    }
    this.model.sendEvent(payload);
  }

  // Draw what a message changed: the cards and connections it names, or everything after a reset.
  drawChange(change) {
    const cy = this.cytoscape_obj;
    if (!cy || !this.sized) {
      return;
    }
    const started = performance.now();
    const store = this.model.store;
    const firstDraw = this.drawn.size === 0;
    if (firstDraw) {
      // The view is set before anything is drawn, so that each card is drawn once, at the level of
      // detail that zoom shows, rather than restyled after a fit.
      this.fitRecords();
    }
    this.linkedPorts = linkedPorts(store);
    // A nested model collapsed or opened: every card and connection is drawn again (the unchanged ones cost a comparison).
    const collapsed = new Set(store.view.collapsed);
    const everything = change.reset || collapsed.size !== this.collapsedFrames.size || [...collapsed].some((name) => !this.collapsedFrames.has(name));
    this.collapsedFrames = collapsed;
    // A collapsed model is drawn where its cards are: it moves with them.
    const frames = everything || change.frames || (collapsed.size > 0 && change.cards.some((key) => this.hidden(store.cards.get(key))));
    cy.batch(() => {
      const cardKeys = everything ? [...new Set([...this.cardParts.keys(), ...store.cards.keys()])] : change.cards;
      const edgeIds = everything ? [...new Set([...this.edgeIds(), ...store.connections.keys()])] : change.connections;
      // The ports at either end of a connection added or removed, whose card may not be redrawn.
      const ends = new Set();
      for (const id of edgeIds) {
        const drawn = cy.getElementById(id);
        if (drawn.nonempty()) {
          ends.add(drawn.data('source')).add(drawn.data('target'));
        }
        if (!store.connections.has(id)) {
          this.removeElement(id);
        }
      }
      if (frames) {
        // Added now: a card moved into a frame needs it there.
        this.drawFrames();
        this.addNew();
      }
      for (const key of cardKeys) {
        this.drawCard(key);
      }
      if (frames) {
        this.removeOldFrames();
      }
      for (const id of edgeIds) {
        const record = store.connections.get(id);
        if (record) {
          this.drawConnection(record, ends);
        }
      }
      this.addNew();
      for (const id of ends) {
        const port = cy.getElementById(id);
        if (port.nonempty() && port.hasClass('linked') !== this.linkedPorts.has(id)) {
          port.toggleClass('linked', this.linkedPorts.has(id));
        }
      }
      this.drawMarks();
    });
    routeConnections(cy);
    if (this.reshaped || change.reset || change.connections.length) {
      this.reshaped = false;
      this.minimap.refresh();
    }
    if (!firstDraw && change.view) {
      this.showSelected();
    }
    if (this.inline.isOpen) {
      this.inline.place();
    }
    this.el.dataset.elements = String(cy.elements().length);
    // How long the last update took here, from the new records to a drawn canvas, and the first one
    // from the view's start, the records asked for and received included (read by the browser tests).
    this.el.dataset.applyMs = String(Math.round(performance.now() - started));
    if (firstDraw) {
      this.el.dataset.drawnMs = String(Math.round(performance.now() - this.renderStarted));
    }
    this.el.dataset.revision = String(store.revision);
  }

  // Zoom and pan to show every card the records hold, as cy.fit would once they are drawn (and
  // without its cost: the bounds of every element, labels included).
  fitRecords() {
    const cy = this.cytoscape_obj;
    const records = [...this.model.store.cards.values()];
    if (!records.length) {
      return;
    }
    const padding = this.model.store.geometry.card_padding;
    const fitting = (compact) => {
      const box = extent(records, compact);
      const zoom = Math.min((cy.width() - 2 * FIT_PADDING) / (box.x2 - box.x1 + 2 * padding), (cy.height() - 2 * FIT_PADDING) / (box.y2 - box.y1 + 2 * padding));
      return { box, zoom: Math.max(cy.minZoom(), Math.min(cy.maxZoom(), zoom)) };
    };
    // The cards as drawn at the zoom they fit at: with their rows if that is close enough to show them,
    // else with their compact faces, larger than the bodies of small cards.
    let fit = fitting(false);
    if (fit.zoom < this.levelOfDetail.threshold()) {
      fit = fitting(true);
    }
    this.fittedSize = `${cy.width()}x${cy.height()}`;
    const { box, zoom } = fit;
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (box.x1 + box.x2) / 2, y: cy.height() / 2 - zoom * (box.y1 + box.y2) / 2 } });
  }

  edgeIds() {
    return [...this.drawn.keys()].filter((id) => id.startsWith('edge:'));
  }

  // A connection, between two ports, or to the node of a collapsed model holding either end (none inside one).
  drawConnection(record, ends) {
    const cy = this.cytoscape_obj;
    const store = this.model.store;
    const element = this.dress(connectionElement(record, store.colours));
    const source = this.collapsedAround(store.cards.get(record.source)?.frame);
    const target = this.collapsedAround(store.cards.get(record.target)?.frame);
    if (source !== null && source === target) {
      this.removeElement(record.id);
      return;
    }
    element.data.source = source === null ? element.data.source : foldedNodeId(source);
    element.data.target = target === null ? element.data.target : foldedNodeId(target);
    // A connection to an object port not made yet: its card, redrawn, makes it.
    for (const [key, port] of [[record.source, element.data.source], [record.target, element.data.target]]) {
      if (!this.has(port)) {
        this.drawCard(key);
      }
    }
    ends.add(element.data.source).add(element.data.target);
    this.drawElement(element);
  }

  // The outermost collapsed model holding frame `name` (or being it), or null: what a card in it is drawn as.
  collapsedAround(name) {
    const frames = this.model.store.frames;
    let outermost = null;
    for (let frame = name; frame in frames; frame = frames[frame].parent) {
      if (this.collapsedFrames.has(frame)) {
        outermost = frame;
      }
    }
    return outermost;
  }

  // Whether a card record is inside a collapsed model (so not drawn).
  hidden(record) {
    return Boolean(record) && this.collapsedAround(record.frame) !== null;
  }

  drawCard(key) {
    const store = this.model.store;
    const record = store.cards.get(key);
    const previous = this.cardParts.get(key) || new Set();
    if (!record || this.hidden(record)) {
      this.reshaped = true;
      this.cardBoxes.delete(key);
      this.objectPortCards.delete(key);
      for (const id of previous) {
        this.removeElement(id);
      }
      this.cardParts.delete(key);
      return;
    }
    if (!this.levelOfDetail.compact && this.nearView(record)) {
      this.objectPortCards.add(key);
    }
    const withObjectPorts = this.objectPortCards.has(key);
    const elements = cardElements(record, store.spec(record), store.geometry, store.colours, this.levelOfDetail.compact)
      .filter((element) => withObjectPorts || !isObjectPort(element) || this.linkedPorts.has(element.data.id))
      .map((element) => this.dress(element));
    // Whether the drawing's shape changed (the overview's picture), not only a card's text.
    const box = `${record.x},${record.y},${record.w},${record.h}`;
    this.reshaped = this.reshaped || this.cardBoxes.get(key) !== box;
    this.cardBoxes.set(key, box);
    const parts = new Set(elements.map((element) => element.data.id));
    for (const id of previous) {
      if (!parts.has(id)) {
        this.removeElement(id);
      }
    }
    for (const element of elements) {
      this.drawElement(element);
    }
    this.cardParts.set(key, parts);
  }

  // The frames of nested models, outer ones first: a card or frame is added into a frame already there. A
  // collapsed model is one node, where its cards are; the frames inside it are not drawn.
  drawFrames() {
    const store = this.model.store;
    const frames = store.frames;
    const depth = (name) => (frames[name].parent in frames ? 1 + depth(frames[name].parent) : 0);
    this.frameIds = new Set();
    for (const name of Object.keys(frames).sort((a, b) => depth(a) - depth(b))) {
      if (this.collapsedAround(frames[name].parent) !== null) {
        continue;
      }
      const element = this.collapsedFrames.has(name)
        ? foldedElement(name, frames[name], centreOf([...store.cards.values()].filter((record) => this.collapsedAround(record.frame) === name)))
        : frameElement(name, frames[name]);
      this.drawElement(element);
      this.frameIds.add(element.data.id);
    }
  }

  // Frames and collapsed models not drawn any more; the cards that were in them have left them (their records say so).
  removeOldFrames() {
    this.cytoscape_obj.nodes('node.frame, node.folded').forEach((frame) => {
      if (frame.inside() && !this.frameIds.has(frame.id())) {
        // Removing a compound node removes what it holds: anything still in it stays, out of it.
        frame.children().move({ parent: frame.data('parent') || null });
        this.removeElement(frame.id());
      }
    });
  }

  // The parts of every card moved to where cardElements puts them for the face now shown: ports out to
  // the edges of a small card's compact face, or back to its body's; its note under the face.
  moveParts(compact) {
    const cy = this.cytoscape_obj;
    const growing = compact ? 1 : -1;
    for (const [key, parts] of this.cardParts) {
      const card = cy.getElementById(cardNodeId(key));
      const wider = (growing * (card.data('compact_width') - card.data('width'))) / 2;
      const taller = (growing * (card.data('compact_height') - card.data('height'))) / 2;
      if (wider === 0 && taller === 0) {
        continue;
      }
      for (const id of parts) {
        const part = cy.getElementById(id);
        if (part.hasClass('note')) {
          part.shift({ x: 0, y: taller });
        } else if (part.hasClass('port')) {
          part.shift({ x: part.hasClass('in') ? -wider : wider, y: 0 });
        }
      }
    }
  }

  // With the rows shown, the cards in or near the view that lack their object ports get them.
  drawObjectPorts() {
    if (this.levelOfDetail.compact) {
      return;
    }
    const view = this.cytoscape_obj.extent();
    const lacking = [...this.model.store.cards.values()]
      .filter((record) => !this.objectPortCards.has(record.key) && !this.hidden(record) && this.nearView(record, view));
    if (!lacking.length) {
      return;
    }
    this.cytoscape_obj.batch(() => {
      for (const record of lacking) {
        this.drawCard(record.key);
      }
      this.addNew();
      this.drawMarks();
    });
  }

  // Whether a card's footprint is in the view (its extent) or within half a view of it.
  nearView(record, view = this.cytoscape_obj.extent()) {
    const marginX = view.w / 2;
    const marginY = view.h / 2;
    return record.x + record.cw / 2 > view.x1 - marginX && record.x - record.cw / 2 < view.x2 + marginX
      && record.y + record.ch / 2 > view.y1 - marginY && record.y - record.ch / 2 < view.y2 + marginY;
  }

  // An element with the classes this view adds to what Python sent: the compact face, a search match.
  dress(element) {
    const dressed = this.search.dress(this.levelOfDetail.dress(element));
    if (element.group === 'nodes' && this.linkedPorts.has(element.data.id)) {
      return { ...dressed, classes: `${dressed.classes} linked` };
    }
    return dressed;
  }

  // Whether an element is drawn, or waiting to be added with the others (addNew).
  has(id) {
    return this.adding.has(id) || this.cytoscape_obj.getElementById(id).nonempty();
  }

  // Add an element, or update the drawn one in place (an edge whose ends moved is re-added). New
  // elements wait in this.adding for addNew: one cy.add of thousands costs a fraction of thousands of cy.add.
  drawElement(element) {
    const cy = this.cytoscape_obj;
    const id = element.data.id;
    const text = JSON.stringify(element);
    // Drawn already, unless cytoscape removed it with a node it was in or ended at.
    if (this.drawn.get(id) === text && (this.adding.has(id) || cy.getElementById(id).inside())) {
      return;
    }
    let existing = cy.getElementById(id);
    if (existing.nonempty() && existing.isNode() && !sameEnds(existing, element)) {
      // Into or out of a nested model's frame: moved with what it holds (removed, a compound node takes its children).
      existing.move({ parent: element.data.parent || null });
      existing = cy.getElementById(id);
    }
    if (existing.nonempty() && sameEnds(existing, element)) {
      existing.data(element.data);
      existing.classes(element.classes || '');
      if (element.position && !existing.grabbed()) {
        existing.position(element.position);
      }
    } else {
      if (existing.nonempty()) {
        existing.remove();
      }
      this.adding.set(id, element);
    }
    this.marked.delete(id);
    this.drawn.set(id, text);
  }

  // Add the elements drawElement made, together.
  addNew() {
    if (this.adding.size) {
      this.cytoscape_obj.add([...this.adding.values()]);
      this.adding.clear();
    }
  }

  removeElement(id) {
    const drawn = this.cytoscape_obj.getElementById(id);
    if (drawn.nonempty()) {
      drawn.remove();
    }
    this.adding.delete(id);
    this.drawn.delete(id);
    this.marked.delete(id);
  }

  // The view state Python keeps (selection, the port waiting for its partner, the ports it may
  // connect to) as classes on the drawn elements.
  drawMarks() {
    const cy = this.cytoscape_obj;
    const view = this.model.store.view;
    const wanted = new Map();
    if (view.selected) {
      wanted.set(view.selected.startsWith('edge:') ? view.selected : cardNodeId(view.selected), 'chosen');
    }
    if (view.pending) {
      wanted.set(view.pending, 'pending');
    }
    for (const id of view.compatible || []) {
      wanted.set(id, 'compatible');
    }
    for (const [id, mark] of this.marked) {
      if (wanted.get(id) !== mark) {
        cy.getElementById(id).removeClass(mark);
        this.marked.delete(id);
      }
    }
    for (const [id, mark] of wanted) {
      if (!this.marked.has(id)) {
        cy.getElementById(id).addClass(mark);
        this.marked.set(id, mark);
      }
    }
  }

  showProjector() {
    this.el.classList.toggle('nncards-projector-mode', this.model.get('projector'));
    this.levelOfDetail?.follow();
  }

  // A card selected from elsewhere (a new card, the search box, the summary) is brought into view;
  // one the person clicked on the canvas is in view already.
  showSelected() {
    const selected = this.model.store.view.selected;
    if (selected && selected !== this.shownSelection && !selected.startsWith('edge:')) {
      const card = this.cytoscape_obj.getElementById(cardNodeId(selected));
      const box = card.nonempty() && card.renderedBoundingBox();
      const cy = this.cytoscape_obj;
      if (box && (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height())) {
        this.reveal(selected);
      }
    }
    this.shownSelection = selected;
  }

  // Centre the view on a card, at the zoom it has (on the collapsed model it is in: Python opens it).
  reveal(key) {
    this.followsFit = false;
    const record = this.model.store.cards.get(key);
    const shown = this.hidden(record) ? foldedNodeId(this.collapsedAround(record.frame)) : cardNodeId(key);
    const node = this.cytoscape_obj.getElementById(shown);
    if (node.nonempty()) {
      this.cytoscape_obj.center(node);
    }
  }

  // Select a card, as a click on it does.
  select(key) {
    this.shownSelection = key;
    this.sendEvent({ event: 'tap', id: cardNodeId(key) });
  }

  listenToCanvas() {
    const cy = this.cytoscape_obj;
    cy.on('tap', (event) => {
      this.el.focus();
      this.chooser.cancel();
      this.inline.close();
      const key = event.target === cy ? null : event.target.data('key');
      this.shownSelection = key || null;
      // A nested model's title collapses it; collapsed, a click on it opens it.
      const frame = event.target === cy ? null : event.target.data('frame');
      if (frame && (event.target.hasClass('folded') || onTitle(event.target, event.position))) {
        this.sendEvent({ event: 'collapse', frame, collapsed: !event.target.hasClass('folded') });
        return;
      }
      // A nested model's frame is drawing, not a part of the graph to select: a click there is on the canvas.
      const background = event.target === cy || event.target.hasClass('frame');
      this.sendEvent({ event: 'tap', id: background ? '' : event.target.id() });
      // A click on a parameter's value opens its field, over it.
      if (this.kernelState.live && event.target !== cy && event.target.hasClass('card') && !event.target.hasClass('compact')) {
        const record = this.model.store.cards.get(key);
        const spec = record && this.model.store.spec(record);
        const row = spec ? valueRowAt(event.target, event.position, this.model.store.geometry, spec, record) : -1;
        if (row >= 0) {
          this.inline.open(key, row);
        }
      }
    });
    cy.on('viewport', () => {
      if (this.inline.isOpen) {
        this.inline.place();
      }
    });
    cy.on('scrollzoom dragpan pinchzoom', () => {
      this.followsFit = false;
    });
    // Cytoscape follows its container's size itself. Until the person moves the view, the drawing is
    // fitted to the new size too (the side panel hidden, a wider window).
    cy.on('resize', () => {
      const size = `${cy.width()}x${cy.height()}`;
      if (this.followsFit && this.drawn.size && size !== this.fittedSize) {
        this.fitRecords();
      }
    });
    this.connectDrag.listen(cy);
    // A card is dragged by its face; its ports and note follow, and the new place goes to Python.
    let dragged = null;
    cy.on('grab', 'node.card', (event) => {
      const key = event.target.data('key');
      const parts = [...(this.cardParts.get(key) || [])].filter((id) => id !== event.target.id()).map((id) => cy.getElementById(id));
      dragged = { card: event.target, parts: cy.collection(parts), last: { ...event.target.position() } };
    });
    cy.on('drag', 'node.card', (event) => {
      if (dragged && dragged.card.same(event.target)) {
        const p = event.target.position();
        dragged.parts.shift({ x: p.x - dragged.last.x, y: p.y - dragged.last.y });
        dragged.last = { x: p.x, y: p.y };
      }
    });
    cy.on('free', 'node.card', (event) => {
      dragged = null;
      const p = event.target.position();
      this.sendEvent({ event: 'moved', positions: { [event.target.data('key')]: [p.x, p.y] } });
    });
    cy.on('mousemove', 'node.frame, node.folded', (event) => {
      if (event.target.hasClass('folded')) {
        this.el.title = 'Click to show the cards of this nested model';
      } else {
        this.el.title = onTitle(event.target, event.position) ? 'Click to collapse this nested model into one card, with the shapes it takes and gives' : '';
      }
    });
    cy.on('mousemove', 'node.card, node.port', (event) => {
      const record = this.model.store.cards.get(event.target.data('key'));
      const spec = record && this.model.store.spec(record);
      this.el.title = spec ? helpAt(event.target, event.position, spec, this.model.store.geometry) : '';
    });
    cy.on('mouseout', 'node', () => {
      this.el.title = '';
    });
  }

  onKey(event) {
    if (event.target !== this.el) {
      return; // typed into the search box, a field or the chooser: theirs
    }
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      this.search.focus();
      return;
    }
    const action = keyAction(event);
    if (action === null) {
      return;
    }
    event.preventDefault();
    if (action === 'escape' && this.chooser.isOpen) {
      this.chooser.cancel();
      return;
    }
    this.sendEvent({ event: 'key', action });
  }

  runCommand(command) {
    if (command.command === 'fit') {
      this.followsFit = true;
      this.cytoscape_obj.fit(undefined, FIT_PADDING);
    } else if (command.command === 'field') {
      this.inline.answer(command);
    } else if (command.command === 'offer') {
      this.chooser.open(command);
    }
  }
}

// Whether a place is on a nested model's title, over its frame.
function onTitle(frame, position) {
  return position.y < frame.boundingBox({ includeLabels: false }).y1;
}

// The box around the cards of records: their bodies, or (compact) their footprints.
function extent(records, compact) {
  const w = (r) => (compact ? r.cw : r.w);
  const h = (r) => (compact ? r.ch : r.h);
  return {
    x1: Math.min(...records.map((r) => r.x - w(r) / 2)),
    x2: Math.max(...records.map((r) => r.x + w(r) / 2)),
    y1: Math.min(...records.map((r) => r.y - h(r) / 2)),
    y2: Math.max(...records.map((r) => r.y + h(r) / 2)),
  };
}

// The centre of the cards of records, as drawn.
function centreOf(records) {
  const box = extent(records, false);
  return { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
}

function isObjectPort(element) {
  return element.group === 'nodes' && Boolean(element.classes) && element.classes.split(' ').includes('object');
}

// The ids of the port nodes at either end of a connection (zoomed out, the only object ports drawn).
function linkedPorts(store) {
  const linked = new Set();
  for (const record of store.connections.values()) {
    linked.add(portNodeId(record.source, record.source_port)).add(portNodeId(record.target, record.target_port));
  }
  return linked;
}

function sameEnds(existing, element) {
  if (existing.isEdge()) {
    return existing.data('source') === element.data.source && existing.data('target') === element.data.target;
  }
  return (existing.data('parent') || null) === (element.data.parent || null);
}
