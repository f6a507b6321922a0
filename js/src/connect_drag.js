// Connecting by dragging: press on a port, drag a line, let go on a port to connect them.
//
// A small handler of cytoscape's tap events rather than cytoscape-edgehandles: the ports that
// may connect, and whether a connection is allowed, are Python's to say (it lights them up
// through the view state, as it does for click-then-click), so the drag only needs to draw a
// line and say where it ended. The drag is the click-then-click path with the mouse held down:
// its start is a tap on the first port, its end a tap on the second. Let go on a card, it
// goes to that card's first port Python lit up; let go on empty canvas, Python offers the
// cards that can take the port (chooser below), and the chosen one is added there, connected.
import { cardNodeId } from './card_elements';

// How far (pixels) the mouse must move, pressed on a port, before it is a drag and not a click.
const DRAG_START = 6;
const SVG = 'http://www.w3.org/2000/svg';

export class ConnectDrag {
  // view: the canvas view (its cytoscape object, store, sendEvent and chooser).
  constructor(view, parent) {
    this.view = view;
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'nncards-drag-line');
    this.line = document.createElementNS(SVG, 'line');
    this.svg.appendChild(this.line);
    parent.appendChild(this.svg);
    this.start = null;
  }

  listen(cy) {
    cy.on('tapstart', 'node.port', (event) => {
      const p = event.target.renderedPosition();
      this.start = { id: event.target.id(), x: p.x, y: p.y, dragging: false };
      // Pressed on a port, the mouse draws a line: it must not pan the canvas.
      cy.userPanningEnabled(false);
    });
    cy.on('tapdrag', (event) => this.move(event));
    cy.on('tapend', (event) => this.end(event));
  }

  move(event) {
    const start = this.start;
    if (!start) {
      return;
    }
    const to = event.renderedPosition;
    if (!start.dragging) {
      if (Math.hypot(to.x - start.x, to.y - start.y) < DRAG_START) {
        return;
      }
      start.dragging = true;
      this.view.el.dataset.dragging = start.id;
      // As a click on the first port: Python marks it pending and lights up the ports it fits. The card
      // it selects is the one the person pressed on: the view must not jump to it mid-drag (showSelected).
      if (this.view.model.store.view.pending !== start.id) {
        this.view.shownSelection = this.view.cytoscape_obj.getElementById(start.id).data('key');
        this.view.sendEvent({ event: 'tap', id: start.id });
      }
      this.svg.classList.add('shown');
    }
    const colour = this.view.cytoscape_obj.getElementById(start.id).data('colour') || '#ffffff';
    Object.entries({ x1: start.x, y1: start.y, x2: to.x, y2: to.y, stroke: colour }).forEach(([name, value]) =>
      this.line.setAttribute(name, String(value)));
  }

  end(event) {
    const start = this.start;
    this.start = null;
    const cy = this.view.cytoscape_obj;
    cy.userPanningEnabled(true);
    if (!start || !start.dragging) {
      return;
    }
    this.svg.classList.remove('shown');
    delete this.view.el.dataset.dragging;
    const target = this.dropTarget(event.position, start.id);
    if (target) {
      this.view.sendEvent({ event: 'tap', id: target });
    } else if (this.under(event.position).empty()) {
      const p = event.position;
      this.view.sendEvent({ event: 'drop', port: start.id, position: [p.x, p.y] });
    } else {
      // Let go on a card none of whose ports fit: that card is selected, as a click on it does.
      this.view.sendEvent({ event: 'tap', id: cardNodeId(this.under(event.position).first().data('key')) });
    }
  }

  // The nodes under a model position.
  under(position) {
    return this.view.cytoscape_obj.nodes('node.card, node.port').filter((node) => {
      const box = node.boundingBox();
      return position.x >= box.x1 && position.x <= box.x2 && position.y >= box.y1 && position.y <= box.y2;
    });
  }

  // The port the line was let go on: a port under the mouse, else the first lit port of the card under it.
  dropTarget(position, startId) {
    const nodes = this.under(position);
    const port = nodes.filter((node) => node.hasClass('port') && node.id() !== startId);
    if (port.nonempty()) {
      return port.first().id();
    }
    if (nodes.empty()) {
      return null;
    }
    const key = nodes.first().data('key');
    const lit = (this.view.model.store.view.compatible || []).find((id) => id.startsWith(`port:${key}:`));
    return lit || null;
  }
}

// The cards Python offers for a connection let go on empty canvas: a list at that place, with a
// box that narrows it. Choosing one adds it there, connected; Escape or a click elsewhere closes it.
export class CardChooser {
  constructor(view, parent) {
    this.view = view;
    this.parent = parent;
    this.box = null;
  }

  get isOpen() {
    return this.box !== null;
  }

  open(offer) {
    this.close();
    const cy = this.view.cytoscape_obj;
    const [x, y] = offer.position;
    this.offer = offer;
    this.box = document.createElement('div');
    this.box.className = 'nncards-chooser';
    this.box.style.left = `${x * cy.zoom() + cy.pan().x}px`;
    this.box.style.top = `${y * cy.zoom() + cy.pan().y}px`;
    this.input = document.createElement('input');
    this.input.type = 'search';
    this.input.placeholder = 'Add a card here: type to narrow';
    this.input.setAttribute('aria-label', 'Card to add and connect');
    this.list = document.createElement('div');
    this.list.className = 'nncards-chooser-list';
    this.box.append(this.input, this.list);
    this.parent.appendChild(this.box);
    this.input.addEventListener('input', () => this.fill());
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.fill();
    this.input.focus();
  }

  fill() {
    const words = this.input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = this.offer.cards.filter(([id, title]) => words.every((word) => `${id} ${title}`.toLowerCase().includes(word)));
    this.list.replaceChildren(...shown.map(([id, title]) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = title;
      button.dataset.card = id;
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', () => this.choose(id));
      return button;
    }));
  }

  choose(cardId) {
    const { port, position } = this.offer;
    this.close();
    this.view.sendEvent({ event: 'add_at', card: cardId, port, position });
    this.view.el.focus();
  }

  onKey(event) {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      this.cancel();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const first = this.list.querySelector('button');
      if (first) {
        this.choose(first.dataset.card);
      }
    }
  }

  // Closed without a choice: the port stops waiting for its partner.
  cancel() {
    if (this.isOpen) {
      this.close();
      this.view.sendEvent({ event: 'key', action: 'escape' });
      this.view.el.focus();
    }
  }

  close() {
    if (this.box) {
      const box = this.box;
      this.box = null;
      box.remove();
    }
  }
}
