// The examples' sets pass the strict checks and register without a warning, in a process of their own.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', 'support', 'register-example-sets.ts');

describe('the example sets', function () {
  // A fresh process loads tsx, three frameworks and PGlite (from the initialised template, no
  // initdb): about 5 s of CPU. At a load average of 24 on two cores that took 30 s of wall time,
  // hence a budget four times that, which still catches a hang.
  this.timeout(120_000);

  it('all register, and the Express, Koa and Fastify stores start, with no warning', async () => {
    // A fresh process: here, other tests have compiled (and cached) these classes already.
    const env = { ...process.env, NODE_ENV: 'development', TRACKS_SECRET: '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: join(__dirname, '..', '..'), env });
    const seen = JSON.parse(stdout) as { registered: string[]; warnings: unknown[] };
    expect(seen.registered).to.have.members(['DelayTracks', 'PricingTracks', 'Experiments']);
    expect(seen.warnings).to.deep.equal([]);
  });
});
