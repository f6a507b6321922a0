// Editing a value on the card itself: a click on a parameter's row opens a field over it, of
// the port's kind (a text box for numbers, lists "5, 5" and texts, a list of choices, a
// checkbox). Enter or leaving the field sends the value to Python, which validates it as it
// validates any edit (the card's trait) and answers; Escape closes the field unchanged.
// A refused value stays in the field with Python's message under it, until it is corrected
// or the field is closed: nothing goes back silently.
import { cardNodeId } from './card_elements';

// The parameter row whose value is at a model position on a card's face, or -1: the value is
// where a row's text ends (estimated at the width the face was measured with, card_face.py)
// and a little past it; a click elsewhere on the card selects it, and a drag moves it.
export function valueRowAt(card, position, geometry, spec, record) {
  const g = geometry;
  const top = card.position('y') - card.data('height') / 2 + g.title_height;
  const row = Math.floor((position.y - top) / g.row_height);
  const port = row >= 0 && row < spec.inputs.length ? spec.inputs[row] : null;
  if (!port || !port.scalar) {
    return -1;
  }
  const left = card.position('x') - card.data('width') / 2 + g.left_text;
  const start = left + port.text.length * g.char_width;
  const end = start + 8 + Math.max(record.rows[row].length, 3) * g.char_width + 12;
  return position.x >= start && position.x <= end ? row : -1;
}

// A card value as its field shows it: (5, 5) -> "5, 5", None -> "".
function fieldText(value) {
  if (value === null || value === undefined) {
    return '';
  }
  return Array.isArray(value) ? value.map((item) => (item === null ? 'None' : String(item))).join(', ') : String(value);
}

export class InlineEditor {
  // view: the canvas view (its cytoscape object, store and sendEvent).
  constructor(view, parent) {
    this.view = view;
    this.parent = parent;
    this.box = null;
  }

  get isOpen() {
    return this.box !== null;
  }

  // Open the field of a card's parameter row.
  open(key, row) {
    this.close();
    const store = this.view.model.store;
    const record = store.cards.get(key);
    const spec = record && store.spec(record);
    const port = spec && spec.inputs[row];
    if (!port || !port.scalar) {
      return false;
    }
    this.key = key;
    this.row = row;
    this.refused = undefined;
    this.port = port;
    this.box = document.createElement('div');
    this.box.className = 'nncards-inline';
    this.box.dataset.card = key;
    this.box.dataset.port = port.name;
    this.control = this.makeControl(port, record.values[port.name]);
    this.message = document.createElement('div');
    this.message.className = 'nncards-inline-refused';
    this.box.append(this.control, this.message);
    // Keys typed here are for the field: not the canvas's shortcuts, nor the notebook's.
    this.box.addEventListener('keydown', (event) => this.onKey(event));
    this.parent.appendChild(this.box);
    this.place();
    this.control.focus();
    if (this.control.select) {
      this.control.select();
    }
    return true;
  }

  makeControl(port, value) {
    if (port.choices) {
      const select = document.createElement('select');
      port.choices.forEach(([choice, label], index) => {
        const option = new Option(label, String(index), false, choice === value);
        select.add(option);
      });
      select.addEventListener('change', () => this.commit());
      select.addEventListener('blur', () => this.commit());
      return select;
    }
    const input = document.createElement('input');
    if (port.type === 'Boolean') {
      input.type = 'checkbox';
      input.checked = Boolean(value);
      input.addEventListener('change', () => this.commit());
      return input;
    }
    input.type = 'text';
    input.value = fieldText(value);
    input.placeholder = port.optional ? 'empty: unset' : '';
    input.setAttribute('aria-label', port.text);
    input.addEventListener('blur', () => this.commit());
    return input;
  }

  // The value the control holds, as Python reads it: text for numbers and texts, a choice's value, a boolean.
  value() {
    if (this.port.choices) {
      return this.port.choices[Number(this.control.value)][0];
    }
    return this.port.type === 'Boolean' ? this.control.checked : this.control.value;
  }

  // Over the row's value, at the zoom the canvas has.
  place() {
    const cy = this.view.cytoscape_obj;
    const card = cy.getElementById(cardNodeId(this.key));
    if (card.empty()) {
      this.close();
      return;
    }
    const g = this.view.model.store.geometry;
    const zoom = cy.zoom();
    const pan = cy.pan();
    const left = card.position('x') - card.data('width') / 2 + g.left_text;
    const top = card.position('y') - card.data('height') / 2 + g.title_height + this.row * g.row_height;
    Object.assign(this.box.style, {
      left: `${left * zoom + pan.x}px`,
      top: `${top * zoom + pan.y}px`,
      minWidth: `${Math.max(90, (card.data('width') - g.left_text - 6) * zoom)}px`,
      fontSize: `${Math.max(12, g.font_size * zoom)}px`,
    });
  }

  commit() {
    if (!this.isOpen || this.sending) {
      return;
    }
    const value = this.value();
    if (value === this.refused) {
      return; // the message for it is shown already
    }
    this.sending = true;
    this.sent = value;
    this.view.sendEvent({ event: 'set', card: this.key, port: this.port.name, value });
  }

  // Python's answer to the value sent: close on success; else keep the field open with the message.
  answer(command) {
    if (!this.isOpen || command.card !== this.key || command.port !== this.port.name) {
      return;
    }
    this.sending = false;
    if (command.ok) {
      this.close();
      this.view.el.focus();
      return;
    }
    this.refused = this.sent;
    this.box.classList.add('refused');
    this.message.textContent = `⚠ ${command.message}`;
    this.control.focus();
  }

  onKey(event) {
    event.stopPropagation();
    if (event.key === 'Enter') {
      event.preventDefault();
      this.sending = false;
      this.commit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
      this.view.el.focus();
    }
  }

  close() {
    if (this.box) {
      const box = this.box;
      this.box = null;
      this.sending = false;
      box.remove();
    }
  }
}
