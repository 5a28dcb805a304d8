// One app process for the two-process test: a real Express app on a PostgreSQL database, reading its controls from it.
import express from 'express';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { tracks } from '../../adapters/express.js';
import { SimpleTrackSet } from '../../src/index.js';
import { migrate, postgresControls, publishSets } from '../../src/postgres/index.js';

/** The slow catalog test of the coconut store. */
export class DelayTracks extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}

async function start(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  pool.on('error', () => undefined);
  await migrate(pool);
  await publishSets(pool, [DelayTracks]);
  const listen = process.env.TRACKS_LISTEN !== '0';
  const pollIntervalMs = process.env.TRACKS_POLL_MS ? Number(process.env.TRACKS_POLL_MS) : undefined;
  const controls = postgresControls(pool, { listen, ...(pollIntervalMs !== undefined && { pollIntervalMs }) });
  await controls.ready();
  const app = express();
  app.use(tracks([DelayTracks], { cookie: { secret: 'two-processes-secret' }, controls }));
  app.get('/delay', (req, res) => {
    const delay = req.tracks.get(DelayTracks);
    res.json({ name: delay.name, reason: delay.reason, pid: process.pid });
  });
  app.get('/listening', (_req, res) => {
    res.json({ listening: controls.stats.listening });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
  });
  process.on('SIGTERM', () => {
    server.close();
    void controls.close().then(() => pool.end());
  });
}

start().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
