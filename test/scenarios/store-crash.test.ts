// A store answering outside its contract cannot take the server down: Express 4/5 and Fastify 4/5 in child processes keep answering.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', 'support', 'store-crash-server.ts');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const ANSWERS = ['null', 'undefined', 'object', 'array', 'reject', 'throw', 'hang'];

for (const framework of ['express4', 'express', 'fastify4', 'fastify']) {
  describe(`a ${framework} server whose store answers outside its contract (child process)`, function () {
    this.timeout(60_000);
    let child: ChildProcess;
    let port = 0;
    let stderr = '';
    let exited: number | string | null = null;

    before(async () => {
      // Node's default for an unhandled rejection is to crash the process: exactly what must not happen.
      child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, framework], { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
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

    async function get(key: string, cookie?: string): Promise<{ status: number; cookie: string; body: { name: string; reason: string } }> {
      const headers: Record<string, string> = { 'user-agent': BROWSER, 'x-user-id': key };
      if (cookie) headers.cookie = cookie;
      const res = await fetch(`http://127.0.0.1:${port}/guarded`, { headers });
      const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
      return { status: res.status, cookie: set.join('; '), body: (await res.json()) as { name: string; reason: string } };
    }

    for (const answer of ANSWERS) {
      it(`answers a user with and without a cookie when load answers ${answer}`, async () => {
        // A cookie bound to the user, from a request the store answered well, then the lawless answer.
        const good = await get(`ok:${answer}`);
        expect([good.status, good.body.reason]).to.deep.equal([200, 'hash']);
        const bare = await get(`${answer}:uma`);
        expect([bare.status, bare.body.reason]).to.deep.equal([200, 'hash']);
        const fresh = await get(`${answer}:ulf`);
        const withCookie = await get(`${answer}:ulf`, fresh.cookie);
        expect([withCookie.status, withCookie.body.reason]).to.deep.equal([200, 'sticky']);
        expect(exited, stderr).to.equal(null);
      });
    }

    it('printed no unhandled rejection, is still running, and told onError', async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(exited, stderr).to.equal(null);
      expect(stderr).to.not.match(/unhandled|UnhandledPromiseRejection/i);
      const errors = (await (await fetch(`http://127.0.0.1:${port}/errors`)).json()) as Record<string, number>;
      expect(errors.store).to.be.at.least(ANSWERS.length);
    });
  });
}
