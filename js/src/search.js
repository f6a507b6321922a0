// Find a card: a box over the canvas (Ctrl/Cmd+F on the canvas puts the cursor in it) that
// finds cards by name, type or output shape ("block_5", "Conv2D", "14, 14" or "14×14"),
// in the graph's order. Typing jumps to the first match; Enter and Shift+Enter go to the next
// and previous one. Each match is centred at once, here, and selected through Python, as a
// click would select it. Every match is outlined.
import { compactShape, shortType } from './text';
import { cardNodeId } from './card_elements';

// The texts a card is found by, lower case.
function searchText(record, spec) {
  const shapes = Object.values(record.outputs);
  const compact = shapes.map(compactShape);
  return [record.key, spec.title, shortType(spec), ...shapes, ...compact, ...compact.map((shape) => shape.replace(/×/g, 'x'))]
    .join('\n')
    .toLowerCase();
}

export class CardSearch {
  // view: the canvas view (its store, its cytoscape object, reveal(key) and select(key)).
  constructor(view, parent) {
    this.view = view;
    this.matches = [];
    this.matched = new Set();
    this.current = -1;
    this.box = document.createElement('div');
    this.box.className = 'nncards-search';
    this.input = document.createElement('input');
    this.input.type = 'search';
    this.input.placeholder = 'Find a card: name, type or shape';
    this.input.setAttribute('aria-label', 'Find a card by name, type or shape');
    this.count = document.createElement('span');
    this.count.className = 'nncards-search-count';
    this.box.append(this.input, this.count);
    parent.appendChild(this.box);
    this.input.addEventListener('input', () => this.find());
    this.input.addEventListener('keydown', (event) => this.onKey(event));
  }

  focus() {
    this.input.focus();
    this.input.select();
  }

  onKey(event) {
    // Keys typed here are for the box: not the canvas's Delete, nor the notebook's shortcuts.
    event.stopPropagation();
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      this.input.select();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.step(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.input.value = '';
      this.find();
      this.view.el.focus();
    }
  }

  find() {
    const started = performance.now();
    const query = this.input.value.trim().toLowerCase();
    const store = this.view.model.store;
    this.matches = query
      ? [...store.cards.values()].filter((record) => searchText(record, store.spec(record)).includes(query)).map((r) => r.key)
      : [];
    this.matched = new Set(this.matches);
    this.outline();
    this.current = -1;
    if (this.matches.length) {
      this.step(1, started);
    } else {
      this.showCount();
    }
  }

  step(direction, started = performance.now()) {
    if (!this.matches.length) {
      return;
    }
    this.current = (this.current + direction + this.matches.length) % this.matches.length;
    const key = this.matches[this.current];
    this.view.reveal(key);
    this.view.select(key);
    // From the key press to the match centred (read by the browser tests).
    this.view.el.dataset.searchMs = String(Math.round(performance.now() - started));
    this.showCount();
  }

  showCount() {
    const query = this.input.value.trim();
    this.count.textContent = !query ? '' : this.matches.length ? `${this.current + 1} / ${this.matches.length}` : 'no card';
  }

  outline() {
    const cy = this.view.cytoscape_obj;
    cy.batch(() => {
      cy.nodes('node.card.match').removeClass('match');
      for (const key of this.matches) {
        cy.getElementById(cardNodeId(key)).addClass('match');
      }
    });
  }

  // The classes a card's frame is drawn with while it matches.
  dress(element) {
    if (this.matched.has(element.data.key) && element.data.id === cardNodeId(element.data.key)) {
      return { ...element, classes: `${element.classes} match` };
    }
    return element;
  }
}
