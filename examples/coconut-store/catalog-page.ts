// Renders the coconut store's /catalog page: the priced coconuts, Buy forms, the small print and the QA strip.
import { formatPrice, type PricedCoconut } from './catalog.js';
import { escapeHtml, layout } from './layout.js';
import { clearOverridesHref, type OverrideGroup } from './qa-links.js';
import { storeNav } from './store-nav.js';
import type { Visitor } from './visitor.js';

/** Which test the visitor is in, as the page's small print reports it. */
export interface TestPlacement {
  /** The test the visitor is in, or null when in none (VIP, crawler…). */
  readonly setName: string | null;
  /** The variant within it; `control` when in no test. */
  readonly variant: string;
  /** The engine's reason: `hash`, `sticky`, `forced`, `ineligible`… */
  readonly reason: string;
}

/** Everything the catalog page shows. */
export interface CatalogView {
  readonly visitor: Visitor;
  readonly coconuts: readonly PricedCoconut[];
  readonly placement: TestPlacement;
  /** How long the delay variant made this page wait, in milliseconds. */
  readonly delayMs: number;
  /** Where the Buy forms post; null shows no Buy button (the Koa and Fastify examples). */
  readonly buyAction: string | null;
  /** The coconut just bought, for the thank-you line. */
  readonly bought?: PricedCoconut | null;
  /** The QA override links, only when this request may force variants. */
  readonly overrides?: readonly OverrideGroup[] | null;
  /** Whether the header links to /results (default true). */
  readonly withResults?: boolean;
}

const REASONS: Readonly<Record<string, string>> = {
  hash: 'picked from your id',
  random: 'picked at random',
  sticky: 'remembered from your first visit',
  forced: 'forced by a QA link',
  ineligible: 'VIPs are kept out of every test',
  bot: 'crawlers are kept out of every test',
  error: 'kept out after an error',
};

function greeting(visitor: Visitor): string {
  if (visitor.id === null) return '<p>Welcome! You are browsing anonymously. <a href="/login">Log in</a> to shop under your name.</p>';
  const vip = visitor.isVip ? ' You are a <strong>VIP</strong>: you always get the regular page and prices.' : '';
  return `<p>Welcome back, <strong>${escapeHtml(visitor.id)}</strong>.${vip}</p>`;
}

function coconutRow(coconut: PricedCoconut, buyAction: string | null): string {
  const buy =
    buyAction === null
      ? ''
      : `<form method="post" action="${escapeHtml(buyAction)}"><input type="hidden" name="coconut" value="${escapeHtml(coconut.id)}"><button type="submit">Buy</button></form>`;
  return `<tr data-coconut="${escapeHtml(coconut.id)}" data-price="${coconut.price.toFixed(2)}">
  <td><strong>${escapeHtml(coconut.name)}</strong><br><span class="muted">${escapeHtml(coconut.blurb)}</span></td>
  <td class="num price">${escapeHtml(formatPrice(coconut.price))}</td>
  <td>${buy}</td>
</tr>`;
}

function smallPrint(view: CatalogView): string {
  const { setName, variant, reason } = view.placement;
  const why = REASONS[reason] ?? reason;
  const text =
    setName === null
      ? `You are in no test (${why}): regular page, regular prices.`
      : `You are in the “${setName}” test, variant “${variant}” (${why}). This page waited ${Math.round(view.delayMs)} ms.`;
  return `<p class="muted" id="assignment" data-set="${escapeHtml(setName ?? '')}" data-variant="${escapeHtml(variant)}" data-reason="${escapeHtml(reason)}" data-delay-ms="${view.delayMs}">Small print: ${escapeHtml(text)}</p>`;
}

function qaStrip(groups: readonly OverrideGroup[], placement: TestPlacement): string {
  const rows = groups.map((group) => {
    const links = group.links.map((link) => {
      const current = placement.setName === link.setName && placement.variant === link.variant;
      const text = escapeHtml(link.label);
      return `<a href="${escapeHtml(link.href)}" title="${escapeHtml(`${link.setName}: ${link.variant}`)}" data-qa="${escapeHtml(`${link.setName}:${link.variant}`)}">${current ? `<strong>${text}</strong>` : text}</a>`;
    });
    return `<p><strong>${escapeHtml(group.setName)}</strong>: ${links.join(' · ')}</p>`;
  });
  return `<aside class="warning" id="qa" aria-label="QA overrides">
  <p><strong>QA</strong> — force a variant for this browser (remembered until cleared; forced visits are not counted in the results):</p>
  ${rows.join('\n  ')}
  <p><a href="${escapeHtml(clearOverridesHref())}" data-qa="clear">Clear forced variants</a></p>
</aside>`;
}

/**
 * The whole /catalog HTML page. The small print carries the visitor's test, variant, reason and
 * delay in `data-` attributes (for tests and the simulation), and each coconut row its id and price.
 * Every value is escaped.
 */
export function renderCatalog(view: CatalogView): string {
  const thanks = view.bought
    ? `<p class="note" id="thanks" role="status">Thank you! You bought a ${escapeHtml(view.bought.name)} for ${escapeHtml(formatPrice(view.bought.price))}.</p>`
    : '';
  const body = `${greeting(view.visitor)}
${thanks}
<table>
<thead><tr><th>Coconut</th><th class="num">Price</th><th></th></tr></thead>
<tbody>
${view.coconuts.map((coconut) => coconutRow(coconut, view.buyAction)).join('\n')}
</tbody>
</table>
${smallPrint(view)}
${view.overrides ? qaStrip(view.overrides, view.placement) : ''}`;
  return layout('Catalog', body, storeNav(view.visitor, view.withResults ?? true));
}
