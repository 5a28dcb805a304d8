// The coconut store's server writes every queued exposure when it gets SIGTERM or SIGINT: a real child process, a real signal.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const SERVER = path.resolve(__dirname, '../../examples/coconut-store/server.ts');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Starts the server on a free port; resolves with its base URL once it prints it. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: path.resolve(__dirname, '../..'),
    // A minute between timed flushes: only the shutdown can write what the visits queue.
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      COCONUT_DATA_DIR: dataDir,
      DATABASE_URL: '',
      COCONUT_DELAY_SCALE: '0',
      COCONUT_EXPOSURE_FLUSH_MS: '60000',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 60_000);
    const check = (): void => {
      const m = /Coconut store: (http:\/\/127\.0\.0\.1:\d+)\/catalog/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({ child, base: m[1]!, output: () => out });
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it started:\n${out}`)));
  });
}

describe('the coconut store server on shutdown', function () {
  this.timeout(90_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coconut-shutdown-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`writes every queued exposure to PGlite on ${signal}, then exits 0`, async () => {
      const dataDir = path.join(dir, 'pglite');
      const { child, base, output } = await startServer(dataDir);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const visitors = 40;
      for (let i = 0; i < visitors; i++) {
        const response = await fetch(`${base}/catalog`, { headers: { cookie: `user=shopper-${i}`, 'user-agent': BROWSER } });
        expect(response.status).to.equal(200);
        await response.arrayBuffer();
      }
      child.kill(signal);
      expect(await exited, output()).to.equal(0);
      const db = await PGlite.create(dataDir);
      try {
        const { rows } = await db.query<{ rows: number; users: number }>(
          'select count(*)::int as rows, count(distinct user_key)::int as users from tracks_exposures',
        );
        // One first exposure a visitor (each shopper is in one of the two tests); none were written before the signal.
        expect(rows[0]).to.deep.equal({ rows: visitors, users: visitors });
      } finally {
        await db.close();
      }
      expect(output()).to.include(`${signal}: stopped; wrote ${visitors} queued exposures at shutdown (${visitors} in all, 0 dropped)`);
    });
  }
});
