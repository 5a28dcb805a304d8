// A real server (Express 4 or 5, Fastify 4 or 5, by argv) whose store's load answers outside its contract on demand, run in a child process by the store crash test.
import { tracks as expressTracks } from '../../adapters/express.js';
import { tracks as fastifyTracks } from '../../adapters/fastify.js';
import { SimpleTrackSet, type AliasRecord, type AssignmentStore, type RememberedAssignments, type UserAssignment } from '../../src/index.js';

class GuardedTracks extends SimpleTrackSet {
  static override setName = 'guarded';
  static aTrack(): void {}
  static bTrack(): void {}
}

/** What load answers for a key `<answer>:<user>`: each a way a store broke apps before. */
const ANSWERS: Record<string, () => unknown> = {
  null: () => Promise.resolve(null),
  undefined: () => Promise.resolve(undefined),
  object: () => Promise.resolve({ guarded: { variant: 'a' } }),
  array: () => Promise.resolve([]),
  reject: () => Promise.reject(new Error('down')),
  throw: () => {
    throw new Error('threw');
  },
  hang: () => ({ then: () => undefined }),
};

const lawless: AssignmentStore = {
  load: (key) => (ANSWERS[key.split(':')[0]!] ?? (() => Promise.resolve(new Map())))() as Promise<RememberedAssignments>,
  save: (_records: readonly UserAssignment[]) => Promise.resolve(),
  alias: (_records: readonly AliasRecord[]) => Promise.resolve(),
  aliasOf: () => Promise.resolve(null),
};

const errors: Record<string, number> = {};
const options = {
  key: { header: 'x-user-id' },
  cookie: { secret: 'store-crash-secret' },
  store: lawless,
  onError: (_error: unknown, info: { where: string }) => void (errors[info.where] = (errors[info.where] ?? 0) + 1),
};
const listening = (port: number): boolean => process.stdout.write(`listening ${port}\n`);

async function main(framework: string): Promise<void> {
  if (framework.startsWith('express')) {
    const express = (framework === 'express4' ? await import('express4') : await import('express')).default;
    const app = express();
    app.use(expressTracks([GuardedTracks], options));
    app.get('/guarded', (req, res) => void res.json({ name: req.tracks.get(GuardedTracks).name, reason: req.tracks.get(GuardedTracks).reason }));
    app.get('/errors', (_req, res) => void res.json(errors));
    const server = app.listen(0, '127.0.0.1', () => {
      const address = server.address();
      listening(typeof address === 'object' && address ? address.port : 0);
    });
    return;
  }
  const Fastify = (framework === 'fastify4' ? await import('fastify4') : await import('fastify'))
    .default as unknown as typeof import('fastify').default;
  const app = Fastify();
  await app.register(fastifyTracks, { sets: [GuardedTracks], ...options });
  app.get('/guarded', (request) => ({ name: request.tracks.get(GuardedTracks).name, reason: request.tracks.get(GuardedTracks).reason }));
  app.get('/errors', () => errors);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  listening(Number(new URL(address).port));
}

void main(process.argv[2] ?? 'express');
