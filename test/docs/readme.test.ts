// The README's TypeScript snippets type-check against the built package and run, so they cannot rot.
import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { warningsDuring } from '../support/warnings.js';

const root = resolve(__dirname, '../..');

/** Each ```ts block; `title=name.ts` on the fence names the file, so snippets can import each other. */
function snippets(markdown: string): Array<{ file: string; code: string }> {
  const found: Array<{ file: string; code: string }> = [];
  const fence = /^```ts(?:[ \t]+title=(\S+))?\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    found.push({ file: m[1] ?? `snippet-${found.length + 1}.ts`, code: m[2]! });
  }
  return found;
}

describe('the README', function () {
  it('has TypeScript snippets for every scenario of the coconut store', function () {
    const files = snippets(readFileSync(join(root, 'README.md'), 'utf8')).map((s) => s.file);
    for (const scenario of ['delay-tracks.ts', 'catalog.ts', 'pricing-tracks.ts', 'param-pricing.ts', 'keys.ts', 'vip.ts', 'multi.ts']) {
      expect(files).to.include(scenario);
    }
  });

  it('type-checks every snippet against the built package, as a user would compile it', function () {
    this.timeout(60_000);
    // Inside the package folder, so that 'tracks-ab' resolves to this package (self-reference).
    const dir = join(root, '.tmp', 'readme');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = snippets(readFileSync(join(root, 'README.md'), 'utf8')).map(({ file, code }) => {
      writeFileSync(join(dir, file), code);
      return join(dir, file);
    });
    const program = ts.createProgram(files, {
      strict: true,
      // The strictest setting users turn on: `secret: process.env.TRACKS_SECRET` must still compile.
      exactOptionalPropertyTypes: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).to.deep.equal([]);
  });

  it('runs every snippet, and every set class it exports registers as tracks([...]) would, without a warning', async function () {
    this.timeout(60_000);
    // Transpiled to CommonJS beside each other, so that './delay-tracks.js' finds its sibling.
    const dir = join(root, '.tmp', 'readme-run');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const list = snippets(readFileSync(join(root, 'README.md'), 'utf8'));
    for (const { file, code } of list) {
      const { outputText } = ts.transpileModule(code, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
    }
    // The package as the snippets load it (under tsx, tsconfig's paths map 'tracks-ab' to src/).
    writeFileSync(join(dir, 'package-as-loaded.js'), "module.exports = require('tracks-ab');\n");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same module the snippets require
    const built = require(join(dir, 'package-as-loaded.js')) as typeof import('../../src/index.js');
    const isSet = (value: unknown): boolean =>
      typeof value === 'function' &&
      [built.SimpleTrackSet, built.ParamTrackSet, built.MultiTrackSet].some((base) => (value as { prototype: unknown }).prototype instanceof base);
    const registered: string[] = [];
    const warnings = await warningsDuring(() => {
      for (const { file } of list) {
        // Loading a snippet runs its tracks([...]) and assign calls, which register their sets.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a transpiled snippet
        const exports = require(join(dir, file.replace(/\.ts$/, '.js'))) as Record<string, unknown>;
        for (const [name, value] of Object.entries(exports)) {
          if (!isSet(value)) continue;
          built.createSetup([value as never], undefined); // what tracks([...]) does at start-up
          registered.push(name);
        }
      }
    });
    expect(warnings.map((w) => w.message)).to.deep.equal([]);
    expect(registered).to.include.members([
      'DelayTracks',
      'PricingTracks',
      'ParamPricingTracks',
      'VipSafeDelayTracks',
      'Experiments',
      'CheckoutTracks',
      'BannerTracks',
    ]);
  });
});
