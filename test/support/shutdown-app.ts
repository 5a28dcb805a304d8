// An app process as the README builds it (Express, exposure log, PostgreSQL pool, SIGTERM handler), run by the outage-and-shutdown scenario.
// Usage: test/support/shutdown-app.ts <database url>; prints `listening <port>`, then at exit `closed <stats as JSON>`.
import express from 'express';
import pg from 'pg';
import { tracks } from '../../adapters/express.js';
import { SimpleTrackSet } from '../../src/index.js';
import { exposureLog } from '../../src/exposures/exposure-log.js';
import { exposureSink } from '../../src/postgres/exposure-sink.js';

class CheckoutTracks extends SimpleTrackSet {
  static override setName = 'checkout';
  static oneTrack(): void {}
  static twoTrack(): void {}
}

const pool = new pg.Pool({ connectionString: process.argv[2], max: 4, connectionTimeoutMillis: 1000 });
pool.on('error', () => undefined); // connections die with the server: the pool replaces them
const failures = { outages: 0, refused: 0 };
const log = exposureLog({
  sink: exposureSink(pool),
  flushIntervalMs: 50,
  // A back-off that grows past the close limit within a short outage: close() must not wait it out.
  retryMs: 1000,
  onError: (_error, info) => void (info.refused ? failures.refused++ : failures.outages++),
  onDrop: () => undefined,
});

const app = express();
app.use(tracks([CheckoutTracks], { key: { header: 'x-user-id' }, cookie: { secret: 'shutdown-secret' }, onExposure: log }));
app.get('/checkout', (req, res) => void res.json({ name: req.tracks.get(CheckoutTracks).name, reason: req.tracks.get(CheckoutTracks).reason }));
// Poison, as code outside a request could log it: a key the log refuses, and a row the database refuses.
app.get('/poison', (_req, res) => {
  const base = { setName: 'checkout', runId: null, reason: 'hash', firstExposure: true, multiSetName: null } as const;
  log({ ...base, key: 'evil\u0000key', variant: 'one' });
  log({ ...base, key: 'poison-db', variant: 'bad\u0000variant' });
  res.json({ ok: true });
});
app.get('/stats', (_req, res) => void res.json({ ...log.stats, ...failures }));

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});

// The README's shutdown: stop taking requests, then write what is queued (close gives up after 10 s).
process.once('SIGTERM', () => {
  server.close(() => {
    void log.close().then(async (stats) => {
      process.stdout.write(`closed ${JSON.stringify({ ...stats, ...failures })}\n`);
      await pool.end();
      process.exit(0);
    });
  });
  server.closeAllConnections();
});
