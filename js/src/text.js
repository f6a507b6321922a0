// Text put into HTML or SVG markup, with its markup characters escaped.
export function escapeMarkup(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
