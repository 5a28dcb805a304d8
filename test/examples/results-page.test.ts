// The coconut store's /results page and page layout: content, escaping, the sample-ratio warning, the inline chart.
import { expect } from 'chai';
import { escapeHtml, layout } from '../../examples/coconut-store/layout.js';
import { renderResults, SRM_WARNING } from '../../examples/coconut-store/results-page.js';
import { analyzeSet, equalSplit, type SetAnalysis, type VariantCounts } from '../../examples/coconut-store/stats.js';

const delayRows = (control: number, short: number, long: number): VariantCounts[] => [
  { setName: 'delay', variant: 'control', exposedUsers: control, convertedUsers: Math.round(control * 0.045) },
  { setName: 'delay', variant: 'short', exposedUsers: short, convertedUsers: Math.round(short * 0.044) },
  { setName: 'delay', variant: 'long', exposedUsers: long, convertedUsers: Math.round(long * 0.031) },
];
const delay = (rows: VariantCounts[]): SetAnalysis => analyzeSet(equalSplit('delay', 'control', ['control', 'short', 'long']), rows);
const fair = delay(delayRows(3334, 3333, 3333));
const at = new Date(Date.UTC(2024, 5, 1, 12));

describe('renderResults', () => {
  it('renders a whole page that leads with a one-line summary per set', () => {
    const pricing = analyzeSet(equalSplit('pricing', 'price_adjusted_by_0', ['price_adjusted_by_-1', 'price_adjusted_by_0']), []);
    const html = renderResults([fair, pricing], { generatedAt: at });
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.include('<title>A/B test results');
    expect(html).to.include('2024-06-01T12:00:00.000Z');
    expect(html).to.include('long delay: 3.1% convert, 1.4 points worse than control — likely a real difference.');
    expect(html).to.include('pricing: no users have seen this test yet.');
    expect(html).to.include('How to read this');
    expect(html.indexOf('long delay: 3.1% convert')).to.be.lessThan(html.indexOf('<table>'));
  });

  it('shows each variant with its users, rate, difference and verdict', () => {
    const html = renderResults([fair], { generatedAt: at });
    expect(html).to.include('<td class="num">3333</td>');
    expect(html).to.include('worse than control — likely a real difference');
    expect(html).to.include('no clear difference yet — could be chance');
    expect(html).to.include('widened for 2 comparisons');
  });

  it('escapes a malicious set or variant name everywhere', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const set = analyzeSet(equalSplit('<script>alert(1)</script>', 'control', ['control', evil]), [
      { setName: '<script>alert(1)</script>', variant: 'control', exposedUsers: 500, convertedUsers: 20 },
      { setName: '<script>alert(1)</script>', variant: evil, exposedUsers: 500, convertedUsers: 40 },
    ]);
    const html = renderResults([set], { generatedAt: at });
    expect(html).not.to.include('<img');
    expect(html).not.to.include('<script');
    expect(html).not.to.include(evil);
    expect(html).to.include(escapeHtml(evil));
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('includes the sample-ratio warning only when the split is off', () => {
    expect(renderResults([fair], { generatedAt: at })).not.to.include(escapeHtml(SRM_WARNING));
    const skewed = delay(delayRows(3700, 3300, 3000));
    expect(skewed.srm.flagged).to.equal(true);
    const html = renderResults([skewed], { generatedAt: at });
    expect(html).to.include(escapeHtml(SRM_WARNING));
    expect(html).to.include('class="warning"');
    expect(html).to.include('delay: results on hold');
  });

  it('draws an inline SVG chart per set, with no external resources', () => {
    const html = renderResults([fair, delay(delayRows(10, 0, 5))], { generatedAt: at });
    expect(html.match(/<svg /g)).to.have.length(2);
    expect(html).to.include('no users yet');
    expect(html).not.to.match(/<script|<link|\bsrc=|@import|url\(/i);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.to.match(/https?:/);
  });

  it('says so when no tests are configured', () => {
    expect(renderResults([], { generatedAt: at })).to.include('No tests are configured.');
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
