// The coconut store's /results page and page layout: verdicts, tables, SVG plots, split checks, escaping.
import { expect } from 'chai';
import { analyzeMulti, analyzeSet, type AnalysisMulti, type MemberCounts } from '../../src/analysis/index.js';
import { escapeHtml, layout } from '../../examples/coconut-store/layout.js';
import { renderResults, SRM_WARNING } from '../../examples/coconut-store/results-page.js';
import { EXPERIMENTS, type StoreResults } from '../../examples/coconut-store/store-results.js';
import { PRICE_DELTAS, pricingVariant } from '../../examples/coconut-store/tracks.js';

const at = new Date(Date.UTC(2024, 5, 1, 12));

/** Counts for the store's tests: `delay` users per delay arm (long converts 3 %, the others 9 %), 10 % of that per pricing arm. */
function storeCounts(delay: number, pricingLoss = 0): MemberCounts[] {
  const pricing = Math.round(((delay * 3) / 10 / 11) * (1 - pricingLoss));
  return [
    { set: 'delay', variant: 'control', users: delay, converted: Math.round(delay * 0.09) },
    { set: 'delay', variant: 'short', users: delay, converted: Math.round(delay * 0.09) },
    { set: 'delay', variant: 'long', users: delay, converted: Math.round(delay * 0.03) },
    ...PRICE_DELTAS.map((d) => ({ set: 'pricing', variant: pricingVariant(d), users: pricing, converted: Math.round(pricing * 0.08) })),
  ];
}

/** What analyzeStore returns, computed from counts: the report now, and looks at 1/4, 1/2, 3/4 and all of the users. */
function results(multi: AnalysisMulti, counts: (share: number) => MemberCounts[]): StoreResults {
  const now = counts(1);
  const timelines: Record<string, StoreResults['timelines'][string]> = {};
  for (const m of multi.members) {
    timelines[m.set.name] = [0.25, 0.5, 0.75, 1].map((share, i) => {
      const look = analyzeSet(
        m.set,
        counts(share).filter((c) => c.set === m.set.name),
      );
      return { at: new Date(at.getTime() - (3 - i) * 86_400_000), users: look.totalUsers, comparisons: look.comparisons };
    });
  }
  return { report: analyzeMulti(multi, now), counts: now.map((c) => ({ ...c, mixed: 0 })), timelines };
}

const scaled =
  (delay: number, loss = 0) =>
  (share: number) =>
    storeCounts(Math.round(delay * share), loss);

describe('renderResults', () => {
  it('leads with the verdict of each test, then per test its plots, table, split check and power', () => {
    const html = renderResults(results(EXPERIMENTS, scaled(3000)), { generatedAt: at });
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.include('2024-06-01T12:00:00.000Z');
    const summaries = /<ul class="summary">([\s\S]*?)<\/ul>/.exec(html)![1]!;
    expect(summaries).to.match(/<li>delay: long converts worse than control: −6\.0 points/);
    expect(summaries).to.match(/<li>pricing: /);
    expect(html.match(/<svg class="forest"/g)).to.have.length(2);
    expect(html.match(/<svg class="timeline"/g)).to.have.length(2 + 10);
    expect(html).to.include('<td class="num">3000</td>');
    expect(html).to.include('<span class="worse">long converts worse than control');
    expect(html).to.match(/Split between the tests: delay 9,000 \(expected [\d,]+\) · pricing 902 \(expected [\d,]+\) — p = [\d.]+, as configured ✓/);
    expect(html).to.match(/Power: with these users, a difference of about ±[\d.]+ points would be detected/);
    expect(html).not.to.include('role="alert"');
  });

  it('draws every plot as inline SVG with no script or external resource', () => {
    const html = renderResults(results(EXPERIMENTS, scaled(3000)), { generatedAt: at });
    expect(html).not.to.match(/<script|<link|\bsrc=|@import|url\(/i);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.to.match(/https?:/);
  });

  it('puts every verdict on hold when one test lost 30 % of its users (the member split)', () => {
    const html = renderResults(results(EXPERIMENTS, scaled(3000, 0.3)), { generatedAt: at });
    expect(html).to.include(escapeHtml(SRM_WARNING));
    expect(html.match(/role="alert"/g)).to.have.length(3);
    expect(html).to.match(/Split between the tests: .*mismatch/);
  });

  it('says what is missing when a test has no users yet', () => {
    const html = renderResults(
      results(EXPERIMENTS, () => []),
      { generatedAt: at },
    );
    expect(html).to.include('No plot yet: the control and at least one variant need users.');
    expect(html).to.include('The effect over time needs at least two looks');
  });

  it('escapes a malicious set or variant name everywhere', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const name = '<script>alert(1)</script>';
    const multi: AnalysisMulti = {
      name,
      members: [
        {
          expectedShare: 1,
          set: {
            name,
            control: 'control',
            variants: [
              { name: 'control', expectedShare: 0.5 },
              { name: evil, expectedShare: 0.5 },
            ],
          },
        },
      ],
    };
    const counts = (share: number): MemberCounts[] => [
      { set: name, variant: 'control', users: Math.round(500 * share), converted: Math.round(20 * share) },
      { set: name, variant: evil, users: Math.round(500 * share), converted: Math.round(40 * share) },
    ];
    const html = renderResults(results(multi, counts), { generatedAt: at });
    expect(html).not.to.include('<img');
    expect(html).not.to.include('<script');
    expect(html).not.to.include(evil);
    expect(html).to.include(escapeHtml(evil));
  });
});

describe('layout', () => {
  it('escapes the title and keeps the body as given', () => {
    const html = layout('<Catalog>', '<p>Fresh coconuts</p>');
    expect(html).to.include('<title>&lt;Catalog&gt; · Coconut store</title>');
    expect(html).to.include('<h1>&lt;Catalog&gt;</h1>');
    expect(html).to.include('<p>Fresh coconuts</p>');
    expect(html).to.include('<a href="/results">Results</a>');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
