// HTML escaping for the console's pages: every string that reaches a page goes through here.

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and SVG element content and for quoted attribute values. Set names come
 * from code, but keys, notes and people's names do not: the console escapes every one.
 * @example escapeHtml('<b>"cheap"</b>') // '&lt;b&gt;&quot;cheap&quot;&lt;/b&gt;'
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}
