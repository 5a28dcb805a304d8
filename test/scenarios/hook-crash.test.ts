// No user hook can take the server down: a real server in a child process keeps answering after every kind of hook failure.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { HOOKS, KINDS } from '../support/hook-failures.js';

const SCRIPT = join(__dirname, '..', 'support', 'hook-server.ts');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('a server whose hooks fail (child process)', function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let port = 0;
  let stderr = '';
  let exited: number | string | null = null;

  before(async () => {
    // Node's default for an unhandled rejection is to crash the process: exactly what must not happen.
    child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => (exited = code ?? signal));
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`server exited before listening: ${stderr}`)));
    });
  });

  after(() => {
    if (exited === null) child.kill('SIGTERM');
  });

  async function get(headers: Record<string, string>, query = ''): Promise<{ status: number; body: { name: string; reason: string } }> {
    const res = await fetch(`http://127.0.0.1:${port}/guarded${query}`, { headers: { 'user-agent': BROWSER, ...headers } });
    return { status: res.status, body: (await res.json()) as { name: string; reason: string } };
  }

  for (const hook of HOOKS) {
    for (const kind of Object.keys(KINDS)) {
      it(`answers the failing request and the next 3 after ${hook} fails by ${kind}`, async () => {
        const failing: Record<string, string> =
          hook === 'bots'
            ? { 'user-agent': `fail:${kind}` }
            : // onError runs when something else failed: here a bot detector that throws.
              { 'x-fail': `${hook}:${kind}`, ...(hook === 'onError' ? { 'user-agent': 'fail:throw' } : {}) };
        // Only override.allow is asked for an override: elsewhere the user is hashed, so every hook runs.
        // The bot detector is asked for anonymous visitors only (the default scope): those two go without a key.
        const user: Record<string, string> = hook === 'bots' || hook === 'onError' ? {} : { 'x-user-id': `uma-${hook}-${kind}` };
        const failed = await get({ ...user, ...failing }, hook === 'override.allow' ? '?tracks=guarded:b' : '');
        expect(failed.status).to.equal(200);
        for (let i = 0; i < 3; i++) {
          const next = await get({ 'x-user-id': `next-${hook}-${kind}-${i}` });
          expect([next.status, next.body.reason]).to.deep.equal([200, 'hash']);
        }
        expect(exited, stderr).to.equal(null);
      });
    }
  }

  it('printed no unhandled rejection, is still running, and reported async hooks with their code', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exited, stderr).to.equal(null);
    expect(stderr).to.not.match(/unhandled|UnhandledPromiseRejection/i);
    const errors = (await (await fetch(`http://127.0.0.1:${port}/errors`)).json()) as Record<string, number>;
    for (const where of ['key', 'context', 'isEligible', 'override.allow', 'bots'])
      expect(errors[`${where}:ERR_TRACKS_ASYNC_HOOK`], where).to.equal(2);
    expect(errors['onExposure:none'], 'onExposure').to.equal(3);
    expect(errors['bots:none'], 'bots, and onError failing after it').to.equal(4);
  });
});
