// The documentation says what the code does: every command documented, every pool snippet safe, no claim the repository contradicts.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMMANDS } from '../../src/cli/commands.js';

const root = resolve(__dirname, '../..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`)];

/** The fenced code blocks of a markdown page. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe('the documentation', () => {
  it('documents every command of the command line, in its usage and a section of its own', () => {
    const cli = read('docs/cli.md');
    const usage = codeBlocks(cli)[0]!;
    for (const command of COMMANDS) {
      expect(usage, command.name).to.match(new RegExp(`^ {4}${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(cli, command.name).to.include(`## \`tracks-ab ${command.name}\``);
    }
  });

  it("adds an 'error' listener wherever a snippet makes a pg Pool (else a dead connection exits the process)", () => {
    let pools = 0;
    for (const page of pages) {
      for (const block of codeBlocks(read(page))) {
        const made = block.match(/(\w+) = new pg\.Pool\(/);
        if (made === null) continue;
        pools++;
        expect(block, `${page}: a snippet making ${made[1]}`).to.include(`${made[1]}.on('error',`);
      }
    }
    expect(pools).to.be.at.least(2);
  });

  it('names as devDependencies only what package.json installs, and no database the code does not use', () => {
    const manifest = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    for (const page of pages) {
      const text = read(page);
      for (const m of text.matchAll(/([A-Z][\w.]*(?: and [A-Z][\w.]*)?) \(installed as devDependencies\)/g)) {
        for (const name of m[1]!.split(' and ')) expect(manifest.devDependencies, `${page}: ${name}`).to.have.property(name.toLowerCase());
      }
      expect(text, page).to.not.match(/sqlite/i);
    }
  });
});
