// Texts shown for cards: markup escaped, a card type's short name, a shape in brief.

// Text put into HTML or SVG markup, with its markup characters escaped.
export function escapeMarkup(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// The card's type in a word, as Keras names it: layer_Conv2D -> Conv2D, mergeLayer2_Add -> Add, input -> Input.
export function shortType(spec) {
  const name = spec.id.includes('_') ? spec.id.slice(spec.id.indexOf('_') + 1) : spec.id;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// "(None, 14, 14, 384)" -> "14×14×384": the shape without its batch axis.
export function compactShape(shape) {
  const sizes = shape.replace(/[()]/g, '').split(',').map((size) => size.trim()).filter((size) => size !== '');
  return (sizes[0] === 'None' ? sizes.slice(1) : sizes).join('×');
}
