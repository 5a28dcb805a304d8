// readCookie answers as the `cookie` package's parse does, for every name, over seeded random headers and the edge cases.
import { expect } from 'chai';
import { parse } from 'cookie';
import { readCookie } from '../../src/cookies/read-cookie.js';

/** A small seeded generator (mulberry32), so every run checks the same headers. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'tracks',
  'tracks_id',
  'uid',
  'a',
  '=',
  ';',
  ' ',
  '\t',
  '%',
  '%41',
  '%E0%A4%A',
  '"',
  'x.y',
  '__proto__',
  'constructor',
  '',
  '==',
  '; ',
];
const NAMES = ['tracks', 'tracks_id', 'uid', 'a', '__proto__', 'constructor', 'missing', 'x.y', 'tracks ', ' tracks', 'a=b', 'x;y', ''];

describe('readCookie', () => {
  it('gives the same value as cookie.parse for every name, over 20,000 seeded random headers', () => {
    const next = random(20_261_207);
    for (let n = 0; n < 20_000; n++) {
      let header = '';
      const parts = Math.floor(next() * 12);
      for (let p = 0; p < parts; p++) header += PIECES[Math.floor(next() * PIECES.length)]!;
      const parsed = parse(header);
      for (const name of NAMES) expect(readCookie(header, name), `${JSON.stringify(header)} ${name}`).to.equal(parsed[name]);
    }
  });

  it('gives the same value as cookie.parse over 20,000 seeded headers as browsers write them, with odd pairs among them', () => {
    // Pairs joined by `; ` (and sometimes `;`, `;;` or ` ; `), as a browser sends most of them, with
    // the odd ones among them: a name inside a value or another name, a repeated name, spaces.
    const next = random(20_261_208);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const pairNames = ['tracks', 'tracks_id', 'xtracks', 'tracks ', ' tracks', 'uid', 'a', 'tracks=', ''];
    const values = ['v1.sig', '', ' v', 'v ', 'a=b', 'tracks=1', '%41%42', '%E0%A4%A', '"q"', 'x; tracks=2', '\t', 'v\tw'];
    const separators = ['; ', '; ', '; ', ';', ';;', ' ; ', '; ;'];
    for (let n = 0; n < 20_000; n++) {
      let header = '';
      const pairs = 1 + Math.floor(next() * 4);
      for (let p = 0; p < pairs; p++) {
        if (p > 0) header += pick(separators);
        header += next() < 0.1 ? pick(pairNames) : `${pick(pairNames)}=${pick(values)}`;
      }
      const parsed = parse(header);
      for (const name of NAMES) expect(readCookie(header, name), `${JSON.stringify(header)} ${name}`).to.equal(parsed[name]);
    }
  });

  it('reads the first of repeated names, trims spaces and tabs, decodes only a value with %', () => {
    const header = ' tracks = v1.sig ;tracks=second; uid=%E2%9C%93;\tbad=%E0%A4%A; bare; last="q"';
    expect(readCookie(header, 'tracks')).to.equal('v1.sig');
    expect(readCookie(header, 'uid')).to.equal('✓');
    expect(readCookie(header, 'bad')).to.equal('%E0%A4%A');
    expect(readCookie(header, 'bare')).to.equal(undefined);
    expect(readCookie(header, 'last')).to.equal('"q"');
    expect(readCookie('', 'tracks')).to.equal(undefined);
  });
});
