// A fresh Node process assigns every key exactly as this one does: nothing depends on process state.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assignKeys } from '../support/assign-keys.js';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', 'support', 'assign-keys.ts');

/** Runs test/support/assign-keys.ts in a new `node --import tsx` process and parses its output. */
async function inFreshProcess(count: number, env: Record<string, string>): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, String(count)], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as string[];
}

describe('a fresh process', function () {
  this.timeout(30_000);

  it('assigns 1,000 keys exactly as this process does (v1)', async () => {
    const theirs = await inFreshProcess(1000, { TRACKS_TEST_ALGORITHM: 'v1' });
    expect(theirs).to.have.length(1000);
    expect(theirs).to.deep.equal(assignKeys(1000, 'v1'));
  });

  it('assigns 1,000 keys exactly as this process does (python)', async () => {
    const theirs = await inFreshProcess(1000, { TRACKS_TEST_ALGORITHM: 'python' });
    expect(theirs).to.deep.equal(assignKeys(1000, 'python'));
  });

  it("uses 'python' for every set without its own algorithm after setDefaultAlgorithm('python')", async () => {
    const viaDefault = await inFreshProcess(1000, { TRACKS_TEST_DEFAULT: 'python' });
    expect(viaDefault).to.deep.equal(assignKeys(1000, 'python'));
    expect(viaDefault).not.to.deep.equal(assignKeys(1000, 'v1'));
  });
});
