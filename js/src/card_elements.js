// A card record, drawn: the cytoscape elements of one card or connection.
//
// A card is one node, a white frame whose SVG image draws the title and one row per input
// port as in Protopipe (a circle coloured by type, a double ring for lists, the port's text
// and value), and a small node over the circle of each port that takes or gives a
// connection. Tensor outputs are labelled with their shape; a card's error (or why it has no
// output yet) is the label of a note node under it. A card is not a compound node holding
// its parts: cytoscape styles and draws compound nodes about three times slower (DenseNet201's
// first draw: 1.5-2 s, against 0.55 s), so its ports and note are moved with it as it is dragged
// (canvas.js). A connection is an edge between two port nodes. The cards of a nested
// model are drawn in its frame, a compound node holding them (and the frames it holds); a
// collapsed nested model is one node instead, which the connections crossing its frame end at.
import { escapeMarkup } from './text';
import { compactFace } from './level_of_detail';

export function cardNodeId(key) {
  return `card:${key}`;
}

export function noteNodeId(key) {
  return `note:${key}`;
}

export function frameNodeId(name) {
  return `frame:${name}`;
}

export function foldedNodeId(name) {
  return `folded:${name}`;
}

export function portNodeId(key, port) {
  return `port:${key}:${port}`;
}

export function portHelp(port) {
  return `${port.text} (${port.type}): ${port.help}`;
}


function circle(x, y, port, colours) {
  const colour = colours[port.type];
  const ring = (cx) => `<circle cx="${cx}" cy="${y}" r="6" fill="white" stroke="${colour}" stroke-width="1.6"/>`;
  return (port.list ? ring(x - 2.5) : '') + ring(x);
}

export function faceSvg(record, spec, geometry, colours) {
  const g = geometry;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${record.w}" height="${record.h}" ` +
      `font-family="Roboto, Helvetica, Arial, sans-serif" font-size="${g.font_size}">`,
    `<text x="4" y="${g.title_height - 11}" font-size="${g.title_font_size}" fill="#212121">${escapeMarkup(spec.title)}` +
      `<tspan dx="${g.key_gap}" font-size="${g.key_font_size}" font-weight="600" fill="#1565c0">${escapeMarkup(record.key)}</tspan></text>`,
  ];
  spec.inputs.forEach((port, row) => {
    const y = g.title_height + row * g.row_height + g.row_height / 2;
    if (port.scalar) {
      parts.push(circle(g.port_size / 2 + 2, y, port, colours));
    }
    let text = `<text x="${g.left_text}" y="${y + 4}" fill="#212121">${escapeMarkup(port.text)}`;
    const value = record.rows[row];
    if (value) {
      text += `<tspan dx="8" fill="#37474f" font-weight="500">${escapeMarkup(value)}</tspan>`;
    }
    parts.push(`${text}</text>`);
  });
  if (record.count_text) {
    parts.push(`<text x="${record.w - 6}" y="${g.title_height - 11}" text-anchor="end" font-size="${g.count_font_size}" ` +
      `fill="#546e7a">${escapeMarkup(record.count_text)}</text>`);
  }
  if (record.trace && record.trace.length > 1) {
    // Left of the parameter count, which keeps the title's right end.
    parts.push(traceSvg(record.trace, record.w - (record.count_text ? record.count_text.length * 6 + 8 : 0), g));
  }
  parts.push('</svg>');
  return `data:image/svg+xml;utf8,${encodeURIComponent(parts.join(''))}`;
}

// A small curve at the right of the title (a layer's weight norm while it trains), scaled to its own range.
function traceSvg(values, width, geometry) {
  const right = width - 6;
  const w = 70;
  const h = geometry.title_height - 12;
  const low = Math.min(...values);
  const span = Math.max(...values) - low || 1;
  const points = values.map((value, index) => {
    const x = right - w + (index / (values.length - 1)) * w;
    const y = 6 + h - ((value - low) / span) * h;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return `<polyline points="${points.join(' ')}" fill="none" stroke="#fb8c00" stroke-width="1.5"/>`;
}

function outputLabel(record, port) {
  const shape = record.outputs[port.name];
  return shape === undefined ? port.text : `${port.text} ${shape}`;
}

function noteLabel(record) {
  return record.error ? `⚠ ${record.error}` : `… ${record.note}`;
}

// A card's elements as drawn with its rows, or, if `compact`, with its compact face: then its
// ports are on the edges of its footprint, larger than its body on a small card, and its note under it.
export function cardElements(record, spec, geometry, colours, compact) {
  const g = geometry;
  const state = record.error ? 'error' : record.note ? 'waiting' : null;
  const inFrame = record.frame ? { parent: frameNodeId(record.frame) } : {};
  const face = compactFace(record, spec);
  const grown = compact ? { x: (record.cw - record.w) / 2, y: (record.ch - record.h) / 2 } : { x: 0, y: 0 };
  const elements = [
    {
      group: 'nodes',
      data: {
        id: cardNodeId(record.key), key: record.key, card: spec.id, help: spec.help, image: faceSvg(record, spec, g, colours),
        width: record.w, height: record.h, compact_width: record.cw, compact_height: record.ch,
        compact: face.text, compact_font: face.font, ...inFrame,
      },
      position: { x: record.x, y: record.y },
      classes: ['card', spec.kind, ...(state ? [state] : [])].join(' '),
    },
  ];
  if (state) {
    elements.push({
      group: 'nodes',
      data: { id: noteNodeId(record.key), key: record.key, label: noteLabel(record), ...inFrame },
      position: { x: record.x, y: record.y + record.h / 2 + grown.y + g.card_padding },
      classes: `note ${state}`,
      selectable: false,
      grabbable: false,
    });
  }
  const top = record.y - record.h / 2 + g.title_height;
  const portNode = (port, direction, x, y, label) => ({
    group: 'nodes',
    data: {
      id: portNodeId(record.key, port.name), key: record.key, port: port.name,
      type: port.type, direction, label, colour: colours[port.type], help: portHelp(port), ...inFrame,
    },
    position: { x, y },
    classes: `port ${direction}${port.list ? ' list' : ''}${port.tensor ? '' : ' object'}`,
    // A card is dragged by its face; pressed on a port, the mouse draws a connection.
    grabbable: false,
  });
  spec.inputs.forEach((input, row) => {
    if (!input.scalar) {
      const y = top + (row + 0.5) * g.row_height;
      elements.push(portNode(input, 'in', record.x - record.w / 2 - grown.x + g.port_size / 2 + 2, y, ''));
    }
  });
  const rows = Math.max(spec.inputs.length, spec.outputs.length);
  const firstOutputRow = rows - spec.outputs.length;
  spec.outputs.forEach((output, offset) => {
    const y = top + (firstOutputRow + offset + 0.5) * g.row_height;
    elements.push(portNode(output, 'out', record.x + record.w / 2 + grown.x - g.port_size / 2 - 2, y, outputLabel(record, output)));
  });
  return elements;
}

// A nested model: a labelled frame around its cards and the frames it holds; a click on its title collapses it.
export function frameElement(name, frame) {
  return {
    group: 'nodes',
    data: { id: frameNodeId(name), frame: name, label: `▾ ${frame.label}`, ...(frame.parent ? { parent: frameNodeId(frame.parent) } : {}) },
    classes: 'frame',
    selectable: false,
    grabbable: false,
  };
}

// The font size of node.folded in nncards_widget/widget/style.py: the node is sized to its text.
const FOLDED_FONT = 30;

// A nested model collapsed to one card, where its cards were (`centre`): its title and the shapes it takes and gives.
export function foldedElement(name, frame, centre) {
  const shapes = (list) => (list.length ? list.join(', ') : '—');
  const lines = [`▸ ${frame.label}`, `in ${shapes(frame.inputs)}`, `out ${shapes(frame.outputs)}`];
  const longest = Math.max(...lines.map((line) => line.length));
  return {
    group: 'nodes',
    data: {
      id: foldedNodeId(name), frame: name, label: lines.join('\n'),
      width: Math.round(longest * FOLDED_FONT * 0.6 + 40), height: Math.round(lines.length * FOLDED_FONT * 1.3 + 30),
      ...(frame.parent ? { parent: frameNodeId(frame.parent) } : {}),
    },
    position: centre,
    classes: 'folded',
    selectable: false,
    grabbable: false,
  };
}

export function connectionElement(record, colours) {
  return {
    group: 'edges',
    data: {
      id: record.id,
      source: portNodeId(record.source, record.source_port),
      target: portNodeId(record.target, record.target_port),
      colour: colours[record.type],
    },
    classes: 'connection',
  };
}

// The help text under the mouse: a port's, a card row's, or the card's.
export function helpAt(node, position, spec, geometry) {
  if (!node.hasClass('card')) {
    return node.data('help') || '';
  }
  if (node.hasClass('compact')) {
    return spec.help || '';
  }
  const top = node.position().y - node.data('height') / 2 + geometry.title_height;
  const row = Math.floor((position.y - top) / geometry.row_height);
  return row >= 0 && row < spec.inputs.length ? portHelp(spec.inputs[row]) : spec.help || '';
}
