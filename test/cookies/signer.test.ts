// The signer accepts only the exact signature text it writes, rotates secrets, and tags identities.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskName } from '../../src/engine/compile.js';
import { encodeEntries } from '../../src/cookies/cookie-codec.js';
import { Signer } from '../../src/cookies/node-signer.js';

describe('Signer', () => {
  const signer = new Signer(['current', 'older']);
  const signed = signer.sign('2~payload');

  it('verifies what it signed, with the position of the secret that matched', () => {
    expect(signer.unsign(signed)).to.deep.equal({ value: '2~payload', renew: false, secret: 0 });
    const old = new Signer(['older']).sign('2~payload');
    expect(signer.unsign(old)).to.deep.equal({ value: '2~payload', renew: true, secret: 1 });
    expect(new Signer(['other']).unsign(signed).value).to.equal(null);
  });

  it('rejects every one-character respelling whose low byte is the same (Ţ, %C5%A2 decoded, for b)', () => {
    const dot = signed.lastIndexOf('.');
    for (let i = dot + 1; i < signed.length; i++) {
      for (const shift of [0x100, 0x200, 0xff00]) {
        const twin = signed.slice(0, i) + String.fromCharCode(signed.charCodeAt(i) + shift) + signed.slice(i + 1);
        expect(signer.unsign(twin).value, `position ${i}, +${shift.toString(16)}`).to.equal(null);
      }
    }
    expect(new Signer(['s']).unsign('1.' + 'Ţ'.repeat(43)).value).to.equal(null);
  });

  it('rejects signatures of the wrong length, padded, in base64 rather than base64url, or with spaces', () => {
    const signature = signed.slice(signed.lastIndexOf('.') + 1);
    const value = signed.slice(0, signed.lastIndexOf('.'));
    const standard = Buffer.from(signature, 'base64url').toString('base64');
    for (const bad of [signature.slice(0, 42), signature + 'A', signature + '=', standard, ` ${signature}`, `${signature} `, '']) {
      expect(signer.unsign(`${value}.${bad}`).value, JSON.stringify(bad)).to.equal(null);
    }
  });

  it('passes values through without a secret', () => {
    const none = new Signer([]);
    expect([none.signs, none.sign('1~x'), none.unsign('1~x').value]).to.deep.equal([false, '1~x', '1~x']);
  });

  it('tags an identity with 72 bits of a keyed HMAC that changes with the identity and the secret', () => {
    const tag = signer.tag('alice');
    expect(tag).to.match(/^[A-Za-z0-9_-]{12}$/);
    expect(signer.tag('alice')).to.equal(tag);
    expect(signer.tag('alicf')).to.not.equal(tag);
    expect(signer.tag('alice', 1)).to.not.equal(tag);
    expect(new Signer(['current']).tag('alice')).to.equal(tag);
    expect(tag).to.not.include('alice');
  });

  it('checks a tag against an identity under the secret that signed the cookie', () => {
    const tag = signer.tag('alice');
    expect(signer.tagMatches(tag, 'alice', 0)).to.equal(true);
    expect(signer.tagMatches(tag, 'bob', 0)).to.equal(false);
    expect(signer.tagMatches(tag, 'alice', 1)).to.equal(false);
    expect(signer.tagMatches(signer.tag('alice', 1), 'alice', 1)).to.equal(true);
    for (const bad of ['', tag.slice(1), tag + 'x', 'Ţ' + tag.slice(1)]) expect(signer.tagMatches(bad, 'alice', 0), bad).to.equal(false);
    expect(signer.tagMatches(tag, 'alice', 5)).to.equal(false);
  });

  it('gives the worked examples of docs/middleware.md, byte for byte', () => {
    const doc = readFileSync(join(__dirname, '../..', 'docs', 'middleware.md'), 'utf8');
    const example = new Signer(['example-secret']);
    const entries = [
      { set: maskName('delay', 'v1'), value: maskName('long', 'v1'), forced: false },
      { set: maskName('pricing', 'v1'), value: maskName('cheap', 'v1'), forced: true },
    ];
    const cookie = example.sign(encodeEntries(entries, example.tag('alice')));
    expect(doc).to.include(`tracks=${cookie}\n`);
    expect(doc).to.include(example.sign('0b5e6e44-5a3a-4b43-9c8e-4a4b7c4f0001'));
  });
});
