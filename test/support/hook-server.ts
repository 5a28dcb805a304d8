// A real Express server whose hooks fail on demand (header `x-fail: <hook>:<kind>`), run in a child process by the crash test.
import express from 'express';
import type { Request } from 'express';
import { tracks } from '../../adapters/express.js';
import { SimpleTrackSet } from '../../src/index.js';
import { KINDS } from './hook-failures.js';

/** The hook's behaviour for this request: its failure when `x-fail` names it, else `fallback`. */
function behaviour(req: Request, hook: string, fallback: () => unknown): unknown {
  const [name, kind] = String(req.headers['x-fail'] ?? '').split(':');
  const fail = kind ? KINDS[kind] : undefined;
  return name === hook && fail ? fail() : fallback();
}

class GuardedTracks extends SimpleTrackSet<{ req: Request }> {
  static override setName = 'guarded';
  static aTrack(): void {}
  static bTrack(): void {}
  override isEligible(): boolean {
    return behaviour(this.context.req, 'isEligible', () => true) as boolean;
  }
}

const errors: Record<string, number> = {};
const app = express();
app.use(
  tracks([GuardedTracks], {
    key: [(req) => behaviour(req, 'key', () => req.headers['x-user-id']), { header: 'x-user-id' }],
    context: (req) => behaviour(req, 'context', () => ({ req })),
    cookie: { secret: 'crash-test-secret' },
    override: { allow: (req) => behaviour(req, 'override.allow', () => true) as boolean },
    bots: (ua) => (ua.startsWith('fail:') ? KINDS[ua.slice(5)]!() : false) as boolean,
    onExposure: (e) => behaviour(e.req, 'onExposure', () => undefined) as void,
    onError: (error, info) => {
      const code = (error as { code?: string }).code ?? 'none';
      errors[`${info.where}:${code}`] = (errors[`${info.where}:${code}`] ?? 0) + 1;
      return info.where === 'store' ? undefined : behaviour(info.req, 'onError', () => undefined);
    },
  }),
);
app.get('/guarded', (req, res) => {
  const a = req.tracks.get(GuardedTracks);
  res.json({ name: a.name, reason: a.reason });
});
app.get('/errors', (_req, res) => {
  res.json(errors);
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
