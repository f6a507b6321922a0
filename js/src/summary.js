// The Summary tab: every layer card with its output shape and parameter count, like
// keras.Model.summary(), drawn here from the records the canvas model already holds,
// so an edit sends nothing more for it. Python adds only the facts about the model
// (whether there is one, and why not); a click on a row selects that card.
import { DOMWidgetModel, DOMWidgetView, unpack_models } from '@jupyter-widgets/base';
import { MODULE_NAME, MODULE_VERSION } from './version';
import { escapeMarkup, shortType } from './text';
import './summary.css';

const LISTED_KINDS = new Set(['input', 'layer']);

export class CardSummaryModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      _model_name: 'CardSummaryModel',
      _model_module: MODULE_NAME,
      _model_module_version: MODULE_VERSION,
      _view_name: 'CardSummaryView',
      _view_module: MODULE_NAME,
      _view_module_version: MODULE_VERSION,
      canvas: null,
      facts: {},
    };
  }
}

CardSummaryModel.serializers = { ...DOMWidgetModel.serializers, canvas: { deserialize: unpack_models } };

export class CardSummaryView extends DOMWidgetView {
  render() {
    this.el.classList.add('nncards-summary');
    const canvas = this.model.get('canvas');
    this.listenTo(canvas, 'records', this.scheduleDraw);
    this.listenTo(this.model, 'change:facts', this.scheduleDraw);
    this.el.addEventListener('click', (event) => {
      const row = event.target.closest('tr[data-key]');
      if (row) {
        canvas.sendEvent({ event: 'tap', id: `card:${row.dataset.key}` });
        // Centred now, in every view of the canvas; selected once Python has it.
        canvas.trigger('reveal', row.dataset.key);
      }
    });
    // Hidden in a closed tab, the table is drawn when it is shown.
    this.visibility = new ResizeObserver(() => {
      if (this.stale && this.el.offsetParent !== null) {
        this.draw();
      }
    });
    this.visibility.observe(this.el);
    this.scheduleDraw();
  }

  remove() {
    this.visibility.disconnect();
    super.remove();
  }

  scheduleDraw() {
    this.stale = true;
    if (!this.pending) {
      this.pending = requestAnimationFrame(() => {
        this.pending = null;
        if (this.el.offsetParent !== null) {
          this.draw();
        }
      });
    }
  }

  draw() {
    this.stale = false;
    const store = this.model.get('canvas').store;
    const facts = this.model.get('facts') || {};
    let total = 0;
    let trainable = 0;
    const rows = [];
    for (const record of topologicalOrder(store)) {
      const spec = store.spec(record);
      if (!LISTED_KINDS.has(spec.kind)) {
        continue;
      }
      total += record.param_count || 0;
      trainable += record.trainable_count || 0;
      const shapes = Object.values(record.outputs).join(', ') || '-';
      const shown = record.error ? `<span class="nncards-summary-error">⚠ ${escapeMarkup(record.error)}</span>` : escapeMarkup(shapes);
      rows.push(
        `<tr data-key="${escapeMarkup(record.key)}"><td><code>${escapeMarkup(record.key)}</code></td><td title="${escapeMarkup(spec.title)}">${escapeMarkup(shortType(spec))}</td>` +
          `<td>${shown}</td><td class="nncards-number">${(record.param_count || 0).toLocaleString('en-US')}</td></tr>`,
      );
    }
    this.el.innerHTML =
      '<table><thead><tr><th>Card</th><th>Type</th><th>Output shape</th><th>Parameters</th></tr></thead>' +
      `<tbody>${rows.join('')}</tbody>` +
      `<tfoot><tr><td colspan="3"><b>Cards total</b></td><td class="nncards-number"><b>${total.toLocaleString('en-US')}</b></td></tr></tfoot></table>` +
      `<div class="nncards-summary-model">${modelLine(store, facts, total, trainable)}</div>`;
  }
}

function modelLine(store, facts, total, trainable) {
  const why = facts.why_no_model ? escapeMarkup(facts.why_no_model) : null;
  const problems = facts.error_count ? ` <span class="nncards-summary-error">${facts.error_count} card(s) with errors</span>` : '';
  if (!facts.has_model) {
    return (why ? `<i>No model yet: ${why}.</i>` : '<i>No model yet: connect an Input through to an Output card.</i>') + problems;
  }
  const ends = (kind) => [...store.cards.values()].filter((record) => store.spec(record).kind === kind);
  const inputs = ends('input').map((record) => `${escapeMarkup(record.values.name || record.key)} ${record.outputs.data || ''}`);
  const outputs = ends('output').map((record) => record.outputs.data || '-');
  let line = `Model inputs: ${inputs.join(', ')} &rarr; outputs: ${outputs.join(', ')}<br>` +
    `Total parameters: <b>${total.toLocaleString('en-US')}</b> (trainable ${trainable.toLocaleString('en-US')})`;
  if (why) {
    line += `<br><i>This is the last model the graph made; as it is now, it makes none: ${why}.</i>`;
  }
  return line + problems;
}

// Cards after every card feeding them; among cards that are ready together, in the order they were added.
function topologicalOrder(store) {
  const waiting = new Map([...store.cards.keys()].map((key) => [key, 0]));
  const next = new Map();
  for (const connection of store.connections.values()) {
    waiting.set(connection.target, (waiting.get(connection.target) || 0) + 1);
    if (!next.has(connection.source)) {
      next.set(connection.source, []);
    }
    next.get(connection.source).push(connection.target);
  }
  const ready = [...store.cards.keys()].filter((key) => waiting.get(key) === 0);
  const order = [];
  for (let index = 0; index < ready.length; index += 1) {
    const key = ready[index];
    order.push(store.cards.get(key));
    for (const target of next.get(key) || []) {
      waiting.set(target, waiting.get(target) - 1);
      if (waiting.get(target) === 0) {
        ready.push(target);
      }
    }
  }
  return order;
}

