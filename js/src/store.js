// The records Python sent about one graph, kept on the canvas model and shared by its views.
//
// Python (nncards_widget/widget/canvas_sync.py) sends a reset holding every record, then
// messages holding only what changed; each names the message it follows. A message that
// does not follow the last one applied is refused, and the model asks for a reset.

export class CanvasStore {
  constructor() {
    this.revision = null;
    this.geometry = null;
    this.colours = {};
    this.specs = new Map();
    this.cards = new Map();
    this.connections = new Map();
    // The nested models' frames, by name: { label, parent, inputs, outputs } (sent whole when they change).
    this.frames = {};
    this.view = { selected: null, pending: null, compatible: [], collapsed: [] };
  }

  get ready() {
    return this.revision !== null;
  }

  // Applies a message; returns what it changed ({ reset, cards, connections, frames, view }),
  // or null if it does not follow the last message applied.
  apply(message) {
    const reset = message.base === null;
    if (!reset && message.base !== this.revision) {
      return null;
    }
    if (reset) {
      this.geometry = message.geometry;
      this.colours = message.colours;
      this.specs.clear();
      this.cards.clear();
      this.connections.clear();
      this.frames = {};
    }
    const frames = Boolean(message.frames);
    if (frames) {
      this.frames = message.frames;
    }
    for (const [id, spec] of Object.entries(message.specs || {})) {
      this.specs.set(id, spec);
    }
    const cards = applyRecords(this.cards, message.cards || {});
    const connections = applyRecords(this.connections, message.connections || {});
    if (message.view) {
      this.view = message.view;
    }
    this.revision = message.revision;
    return { reset, cards, connections, frames, view: Boolean(message.view) };
  }

  spec(record) {
    return this.specs.get(record.card);
  }
}

function applyRecords(map, records) {
  const changed = [];
  for (const [id, record] of Object.entries(records)) {
    if (record === null) {
      map.delete(id);
    } else {
      map.set(id, record);
    }
    changed.push(id);
  }
  return changed;
}
