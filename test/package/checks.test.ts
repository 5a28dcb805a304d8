// The ecosystem's own checks on the packed tarball: Are the Types Wrong? (every entry point under
// node10, node16 from CJS and ESM, and bundler resolution) and publint (package.json against the
// files), each with nothing to report, suggestions included.
import { expect } from 'chai';
import { join } from 'node:path';
import { packedPackage, root, runCommand, type Packed } from './packed-package.js';

// publint's API (an ES module) on the tarball's bytes; prints each message as publint words it.
const publintScript = `
import { readFileSync } from 'node:fs';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
const bytes = readFileSync(process.argv[1]);
const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
console.log(JSON.stringify(messages.map((m) => \`\${m.type} \${m.code}: \${formatMessage(m, pkg)}\`)));
`;

describe('the packed tarball, checked by attw and publint', function () {
  let packed: Packed;

  before(async function () {
    this.timeout(300_000);
    packed = await packedPackage();
  });

  it('has no problem for Are the Types Wrong (attw, strict profile)', async function () {
    this.timeout(60_000);
    // --no-definitely-typed: there is no @types/tracks-ab to compare with, and no network needed.
    const attw = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const { code, output } = await runCommand(process.execPath, [attw, packed.tarball, '--format', 'json', '--no-definitely-typed'], root);
    const report = JSON.parse(output) as { analysis: { problems: unknown[]; entrypoints: Record<string, unknown> } };
    expect(report.analysis.problems).to.deep.equal([]);
    expect(Object.keys(report.analysis.entrypoints)).to.include.members(Object.keys(packed.manifest.exports));
    expect(code).to.equal(0);
  });

  it('has nothing for publint to say, not even a suggestion', async function () {
    this.timeout(60_000);
    const { code, output } = await runCommand(process.execPath, ['--input-type=module', '-e', publintScript, packed.tarball], root);
    expect(code, output).to.equal(0);
    expect(JSON.parse(output) as string[]).to.deep.equal([]);
  });
});
