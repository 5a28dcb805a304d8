// The README's TypeScript snippets type-check against the built package, so they cannot rot.
import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..');

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
});
