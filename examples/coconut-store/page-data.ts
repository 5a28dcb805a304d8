// Reads the store's own pages back into data: what a scripted visitor (the simulation, the tests) sees.

/** What the catalog page says about one visitor. */
export interface CatalogPageData {
  /** The test the visitor is in, or null when in none. */
  setName: string | null;
  variant: string;
  reason: string;
  /** How long the delay variant made the page wait, in milliseconds. */
  delayMs: number;
  /** Price shown per coconut id. */
  prices: Record<string, number>;
  /** Whether the QA override strip is on the page. */
  hasQaStrip: boolean;
  /** The QA links on the page, by `set:variant` (and `clear`). */
  qaLinks: Record<string, string>;
  /** The thank-you line after a purchase, or null. */
  thanks: string | null;
}

/** One row of a test's table on the results page. */
export interface ResultsTableRow {
  variant: string;
  /** "Users who saw it". */
  users: number;
  /** "Users who bought". */
  bought: number;
}

/** What the results page says. */
export interface ResultsPageData {
  /** The at-a-glance line of each test, in page order. */
  summaries: string[];
  /** Per test name: its table rows. */
  tables: Record<string, ResultsTableRow[]>;
  /** Per test name: whether the sample-ratio-mismatch warning is shown. */
  srmWarnings: Record<string, boolean>;
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Undoes the store's `escapeHtml` and drops tags: the text a reader sees. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!)
    .replace(/\s+/g, ' ')
    .trim();
}

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : textOf(value);
}

/**
 * Reads /catalog: the small print's `data-` attributes, each coconut row's price, the QA strip.
 * @throws when the page has no small print (not a catalog page)
 */
export function readCatalogPage(html: string): CatalogPageData {
  const small = /<p [^>]*id="assignment"[^>]*>/.exec(html)?.[0];
  if (small === undefined) throw new Error('not a catalog page: no small print (id="assignment")');
  const prices: Record<string, number> = {};
  for (const match of html.matchAll(/<tr data-coconut="([^"]+)" data-price="([^"]+)">/g)) prices[textOf(match[1]!)] = Number(match[2]);
  const qaLinks: Record<string, string> = {};
  for (const match of html.matchAll(/<a href="([^"]+)"[^>]* data-qa="([^"]+)">/g)) qaLinks[textOf(match[2]!)] = textOf(match[1]!);
  const thanks = /<p [^>]*id="thanks"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
  return {
    setName: attribute(small, 'data-set') || null,
    variant: attribute(small, 'data-variant') ?? '',
    reason: attribute(small, 'data-reason') ?? '',
    delayMs: Number(attribute(small, 'data-delay-ms')),
    prices,
    hasQaStrip: html.includes('id="qa"'),
    qaLinks,
    thanks: thanks === undefined ? null : textOf(thanks),
  };
}

/** Reads /results: the summary lines, and per test its table and whether the SRM warning shows. */
export function readResultsPage(html: string): ResultsPageData {
  const glance = /<ul class="summary">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  const summaries = [...glance.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]!));
  const tables: Record<string, ResultsTableRow[]> = {};
  const srmWarnings: Record<string, boolean> = {};
  for (const section of html.split('<section>').slice(1)) {
    const name = textOf(/<h2>Test “([\s\S]*?)”<\/h2>/.exec(section)?.[1] ?? '');
    srmWarnings[name] = section.includes('role="alert"');
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
    tables[name] = [...body.matchAll(/<tr>\s*<td>([\s\S]*?)<\/td>\s*<td class="num">(\d+)<\/td>\s*<td class="num">(\d+)<\/td>/g)].map((m) => ({
      variant: textOf(m[1]!.replace(/<span[\s\S]*?<\/span>/g, '')),
      users: Number(m[2]),
      bought: Number(m[3]),
    }));
  }
  return { summaries, tables, srmWarnings };
}
