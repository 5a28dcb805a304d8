// The console's HTML document: doctype, viewport, one inline stylesheet (responsive, no web font), a header, no script.
import { escapeHtml } from './escape.js';

// One small stylesheet inlined, so a page needs no other request, no CDN and no build. Tables
// scroll sideways inside their own box on a phone; the charts scale to the width.
const STYLE = `
  :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #1a7f37;
          --bad: #cf222e; --warn-bg: #fff8c5; --warn-line: #d4a72c; --soft: #f6f8fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
  header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; padding: 0.75rem 1rem; border-bottom: 1px solid var(--line); }
  header strong { font-size: 1.1rem; }
  header a { color: var(--ink); }
  main { max-width: 62rem; margin: 0 auto; padding: 0.5rem 1rem 3rem; }
  h1 { font-size: 1.5rem; margin: 0.5rem 0 0.75rem; }
  h2 { font-size: 1.3rem; margin: 2.25rem 0 0.5rem; padding-top: 0.75rem; border-top: 2px solid var(--line); }
  h3 { font-size: 1.1rem; margin: 1.5rem 0 0.25rem; }
  h4 { font-size: 0.95rem; margin: 1.1rem 0 0.25rem; color: var(--muted); font-weight: 600; }
  .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.92rem; }
  th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { font-weight: 600; white-space: nowrap; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .muted { color: var(--muted); font-size: 0.85rem; }
  .summary { font-size: 1.05rem; margin: 0.25rem 0 0.75rem; }
  .better { color: var(--accent); font-weight: 600; }
  .worse { color: var(--bad); font-weight: 600; }
  .warning { background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
  .warning p { margin: 0; }
  .note { border-left: 4px solid var(--line); padding: 0.25rem 1rem; margin: 1rem 0; }
  .badge { display: inline-block; border-radius: 999px; padding: 0.05rem 0.6rem; font-size: 0.85rem; font-weight: 600; border: 1px solid var(--line); background: var(--soft); }
  .badge.running { background: #dafbe1; border-color: #4ac26b; }
  .badge.disabled { background: #ffebe9; border-color: #ff8182; }
  .badge.concluded { background: #ddf4ff; border-color: #54aeff; }
  svg { max-width: 100%; height: auto; display: block; margin: 0.5rem 0 1rem; }
  .multiples { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
  .multiples svg { margin: 0.25rem 0; max-width: 48%; }
  form.controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0; padding: 0.6rem; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
  form.controls label { display: flex; flex-direction: column; font-size: 0.8rem; color: var(--muted); }
  form.controls input, form.controls select, form.controls button { font: inherit; font-size: 0.95rem; padding: 0.3rem 0.5rem; min-height: 2.2rem; }
  form.controls input[type=text], form.controls input[type=password] { width: 9rem; }
  form.controls input[type=number] { width: 5.5rem; }
  form.controls button { border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
  form.controls button.danger { border-color: var(--bad); color: var(--bad); }
  .overview td:first-child a { font-weight: 600; }
  .overview .result { min-width: 16rem; }
  @media (max-width: 40rem) {
    body { font-size: 15px; }
    main { padding: 0.25rem 0.6rem 2rem; }
    .multiples svg { max-width: 100%; }
    .overview .result { display: none; }
    form.controls input[type=text], form.controls input[type=password] { width: 100%; }
    form.controls label { flex: 1 1 100%; }
  }
`;

/** A link in the console's header. */
export interface HeaderLink {
  readonly href: string;
  readonly label: string;
}

/**
 * Wraps a console page body: doctype, charset, the viewport meta a phone needs, the inline
 * stylesheet, a header with `links`, and `title` as the `<h1>`. `title` is escaped; `body` is
 * trusted HTML, built with `escapeHtml` on every value.
 */
export function consolePage(title: string, body: string, links: readonly HeaderLink[] = []): string {
  const nav = links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${escapeHtml(title)} · tracks-ab</title>
  <style>${STYLE}</style>
</head>
<body>
  <header>
    <strong>tracks-ab console</strong>
    ${nav}
  </header>
  <main>
    <h1>${escapeHtml(title)}</h1>
${body}
  </main>
</body>
</html>
`;
}
