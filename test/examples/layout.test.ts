// The coconut store's page layout: the title escaped, the body kept, the header's links (the results link goes to the console).
import { expect } from 'chai';
import { escapeHtml, layout } from '../../examples/coconut-store/layout.js';

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
