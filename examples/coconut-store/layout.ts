// The coconut store's HTML page shell (inline CSS, no external assets) and HTML escaping.
import { escapeHtml } from 'tracks-ab/console';

/** A link in the page header. */
export interface NavLink {
  href: string;
  label: string;
}

/** The header links every store page shows unless told otherwise. */
export const DEFAULT_NAV: readonly NavLink[] = [
  { href: '/catalog', label: 'Catalog' },
  { href: '/results', label: 'Results' },
];

// The console's escaping, the one the library's pages use.
export { escapeHtml };

// One small stylesheet, inlined so the pages need no other request (and no CDN or web font).
const STYLE = `
  :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #1a7f37;
          --bad: #cf222e; --warn-bg: #fff8c5; --warn-line: #d4a72c; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
  header { display: flex; gap: 1.5rem; align-items: baseline; padding: 0.75rem 1.5rem; border-bottom: 1px solid var(--line); }
  header strong { font-size: 1.1rem; }
  header a { color: var(--ink); }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
  h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
  h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.75rem 0; font-size: 0.95rem; }
  th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .muted { color: var(--muted); font-size: 0.85rem; }
  .summary { font-size: 1.1rem; margin: 0.25rem 0 0.75rem; }
  .better { color: var(--accent); font-weight: 600; }
  .worse { color: var(--bad); font-weight: 600; }
  .warning { background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; padding: 0.75rem 1rem; margin: 0.75rem 0; }
  .note { border-left: 4px solid var(--line); padding: 0.25rem 1rem; margin: 1rem 0; }
  svg { max-width: 100%; height: auto; display: block; margin: 0.5rem 0 1rem; }
  h3 { font-size: 1rem; margin: 1.25rem 0 0.25rem; color: var(--muted); font-weight: 600; }
  .multiples { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
  .multiples svg { margin: 0.25rem 0; }
`;

/**
 * Wraps a page body in the store's HTML document: doctype, charset, viewport, the inline
 * stylesheet, a header with links, and `title` as the page's `<h1>`. `title` is escaped; `body`
 * is trusted HTML, so escape every value in it with {@link escapeHtml}.
 * @example
 * res.type('html').send(layout('Catalog', `<p>${escapeHtml(coconut.name)}</p>`));
 */
export function layout(title: string, body: string, nav: readonly NavLink[] = DEFAULT_NAV): string {
  const links = nav.map((link) => `<a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Coconut store</title>
  <style>${STYLE}</style>
</head>
<body>
  <header>
    <strong>🥥 Coconut store</strong>
    ${links}
  </header>
  <main>
    <h1>${escapeHtml(title)}</h1>
${body}
  </main>
</body>
</html>
`;
}
