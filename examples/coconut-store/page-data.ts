// Reads the store's pages (and its experiments console) back into data: what a scripted visitor (the simulation, the tests) sees.

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

/** One row of a test's table on the console. */
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

/**
 * Reads the experiments console (tracks-ab/console, at /results): per set section its leading
 * sentence, its table of arms (`data-users`, `data-converted`) and whether a warning is raised.
 */
export function readResultsPage(html: string): ResultsPageData {
  const summaries: string[] = [];
  const tables: Record<string, ResultsTableRow[]> = {};
  const srmWarnings: Record<string, boolean> = {};
  for (const match of html.matchAll(/<section id="[^"]*" data-set="([^"]*)">([\s\S]*?)<\/section>/g)) {
    const name = textOf(match[1]!);
    const section = match[2]!;
    const summary = /<p class="summary">([\s\S]*?)<\/p>/.exec(section)?.[1];
    if (summary !== undefined) summaries.push(textOf(summary));
    srmWarnings[name] = section.includes('role="alert"');
    const table = /<table class="arms"[^>]*>([\s\S]*?)<\/table>/.exec(section)?.[1] ?? '';
    tables[name] = [...table.matchAll(/<tr data-variant="([^"]*)" data-users="(\d+)" data-converted="(\d+)">/g)].map((m) => ({
      variant: textOf(m[1]!),
      users: Number(m[2]),
      bought: Number(m[3]),
    }));
  }
  return { summaries, tables, srmWarnings };
}
